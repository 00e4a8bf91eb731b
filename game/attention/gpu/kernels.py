"""Compiling and launching the CUDA kernels of `flash_attention.cu` through CuPy.

The kernel source is a `.cu` file beside this module, compiled at run time by
NVRTC (`cupy.RawModule`); CuPy caches the binary on disk, so only the first
run on a machine pays the compile. Every variant the code can launch is named
here (`FLASH_VARIANTS`, `ROW_VARIANTS`), so one compile instantiates them all.

Nothing here imports CuPy at module level: the caller passes it in, and this
module can be imported (for its constants and shape logic) on a machine
without a GPU.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Any

SOURCE_PATH = Path(__file__).with_name("flash_attention.cu")
COMPILE_OPTIONS = ("-std=c++17",)

HEAD_DIMS = (64, 128)  # what the tensor-core kernel is built for; others pad up
ROW_PER_LANE = (1, 2, 4, 8, 16)  # row kernel: head dims up to 32 · 16 = 512
ROW_THREADS = 128  # four query rows (warps) per block in the row kernel
ELEMENT_TYPES = {"float16": "switchyard::Fp16", "bfloat16": "switchyard::Bf16"}


@dataclass(frozen=True)
class FlashConfig:
    """One instantiation of the tensor-core kernel: its block shape.

    Each warp owns `row_tiles` tiles of 16 query rows, so a block covers
    16·row_tiles·warps queries; keys stream through in blocks of `block_n`.
    """

    dtype: str  # "float16" or "bfloat16"
    d: int  # padded head dim: 64 or 128
    warps: int = 4
    row_tiles: int = 2
    block_n: int = 64

    @property
    def block_m(self) -> int:
        return 16 * self.row_tiles * self.warps

    @property
    def threads(self) -> int:
        return 32 * self.warps

    @property
    def shared_bytes(self) -> int:
        """Dynamic shared memory: the Q tile and two stages each of K and V (2 bytes each)."""
        return (self.block_m + 4 * self.block_n) * self.d * 2

    @property
    def shape(self) -> str:
        return f"{self.warps} warps × {16 * self.row_tiles} rows, {self.block_n} keys"

    @property
    def name(self) -> str:
        element = ELEMENT_TYPES[self.dtype]
        return (
            f"switchyard::flash_forward<{element}, {self.d}, {self.warps}, {self.row_tiles}, "
            f"{self.block_n}>"
        )


# (warps, row tiles per warp, key block). The defaults are predictions until measured
# on a GPU (docs/kernel-notes.md); the GPU benchmark times every variant.
DEFAULT_SHAPES = {64: (4, 2, 64), 128: (4, 2, 32)}
TUNING_SHAPES = {
    64: ((4, 1, 64), (8, 1, 64), (4, 2, 32), (4, 2, 64), (8, 2, 64)),
    128: ((4, 1, 64), (8, 1, 64), (4, 2, 32), (8, 2, 32)),  # (4, 2, 64) spills registers
}
FLASH_VARIANTS = tuple(
    FlashConfig(dtype, d, warps, row_tiles, block_n)
    for dtype in ELEMENT_TYPES
    for d in HEAD_DIMS
    for warps, row_tiles, block_n in TUNING_SHAPES[d]
)


def default_flash_config(dtype: str, d: int) -> FlashConfig:
    warps, row_tiles, block_n = DEFAULT_SHAPES[d]
    return FlashConfig(dtype, d, warps, row_tiles, block_n)


def row_kernel_name(dtype: str, per_lane: int) -> str:
    element = {"float32": "float", "float64": "double"}[dtype]
    return f"switchyard::attention_rows<{element}, {per_lane}>"


ROW_VARIANTS = tuple(
    row_kernel_name(dtype, per_lane)
    for dtype in ("float32", "float64")
    for per_lane in ROW_PER_LANE
)


def padded_head_dim(d: int) -> int | None:
    """The tensor-core head dim that `d` pads up to, or None when d is too large."""
    for size in HEAD_DIMS:
        if d <= size:
            return size
    return None


def row_per_lane(d: int, d_v: int) -> int | None:
    """The row kernel's values per lane for these head dims, or None past 512."""
    need = max(1, -(-max(d, d_v) // 32))
    for per_lane in ROW_PER_LANE:
        if need <= per_lane:
            return per_lane
    return None


class Kernels:
    """The compiled module for one CuPy, with the launch arithmetic of both kernels."""

    def __init__(self, cupy: Any) -> None:
        self.cupy = cupy
        # A null pointer argument: 8 bytes of zero (None would not be null, cupy issue 9046).
        self.null = cupy.uint64(0)
        self._shared_memory_set: set[str] = set()  # variants whose shared-memory limit is raised

    @cached_property
    def module(self) -> Any:
        return self.cupy.RawModule(
            code=SOURCE_PATH.read_text(encoding="utf-8"),
            options=COMPILE_OPTIONS,
            name_expressions=[config.name for config in FLASH_VARIANTS] + list(ROW_VARIANTS),
        )

    def flash(
        self,
        config: FlashConfig,
        q: Any,  # (bh, n_q, D) contiguous, config.dtype (bfloat16 as raw uint16)
        k: Any,  # (bh, n_k, D)
        v: Any,  # (bh, n_k, D)
        out: Any,  # (bh, n_q, D), written
        lse: Any,  # (bh, n_q) float32, written
        slopes: Any | None,  # (bh,) float32
        *,
        scale: float,
        causal: bool,
    ) -> None:
        bh, n_q, d = q.shape
        n_k = k.shape[1]
        if d != config.d:
            raise ValueError(f"q has head dim {d}; this kernel variant is built for {config.d}")
        if bh > 65535:
            raise ValueError(f"{bh} batch·heads is more than one launch's grid allows (65535)")
        kernel = self.module.get_function(config.name)
        if config.name not in self._shared_memory_set:  # a driver call: once per variant
            kernel.max_dynamic_shared_size_bytes = config.shared_bytes
            self._shared_memory_set.add(config.name)
        grid = (-(-n_q // config.block_m), bh)
        kernel(
            grid,
            (config.threads,),
            (
                q,
                k,
                v,
                out,
                lse,
                slopes if slopes is not None else self.null,
                self.cupy.int32(n_q),
                self.cupy.int32(n_k),
                self.cupy.float32(scale),
                self.cupy.int32(int(causal)),
            ),
            shared_mem=config.shared_bytes,
        )

    def rows(
        self,
        q: Any,  # (bh, n_q, d) contiguous float32 or float64
        k: Any,  # (bh, n_k, d)
        v: Any,  # (bh, n_k, d_v)
        bias: Any | None,  # (bh, n_q, n_k), −inf where masked
        slopes: Any | None,  # (bh,)
        out: Any,  # (bh, n_q, d_v), written
        lse: Any,  # (bh, n_q), written
        *,
        scale: float,
        causal: bool,
    ) -> None:
        bh, n_q, d = q.shape
        n_k, d_v = v.shape[1], v.shape[2]
        per_lane = row_per_lane(d, d_v)
        if per_lane is None:
            raise ValueError(f"head dims {d}, {d_v} are larger than the row kernel takes (512)")
        dtype = str(q.dtype)
        scalar = self.cupy.float32 if dtype == "float32" else self.cupy.float64
        rows = bh * n_q
        kernel = self.module.get_function(row_kernel_name(dtype, per_lane))
        warps_per_block = ROW_THREADS // 32
        kernel(
            (-(-rows // warps_per_block),),
            (ROW_THREADS,),
            (
                q,
                k,
                v,
                bias if bias is not None else self.null,
                slopes if slopes is not None else self.null,
                out,
                lse,
                self.cupy.int32(rows),
                self.cupy.int32(n_q),
                self.cupy.int32(n_k),
                self.cupy.int32(d),
                self.cupy.int32(d_v),
                scalar(scale),
                self.cupy.int32(int(causal)),
            ),
        )
