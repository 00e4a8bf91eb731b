"""The CUDA kernels' own code, run on the CPU by the emulator in tests/attention/emulator.

flash_attention.cu is compiled as C++ with its PTX wrappers (ldmatrix,
mma.sync, cp.async, cvt, ex2) replaced by warp-collective C++ of the same
semantics, and every thread of a block runs as a fiber. This checks what a
GPU would otherwise be needed for: fragment layouts, swizzles, the cp.async
double buffer (copies land at the latest moment the PTX rules allow), causal
and ragged masking, ALiBi, the online softmax and the epilogue. It cannot
check timing, races or the hardware's exact mma rounding: test_gpu.py does,
on a GPU.

Tolerances against the float64 reference (max |error|): fp16 4e-3 and bf16
3e-2 for inputs of unit scale (P and the output are rounded to 16 bits);
the fp32 row kernel 1e-5 and the fp64 one 1e-12, relative to max |out|.
Outputs start as NaN; every element must be written.
"""

from __future__ import annotations

import ctypes
import math
import shutil
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from game.attention import attention, gpu
from game.attention.gpu.kernels import (
    FLASH_VARIANTS,
    ROW_PER_LANE,
    SOURCE_PATH,
    default_flash_config,
    row_per_lane,
)
from game.attention.inputs import prepare
from game.attention.reference import reference_attention
from tests.attention.fake_cupy import FakeCupy
from tests.attention.gpu_reference import (
    bf16_bits,
    bf16_values,
    check_row_kernel,
    reference_with_lse,
    representable_inputs,
    row_kernel_case,
)

EMULATOR = Path(__file__).with_name("emulator")
CXX = shutil.which("g++") or shutil.which("c++")
TOLERANCE = {"float16": 4e-3, "bfloat16": 3e-2}

pytestmark = [
    pytest.mark.slow,  # compiles the kernel as C++ and runs every warp as fibers
    pytest.mark.skipif(CXX is None, reason="needs a C++ compiler (g++)"),
]


def build(source: Path, out: Path) -> ctypes.CDLL:
    """Compile `source` (a flash_attention.cu) into the emulator and load it."""
    result = subprocess.run(
        [CXX, "-std=c++20", "-O1", "-shared", "-fPIC", "-Wno-unknown-pragmas",
         f"-I{EMULATOR}", f'-DSWITCHYARD_SOURCE="{source}"', str(EMULATOR / "driver.cpp"),
         "-o", str(out)],
        capture_output=True,
        text=True,
        timeout=300,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr[-4000:]
    library = ctypes.CDLL(str(out))
    pointer, integer = ctypes.c_void_p, ctypes.c_int
    library.emulate_flash.argtypes = (
        [integer] * 5
        + [pointer] * 6
        + [integer] * 3
        + [
            ctypes.c_float,
            integer,
        ]
    )
    library.emulate_rows.argtypes = (
        [integer] * 2
        + [pointer] * 7
        + [integer] * 5
        + [
            ctypes.c_double,
            integer,
        ]
    )
    return library


@pytest.fixture(scope="module")
def emulated(tmp_path_factory):
    return build(SOURCE_PATH, tmp_path_factory.mktemp("emulator") / "emulated.so")


def _address(array: np.ndarray | None) -> int | None:
    return None if array is None else array.ctypes.data


def run_flash(library, config, q, k, v, *, causal, scale, slopes=None):
    """One emulated launch of a tensor-core variant; (out, lse) as float64."""
    bh, n_q, d = q.shape
    n_k = k.shape[1]
    bf16 = config.dtype == "bfloat16"
    q, k, v = (
        np.ascontiguousarray(bf16_bits(x) if bf16 else x.astype(np.float16)) for x in (q, k, v)
    )
    out = np.full((bh, n_q, d), 0x7FC0 if bf16 else np.nan, dtype=q.dtype)  # poisoned
    lse = np.full((bh, n_q), np.nan, dtype=np.float32)
    slopes = None if slopes is None else np.ascontiguousarray(slopes, dtype=np.float32)
    status = library.emulate_flash(
        int(bf16), config.d, config.warps, config.row_tiles, config.block_n,
        _address(q), _address(k), _address(v), _address(out), _address(lse), _address(slopes),
        bh, n_q, n_k, scale, int(causal),
    )  # fmt: skip
    assert status == 0, {1: "no such variant", 2: "deadlock at a barrier"}.get(status, status)
    out = bf16_values(out) if bf16 else out
    return out.astype(np.float64), lse.astype(np.float64)


def check_flash(library, config, bh, n_q, n_k, *, causal, alibi, seed):
    rng = np.random.default_rng(seed)
    q, k, v = representable_inputs(rng, bh, n_q, n_k, config.d, config.dtype)
    scale = 1 / math.sqrt(config.d)
    slopes = rng.uniform(0.05, 0.5, bh) if alibi else None
    out, lse = run_flash(library, config, q, k, v, causal=causal, scale=scale, slopes=slopes)
    expected, expected_lse, visible = reference_with_lse(
        q, k, v, causal=causal, scale=scale, slopes=slopes
    )
    assert not np.isnan(out).any() and not np.isnan(lse).any(), "an output was never written"
    error = float(np.max(np.abs(out - expected), initial=0.0))
    assert error < TOLERANCE[config.dtype], (config, n_q, n_k, causal, alibi, error)
    assert np.all(out[~visible] == 0) and np.all(lse[~visible] == -np.inf)
    np.testing.assert_allclose(lse[visible], expected_lse[visible], rtol=0, atol=1e-4)


DEFAULTS = [default_flash_config(dtype, d) for dtype in ("float16", "bfloat16") for d in (64, 128)]


@pytest.mark.parametrize("config", FLASH_VARIANTS, ids=lambda c: c.name.split("<")[1][:-1])
@pytest.mark.parametrize("causal", [False, True])
def test_every_variant_on_a_ragged_problem(emulated, config, causal):
    """n_q, n_k not multiples of any block; fewer queries than keys."""
    check_flash(emulated, config, 2, 37, 70, causal=causal, alibi=False, seed=len(config.name))


@pytest.mark.parametrize("config", DEFAULTS, ids=lambda c: c.name.split("<")[1][:-1])
@pytest.mark.parametrize(
    ("n_q", "n_k", "causal", "alibi"),
    [
        (1, 1, False, False),
        (17, 17, True, True),
        (113, 113, True, False),
        (239, 239, False, True),
        (17, 239, True, True),  # a decoder step over a cache: bottom-right causal
        (239, 17, True, False),  # more queries than keys: early rows see nothing
    ],
)
def test_the_issue_shapes_causal_and_alibi(emulated, config, n_q, n_k, causal, alibi):
    check_flash(emulated, config, 2, n_q, n_k, causal=causal, alibi=alibi, seed=n_q * 7 + n_k)


def test_a_thousand_tokens_cross_many_key_blocks(emulated):
    config = next(c for c in DEFAULTS if c.dtype == "float16" and c.d == 64)
    check_flash(emulated, config, 1, 1023, 1023, causal=True, alibi=True, seed=1023)


def test_scores_that_climb_across_key_blocks_rescale_the_running_output(emulated):
    """Each key block scores higher than the last, so m moves at every block."""
    config = next(c for c in DEFAULTS if c.dtype == "float16" and c.d == 64)
    n = 200
    q = np.zeros((1, 5, 64), np.float32)
    q[..., 0] = 1.0
    k = np.zeros((1, n, 64), np.float32)
    k[0, :, 0] = np.linspace(0, 60, n).astype(np.float16)  # scores rise from 0 to 60
    v = np.random.default_rng(3).standard_normal((1, n, 64)).astype(np.float16).astype(np.float32)
    out, _ = run_flash(emulated, config, q, k, v, causal=False, scale=1.0)
    expected, _, _ = reference_with_lse(q, k, v, causal=False, scale=1.0)
    assert np.max(np.abs(out - expected)) < TOLERANCE["float16"]


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize(
    ("n_q", "n_k", "d", "d_v"), [(1, 1, 1, 1), (17, 23, 5, 7), (9, 40, 130, 40)]
)
def test_row_kernel_with_bias_mask_alibi_and_fully_masked_rows(emulated, dtype, n_q, n_k, d, d_v):
    case = row_kernel_case(dtype, n_q, n_k, d, d_v)
    bh = case.q.shape[0]
    out = np.full((bh, n_q, d_v), np.nan, dtype=dtype)
    lse = np.full((bh, n_q), np.nan, dtype=dtype)
    status = emulated.emulate_rows(
        int(dtype == np.float64), row_per_lane(d, d_v),
        *(_address(x) for x in (case.q, case.k, case.v, case.bias, case.slopes, out, lse)),
        bh, n_q, n_k, d, d_v, case.scale, 1,
    )  # fmt: skip
    assert status == 0
    check_row_kernel(case, out, lse)
    assert row_per_lane(d, d_v) in ROW_PER_LANE


UNSWIZZLED = (
    "__device__ __forceinline__ int swizzle(int row, int chunk) {",
    "__device__ __forceinline__ int unswizzled(int row, int chunk) {\n"
    "  return row * D + chunk * 8;\n"
    "}\n"
    "template <int D>\n"
    "__device__ __forceinline__ int swizzle(int row, int chunk) {",
)
MUTANTS = {
    # V read without the transpose: a fragment-layout bug.
    "layout": [("ldmatrix_x4_trans(b, v_tile", "ldmatrix_x4(b, v_tile")],
    # Waiting for all but two copy groups: K/V read before they have landed.
    "pipeline": [
        (
            "cp_async_wait<1>();  // block's K/V have landed",
            "cp_async_wait<2>();  // block's K/V have landed",
        )
    ],
    # K read without the swizzle it was written with: the wrong chunks.
    "swizzle": [
        UNSWIZZLED,
        ("ldmatrix_x4(b, k_tile + swizzle<D>(", "ldmatrix_x4(b, k_tile + unswizzled<D>("),
    ],
}


def mutate(tmp_path: Path, replacements: list[tuple[str, str]]) -> Path:
    """A copy of the kernel source with each (old, new) replaced; each old must occur once."""
    source = SOURCE_PATH.read_text(encoding="utf-8")
    for old, new in replacements:
        assert source.count(old) == 1, f"{old!r} no longer matches the kernel source"
        source = source.replace(old, new)
    mutated = tmp_path / "flash_attention.cu"
    mutated.write_text(source, encoding="utf-8")
    return mutated


@pytest.mark.parametrize("mutant", sorted(MUTANTS))
def test_the_emulator_catches_a_planted_bug(tmp_path, mutant):
    """The checks above can fail: each planted bug gives wrong numbers in the emulator."""
    library = build(mutate(tmp_path, MUTANTS[mutant]), tmp_path / "mutant.so")
    config = next(c for c in DEFAULTS if c.dtype == "float16" and c.d == 64)
    with pytest.raises(AssertionError):
        check_flash(library, config, 2, 37, 150, causal=False, alibi=False, seed=5)


def test_end_to_end_through_the_backend_with_the_emulated_kernels(emulated, monkeypatch):
    """attention(..., backend="cupy"): probe, self-check, padding and dispatch, real kernel code."""
    fake = FakeCupy(emulator=emulated)
    monkeypatch.setitem(sys.modules, "cupy", fake)
    monkeypatch.delenv(gpu.DISABLE_ENV, raising=False)
    gpu._probe.cache_clear()
    try:
        assert gpu.unusable_reason() is None  # the self-check ran on the emulated kernels
        rng = np.random.default_rng(12)
        q = rng.standard_normal((2, 3, 45, 40)).astype(np.float16)  # d = 40 pads to 64
        k = rng.standard_normal((3, 60, 40)).astype(np.float16)  # broadcast over the batch
        v = rng.standard_normal((3, 60, 40)).astype(np.float16)
        slopes = np.array([0.5, 0.25, 0.125])
        out = attention(q, k, v, causal=True, alibi_slopes=slopes, backend="cupy")
        expected, _ = reference_attention(prepare(q, k, v, causal=True, alibi_slopes=slopes))
        assert out.dtype == np.float16 and out.shape == (2, 3, 45, 40)
        assert np.max(np.abs(out - expected)) < TOLERANCE["float16"]
        assert "Fp16, 64," in fake.log[-1]
        board = rng.standard_normal((4, 6, 8))  # float64 with a mask: the row kernel
        mask = rng.random((6, 6)) < 0.7
        out = attention(board, board, board, mask=mask, backend="cupy")
        expected, _ = reference_attention(prepare(board, board, board, mask=mask))
        assert np.max(np.abs(out - expected)) < 1e-12
        assert "attention_rows<double" in fake.log[-1]
    finally:
        gpu._probe.cache_clear()


def _bank_conflicts(library) -> tuple[int, int]:
    phases, conflicted = ctypes.c_longlong(), ctypes.c_longlong()
    library.emulator_bank_conflicts(ctypes.byref(phases), ctypes.byref(conflicted))
    return phases.value, conflicted.value


def test_the_swizzle_keeps_every_ldmatrix_free_of_bank_conflicts(emulated, tmp_path):
    """Rows of 128 or 256 bytes all start in bank 0: unswizzled, ldmatrix would serialise 8×."""
    configs = [c for c in DEFAULTS if c.dtype == "float16"]
    _bank_conflicts(emulated)
    for config in configs:
        check_flash(emulated, config, 1, 40, 90, causal=True, alibi=False, seed=9)
    phases, conflicted = _bank_conflicts(emulated)
    assert phases > 0 and conflicted == 0

    # The same kernel with the swizzle taken out everywhere: still right, but conflicted.
    plain = mutate(
        tmp_path,
        [("return row * D + ((chunk ^ (row & 7)) << 3);", "return row * D + (chunk << 3);")],
    )
    library = build(plain, tmp_path / "plain.so")
    _bank_conflicts(library)
    for config in configs:
        check_flash(library, config, 1, 40, 90, causal=True, alibi=False, seed=9)
    phases, conflicted = _bank_conflicts(library)
    assert conflicted == phases > 0
