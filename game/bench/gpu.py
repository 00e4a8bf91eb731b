"""The GPU attention benchmark: the CuPy kernel against torch's FlashAttention and naive CuPy.

Protocol (issue 6): fp16 forward, batch·n = 16k tokens, h·d = 2048, n from
512 to 16k, d = 64 and 128, causal and not. TFLOP/s = 4·b·h·n²·d / time,
halved for causal. Each time is the median of timed runs after warm-up,
measured with CUDA events around the kernel alone (buffers allocated once).
Every timed configuration is first checked against torch's output, so a fast
wrong kernel cannot make the table.

Also measured once per run, as METHOD.md asks: the device's two ceilings (a
device-to-device copy and a cuBLAS fp16 matmul), and n = 131,072 at d = 128
(time and device memory), which the naive version cannot run.

    python -m game.bench.gpu [--quick] [--write BENCHMARKS.md]
    python main.py bench --only gpu

Needs CuPy and a CUDA device; torch is optional (its column is left out
without it). Without a GPU it says so and exits with status 2.
"""

from __future__ import annotations

import argparse
import math
import statistics
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from game.attention.gpu.kernels import FLASH_VARIANTS, FlashConfig, Kernels, default_flash_config
from game.bench.report import write_section

TOKENS = 16 * 1024  # batch · n
WIDTH = 2048  # h · d
SIZES = (512, 1024, 2048, 4096, 8192, 16384)
QUICK_SIZES = (512, 2048)
LONG_N = 131_072
HEADING = "GPU attention (CuPy kernel, fp16 forward)"


@dataclass
class Row:
    n: int
    d: int
    causal: bool
    ours_ms: float
    best_ms: float
    best_variant: str
    torch_ms: float | None
    naive_ms: float | None  # None where the n² scores do not fit
    error_vs_torch: float | None

    def tflops(self, ms: float | None) -> float | None:
        if ms is None:
            return None
        b_h = (TOKENS // self.n) * (WIDTH // self.d)
        flops = 4 * b_h * self.n**2 * self.d * (0.5 if self.causal else 1.0)
        return flops / (ms * 1e-3) / 1e12


def median_ms(cp: Any, fn: Callable[[], object], *, warmup: int = 3, repeats: int = 15) -> float:
    """Median time of `fn` in milliseconds, by CUDA events, after warm-up."""
    for _ in range(warmup):
        fn()
    cp.cuda.Device().synchronize()
    times = []
    for _ in range(repeats):
        start, end = cp.cuda.Event(), cp.cuda.Event()
        start.record()
        fn()
        end.record()
        end.synchronize()
        times.append(cp.cuda.get_elapsed_time(start, end))
    return statistics.median(times)


def ceilings(cp: Any) -> tuple[float, float]:
    """(copy GB/s counting read + write, fp16 matmul TFLOP/s) measured on this device."""
    src = cp.random.standard_normal(2**28, dtype=cp.float32)  # 1 GiB
    dst = cp.empty_like(src)
    copy_ms = median_ms(cp, lambda: dst.__setitem__(slice(None), src))
    a = cp.random.standard_normal((8192, 8192), dtype=cp.float32).astype(cp.float16)
    b = cp.random.standard_normal((8192, 8192), dtype=cp.float32).astype(cp.float16)
    matmul_ms = median_ms(cp, lambda: a @ b)
    return 2 * src.nbytes / (copy_ms * 1e-3) / 1e9, 2 * 8192**3 / (matmul_ms * 1e-3) / 1e12


def naive(cp: Any, q: Any, k: Any, v: Any, scale: float, causal: bool) -> Any:
    """softmax(q·kᵀ)·v written plainly in CuPy, fp16 throughout."""
    s = (q @ k.swapaxes(-1, -2)) * q.dtype.type(scale)  # (b·h, n, n)
    if causal:
        n = q.shape[-2]
        s = cp.where(cp.tri(n, dtype=bool), s, q.dtype.type(-cp.inf))
    s = cp.exp(s - s.max(axis=-1, keepdims=True))
    return (s / s.sum(axis=-1, keepdims=True)) @ v  # (b·h, n, d)


def _torch_flash(torch: Any, q: Any, k: Any, v: Any, causal: bool) -> Callable[[], Any]:
    from torch.nn.attention import SDPBackend, sdpa_kernel

    tq, tk, tv = (torch.from_dlpack(x)[None] for x in (q, k, v))  # (1, b·h, n, d), no copy

    def run() -> Any:
        with sdpa_kernel(SDPBackend.FLASH_ATTENTION):
            return torch.nn.functional.scaled_dot_product_attention(tq, tk, tv, is_causal=causal)

    return run


def measure(cp: Any, kernels: Kernels, torch: Any, n: int, d: int, causal: bool) -> Row:
    bh = (TOKENS // n) * (WIDTH // d)
    q, k, v = (
        cp.random.standard_normal((bh, n, d), dtype=cp.float32).astype(cp.float16) for _ in range(3)
    )
    scale = 1 / math.sqrt(d)
    out = cp.empty_like(q)
    lse = cp.empty((bh, n), dtype=cp.float32)

    def ours(config: FlashConfig) -> Callable[[], None]:
        return lambda: kernels.flash(config, q, k, v, out, lse, None, scale=scale, causal=causal)

    reference = None
    torch_ms = None
    if torch is not None:
        run_torch = _torch_flash(torch, q, k, v, causal)
        reference = cp.from_dlpack(run_torch()[0])
        torch_ms = median_ms(cp, run_torch)

    timings = {}
    error = None
    for config in FLASH_VARIANTS:
        if config.dtype != "float16" or config.d != d:
            continue
        out.fill(cp.nan)
        ours(config)()
        if reference is not None:
            variant_error = float(cp.max(cp.abs(out.astype(cp.float32) - reference)))
            if not variant_error < 1e-2:
                raise AssertionError(f"{config.name} is {variant_error} off torch at n = {n}")
            if config == default_flash_config("float16", d):
                error = variant_error
        timings[config] = median_ms(cp, ours(config))
    default = default_flash_config("float16", d)
    best = min(timings, key=timings.get)

    naive_ms = None
    free, _total = cp.cuda.runtime.memGetInfo()
    if 3 * bh * n * n * 2 < 0.8 * free:  # scores, exp and the quotient, in fp16
        naive_ms = median_ms(cp, lambda: naive(cp, q, k, v, scale, causal), warmup=1, repeats=5)
    cp.get_default_memory_pool().free_all_blocks()
    return Row(
        n=n,
        d=d,
        causal=causal,
        ours_ms=timings[default],
        best_ms=timings[best],
        best_variant=best.shape,
        torch_ms=torch_ms,
        naive_ms=naive_ms,
        error_vs_torch=error,
    )


def long_sequence(cp: Any, kernels: Kernels, n: int = LONG_N, d: int = 128) -> tuple[float, float]:
    """(ms, peak device MiB) for one head-group of h·d = 2048 at n tokens, causal off."""
    pool = cp.get_default_memory_pool()
    pool.free_all_blocks()
    h = WIDTH // d
    q, k, v = (
        cp.random.standard_normal((h, n, d), dtype=cp.float32).astype(cp.float16) for _ in range(3)
    )
    out = cp.empty_like(q)
    lse = cp.empty((h, n), dtype=cp.float32)
    config = default_flash_config("float16", d)
    ms = median_ms(
        cp,
        lambda: kernels.flash(config, q, k, v, out, lse, None, scale=d**-0.5, causal=False),
        warmup=1,
        repeats=3,
    )
    if not bool(cp.isfinite(out).all()):
        raise AssertionError(f"non-finite output at n = {n}")
    return ms, pool.total_bytes() / 2**20


def _fmt(x: float | None, spec: str = ".2f") -> str:
    return "—" if x is None else format(x, spec)


def format_rows(rows: list[Row]) -> list[str]:
    lines = [
        "| n | d | causal | ours ms | ours TFLOP/s | best variant | best TFLOP/s "
        "| torch flash TFLOP/s | ours / torch | naive ms | ours vs naive | max err vs torch |",
        "|---:|---:|:---:|---:|---:|:---|---:|---:|---:|---:|---:|---:|",
    ]
    for r in rows:
        ratio = None if r.torch_ms is None else r.torch_ms / r.ours_ms
        speedup = None if r.naive_ms is None else r.naive_ms / r.ours_ms
        lines.append(
            f"| {r.n} | {r.d} | {'yes' if r.causal else 'no'} | {r.ours_ms:.3f} "
            f"| {_fmt(r.tflops(r.ours_ms), '.1f')} | {r.best_variant} "
            f"| {_fmt(r.tflops(r.best_ms), '.1f')} | {_fmt(r.tflops(r.torch_ms), '.1f')} "
            f"| {_fmt(ratio)} | {_fmt(r.naive_ms, '.2f')} | {_fmt(speedup, '.1f')}× "
            f"| {_fmt(r.error_vs_torch, '.1e')} |"
        )
    return lines


def summarise(rows: list[Row]) -> list[str]:
    """The issue's targets, each with the worst measured case."""
    notes = []
    long_rows = [r for r in rows if r.n >= 2048 and r.torch_ms is not None]
    if long_rows:
        worst = min(long_rows, key=lambda r: r.torch_ms / r.ours_ms)
        notes.append(
            f"- Against torch's FlashAttention at n ≥ 2k (target ≥ 0.75×, stretch 0.9×): worst "
            f"{worst.torch_ms / worst.ours_ms:.2f}× (n = {worst.n}, d = {worst.d}, "
            f"causal {'on' if worst.causal else 'off'})."
        )
    for causal, target in ((False, 3), (True, 8)):
        naive_rows = [r for r in rows if r.d == 64 and r.causal == causal and r.naive_ms]
        if naive_rows:
            worst = min(naive_rows, key=lambda r: r.naive_ms / r.ours_ms)
            notes.append(
                f"- Against naive CuPy at d = 64, causal {'on' if causal else 'off'} (target "
                f"≥ {target}×): worst {worst.naive_ms / worst.ours_ms:.1f}× (n = {worst.n})."
            )
    return notes


def run_gpu_bench(*, quick: bool, write: Path | None, command: str) -> int:
    try:
        import cupy as cp

        device = cp.cuda.Device()
        name = cp.cuda.runtime.getDeviceProperties(device.id)["name"]
        name = name.decode() if isinstance(name, bytes) else str(name)
    except Exception as exc:
        print(f"GPU benchmark: no usable CUDA device ({type(exc).__name__}: {exc})")
        return 2
    try:
        import torch
    except ImportError:
        torch = None
    kernels = Kernels(cp)
    started = time.perf_counter()
    copy_gbs, matmul_tflops = ceilings(cp)
    rows = []
    for d in (64, 128):
        for causal in (False, True):
            for n in QUICK_SIZES if quick else SIZES:
                rows.append(measure(cp, kernels, torch, n, d, causal))
                print(format_rows([rows[-1]])[-1], flush=True)
    long_ms, long_mib = long_sequence(cp, kernels)
    versions = f"CuPy {cp.__version__}" + (f", torch {torch.__version__}" if torch else "")
    body = [
        f"Device: {name} (compute capability {device.compute_capability}); {versions}.",
        f"Command: `{command}`. {time.perf_counter() - started:.0f} s in all.",
        "",
        f"Measured ceilings: device-to-device copy {copy_gbs:.0f} GB/s (read + write), "
        f"cuBLAS fp16 matmul {matmul_tflops:.0f} TFLOP/s (8192³).",
        "",
        f"Protocol: fp16 forward, batch·n = {TOKENS} tokens, h·d = {WIDTH}; TFLOP/s = "
        "4·b·h·n²·d / time (half for causal); median of 15 runs after 3 warm-ups, CUDA "
        "events around the kernel alone. 'ours' is the default variant; 'best' the fastest "
        "of the compiled variants (game/attention/gpu/kernels.py).",
        "",
        *format_rows(rows),
        "",
        *summarise(rows),
        f"- n = {LONG_N:,}, d = 128, {WIDTH // 128} heads, non-causal: {long_ms / 1e3:.2f} s, "
        f"device memory held {long_mib:.0f} MiB (naive would need "
        f"{LONG_N**2 * 2 / 2**30:.0f} GiB of fp16 scores per head).",
    ]
    print("\n".join(body))
    if write is not None:
        write_section(write, HEADING, body)
        print(f"wrote the '{HEADING}' section of {write}")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help=f"n in {QUICK_SIZES} only")
    parser.add_argument("--write", type=Path, help="write the results into this Markdown file")
    args = parser.parse_args(argv)
    command = "python -m game.bench.gpu " + " ".join(argv if argv is not None else sys.argv[1:])
    return run_gpu_bench(quick=args.quick, write=args.write, command=command.strip())


if __name__ == "__main__":
    sys.exit(main())
