"""The `sinusoidal` positional scheme of the original Transformer.

Vaswani et al. 2017, "Attention Is All You Need" (arXiv:1706.03762), §3.5:

    PE(pos, 2i)   = sin(pos / base^(2i / d_model))
    PE(pos, 2i+1) = cos(pos / base^(2i / d_model))      with base = 10000

Each pair of dimensions is a clock hand turning at its own speed; the vector
is added to the token's embedding. With an odd `d_model` the last dimension
is the sine of one more, slower pair whose cosine does not fit.
"""

from __future__ import annotations

import numpy as np

from game.api import Parameter, PositionalScheme, hookimpl

DESCRIPTION = (
    "Each position gets its own pattern of waves, added to the token's features. "
    "Pairs of features are sine and cosine waves: fast ones change from one word "
    "to the next, slow ones tell the start of a long sentence from its end. "
    "Nothing is learned: the same formula works for any length."
)


def embed(positions: object, d_model: int, *, base: float = 10000.0, **_: object) -> np.ndarray:
    """(n, d_model) float64: the sinusoidal encodings of `positions` (n,).

    Unknown keywords (a level's extra settings) are ignored.
    """
    positions = np.asarray(positions, dtype=np.float64)  # (n,)
    if positions.ndim != 1:
        raise ValueError(f"positions must be 1-D (n,), got shape {positions.shape}")
    if int(d_model) != d_model or d_model < 0:
        raise ValueError(f"d_model must be a whole number >= 0, got {d_model!r}")
    if not base > 0:
        raise ValueError(f"base must be positive, got {base!r}")
    d_model = int(d_model)
    dims = np.arange(d_model)  # (d_model,)
    two_i = 2 * (dims // 2)  # (d_model,) the "2i" of each dimension's pair
    inv_freq = float(base) ** (-two_i / max(d_model, 1))  # (d_model,) 1 / base^(2i/d)
    angles = positions[:, None] * inv_freq[None, :]  # (n, d_model)
    return np.where(dims % 2 == 0, np.sin(angles), np.cos(angles))  # (n, d_model)


@hookimpl
def switchyard_register_positional_schemes(register):
    """Register the `sinusoidal` scheme (an `embed` with a `base` slider)."""
    register(
        PositionalScheme(
            name="sinusoidal",
            title="Sinusoidal",
            description=DESCRIPTION,
            embed=embed,
            parameters=(
                Parameter(
                    name="base",
                    title="Wavelength base",
                    default=10000.0,
                    low=1.0,
                    high=1e6,
                    log_scale=True,
                ),
            ),
            reference="Vaswani et al. 2017, 'Attention Is All You Need', §3.5 (arXiv:1706.03762)",
        )
    )
