"""An independent float64 oracle: attention written one query row at a time.

It shares no code with game.attention, so the reference backend is checked
against something other than itself.
"""

from __future__ import annotations

import math

import numpy as np


def oracle_attention(q, k, v, *, causal=False, scale=None, bias=None, slopes=None, mask=None):
    """Unbatched (n_q, d), (n_k, d), (n_k, d_v) -> (n_q, d_v) and (n_q, n_k) weights."""
    q, k, v = (np.asarray(a, dtype=np.float64) for a in (q, k, v))
    n_q, n_k = q.shape[0], k.shape[0]
    scale = 1 / math.sqrt(q.shape[1]) if scale is None else scale
    out = np.zeros((n_q, v.shape[1]))
    weights = np.zeros((n_q, n_k))
    for i in range(n_q):
        logits = []
        for j in range(n_k):
            allowed = True
            if causal and j > i + n_k - n_q:
                allowed = False
            if mask is not None and not mask[i, j]:
                allowed = False
            score = float(q[i] @ k[j]) * scale
            if bias is not None:
                score += float(bias[i, j])
            if slopes is not None:
                score += -slopes * ((i + n_k - n_q) - j)
            logits.append(score if allowed and score != -math.inf else None)
        finite = [s for s in logits if s is not None]
        if not finite:
            continue  # fully masked: zeros
        top = max(finite)
        e = [0.0 if s is None else math.exp(s - top) for s in logits]
        total = sum(e)
        weights[i] = np.array(e) / total
        out[i] = weights[i] @ v
    return out, weights
