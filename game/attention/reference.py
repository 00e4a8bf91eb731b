"""The reference backend: the formula written out plainly, in float64.

    weights = softmax(q·kᵀ · scale + bias + alibi, masked)
    out     = weights · v

It materialises the whole (..., n_q, n_k) score array, so it is for the board,
the inspector and the tests, not for long sequences. Every other backend is
tested against it.
"""

from __future__ import annotations

import numpy as np

from game.attention.inputs import AttentionInputs
from game.attention.masks import alibi_bias, causal_mask


def reference_scores(inputs: AttentionInputs) -> tuple[np.ndarray, np.ndarray]:
    """float64 (logits, allowed): the pre-softmax scores and where attention may go.

    Logits are q·kᵀ·scale + bias + alibi; `allowed` folds the causal rule and
    the mask together. Both are (*lead, n_q, n_k).
    """
    q = inputs.q.astype(np.float64)  # (..., n_q, d)
    k = inputs.k.astype(np.float64)  # (..., n_k, d)
    shape = (*inputs.lead, inputs.n_q, inputs.n_k)
    logits = np.matmul(q, np.swapaxes(k, -1, -2)) * inputs.scale  # (..., n_q, n_k)
    logits = np.broadcast_to(logits, shape).copy()  # (*lead, n_q, n_k)
    if inputs.bias is not None:
        logits += inputs.bias
    if inputs.slopes is not None:
        logits += alibi_bias(inputs.slopes, inputs.n_q, inputs.n_k)
    allowed = np.ones(shape, dtype=bool)  # (*lead, n_q, n_k)
    if inputs.causal:
        allowed &= causal_mask(inputs.n_q, inputs.n_k)
    if inputs.mask is not None:
        allowed &= inputs.mask
    allowed &= logits != -np.inf  # a -inf bias is a mask too
    return logits, allowed


def masked_softmax(logits: np.ndarray, allowed: np.ndarray) -> np.ndarray:
    """Softmax over the last axis of the allowed entries; fully masked rows give zeros."""
    with np.errstate(invalid="ignore", over="ignore"):
        masked = np.where(allowed, logits, -np.inf)  # (..., n_q, n_k)
        row_max = masked.max(axis=-1, keepdims=True, initial=-np.inf)  # (..., n_q, 1)
        row_max = np.where(np.isfinite(row_max), row_max, 0.0)
        e = np.exp(masked - row_max)  # (..., n_q, n_k), 0 where masked
    total = e.sum(axis=-1, keepdims=True)  # (..., n_q, 1)
    return e / np.where(total > 0, total, 1.0)  # (..., n_q, n_k)


def reference_attention(inputs: AttentionInputs) -> tuple[np.ndarray, np.ndarray]:
    """float64 (out, weights): out is (*lead, n_q, d_v), weights (*lead, n_q, n_k)."""
    logits, allowed = reference_scores(inputs)
    weights = masked_softmax(logits, allowed)  # (..., n_q, n_k)
    v = inputs.v.astype(np.float64)  # (..., n_k, d_v)
    out = np.matmul(weights, v)  # (..., n_q, d_v)
    out = np.broadcast_to(out, (*inputs.lead, inputs.n_q, inputs.d_v))
    return out, weights
