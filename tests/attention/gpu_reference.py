"""The float64 answer the GPU kernels are checked against: out, lse, and which rows see a key.

Shared by the GPU tests (test_gpu.py), the emulator tests (test_gpu_emulated.py)
and the NumPy stand-in for CuPy (fake_cupy.py), so all three hold the kernels
to the same numbers.
"""

from __future__ import annotations

import numpy as np

from game.attention.inputs import prepare
from game.attention.reference import masked_softmax, reference_scores


def reference_with_lse(q, k, v, *, causal, scale, slopes=None, bias=None):
    """float64 (out (bh, n_q, d_v), lse (bh, n_q), visible (bh, n_q)) for (bh, n, d) inputs.

    lse is log Σ exp(score) over the keys a row may see, −inf where it sees none
    (`visible` False); a −inf in `bias` masks, as in the kernels.
    """
    inputs = prepare(
        np.asarray(q, dtype=np.float64), np.asarray(k, dtype=np.float64),
        np.asarray(v, dtype=np.float64),
        causal=causal, scale=scale, alibi_slopes=slopes, bias=bias,
    )  # fmt: skip
    logits, allowed = reference_scores(inputs)  # (bh, n_q, n_k)
    out = masked_softmax(logits, allowed) @ inputs.v  # (bh, n_q, d_v)
    with np.errstate(divide="ignore", invalid="ignore"):
        masked = np.where(allowed, logits, -np.inf)  # (bh, n_q, n_k)
        top = np.max(masked, axis=-1, initial=-np.inf)  # (bh, n_q)
        safe = np.where(np.isfinite(top), top, 0.0)
        total = np.exp(masked - safe[..., None]).sum(axis=-1)  # (bh, n_q)
        lse = np.where(total > 0, safe + np.log(total), -np.inf)  # (bh, n_q)
    return out, lse, allowed.any(axis=-1)
