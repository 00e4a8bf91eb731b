"""The textbook attention backend: the whole n×n score matrix at once.

softmax(q·kᵀ·scale + bias, mask)·v, written the way the paper's formula
reads. It is here to be compared: the FlashAttention level and the benchmark
set it beside the tiled backend, which gets the same numbers without ever
holding n×n scores (at n = 100,000 these would be 37 GiB in float32).
"""

from __future__ import annotations

import numpy as np

from game.api import AttentionBackend, AttentionInputs, hookimpl


def naive_attention(inputs: AttentionInputs) -> np.ndarray:
    """(*lead, n_q, d_v), computed in the inputs' compute dtype with full score matrices."""
    dtype = inputs.compute_dtype
    q = inputs.q.astype(dtype, copy=False)  # (..., n_q, d)
    k = inputs.k.astype(dtype, copy=False)  # (..., n_k, d)
    v = inputs.v.astype(dtype, copy=False)  # (..., n_k, d_v)
    n_q, n_k = inputs.n_q, inputs.n_k
    scores = np.matmul(q, np.swapaxes(k, -1, -2)) * dtype.type(inputs.scale)  # (..., n_q, n_k)
    scores = np.broadcast_to(scores, (*inputs.lead, n_q, n_k)).astype(dtype)  # (*lead, n_q, n_k)
    if inputs.bias is not None:
        scores += inputs.bias.astype(dtype, copy=False)
    distance = np.arange(n_q)[:, None] + (n_k - n_q) - np.arange(n_k)[None, :]  # (n_q, n_k)
    if inputs.slopes is not None:
        slopes = inputs.slopes.astype(dtype, copy=False)[..., None, None]  # (*lead, 1, 1)
        scores -= slopes * distance.astype(dtype)  # (*lead, n_q, n_k)
    allowed = np.ones((n_q, n_k), dtype=bool)  # (n_q, n_k)
    if inputs.causal:
        allowed = distance >= 0  # (n_q, n_k): query i sees keys j <= i + n_k − n_q
    if inputs.mask is not None:
        allowed = allowed & inputs.mask  # (*lead, n_q, n_k)
    allowed = np.broadcast_to(allowed, scores.shape)  # (*lead, n_q, n_k)
    with np.errstate(invalid="ignore", over="ignore"):
        scores = np.where(allowed, scores, -np.inf)  # (*lead, n_q, n_k)
        row_max = scores.max(axis=-1, keepdims=True)  # (*lead, n_q, 1)
        row_max = np.where(np.isfinite(row_max), row_max, 0)  # fully masked rows
        e = np.exp(scores - row_max)  # (*lead, n_q, n_k)
    total = e.sum(axis=-1, keepdims=True)  # (*lead, n_q, 1)
    weights = e / np.where(total > 0, total, 1)  # (*lead, n_q, n_k)
    return np.matmul(weights, v)  # (*lead, n_q, d_v)


@hookimpl
def switchyard_register_backends(register):
    register(
        AttentionBackend(
            name="naive",
            title="Naive (whole score matrix)",
            run=naive_attention,
        )
    )
