"""Checking and normalising the arguments every attention backend shares.

All backends take the same arguments (DESIGN §4); this module turns them into
one `AttentionInputs` record so that each backend only does arithmetic, and
every shape mistake is reported the same way: a `ValueError` that names the
shapes involved.

The record also gives the whole-matrix pieces of the formula, written once for
everyone who holds all n_q × n_k scores (the float64 reference, the board, and
plugin backends, which see only `game.api`): `logits(dtype)`, `allowed()` and
`masked_softmax(logits)`.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from numpy.typing import DTypeLike

from game.attention.masks import alibi_bias, causal_mask, masked_softmax


@dataclass(frozen=True)
class AttentionInputs:
    """Validated attention arguments, with leading dims broadcast but not copied.

    `q`, `k`, `v` keep their own leading dims (they broadcast to `lead`);
    `bias`, `mask` and `slopes` are read-only broadcast views, so a bias shared
    by every head costs nothing extra.
    """

    q: np.ndarray  # (..., n_q, d)
    k: np.ndarray  # (..., n_k, d)
    v: np.ndarray  # (..., n_k, d_v)
    lead: tuple[int, ...]  # broadcast leading (batch, head) dims
    scale: float
    causal: bool
    bias: np.ndarray | None  # broadcasts to (*lead, n_q, n_k)
    mask: np.ndarray | None  # bool, True = may attend; broadcasts to (*lead, n_q, n_k)
    slopes: np.ndarray | None  # (*lead,) ALiBi slope per (batch, head)
    compute_dtype: np.dtype  # float32 or float64: the arithmetic precision
    out_dtype: np.dtype  # what the caller gets back

    @property
    def n_q(self) -> int:
        return self.q.shape[-2]

    @property
    def n_k(self) -> int:
        return self.k.shape[-2]

    @property
    def d(self) -> int:
        return self.q.shape[-1]

    @property
    def d_v(self) -> int:
        return self.v.shape[-1]

    @property
    def causal_offset(self) -> int:
        """Bottom-right alignment: query i sees keys j <= i + offset."""
        return self.n_k - self.n_q

    @property
    def scores_shape(self) -> tuple[int, ...]:
        """(*lead, n_q, n_k): the shape of the scores and of the weights."""
        return (*self.lead, self.n_q, self.n_k)

    def logits(self, dtype: DTypeLike = np.float64) -> np.ndarray:
        """(*lead, n_q, n_k) q·kᵀ·scale + bias − slope·(i − j) in `dtype`: scores before the mask.

        Every score at once, so it is for short sequences (the reference, the
        board, a naive backend). A new array the caller may change in place.
        """
        dtype = np.dtype(dtype)
        q = self.q.astype(dtype, copy=False)  # (..., n_q, d)
        k = self.k.astype(dtype, copy=False)  # (..., n_k, d)
        with np.errstate(invalid="ignore", over="ignore"):  # NaN/∞ in: the documented rule
            logits = np.matmul(q, np.swapaxes(k, -1, -2)) * dtype.type(self.scale)  # (.., n_q, n_k)
            if logits.shape != self.scores_shape:  # q, k shared by heads that bias/mask differ
                logits = np.broadcast_to(logits, self.scores_shape).copy()  # (*lead, n_q, n_k)
            if self.bias is not None:
                logits += self.bias.astype(dtype, copy=False)
            if self.slopes is not None:
                logits += alibi_bias(self.slopes, self.n_q, self.n_k).astype(dtype, copy=False)
        return logits

    def allowed(self) -> np.ndarray:
        """(*lead, n_q, n_k) bool, True where query i may attend to key j.

        The causal rule, `mask` and a −inf `bias` folded into one mask; a
        read-only broadcast view, so nothing is materialised when nothing masks.
        """
        allowed = np.ones((1, 1), dtype=bool)  # (1, 1)
        if self.causal:
            allowed = causal_mask(self.n_q, self.n_k)  # (n_q, n_k)
        if self.mask is not None:
            allowed = allowed & self.mask  # (*lead, n_q, n_k)
        if self.bias is not None:
            allowed = allowed & (self.bias != -np.inf)  # a −inf bias is a mask too
        return np.broadcast_to(allowed, self.scores_shape)

    def read_values(self, weights: np.ndarray, allowed: np.ndarray) -> np.ndarray:
        """(*lead, n_q, d_v) weights·v in the dtype of `weights`, never reading a masked key.

        A key row i may not attend to is never read: a NaN or infinity in its
        value row cannot reach row i (a plain matmul would, as 0·NaN = NaN). One
        in a key row i may attend to makes that entry of row i NaN, whatever its
        weight rounded to, so every dtype and backend agrees
        (docs/attention-notes.md, "NaN and infinity"). `allowed` is
        (*lead, n_q, n_k), as `allowed()` gives it.
        """
        v = self.v.astype(weights.dtype, copy=False)  # (..., n_k, d_v)
        bad = ~np.isfinite(v)  # (..., n_k, d_v)
        if not bad.any():
            with np.errstate(invalid="ignore", over="ignore"):  # NaN weights stay NaN, silently
                return np.matmul(weights, v)  # (*lead, n_q, d_v)
        with np.errstate(invalid="ignore", over="ignore"):
            out = np.matmul(weights, np.where(bad, 0, v))  # (*lead, n_q, d_v): the finite part
        may = np.broadcast_to(allowed, self.scores_shape).astype(weights.dtype)  # (.., n_q, n_k)
        reached = np.matmul(may, bad.astype(weights.dtype)) > 0  # (*lead, n_q, d_v)
        out[reached] = np.nan
        return out

    def finite(self) -> bool:
        """True when the float64 reference gives a finite answer (below float64's range):
        finite q, k, v and slopes, and a bias that is finite or −inf (a mask)."""
        arrays = [self.q, self.k, self.v]
        if self.slopes is not None:
            arrays.append(self.slopes)
        if not all(np.isfinite(a).all() for a in arrays):
            return False
        bias = self.bias
        return bias is None or not (np.isnan(bias).any() or (bias == np.inf).any())

    def unless_overflowed(self, out: np.ndarray) -> np.ndarray:
        """`out`, or the float64 reference's answer where a backend computing in a narrower
        type overflowed (NaN or infinity from finite inputs), so every backend agrees."""
        if np.isfinite(out).all() or not self.finite():
            return out
        from game.attention.reference import reference_attention  # the one exact path

        return reference_attention(self)[0].astype(out.dtype)

    def masked_softmax(self, logits: np.ndarray) -> np.ndarray:
        """(*lead, n_q, n_k) softmax over the keys of `logits` where `allowed()`.

        Each row sums to 1; a fully masked row is all zeros, never NaN. Computed
        in the dtype of `logits` (see `game.attention.masks.masked_softmax`).
        """
        return masked_softmax(logits, self.allowed())


def _as_float_array(name: str, x: object) -> np.ndarray:
    array = np.asarray(x)
    if array.dtype.kind == "c":
        raise ValueError(f"{name} is complex ({array.dtype}); attention takes real numbers")
    if array.dtype.kind not in "fiub":
        raise ValueError(f"{name} has dtype {array.dtype}; attention takes numbers")
    return array


def _dtypes(*arrays: np.ndarray) -> tuple[np.dtype, np.dtype]:
    """(compute, out): float16 inputs compute in float32; integers become float64."""
    out = np.result_type(*arrays)
    if out.kind != "f":
        out = np.dtype(np.float64)
    compute = (
        np.dtype(np.float64) if out == np.float64 or out.itemsize > 8 else np.dtype(np.float32)
    )
    if out.itemsize > 8:  # longdouble: give back float64 rather than pretend more precision
        out = np.dtype(np.float64)
    return compute, out


def _broadcastable(name: str, array: np.ndarray, target: tuple[int, ...], what: str) -> np.ndarray:
    try:
        return np.broadcast_to(array, target)
    except ValueError:
        raise ValueError(
            f"{name} has shape {array.shape}, which does not broadcast to {what} {target}"
        ) from None


def prepare(
    q: object,
    k: object,
    v: object,
    *,
    causal: bool = False,
    scale: float | None = None,
    bias: object = None,
    alibi_slopes: object = None,
    mask: object = None,
) -> AttentionInputs:
    """Validate and normalise the shared attention arguments (see `attention`)."""
    q, k, v, lead = _check_qkv(q, k, v)
    n_q, n_k, d = q.shape[-2], k.shape[-2], q.shape[-1]
    bias_array, mask_array, lead = _check_bias_and_mask(bias, mask, lead)
    scores_shape = (*lead, n_q, n_k)
    bias_view = None
    if bias_array is not None:
        bias_view = _broadcastable("bias", bias_array, scores_shape, "the scores' shape")
    mask_view = None
    if mask_array is not None:
        mask_view = _broadcastable("mask", mask_array, scores_shape, "the scores' shape")
    slopes = _check_slopes(alibi_slopes, lead)
    scale = _check_scale(scale, d)
    arrays = [q, k, v] if bias_array is None else [q, k, v, bias_array]
    compute, out = _dtypes(*arrays)
    return AttentionInputs(
        q=q,
        k=k,
        v=v,
        lead=lead,
        scale=scale,
        causal=bool(causal),
        bias=bias_view,
        mask=mask_view,
        slopes=slopes,
        compute_dtype=compute,
        out_dtype=out,
    )


def _check_qkv(
    q: object, k: object, v: object
) -> tuple[np.ndarray, np.ndarray, np.ndarray, tuple[int, ...]]:
    """(q, k, v, lead) as arrays, their shapes agreeing: d_k, the number of keys, lead dims."""
    q = _as_float_array("q", q)
    k = _as_float_array("k", k)
    v = _as_float_array("v", v)
    for name, array in (("q", q), ("k", k), ("v", v)):
        if array.ndim < 2:
            raise ValueError(
                f"{name} has shape {array.shape}; expected (..., n, d) with at least 2 dims"
            )
    if q.shape[-1] != k.shape[-1]:
        raise ValueError(
            f"q has shape {q.shape} and k has shape {k.shape}: their last dims (d_k) must match"
        )
    if k.shape[-2] != v.shape[-2]:
        raise ValueError(
            f"k has shape {k.shape} and v has shape {v.shape}: "
            "they must have the same number of keys (dim -2)"
        )
    try:
        lead = np.broadcast_shapes(q.shape[:-2], k.shape[:-2], v.shape[:-2])
    except ValueError:
        raise ValueError(
            f"the leading (batch, head) dims of q {q.shape}, k {k.shape} and v {v.shape} "
            "do not broadcast together"
        ) from None
    return q, k, v, tuple(lead)


def _check_bias_and_mask(
    bias: object, mask: object, lead: tuple[int, ...]
) -> tuple[np.ndarray | None, np.ndarray | None, tuple[int, ...]]:
    """(bias, mask, lead): the arrays, and the lead dims widened by any of their own."""
    bias_array = None if bias is None else _as_float_array("bias", bias)
    mask_array = None
    if mask is not None:
        mask_array = np.asarray(mask)
        if mask_array.dtype != np.bool_:
            raise ValueError(
                f"mask has dtype {mask_array.dtype}; expected booleans (True = may attend)"
            )
    # A bias or mask may carry leading dims of its own (one bias per head on shared q, k).
    for name, array in (("bias", bias_array), ("mask", mask_array)):
        if array is None:
            continue
        try:
            lead = np.broadcast_shapes(lead, array.shape[:-2])
        except ValueError:
            raise ValueError(
                f"{name} has shape {array.shape}, whose leading dims do not broadcast with "
                f"the leading dims {lead} of q, k, v"
            ) from None
    return bias_array, mask_array, tuple(lead)


def _check_slopes(alibi_slopes: object, lead: tuple[int, ...]) -> np.ndarray | None:
    """(*lead,) float64 ALiBi slopes, one per head, or None."""
    if alibi_slopes is None:
        return None
    slopes = _as_float_array("alibi_slopes", alibi_slopes)
    if not lead and slopes.size == 1:
        slopes = slopes.reshape(())  # one head, no head dim
    if slopes.ndim > len(lead) or (slopes.ndim == 0 and lead):
        raise ValueError(
            f"alibi_slopes has shape {slopes.shape}; expected one slope per head, "
            f"matching the leading dims {lead} of q, k, v"
        )
    return _broadcastable("alibi_slopes", slopes.astype(np.float64), lead, "the leading dims")


def _check_scale(scale: float | None, d: int) -> float:
    """`scale` as a finite float; 1/√d when None."""
    if scale is None:
        scale = 1.0 / math.sqrt(d) if d > 0 else 1.0
    scale = float(scale)
    if not math.isfinite(scale):
        raise ValueError(f"scale must be a finite number, got {scale}")
    return scale
