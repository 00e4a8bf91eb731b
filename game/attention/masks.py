"""Masks and position biases, as small arrays that broadcast to (..., n_q, n_k).

A mask is boolean with True meaning "this query may attend to this key". A
query row with no True left is *fully masked*: every backend returns zeros for
it, never NaN.
"""

from __future__ import annotations

import numpy as np


def causal_mask(n_q: int, n_k: int | None = None) -> np.ndarray:
    """(n_q, n_k) bool: query i sees keys j <= i + n_k - n_q (bottom-right aligned).

    With n_q == n_k this is the usual lower triangle. With fewer queries than
    keys (a decoder continuing a cached prefix) the queries are the *last*
    n_q positions, so the last query sees every key.
    """
    n_k = n_q if n_k is None else n_k
    i = np.arange(n_q)[:, None]  # (n_q, 1)
    j = np.arange(n_k)[None, :]  # (1, n_k)
    return j <= i + (n_k - n_q)  # (n_q, n_k)


def padding_mask(lengths: object, n_k: int) -> np.ndarray:
    """(b, 1, 1, n_k) bool from per-sequence key lengths: keys past a length are padding.

    The two singleton dims let the mask broadcast over heads and queries of a
    `(b, h, n_q, n_k)` score array; index `[:, 0]` for `(b, n_q, n_k)` scores.
    """
    lengths = np.asarray(lengths)
    if lengths.ndim != 1 or lengths.dtype.kind not in "iu":
        raise ValueError(f"lengths must be a 1-D array of integers, got shape {lengths.shape}")
    if np.any(lengths < 0) or np.any(lengths > n_k):
        raise ValueError(f"lengths must lie in 0..{n_k}, got {lengths.tolist()}")
    j = np.arange(n_k)  # (n_k,)
    return (j[None, :] < lengths[:, None])[:, None, None, :]  # (b, 1, 1, n_k)


def alibi_bias(slopes: object, n_q: int, n_k: int) -> np.ndarray:
    """(..., n_q, n_k) float64: the ALiBi bias -slope·(i + n_k - n_q - j), materialised.

    Only for the reference backend and for drawing; the tiled backends compute
    the same numbers tile by tile without an n×n array. Query positions are
    aligned bottom-right like the causal mask, so with n_q == n_k the bias is
    exactly -slope·(i - j).
    """
    slopes = np.asarray(slopes, dtype=np.float64)
    i = np.arange(n_q, dtype=np.float64)[:, None] + (n_k - n_q)  # (n_q, 1)
    j = np.arange(n_k, dtype=np.float64)[None, :]  # (1, n_k)
    return -slopes[..., None, None] * (i - j)  # (..., n_q, n_k)
