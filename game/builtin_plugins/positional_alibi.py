"""The `alibi` positional scheme: attention with linear biases.

Press, Smith and Lewis 2022, "Train Short, Test Long: Attention with Linear
Biases Enables Input Length Extrapolation" (arXiv:2108.12409), §3. No
position vectors at all: each head subtracts slope·(i − j) from the score of
query i on key j, so far-away keys are penalised in proportion to their
distance. Every head gets its own slope, from a fixed geometric sequence.

`bias` materialises the (n_heads, n_q, n_k) penalty for the board and the
inspector; the tiled attention backend takes `slopes` as `alibi_slopes` and
builds the same numbers tile by tile. Both use the game's convention
−slope·(i − j) (DESIGN §4): in a decoder the causal mask hides j > i; without
a mask those future keys get a bonus, as in `game.attention`.
"""

from __future__ import annotations

import math

import numpy as np

from game.api import Parameter, PositionalScheme, hookimpl

DESCRIPTION = (
    "No position vectors at all: each head adds −slope × (i − j) to the score of query i "
    "on key j, so a word d places further back loses slope × d, with a slope of its own "
    "per head (steep: the last few words; gentle: far back). The rule is the same at any "
    "distance, so it keeps working on sentences longer than any seen in training. In a "
    "decoder the causal mask hides every later word. Without a mask (an encoder, or "
    "cross-attention) the same line runs on: a word d places further ahead gains slope × d."
)


def _power_of_two_slopes(n: int) -> np.ndarray:
    """(n,) for n a power of two: the geometric sequence 2^(−8/n), 2^(−16/n), …, 2^(−8)."""
    return 2.0 ** (-8.0 / n * np.arange(1, n + 1))  # (n,)


def slopes(n_heads: int, *, slope_scale: float = 1.0, **_: object) -> np.ndarray:
    """(n_heads,) float64: each head's ALiBi slope, times `slope_scale`.

    For a power of two h the slopes are the geometric sequence starting at
    2^(−8/h) with that ratio (8 heads: 1/2, 1/4, …, 1/256). Otherwise, as in
    the paper's `get_slopes`: the slopes of the closest lower power of two n,
    then every other slope of 2n, for the h − n heads left over.
    """
    if int(n_heads) != n_heads or n_heads < 1:
        raise ValueError(f"n_heads must be a whole number >= 1, got {n_heads!r}")
    n_heads = int(n_heads)
    n = 2 ** math.floor(math.log2(n_heads))  # closest power of two <= n_heads
    base = _power_of_two_slopes(n)  # (n,)
    extra = _power_of_two_slopes(2 * n)[0::2][: n_heads - n]  # (n_heads - n,)
    return np.concatenate([base, extra]) * float(slope_scale)  # (n_heads,)


def bias(
    q_positions: object,
    k_positions: object,
    n_heads: int,
    *,
    slope_scale: float = 1.0,
    **_: object,
) -> np.ndarray:
    """(n_heads, n_q, n_k) float64: −slope_h·(i − j) for query position i and key position j."""
    q_positions = np.asarray(q_positions, dtype=np.float64)  # (n_q,)
    k_positions = np.asarray(k_positions, dtype=np.float64)  # (n_k,)
    if q_positions.ndim != 1 or k_positions.ndim != 1:
        raise ValueError(
            f"positions must be 1-D, got shapes {q_positions.shape} and {k_positions.shape}"
        )
    m = slopes(n_heads, slope_scale=slope_scale)  # (h,)
    distance = q_positions[:, None] - k_positions[None, :]  # (n_q, n_k) i − j
    return -m[:, None, None] * distance[None, :, :]  # (h, n_q, n_k)


@hookimpl
def switchyard_register_positional_schemes(register):
    """Register the `alibi` scheme (a `bias`, its `slopes`, and a slope-scale slider)."""
    register(
        PositionalScheme(
            name="alibi",
            title="ALiBi (linear biases)",
            description=DESCRIPTION,
            bias=bias,
            slopes=slopes,
            parameters=(
                Parameter(
                    name="slope_scale",
                    title="Slope scale",
                    default=1.0,
                    low=0.0,
                    high=4.0,
                ),
            ),
            reference="Press, Smith and Lewis 2022, 'Train Short, Test Long: Attention with "
            "Linear Biases Enables Input Length Extrapolation' (arXiv:2108.12409)",
        )
    )
