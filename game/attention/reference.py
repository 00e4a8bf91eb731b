"""The reference backend: the formula written out plainly, in float64.

    weights = softmax(q·kᵀ · scale + bias + alibi, masked)
    out     = weights · v

It materialises the whole (..., n_q, n_k) score array, so it is for the board,
the inspector and the tests, not for long sequences. Every other backend is
tested against it. The pieces (`AttentionInputs.logits`, `.allowed`, and
`game.attention.masks.masked_softmax`) are the same ones a plugin's naive
backend uses, so the formula is written once.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from game.attention.masks import masked_softmax

if TYPE_CHECKING:
    from game.attention.inputs import AttentionInputs

__all__ = ["masked_softmax", "reference_attention", "reference_scores"]


def reference_scores(inputs: AttentionInputs) -> tuple[np.ndarray, np.ndarray]:
    """float64 (logits, allowed): the pre-softmax scores and where attention may go.

    Logits are q·kᵀ·scale + bias + alibi; `allowed` folds the causal rule, the
    mask and −inf scores together. Both are (*lead, n_q, n_k).
    """
    logits = inputs.logits(np.float64)  # (*lead, n_q, n_k)
    allowed = inputs.allowed() & (logits != -np.inf)  # (*lead, n_q, n_k)
    return logits, allowed


def reference_attention(inputs: AttentionInputs) -> tuple[np.ndarray, np.ndarray]:
    """float64 (out, weights): out is (*lead, n_q, d_v), weights (*lead, n_q, n_k)."""
    logits, allowed = reference_scores(inputs)
    weights = masked_softmax(logits, allowed)  # (*lead, n_q, n_k)
    out = inputs.read_values(weights, allowed)  # (*lead, n_q, d_v): masked keys never read
    out = np.broadcast_to(out, (*inputs.lead, inputs.n_q, inputs.d_v))
    return out, weights
