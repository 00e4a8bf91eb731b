"""What the GPU kernels are checked against: the float64 answer (out, lse, which rows
see a key), inputs the 16-bit kernels hold exactly, and the row kernel's test case.

Shared by the GPU tests (test_gpu.py), the emulator tests (test_gpu_emulated.py)
and the NumPy stand-in for CuPy (fake_cupy.py), so all three hold the kernels
to the same numbers.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

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


def bf16_bits(x: np.ndarray) -> np.ndarray:
    """float32 → bfloat16 bit patterns (uint16), rounding to nearest even."""
    bits = np.ascontiguousarray(x, dtype=np.float32).view(np.uint32)
    rounded = bits + np.uint32(0x7FFF) + ((bits >> np.uint32(16)) & np.uint32(1))
    return (rounded >> np.uint32(16)).astype(np.uint16)


def bf16_values(bits: np.ndarray) -> np.ndarray:
    """bfloat16 bit patterns (uint16) → float32."""
    return (np.asarray(bits).astype(np.uint32) << np.uint32(16)).view(np.float32)


def representable_inputs(rng, bh, n_q, n_k, d, dtype):
    """Random (q, k, v) of unit scale, exactly representable in `dtype` (as float32 arrays)."""
    q, k, v = (rng.standard_normal((bh, n, d)).astype(np.float32) for n in (n_q, n_k, n_k))
    if dtype == "bfloat16":
        return tuple(bf16_values(bf16_bits(x)) for x in (q, k, v))
    return tuple(x.astype(np.float16).astype(np.float32) for x in (q, k, v))


@dataclass(frozen=True)
class RowKernelCase:
    """The row kernel's test: causal, ALiBi, a bias with −inf holes, row 0 fully masked."""

    q: np.ndarray  # (bh, n_q, d)
    k: np.ndarray  # (bh, n_k, d)
    v: np.ndarray  # (bh, n_k, d_v)
    bias: np.ndarray  # (bh, n_q, n_k)
    slopes: np.ndarray  # (bh,)
    scale: float


def row_kernel_case(dtype, n_q, n_k, d, d_v, bh=3) -> RowKernelCase:
    rng = np.random.default_rng([n_q, n_k, d])
    q = rng.standard_normal((bh, n_q, d)).astype(dtype)
    k = rng.standard_normal((bh, n_k, d)).astype(dtype)
    v = rng.standard_normal((bh, n_k, d_v)).astype(dtype)
    bias = rng.standard_normal((bh, n_q, n_k)).astype(dtype)
    bias[rng.random(bias.shape) < 0.3] = -np.inf
    bias[:, 0, :] = -np.inf  # row 0 fully masked
    slopes = rng.uniform(0.1, 1, bh).astype(dtype)
    return RowKernelCase(q, k, v, bias, slopes, 1 / math.sqrt(d))


def check_row_kernel(case: RowKernelCase, out: np.ndarray, lse: np.ndarray) -> None:
    """Every output written; out within 1e-5 (fp32) or 1e-12 (fp64) of max |out|; lse too."""
    expected, expected_lse, visible = reference_with_lse(
        case.q, case.k, case.v, causal=True, scale=case.scale, slopes=case.slopes, bias=case.bias
    )
    assert not np.isnan(out).any() and not np.isnan(lse).any()
    tolerance = 1e-5 if case.q.dtype == np.float32 else 1e-12
    scale_out = max(1.0, float(np.max(np.abs(expected))))
    assert np.max(np.abs(out - expected)) / scale_out < tolerance
    assert np.all(out[:, 0] == 0) and np.all(lse[:, 0] == -np.inf)
    np.testing.assert_allclose(lse[visible], expected_lse[visible], rtol=10 * tolerance)
