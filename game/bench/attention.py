"""`switchyard bench`: time and memory of the attention backends against naive NumPy.

Measures, for d = 64, float32, one head: naive `softmax(q·kᵀ)·v` (the whole
n×n score matrix: the built-in plugin's `naive` backend, run by name as any
plugin backend is), and the tiled backend with and without causal masking,
from n = 1024 up to n = 100,000. Each row gives the best of a few timed runs,
GFLOP/s counted as 4·n²·d (half that for causal), the peak extra memory of
one run (tracemalloc, which sees NumPy's buffers), and the largest error
against the float64 reference on a sample of query rows.

The measured float32 matrix-multiply rate of this machine is printed beside
them: it is the ceiling any attention code here can reach.
"""

from __future__ import annotations

import gc
import time
import tracemalloc
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from game.attention import attention, backends, causal_mask
from game.attention.inputs import prepare
from game.attention.reference import reference_attention
from game.bench.machine import describe_machine
from game.bench.report import write_section

D = 64
ERROR_ROWS = 256  # query rows checked against the float64 reference


@dataclass(frozen=True)
class Row:
    backend: str
    n: int
    causal: bool
    ms: float
    gflops: float
    peak_mib: float
    max_error: float


def _best_ms(fn: Callable[[], object], repeats: int) -> float:
    times = []
    for _ in range(repeats):
        gc.collect()
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return min(times) * 1e3


def _peak_mib(fn: Callable[[], object]) -> tuple[float, object]:
    gc.collect()
    tracemalloc.start()
    try:
        result = fn()
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    return peak / 2**20, result


def _max_error(out: np.ndarray, q, k, v, causal: bool, rng: np.random.Generator) -> float:
    n = q.shape[0]
    rows = np.sort(rng.choice(n, size=min(ERROR_ROWS, n), replace=False))
    mask = causal_mask(n, n)[rows] if causal else None
    expected, _ = reference_attention(prepare(q[rows], k, v, mask=mask))
    return float(np.abs(out[rows].astype(np.float64) - expected).max())


def measure(name: str, n: int, causal: bool, repeats: int, rng: np.random.Generator) -> Row:
    q, k, v = (rng.standard_normal((n, D), dtype=np.float32) for _ in range(3))
    fn = lambda: attention(q, k, v, causal=causal, backend=name)  # noqa: E731
    peak, out = _peak_mib(fn)  # also the warm-up run
    ms = _best_ms(fn, repeats)
    flops = 4 * n * n * D * (0.5 if causal else 1.0)
    error = _max_error(out, q, k, v, causal, rng)
    return Row(name, n, causal, ms, flops / ms / 1e6, peak, error)


def sgemm_gflops() -> float:
    """This machine's float32 matrix-multiply rate (2048³, all cores): the ceiling."""
    a = np.random.default_rng(0).standard_normal((2048, 2048), dtype=np.float32)
    ms = _best_ms(lambda: a @ a, 3)
    return 2 * 2048**3 / ms / 1e6


def plan(quick: bool, sizes: list[int] | None) -> list[tuple[str, int, bool, int]]:
    """(backend, n, causal, repeats) for each row."""
    if sizes:
        return [
            (b, n, c, 3)
            for n in sizes
            for b, c in (("naive", False), ("tiled", False), ("tiled", True))
            if b != "naive" or n <= 16384
        ]
    if quick:
        return [
            (b, n, c, 2)
            for n in (256, 1024)
            for b, c in (("naive", False), ("tiled", False), ("tiled", True))
        ]
    rows = [
        (b, n, c, 3)
        for n in (1024, 4096, 8192)
        for b, c in (("naive", False), ("tiled", False), ("tiled", True))
    ]
    rows += [("naive", 16384, False, 1), ("tiled", 16384, False, 2), ("tiled", 16384, True, 2)]
    rows += [("tiled", 32768, False, 1), ("tiled", 32768, True, 1)]
    rows += [("tiled", 100_000, False, 1), ("tiled", 100_000, True, 1)]
    return rows


def format_table(rows: list[Row]) -> str:
    lines = [
        "| backend | n | d | causal | ms | GFLOP/s | peak MiB | max error vs reference |",
        "|---|---:|---:|---|---:|---:|---:|---:|",
    ]
    for r in rows:
        lines.append(
            f"| {r.backend} | {r.n} | {D} | {'yes' if r.causal else 'no'} | {r.ms:.1f} | "
            f"{r.gflops:.1f} | {r.peak_mib:.1f} | {r.max_error:.1e} |"
        )
    return "\n".join(lines)


def summarise(rows: list[Row], ceiling: float) -> list[str]:
    """The issue's targets, each as measured."""
    by = {(r.backend, r.n, r.causal): r for r in rows}
    notes = [f"float32 matrix multiply on this machine (2048³, all cores): {ceiling:.1f} GFLOP/s"]
    for n in sorted({r.n for r in rows}):
        naive, tiled, causal = (
            by.get(("naive", n, False)),
            by.get(("tiled", n, False)),
            by.get(("tiled", n, True)),
        )
        if naive and tiled:
            notes.append(
                f"n={n}: tiled is {naive.ms / tiled.ms:.2f}× naive "
                f"({tiled.gflops:.1f} GFLOP/s; peak {tiled.peak_mib:.1f} MiB "
                f"vs naive {naive.peak_mib:.0f} MiB)"
            )
        if tiled and causal:
            notes.append(f"n={n}: causal is {tiled.ms / causal.ms:.2f}× faster than non-causal")
        if tiled and not naive:
            notes.append(
                f"n={n}: tiled {tiled.ms / 1e3:.1f} s, peak {tiled.peak_mib:.1f} MiB "
                f"(naive would hold {n * n * 4 / 2**30:.1f} GiB of float32 scores)"
            )
    return notes


def run_attention_bench(
    quick: bool = False,
    write: str | None = None,
    sizes: list[int] | None = None,
    command: str = "switchyard bench",
) -> int:
    rng = np.random.default_rng(2022)
    machine = describe_machine()
    print(f"machine: {machine}", flush=True)
    ceiling = sgemm_gflops()
    rows = []
    available = backends()
    for backend, n, causal, repeats in plan(quick, sizes):
        if backend not in available:  # the naive plugin turned off (SWITCHYARD_DISABLE_PLUGINS)
            print(f"  {backend:6} n={n:<6} skipped: not available here", flush=True)
            continue
        row = measure(backend, n, causal, repeats, rng)
        rows.append(row)
        print(
            f"  {backend:6} n={n:<6} causal={'yes' if causal else 'no ':3} "
            f"{row.ms:9.1f} ms {row.gflops:6.1f} GFLOP/s {row.peak_mib:8.1f} MiB "
            f"err {row.max_error:.1e}",
            flush=True,
        )
    table = format_table(rows)
    notes = summarise(rows, ceiling)
    print()
    print(table)
    print()
    for note in notes:
        print(f"- {note}")
    if write:
        _write_markdown(Path(write), machine, command, table, notes)
        print(f"\nwrote {write}")
    return 0


def _write_markdown(path: Path, machine: str, command: str, table: str, notes: list[str]) -> None:
    """Replace the attention section of BENCHMARKS.md, keeping any other sections."""
    write_section(
        path,
        "Attention backends (CPU)",
        [
            f"Machine: {machine}.",
            "",
            f"Command: `{command}` (d = 64, float32, one head; best of the timed runs; "
            "peak = tracemalloc peak of one call; error = max |out − float64 reference| "
            f"on {ERROR_ROWS} sampled query rows).",
            "",
            table,
            "",
            *[f"- {note}" for note in notes],
        ],
    )
