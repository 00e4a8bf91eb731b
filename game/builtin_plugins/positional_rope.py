"""The `rope` positional scheme: rotary position embedding.

Su et al. 2021, "RoFormer: Enhanced Transformer with Rotary Position
Embedding" (arXiv:2104.09864), §3.2–3.4. Queries and keys (not the token
embeddings) are rotated: each pair of dimensions (x[2i], x[2i+1]) turns by
the angle pos·θ_i, with θ_i = base^(−2i/d). Rotating both q at position m and
k at position n makes their dot product depend on n − m only:

    (R_m q)·(R_n k) = q·(R_{n−m} k)

which is why RoPE heads see *relative* offsets. With an odd d the last
dimension has no partner and is left unrotated. A small `base` makes the
slow pairs turn fast too, which lets a previous-token head be built with a
handful of dimensions.
"""

from __future__ import annotations

import numpy as np

from game.api import Parameter, PositionalScheme, hookimpl

DESCRIPTION = (
    "Queries and keys are turned like clock hands, by an angle that grows with "
    "their position. When a query meets a key, only the difference between their "
    "angles matters, so a head can look for 'the word just before me' wherever it "
    "is in the sentence. The base sets how fast the hands turn."
)


def angles(positions: object, d: int, *, base: float = 10000.0) -> np.ndarray:
    """(n, d // 2) float64: the rotation angle pos·θ_i of every pair at every position."""
    positions = np.asarray(positions, dtype=np.float64)  # (n,)
    if positions.ndim != 1:
        raise ValueError(f"positions must be 1-D (n,), got shape {positions.shape}")
    if not base > 0:
        raise ValueError(f"base must be positive, got {base!r}")
    two_i = 2 * np.arange(d // 2)  # (d // 2,)
    theta = float(base) ** (-two_i / max(d, 1))  # (d // 2,) θ_i = base^(−2i/d)
    return positions[:, None] * theta[None, :]  # (n, d // 2)


def rotate(x: object, positions: object, *, base: float = 10000.0, **_: object) -> np.ndarray:
    """(..., n, d): `x` (..., n, d) with each pair (x[2i], x[2i+1]) at row p turned by p·θ_i.

    The rotation is counter-clockwise: (a, b) -> (a·cos − b·sin, a·sin + b·cos).
    Floating inputs keep their dtype; others become float64. Unknown keywords
    (a level's extra settings) are ignored.
    """
    x = np.asarray(x)
    if x.dtype.kind != "f":
        x = x.astype(np.float64)
    if x.ndim < 2:
        raise ValueError(f"x must be (..., n, d) with at least 2 dims, got shape {x.shape}")
    n, d = x.shape[-2], x.shape[-1]
    theta = angles(positions, d, base=base)  # (n_pos, d // 2)
    if theta.shape[0] != n:
        raise ValueError(
            f"x has {n} rows (shape {x.shape}) but {theta.shape[0]} positions were given"
        )
    cos, sin = np.cos(theta).astype(x.dtype), np.sin(theta).astype(x.dtype)  # (n, d // 2)
    pairs = 2 * (d // 2)
    a = x[..., 0:pairs:2]  # (..., n, d // 2) first of each pair
    b = x[..., 1:pairs:2]  # (..., n, d // 2) second of each pair
    out = x.copy()  # (..., n, d); an odd last dimension stays as it is
    out[..., 0:pairs:2] = a * cos - b * sin  # (..., n, d // 2)
    out[..., 1:pairs:2] = a * sin + b * cos  # (..., n, d // 2)
    return out


@hookimpl
def switchyard_register_positional_schemes(register):
    """Register the `rope` scheme (a `rotate` with a `base` slider)."""
    register(
        PositionalScheme(
            name="rope",
            title="Rotary (RoPE)",
            description=DESCRIPTION,
            rotate=rotate,
            parameters=(
                Parameter(
                    name="base",
                    title="Rotation base",
                    default=10000.0,
                    low=1.0,
                    high=1e6,
                    log_scale=True,
                ),
            ),
            reference="Su et al. 2021, 'RoFormer: Enhanced Transformer with Rotary "
            "Position Embedding' (arXiv:2104.09864)",
        )
    )
