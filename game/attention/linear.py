"""Linear attention: a kernel feature map φ in place of exp, computed in O(n).

Katharopoulos, Vyas, Pappas and Fleuret 2020, "Transformers are RNNs: Fast
Autoregressive Transformers with Linear Attention" (arXiv:2006.16236), §3.2.
Softmax attention weighs key j for query i by exp(q_i·k_j); linear attention
weighs it by φ(q_i)·φ(k_j) for a feature map φ with non-negative entries, so
the sum over keys factors:

    out_i = Σ_j φ(q_i)·φ(k_j) v_j / Σ_j φ(q_i)·φ(k_j)
          = φ(q_i)·(Σ_j φ(k_j) v_jᵀ) / φ(q_i)·(Σ_j φ(k_j))

Σ_j φ(k_j) v_jᵀ is an (r, d_v) matrix built once, so the n×n score matrix is
never formed: O(n·r·d_v) instead of O(n²·d). With a causal mask the sums run
over j ≤ i (prefix sums); a key mask drops padded keys from both sums.

`linear_weights` builds the (n_q, n_k) matrix those outputs are a mix by, for
the board and the inspector only; `linear_attention` is what the game runs.
A row whose denominator is 0 (every key masked) gives zeros, never NaN.
"""

from __future__ import annotations

import numpy as np


def _keep(phi_k: np.ndarray, key_mask: np.ndarray | None) -> np.ndarray:
    """φ(K) with masked keys' rows set to 0, so they drop out of both sums."""
    if key_mask is None:
        return phi_k
    return phi_k * np.asarray(key_mask, dtype=bool)[..., :, None]  # (..., n_k, r)


def linear_attention(
    phi_q: np.ndarray,
    phi_k: np.ndarray,
    v: np.ndarray,
    *,
    key_mask: np.ndarray | None = None,
    causal: bool = False,
) -> np.ndarray:
    """(..., n_q, d_v) = φ(Q)·(φ(K)ᵀV) / φ(Q)·Σφ(K), without an n×n matrix.

    phi_q: (..., n_q, r); phi_k: (..., n_k, r); v: (..., n_k, d_v);
    key_mask: (..., n_k) bool, True for real keys. `causal` needs n_q == n_k.
    """
    phi_q = np.asarray(phi_q, dtype=np.float64)
    phi_k = _keep(np.asarray(phi_k, dtype=np.float64), key_mask)  # (..., n_k, r)
    v = np.asarray(v, dtype=np.float64)
    if causal:
        if phi_q.shape[-2] != phi_k.shape[-2]:
            raise ValueError(f"causal linear attention needs n_q == n_k, got {phi_q.shape}")
        kv = np.cumsum(phi_k[..., :, :, None] * v[..., :, None, :], axis=-3)  # (..., n, r, d_v)
        z = np.cumsum(phi_k, axis=-2)  # (..., n, r) Σ_{j≤i} φ(k_j)
        num = np.einsum("...nr,...nrd->...nd", phi_q, kv)  # (..., n, d_v)
    else:
        kv = np.swapaxes(phi_k, -1, -2) @ v  # (..., r, d_v) Σ_j φ(k_j) v_jᵀ
        z = phi_k.sum(axis=-2, keepdims=True)  # (..., 1, r) Σ_j φ(k_j)
        num = phi_q @ kv  # (..., n_q, d_v)
    den = (phi_q * z).sum(axis=-1, keepdims=True)  # (..., n_q, 1)
    return np.where(den > 0, num / np.where(den > 0, den, 1.0), 0.0)  # (..., n_q, d_v)


def linear_weights(
    phi_q: np.ndarray,
    phi_k: np.ndarray,
    *,
    key_mask: np.ndarray | None = None,
    causal: bool = False,
) -> np.ndarray:
    """(..., n_q, n_k): φ(q_i)·φ(k_j) / Σ_j φ(q_i)·φ(k_j), the weights `linear_attention` mixes by.

    Rows sum to 1, or are all zeros where no key is left.
    """
    phi_q = np.asarray(phi_q, dtype=np.float64)
    phi_k = _keep(np.asarray(phi_k, dtype=np.float64), key_mask)
    scores = phi_q @ np.swapaxes(phi_k, -1, -2)  # (..., n_q, n_k)
    if causal:
        n_q, n_k = scores.shape[-2:]
        scores = np.where(np.tri(n_q, n_k, n_k - n_q, dtype=bool), scores, 0.0)
    den = scores.sum(axis=-1, keepdims=True)  # (..., n_q, 1)
    return np.where(den > 0, scores / np.where(den > 0, den, 1.0), 0.0)  # (..., n_q, n_k)
