"""The GPU backend's Python side, on a CPU: probing, fallback, dispatch, padding, launches.

CuPy is replaced by `fake_cupy.FakeCupy` (NumPy underneath, kernels computed by
the float64 reference after the launch is checked against the .cu signature),
so these run everywhere. The CUDA code itself is tested in test_gpu.py, which
needs a GPU.
"""

from __future__ import annotations

import logging
import sys

import numpy as np
import pytest

from game.attention import attention, backends, functional, gpu
from game.attention.gpu.kernels import FLASH_VARIANTS, ROW_VARIANTS, padded_head_dim
from game.attention.inputs import prepare
from game.attention.reference import reference_attention
from game.plugins import Registry
from tests.attention.fake_cupy import FakeCupy, kernel_parameters
from tests.attention.gpu_reference import bf16_bits, bf16_values

NO_PLUGINS = Registry()  # the built-in backends only: these tests are about "cupy"


@pytest.fixture
def fresh_probe(monkeypatch):
    """Forget what earlier tests learned about the GPU, before and after this one."""
    monkeypatch.delenv(gpu.DISABLE_ENV, raising=False)
    for cached in (gpu._probe, gpu._log_unusable, functional._log_gpu_failure):
        cached.cache_clear()
    yield
    for cached in (gpu._probe, gpu._log_unusable, functional._log_gpu_failure):
        cached.cache_clear()


@pytest.fixture
def fake_cupy(monkeypatch, fresh_probe):
    fake = FakeCupy()
    monkeypatch.setitem(sys.modules, "cupy", fake)
    return fake


@pytest.fixture
def no_cupy(monkeypatch, fresh_probe):
    monkeypatch.setitem(sys.modules, "cupy", None)  # `import cupy` raises ImportError


def _random(rng, shape, dtype):
    return rng.standard_normal(shape).astype(dtype)


def _relative_error(out, expected):
    out = np.asarray(out, dtype=np.float64)
    return float(np.max(np.abs(out - expected))) / max(1.0, float(np.max(np.abs(expected))))


# ---- probing and fallback --------------------------------------------------------


def test_without_cupy_the_gpu_is_unusable_with_one_logged_line(no_cupy, caplog):
    caplog.set_level(logging.INFO, logger="switchyard")
    assert not gpu.usable()
    assert not gpu.usable()
    assert backends(NO_PLUGINS) == ["reference", "tiled"]
    assert "CuPy is not installed" in gpu.unusable_reason()
    lines = [r.getMessage() for r in caplog.records if "not the GPU" in r.getMessage()]
    assert len(lines) == 1 and "CuPy is not installed" in lines[0]


def test_auto_runs_the_tiled_kernel_without_a_gpu(no_cupy):
    rng = np.random.default_rng(1)
    q, k, v = (_random(rng, (3, 17, 8), np.float32) for _ in range(3))
    out = attention(q, k, v, causal=True, backend="auto")
    expected, _ = reference_attention(prepare(q, k, v, causal=True))
    assert _relative_error(out, expected) < 1e-6


def test_asking_for_cupy_without_a_gpu_says_why(no_cupy):
    x = np.ones((2, 4))
    with pytest.raises(ValueError, match="'cupy' backend cannot run here: CuPy is not installed"):
        attention(x, x, x, backend="cupy")


def test_the_off_switch_skips_probing_entirely(fake_cupy, monkeypatch):
    monkeypatch.setenv(gpu.DISABLE_ENV, "1")
    assert not gpu.usable()
    assert gpu.DISABLE_ENV in gpu.unusable_reason()
    assert fake_cupy.compiles == 0


def test_a_working_gpu_is_listed_and_self_checked(fake_cupy):
    assert gpu.usable()
    assert backends(NO_PLUGINS) == ["reference", "tiled", "cupy"]
    assert gpu.device_name() == "Fake GPU (NumPy)"
    assert fake_cupy.compiles == 1  # one module, every variant in it
    assert fake_cupy.launches("flash_forward") >= 2 and fake_cupy.launches("attention_rows") >= 2


def test_kernels_that_disagree_with_numpy_are_not_used(fake_cupy, caplog):
    fake_cupy.corrupt = True
    caplog.set_level(logging.INFO, logger="switchyard")
    assert not gpu.usable()
    assert "disagrees with the NumPy reference" in gpu.unusable_reason()
    x = np.random.default_rng(2).standard_normal((4, 4))
    expected, _ = reference_attention(prepare(x, x, x))
    assert _relative_error(attention(x, x, x), expected) < 1e-12  # auto went to NumPy


def test_a_device_without_tensor_cores_still_runs_float16_on_the_row_kernel(
    monkeypatch, fresh_probe
):
    fake = FakeCupy(compute_capability="75")
    monkeypatch.setitem(sys.modules, "cupy", fake)
    assert gpu.usable()
    rng = np.random.default_rng(3)
    q, k, v = (_random(rng, (2, 33, 64), np.float16) for _ in range(3))
    before = fake.launches("flash_forward")
    out = attention(q, k, v, backend="cupy")
    assert fake.launches("flash_forward") == before == 0
    expected, _ = reference_attention(prepare(q, k, v))
    assert out.dtype == np.float16 and _relative_error(out, expected) < 2e-3


def test_a_failing_launch_under_auto_falls_back_with_one_warning(fake_cupy, caplog):
    assert gpu.usable()
    fake_cupy.fail = RuntimeError("cudaErrorMemoryAllocation: out of memory")
    caplog.set_level(logging.WARNING, logger="switchyard")
    rng = np.random.default_rng(4)
    q, k, v = (_random(rng, (2, 9, 8), np.float64) for _ in range(3))
    expected, _ = reference_attention(prepare(q, k, v))
    for _ in range(2):
        assert _relative_error(attention(q, k, v, backend="auto"), expected) < 1e-12
    warnings = [r.getMessage() for r in caplog.records if "GPU failed" in r.getMessage()]
    assert len(warnings) == 1 and "out of memory" in warnings[0]
    with pytest.raises(RuntimeError, match="out of memory"):
        attention(q, k, v, backend="cupy")  # asked for by name: the error is the caller's


# ---- dispatch and the arguments each kernel gets ------------------------------------


FLOAT16_CASES = [
    # (lead_q, lead_k, n_q, n_k, d, causal, alibi)
    ((), (), 1, 1, 64, False, False),
    ((2,), (2,), 17, 17, 64, True, False),
    ((3,), (3,), 113, 239, 128, True, True),
    ((2, 3), (3,), 40, 17, 96, True, False),  # n_q > n_k: early rows see nothing
    ((1,), (1,), 65, 65, 1, False, True),  # d = 1 pads to 64
    ((2,), (2,), 30, 30, 33, False, False),
]


@pytest.mark.parametrize(("lead_q", "lead_k", "n_q", "n_k", "d", "causal", "alibi"), FLOAT16_CASES)
def test_float16_goes_to_the_tensor_core_kernel_padded_to_64_or_128(
    fake_cupy, lead_q, lead_k, n_q, n_k, d, causal, alibi
):
    rng = np.random.default_rng(n_q * 1000 + d)
    q = _random(rng, (*lead_q, n_q, d), np.float16)
    k = _random(rng, (*lead_k, n_k, d), np.float16)
    v = _random(rng, (*lead_k, n_k, d), np.float16)
    lead = np.broadcast_shapes(lead_q, lead_k)
    slopes = rng.uniform(0.1, 1.0, lead) if alibi else None
    assert gpu.usable()
    before = fake_cupy.launches("flash_forward")
    out = attention(q, k, v, causal=causal, alibi_slopes=slopes, backend="cupy")
    assert fake_cupy.launches("flash_forward") == before + 1
    assert f"Fp16, {padded_head_dim(d)}," in fake_cupy.log[-1]
    expected, _ = reference_attention(prepare(q, k, v, causal=causal, alibi_slopes=slopes))
    assert out.shape == (*lead, n_q, d) and out.dtype == np.float16
    assert _relative_error(out, expected) < 2e-3


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_boards_with_masks_and_biases_go_to_the_row_kernel(fake_cupy, dtype):
    rng = np.random.default_rng(5)
    q = _random(rng, (2, 3, 7, 5), dtype)
    k = _random(rng, (2, 3, 9, 5), dtype)
    v = _random(rng, (2, 3, 9, 4), dtype)  # d_v differs from d
    mask = rng.random((7, 9)) < 0.6
    mask[2] = False  # a fully masked row
    bias = rng.standard_normal((3, 7, 9)).astype(dtype)  # per head
    slopes = np.array([0.5, 0.25, 0.125])
    assert gpu.usable()
    before = fake_cupy.launches("attention_rows")
    out = attention(q, k, v, causal=True, mask=mask, bias=bias, alibi_slopes=slopes, backend="cupy")
    assert fake_cupy.launches("attention_rows") == before + 1
    expected, _ = reference_attention(
        prepare(q, k, v, causal=True, mask=mask, bias=bias, alibi_slopes=slopes)
    )
    assert out.dtype == dtype
    assert _relative_error(out, expected) < (1e-5 if dtype == np.float32 else 1e-12)
    assert np.all(out[..., 2, :] == 0)


def test_float16_with_a_mask_runs_in_float32_on_the_row_kernel(fake_cupy):
    rng = np.random.default_rng(6)
    q, k, v = (_random(rng, (2, 11, 64), np.float16) for _ in range(3))
    mask = rng.random((11, 11)) < 0.5
    assert gpu.usable()
    before = fake_cupy.launches("flash_forward")
    out = attention(q, k, v, mask=mask, backend="cupy")
    assert fake_cupy.launches("flash_forward") == before
    assert out.dtype == np.float16
    assert _relative_error(out, reference_attention(prepare(q, k, v, mask=mask))[0]) < 2e-3


def test_head_dims_past_512_are_refused_by_name_and_computed_on_the_cpu_by_auto(fake_cupy):
    rng = np.random.default_rng(7)
    q, k, v = (_random(rng, (3, 600), np.float32) for _ in range(3))
    with pytest.raises(gpu.GpuUnavailable, match="larger than the GPU kernels take"):
        attention(q, k, v, backend="cupy")
    expected, _ = reference_attention(prepare(q, k, v))
    assert _relative_error(attention(q, k, v, backend="auto"), expected) < 1e-6


@pytest.mark.parametrize("n_k", [0, 5])
def test_empty_problems_need_no_launch(fake_cupy, n_k):
    assert gpu.usable()
    q = np.ones((0, 4, 8))
    k = v = np.ones((0, n_k, 8))
    before = fake_cupy.launches()
    out = attention(q, k, v, backend="cupy")
    assert out.shape == (0, 4, 8)
    assert fake_cupy.launches() == before


def test_no_keys_at_all_gives_zeros_and_minus_infinity_lse(fake_cupy):
    out, lse = gpu.forward(prepare(np.ones((3, 4)), np.ones((0, 4)), np.ones((0, 2))))
    assert np.all(out == 0) and out.shape == (3, 2)
    assert np.all(lse == -np.inf)


def test_flash_forward_returns_lse_and_takes_bfloat16_bits(fake_cupy):
    rng = np.random.default_rng(8)
    q, k, v = (rng.standard_normal((2, 50, 128)).astype(np.float32) for _ in range(3))
    out, lse = gpu.flash_forward(bf16_bits(q), bf16_bits(k), bf16_bits(v), bfloat16=True)
    assert out.dtype == np.uint16 and lse.dtype == np.float32
    inputs = prepare(*(bf16_values(bf16_bits(x)).astype(np.float64) for x in (q, k, v)))
    expected, _ = reference_attention(inputs)
    assert _relative_error(bf16_values(out), expected) < 1e-2
    logits = np.einsum("hqd,hkd->hqk", *(x.astype(np.float64) for x in (inputs.q, inputs.k)))
    logits *= inputs.scale
    top = logits.max(-1)
    np.testing.assert_allclose(lse, top + np.log(np.exp(logits - top[..., None]).sum(-1)), 1e-5)
    with pytest.raises(ValueError, match="takes uint16"):
        gpu.flash_forward(q, k, v, bfloat16=True)


def test_flash_forward_refuses_unequal_head_dims(fake_cupy):
    x = np.ones((4, 64), np.float16)
    with pytest.raises(ValueError, match="d_k = d_v"):
        gpu.flash_forward(x, x, np.ones((4, 32), np.float16))


# ---- the kernel source and its variants --------------------------------------------


def test_every_variant_fits_in_shared_memory_with_room_for_two_blocks():
    assert {(c.dtype, c.d) for c in FLASH_VARIANTS} == {
        (dtype, d) for dtype in ("float16", "bfloat16") for d in (64, 128)
    }
    for config in FLASH_VARIANTS:
        assert 2 * config.shared_bytes <= 227 * 1024, config  # an H100 SM's shared memory
    names = [c.name for c in FLASH_VARIANTS] + list(ROW_VARIANTS)
    assert len(names) == len(set(names))


def test_the_launch_arguments_match_the_kernel_signatures():
    assert kernel_parameters("flash_forward") == [
        "q", "k", "v", "out", "lse", "slopes", "n_q", "n_k", "scale", "causal",
    ]  # fmt: skip
    assert kernel_parameters("attention_rows") == [
        "q", "k", "v", "bias", "slopes", "out", "lse",
        "rows", "n_q", "n_k", "d", "d_v", "scale", "causal",
    ]  # fmt: skip


def test_a_cupy_that_fails_to_load_is_reported_as_such(monkeypatch, fresh_probe):
    class Broken(FakeCupy):
        def __getattribute__(self, name):
            raise OSError("libcudart.so.12: cannot open shared object file")

    # The import succeeds but the first use fails, as with a CuPy built for another CUDA.
    monkeypatch.setitem(sys.modules, "cupy", Broken())
    assert not gpu.usable()
    assert gpu.unusable_reason().startswith("the GPU could not run the attention kernels")
