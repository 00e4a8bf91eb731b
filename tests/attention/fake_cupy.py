"""A stand-in for CuPy, backed by NumPy, to test the GPU backend's Python side on a CPU.

Its "device arrays" are NumPy arrays and its kernels compute the contract of
game/attention/gpu/flash_attention.cu (out and lse, −inf bias as a mask,
bottom-right causal, ALiBi) with the float64 reference, or, given the CPU
emulator (tests/attention/emulator), run the kernels' own code. Before computing,
each launch is checked the way the GPU would reject it: the argument count
against the kernel's parameter list in the .cu source, the argument types,
a grid that covers every row, and the shared memory against the opt-in limit.
`empty` poisons what it allocates, so an output the launch did not write shows.

With the NumPy kernels this tests the Python side only; the CUDA code runs in
the emulator (test_gpu_emulated.py) and on a GPU (test_gpu.py).
"""

from __future__ import annotations

import re
import types
from dataclasses import dataclass, field

import numpy as np

from game.attention.gpu.kernels import SOURCE_PATH
from tests.attention.gpu_reference import bf16_bits, bf16_values, reference_with_lse

SHARED_MEMORY_OPT_IN = 227 * 1024  # an H100's per-block limit


def kernel_parameters(kernel: str) -> list[str]:
    """The parameter names of `kernel` as declared in flash_attention.cu."""
    source = SOURCE_PATH.read_text(encoding="utf-8")
    match = re.search(rf"\b{kernel}\((.*?)\)\s*{{", source, re.DOTALL)
    assert match, f"{kernel} not found in {SOURCE_PATH.name}"
    parameters = re.sub(r"//[^\n]*", "", match.group(1)).split(",")
    return [p.split()[-1].lstrip("*") for p in parameters]


def _is_null(argument: object) -> bool:
    return isinstance(argument, np.uint64) and int(argument) == 0


def _address(array: object) -> int | None:
    return None if _is_null(array) else array.ctypes.data


@dataclass
class FakeKernel:
    """One kernel of the fake module; logs every launch in the module's `log`."""

    name: str
    max_dynamic_shared_size_bytes: int = 48 * 1024
    corrupt: bool = False  # write wrong numbers (a broken kernel the self-check must catch)
    fail: Exception | None = None  # raise this on launch (a driver fault)
    log: list[str] = field(default_factory=list)  # the module's launches, in order
    emulator: object = None  # the emulated .cu (test_gpu_emulated.build), run instead of NumPy

    def __call__(self, grid, block, args, shared_mem=0):
        if self.fail is not None:
            raise self.fail
        self.log.append(self.name)
        kernel = self.name.split("<")[0].split("::")[-1]
        template = [x.strip() for x in self.name.split("<", 1)[1].rstrip(">").split(",")]
        expected = kernel_parameters(kernel)
        assert len(args) == len(expected), f"{kernel} takes {expected}, got {len(args)} arguments"
        assert shared_mem <= self.max_dynamic_shared_size_bytes, "shared memory over the limit"
        assert shared_mem <= SHARED_MEMORY_OPT_IN
        if kernel == "flash_forward":
            self._flash(grid, block, args, shared_mem, template)
        else:
            self._rows(grid, block, args, template)

    def _flash(self, grid, block, args, shared_mem, template):
        element, (d, warps, row_tiles, block_n) = template[0], (int(x) for x in template[1:])
        q, k, v, out, lse, slopes, n_q, n_k, scale, causal = args
        for x in (q, k, v, out):
            assert x.flags.c_contiguous and x.shape[-1] == d
            assert x.dtype == (np.float16 if element == "switchyard::Fp16" else np.uint16)
        assert isinstance(n_q, np.int32) and isinstance(n_k, np.int32)
        assert isinstance(scale, np.float32) and isinstance(causal, np.int32)
        bh = q.shape[0]
        assert q.shape == out.shape == (bh, n_q, d) and k.shape == v.shape == (bh, n_k, d)
        assert lse.shape == (bh, n_q) and lse.dtype == np.float32
        assert block == (32 * warps,)
        block_m = 16 * row_tiles * warps
        assert grid[1] == bh and grid[0] * block_m >= n_q > (grid[0] - 1) * block_m
        assert shared_mem == (block_m + 4 * block_n) * d * 2
        assert _is_null(slopes) or (slopes.dtype == np.float32 and slopes.shape == (bh,))
        if self.emulator is not None:  # the kernel's own code, on the CPU
            status = self.emulator.emulate_flash(
                int(element == "switchyard::Bf16"), d, warps, row_tiles, block_n,
                *(_address(x) for x in (q, k, v, out, lse, slopes)),
                bh, int(n_q), int(n_k), float(scale), int(causal),
            )  # fmt: skip
            assert status == 0, status
            return
        values = bf16_values if element == "switchyard::Bf16" else (lambda x: x)
        result, log_sum = self._reference(
            values(q),
            values(k),
            values(v),
            None,
            None if _is_null(slopes) else slopes,
            float(scale),
            bool(causal),
        )
        if self.corrupt:
            result = result + 1.0
        out[...] = bf16_bits(result) if element == "switchyard::Bf16" else result.astype(out.dtype)
        lse[...] = log_sum

    def _rows(self, grid, block, args, template):
        element, per_lane = template[0], int(template[1])
        q, k, v, bias, slopes, out, lse, rows, n_q, n_k, d, d_v, scale, causal = args
        dtype = np.float32 if element == "float" else np.float64
        for x in (q, k, v, out, lse):
            assert x.dtype == dtype and x.flags.c_contiguous
        assert isinstance(scale, dtype)
        bh = q.shape[0]
        assert rows == bh * n_q and q.shape == (bh, n_q, d) and v.shape == (bh, n_k, d_v)
        assert 32 * per_lane >= max(d, d_v)
        assert block == (128,) and grid[0] * 4 >= rows
        assert _is_null(bias) or (bias.shape == (bh, n_q, n_k) and bias.dtype == dtype)
        assert _is_null(slopes) or (slopes.shape == (bh,) and slopes.dtype == dtype)
        if self.emulator is not None:
            status = self.emulator.emulate_rows(
                int(dtype == np.float64), per_lane,
                *(_address(x) for x in (q, k, v, bias, slopes, out, lse)),
                bh, int(n_q), int(n_k), int(d), int(d_v), float(scale), int(causal),
            )  # fmt: skip
            assert status == 0, status
            return
        result, log_sum = self._reference(
            q,
            k,
            v,
            None if _is_null(bias) else bias,
            None if _is_null(slopes) else slopes,
            float(scale),
            bool(causal),
        )
        if self.corrupt:
            result = result + 1.0
        out[...] = result
        lse[...] = log_sum

    @staticmethod
    def _reference(q, k, v, bias, slopes, scale, causal):
        out, lse, _ = reference_with_lse(
            q, k, v, causal=causal, scale=scale, slopes=slopes, bias=bias
        )
        return out, lse


class FakeRawModule:
    def __init__(self, owner: FakeCupy, code: str, options=(), name_expressions=()):
        assert code == SOURCE_PATH.read_text(encoding="utf-8")
        self.owner = owner
        self.names = list(name_expressions)

    def get_function(self, name: str) -> FakeKernel:
        assert name in self.names, f"{name} was not among the name expressions compiled"
        return self.owner.kernel(name)


class FakeCupy(types.ModuleType):
    """`import cupy` while this is in sys.modules gives NumPy in CuPy's clothes."""

    float16, float32, float64 = np.float16, np.float32, np.float64
    uint16, uint64, int32 = np.uint16, np.uint64, np.int32

    def __init__(self, compute_capability: str = "90", emulator: object = None):
        super().__init__("cupy")
        self.emulator = emulator
        self.kernels: dict[str, FakeKernel] = {}
        self.compiles = 0
        self.log: list[str] = []  # kernel names, one per launch
        self.corrupt = False
        self.fail: Exception | None = None
        owner = self

        class Device:
            id = 0

            def __init__(self, index: int = 0):
                self.compute_capability = compute_capability

        class RawModule(FakeRawModule):
            def __init__(self, code, options=(), name_expressions=()):
                owner.compiles += 1
                super().__init__(owner, code, options, name_expressions)

        runtime = types.SimpleNamespace(
            getDeviceCount=lambda: 1,
            getDeviceProperties=lambda index: {"name": b"Fake GPU (NumPy)"},
        )
        self.cuda = types.SimpleNamespace(runtime=runtime, Device=Device)
        self.RawModule = RawModule

    def kernel(self, name: str) -> FakeKernel:
        kernel = self.kernels.setdefault(name, FakeKernel(name, log=self.log))
        kernel.corrupt, kernel.fail, kernel.emulator = self.corrupt, self.fail, self.emulator
        return kernel

    def launches(self, kernel: str = "") -> int:
        return sum(kernel in name for name in self.log)

    # Arrays: NumPy's, with the same names.
    asarray = staticmethod(lambda x, dtype=None: np.asarray(x, dtype=dtype))
    asnumpy = staticmethod(np.asarray)
    zeros = staticmethod(np.zeros)
    full = staticmethod(np.full)
    broadcast_to = staticmethod(np.broadcast_to)
    ascontiguousarray = staticmethod(np.ascontiguousarray)

    @staticmethod
    def empty(shape, dtype):
        """Poisoned: NaN (or bfloat16 NaN bits) wherever nothing writes."""
        dtype = np.dtype(dtype)
        return np.full(shape, 0x7FC0 if dtype == np.uint16 else np.nan, dtype=dtype)
