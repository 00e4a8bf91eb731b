"""Multi-head attention for the board: split and merge heads, W_Q/W_K/W_V/W_O.

    head_h = attention(x·W_Q[h], x_kv·W_K[h], x_kv·W_V[h])
    out    = concat(head_1 … head_H) · W_O

Vaswani et al. 2017, §3.2.2. The board builds the weight matrices from the
player's wires; these helpers only do the projections around `attention`.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from game.attention.functional import attention


def split_heads(x: np.ndarray, n_heads: int) -> np.ndarray:
    """(..., n, h·d_head) -> (..., h, n, d_head)."""
    *lead, n, width = x.shape
    if n_heads < 1 or width % n_heads:
        raise ValueError(f"cannot split width {width} of shape {x.shape} into {n_heads} heads")
    x = x.reshape(*lead, n, n_heads, width // n_heads)  # (..., n, h, d_head)
    return np.swapaxes(x, -2, -3)  # (..., h, n, d_head)


def merge_heads(x: np.ndarray) -> np.ndarray:
    """(..., h, n, d_head) -> (..., n, h·d_head), the concat of the heads."""
    if x.ndim < 3:
        raise ValueError(f"expected (..., h, n, d_head), got shape {x.shape}")
    *lead, h, n, d_head = x.shape
    x = np.swapaxes(x, -2, -3)  # (..., n, h, d_head)
    return x.reshape(*lead, n, h * d_head)  # (..., n, h·d_head)


@dataclass(frozen=True)
class HeadWeights:
    """The projection matrices of a multi-head layer.

    w_q, w_k: (h, d_model, d_k); w_v: (h, d_model, d_v); w_o: (h·d_v, d_out).
    """

    w_q: np.ndarray
    w_k: np.ndarray
    w_v: np.ndarray
    w_o: np.ndarray

    def __post_init__(self) -> None:
        h = self.w_q.shape[0]
        if self.w_q.ndim != 3 or self.w_k.shape != self.w_q.shape:
            raise ValueError(
                f"w_q {self.w_q.shape} and w_k {self.w_k.shape} must both be (h, d_model, d_k)"
            )
        if self.w_v.ndim != 3 or self.w_v.shape[:2] != self.w_q.shape[:2]:
            raise ValueError(f"w_v {self.w_v.shape} must be (h, d_model, d_v) with h = {h}")
        if self.w_o.ndim != 2 or self.w_o.shape[0] != h * self.w_v.shape[2]:
            raise ValueError(
                f"w_o {self.w_o.shape} must be (h·d_v, d_out) = ({h * self.w_v.shape[2]}, …)"
            )

    @property
    def n_heads(self) -> int:
        return self.w_q.shape[0]


def project_heads(x: np.ndarray, w: np.ndarray) -> np.ndarray:
    """(..., n, d_model) · (h, d_model, d_head) -> (..., h, n, d_head)."""
    if x.shape[-1] != w.shape[-2]:
        raise ValueError(f"x {x.shape} and weights {w.shape} disagree on d_model")
    return np.einsum("...nm,hmd->...hnd", x, w)  # (..., h, n, d_head)


def multi_head_attention(
    x_q: np.ndarray,
    x_kv: np.ndarray,
    weights: HeadWeights,
    **attention_kwargs: object,
) -> tuple[np.ndarray, np.ndarray]:
    """(out, heads): out (..., n_q, d_out), heads (..., h, n_q, d_v) before W_O.

    `x_kv` is `x_q` itself for self-attention, the encoder's states for
    cross-attention. Extra keyword arguments (causal, alibi_slopes, bias,
    mask, backend, scale) go to `attention` unchanged.
    """
    q = project_heads(x_q, weights.w_q)  # (..., h, n_q, d_k)
    k = project_heads(x_kv, weights.w_k)  # (..., h, n_k, d_k)
    v = project_heads(x_kv, weights.w_v)  # (..., h, n_k, d_v)
    heads = attention(q, k, v, **attention_kwargs)  # (..., h, n_q, d_v)
    out = merge_heads(heads) @ weights.w_o  # (..., n_q, h·d_v) @ (h·d_v, d_out)
    return out, heads
