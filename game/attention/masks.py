"""Masks, position biases and the masked softmax that applies them.

Masks and biases are small arrays that broadcast to (..., n_q, n_k). A mask is
boolean with True meaning "this query may attend to this key". A query row with
no True left is *fully masked*: every backend returns zeros for it, never NaN.
`masked_softmax` is the one place that rule is written for whole score
matrices; the reference backend, the naive plugin backend (through
`AttentionInputs.masked_softmax`), the IO simulator and the math inspector all
call it. The tiled backends keep their own online softmax, tile by tile.
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
    return causal_tile(range(n_q), range(n_k), offset=n_k - n_q)  # (n_q, n_k)


def causal_tile(rows: range, cols: range, offset: int = 0) -> np.ndarray:
    """(len(rows), len(cols)) bool: the causal rule on one tile of the score matrix.

    Query i of `rows` sees key j of `cols` when j <= i + offset (offset n_k − n_q
    aligns it bottom-right); a tiled schedule asks for its tile instead of the
    whole n×n mask.
    """
    i = np.arange(rows.start, rows.stop)[:, None]  # (B_r, 1)
    j = np.arange(cols.start, cols.stop)[None, :]  # (1, B_c)
    return j <= i + offset  # (B_r, B_c)


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


def softmax_parts(
    logits: np.ndarray, allowed: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(row_max, exp, row_sum): the masked softmax's pieces, as the math inspector shows them.

    Over the last axis: row_max (..., 1) is the largest allowed logit of each
    row (0 in a fully masked row); exp (..., n_k) is exp(logit − row_max),
    exactly 0 where masked; row_sum (..., 1) is its sum. `allowed` broadcasts
    to `logits`.
    """
    with np.errstate(invalid="ignore", over="ignore"):
        e = np.where(allowed, logits, -np.inf)  # (..., n_k), −inf where masked
        row_max = e.max(axis=-1, keepdims=True, initial=-np.inf)  # (..., 1)
        row_max = np.where(np.isfinite(row_max), row_max, 0.0)  # fully masked rows
        e -= row_max  # in place: the whole score matrix is held once, not three times
        np.exp(e, out=e)  # (..., n_k), 0 where masked
    return row_max, e, e.sum(axis=-1, keepdims=True)


def masked_softmax(logits: np.ndarray, allowed: np.ndarray) -> np.ndarray:
    """Softmax over the last axis of the allowed entries; a fully masked row gives zeros.

    Computed in the dtype of `logits`; returns a new (..., n_q, n_k) array.
    """
    _, e, total = softmax_parts(logits, allowed)
    with np.errstate(invalid="ignore"):  # ∞/∞ where a row had NaN or +∞: NaN, as documented
        e /= np.where(total > 0, total, 1.0)  # (..., n_q, n_k)
    return e
