"""The CUDA kernels on a real GPU, against the float64 NumPy reference.

Skipped where CuPy or a CUDA device is missing (CI has neither). The kernels
are called directly, not through `gpu.usable()`, so a kernel that fails its
self-check fails here instead of being skipped.

Tolerances:
  - fp16/bf16 tensor-core kernel: max |error| at most 2× that of a plain
    fp16 CuPy softmax(q·kᵀ)·v on the same inputs (FlashAttention's own test
    rule), bf16 likewise against a plain bf16-rounded computation;
  - fp32 row kernel: 1e-5 relative to max |out|; fp64 row kernel: 1e-12.
Outputs are poisoned with NaN before every launch, and every element must be
written.
"""

from __future__ import annotations

import math
import zlib

import numpy as np
import pytest

from game.attention.gpu.kernels import FLASH_VARIANTS, Kernels, default_flash_config
from tests.attention.gpu_reference import (
    bf16_bits,
    bf16_values,
    check_row_kernel,
    reference_with_lse,
    representable_inputs,
    row_kernel_case,
)


def _device_count() -> int:
    try:
        import cupy

        return cupy.cuda.runtime.getDeviceCount()
    except Exception:  # no CuPy, no driver, no device: all mean "skip"
        return 0


pytestmark = [
    pytest.mark.gpu,
    pytest.mark.skipif(_device_count() == 0, reason="needs CuPy and a CUDA device"),
]


@pytest.fixture(scope="module")
def cp():
    import cupy

    return cupy


@pytest.fixture(scope="module")
def kernels(cp):
    return Kernels(cp)


def _plain_fp16(cp, q, k, v, *, causal, scale, slopes=None):
    """softmax(q·kᵀ)·v written plainly in fp16 CuPy: the error budget's yardstick."""
    q, k, v = (cp.asarray(x, dtype=cp.float16) for x in (q, k, v))
    n_q, n_k = q.shape[-2], k.shape[-2]
    s = (q @ k.swapaxes(-1, -2)) * cp.float16(scale)  # (bh, n_q, n_k)
    i = cp.arange(n_q)[:, None] + (n_k - n_q)
    j = cp.arange(n_k)[None, :]
    if slopes is not None:
        s = s - (cp.asarray(slopes)[:, None, None] * (i - j)).astype(cp.float16)
    if causal:
        s = cp.where(j <= i, s, cp.float16(-cp.inf))
    s = s - s.max(axis=-1, keepdims=True)
    p = cp.exp(s)
    p = p / p.sum(axis=-1, keepdims=True)
    return cp.asnumpy(p @ v).astype(np.float64)  # NaN in rows with no visible key


def _flash(cp, kernels, config, q, k, v, *, causal, scale, slopes=None):
    """Launch one variant on host arrays, outputs poisoned; returns (out, lse) on the host."""
    storage = cp.uint16 if config.dtype == "bfloat16" else cp.float16
    if storage == cp.uint16:  # bfloat16 travels as its bit patterns
        q_d, k_d, v_d = (cp.asarray(bf16_bits(x)) for x in (q, k, v))
    else:
        q_d, k_d, v_d = (cp.asarray(x, dtype=storage) for x in (q, k, v))
    bh, n_q, _ = q.shape
    out = cp.full((bh, n_q, config.d), 0x7FC0 if storage == cp.uint16 else cp.nan, dtype=storage)
    lse = cp.full((bh, n_q), cp.nan, dtype=cp.float32)
    slopes_d = None if slopes is None else cp.asarray(slopes, dtype=cp.float32)
    kernels.flash(config, q_d, k_d, v_d, out, lse, slopes_d, scale=scale, causal=causal)
    cp.cuda.Device().synchronize()
    out = cp.asnumpy(out)
    if storage == cp.uint16:
        out = bf16_values(out)
    return out.astype(np.float64), cp.asnumpy(lse).astype(np.float64)


def _inputs(rng, bh, n_q, n_k, d, dtype=np.float16):
    return tuple(
        rng.standard_normal((bh, n, d)).astype(np.float32).astype(dtype) for n in (n_q, n_k, n_k)
    )


SHAPES = [
    # (bh, n_q, n_k, d)
    (3, 1, 1, 64),
    (3, 17, 17, 64),
    (2, 113, 113, 128),
    (2, 239, 239, 64),
    (2, 1023, 1023, 128),
    (1, 4224, 4224, 64),
    (2, 17, 239, 128),  # fewer queries than keys: a decoder step over a cache
    (2, 239, 17, 64),  # more queries than keys: with causal, early rows see nothing
]


@pytest.mark.parametrize("alibi", [False, True])
@pytest.mark.parametrize("causal", [False, True])
@pytest.mark.parametrize(("bh", "n_q", "n_k", "d"), SHAPES)
def test_fp16_error_is_within_twice_plain_fp16(cp, kernels, bh, n_q, n_k, d, causal, alibi):
    rng = np.random.default_rng([bh, n_q, n_k, d, int(causal), int(alibi)])
    q, k, v = _inputs(rng, bh, n_q, n_k, d)
    scale = 1 / math.sqrt(d)
    slopes = rng.uniform(0.01, 0.5, bh) if alibi else None
    expected, expected_lse, visible = reference_with_lse(
        q, k, v, causal=causal, scale=scale, slopes=slopes
    )
    out, lse = _flash(
        cp, kernels, default_flash_config("float16", d), q, k, v,
        causal=causal, scale=scale, slopes=slopes,
    )  # fmt: skip
    assert not np.isnan(out).any() and not np.isnan(lse).any(), "an output was never written"
    plain = _plain_fp16(cp, q, k, v, causal=causal, scale=scale, slopes=slopes)
    budget = 2 * float(np.max(np.abs(plain[visible] - expected[visible]), initial=0.0))
    error = float(np.max(np.abs(out[visible] - expected[visible]), initial=0.0))
    assert error <= max(budget, 1e-6), (error, budget)
    assert np.all(out[~visible] == 0)  # rows that see no key give zeros
    assert np.all(lse[~visible] == -np.inf)
    np.testing.assert_allclose(lse[visible], expected_lse[visible], rtol=0, atol=2e-2)


@pytest.mark.parametrize("config", FLASH_VARIANTS, ids=lambda c: c.name.split("<")[1][:-1])
def test_every_variant_agrees_with_the_reference(cp, kernels, config):
    rng = np.random.default_rng(zlib.crc32(config.name.encode()))
    bh, n_q, n_k, d = 2, 301, 333, config.d
    q, k, v = representable_inputs(rng, bh, n_q, n_k, d, config.dtype)
    scale = 1 / math.sqrt(d)
    for causal in (False, True):
        expected, _, visible = reference_with_lse(q, k, v, causal=causal, scale=scale)
        out, _ = _flash(cp, kernels, config, q, k, v, causal=causal, scale=scale)
        tolerance = 2e-2 if config.dtype == "bfloat16" else 4e-3  # P rounds to bf16 / fp16
        assert np.max(np.abs(out - expected)[visible]) < tolerance, (config, causal)


def test_results_repeat_exactly(cp, kernels):
    """Two runs on the same inputs give identical bits: no race between warps or stages."""
    rng = np.random.default_rng(11)
    q, k, v = _inputs(rng, 4, 1500, 1500, 128)
    config = default_flash_config("float16", 128)
    first = _flash(cp, kernels, config, q, k, v, causal=True, scale=0.088)
    second = _flash(cp, kernels, config, q, k, v, causal=True, scale=0.088)
    assert np.array_equal(first[0], second[0]) and np.array_equal(first[1], second[1])


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize(
    ("n_q", "n_k", "d", "d_v"), [(1, 1, 1, 1), (17, 23, 5, 7), (64, 64, 130, 40)]
)
def test_row_kernel_with_bias_mask_and_fully_masked_rows(cp, kernels, dtype, n_q, n_k, d, d_v):
    case = row_kernel_case(dtype, n_q, n_k, d, d_v)
    out = cp.full((*case.q.shape[:2], d_v), cp.nan, dtype=dtype)
    lse = cp.full(case.q.shape[:2], cp.nan, dtype=dtype)
    kernels.rows(
        *(cp.asarray(x) for x in (case.q, case.k, case.v, case.bias, case.slopes)),
        out, lse, scale=case.scale, causal=True,
    )  # fmt: skip
    check_row_kernel(case, cp.asnumpy(out), cp.asnumpy(lse))


def test_the_self_check_passes_and_the_backend_is_listed():
    from game.attention import backends, gpu

    gpu._probe.cache_clear()
    assert gpu.unusable_reason() is None
    assert "cupy" in backends()
