"""A real run of the game's attention backend at a size no board reaches, in a worker thread.

`RealRun(n).start()` starts a worker thread that has a child process run
`game.attention.attention` on random Q, K, V (n × `D`, float32), `CHUNK`
query rows at a time (rows are
independent, so the chunks together are exactly the whole run), on the "tiled"
NumPy backend, or on "cupy" where a CUDA device answers and passes its
self-check. Between chunks it reports progress and looks at its cancel flag, so
Cancel stops it within one chunk (well under a second). It measures the wall
time and the peak memory the run allocated (tracemalloc, which sees NumPy's
buffers), and, where the naive n × n score matrix fits in `NAIVE_LIMIT` bytes,
the largest difference from the reference backend. `naive_bytes` says what the
naive score matrix alone would need, in fp16 and fp32.

No pygame here: the panel (real_run_panel.py) only reads `RunState`.
"""

from __future__ import annotations

import multiprocessing
import os
import threading
import time
import tracemalloc
from dataclasses import dataclass

import numpy as np

from game.attention import attention

SIZES = (1_000, 4_000, 16_000, 64_000, 100_000)
D = 32  # feature width of the run's heads
CHUNK = 2048  # query rows per piece of work (progress and cancel between pieces)
NAIVE_LIMIT = 64 * 2**20  # compare with naive where its fp32 n × n scores fit in this
SEED = 7
NICE = 15  # the child process's niceness: the screen comes first
CANCEL_WAIT = 0.8  # seconds a cancelled child gets to stop before it is killed


def naive_bytes(n: int) -> dict[str, int]:
    """Bytes of the n × n score matrix the naive schedule keeps, per dtype."""
    return {"fp16": 2 * n * n, "fp32": 4 * n * n}


def pick_backend() -> str:
    """'cupy' where a CUDA device answers and passes the self-check, else 'tiled'."""
    try:
        from game.attention import gpu  # imports CuPy only inside usable()

        return "cupy" if gpu.usable() else "tiled"
    except Exception:  # no CuPy, no driver: the CPU backend
        return "tiled"


@dataclass
class RunState:
    """What the panel shows; written by the worker, read by the screen."""

    n: int
    backend: str = "tiled"
    status: str = "idle"  # idle | running | done | cancelled | failed
    progress: float = 0.0
    seconds: float = 0.0
    peak_bytes: int = 0
    max_error: float | None = None  # None where naive does not fit
    message: str = ""


class RealRun:
    """One run: `start()` it, poll `state`, `cancel()` it; `join()` waits for the thread.

    The worker thread starts a child process (spawned, so no pygame state is
    copied) that does the arithmetic at low priority and sends its progress back
    through a pipe: the numbers never hold this process's GIL, so the screen's
    frames do not wait on them. Cancel sets an event the child checks between
    chunks; a child that does not stop within `CANCEL_WAIT` seconds is killed.
    """

    def __init__(self, n: int, backend: str | None = None, *, chunk: int = CHUNK):
        self.state = RunState(n)
        self.backend = backend
        self.chunk = chunk
        self._cancel = threading.Event()
        self._thread: threading.Thread | None = None

    @property
    def running(self) -> bool:
        return self._thread is not None and self._thread.is_alive()

    def start(self) -> None:
        self.state.status = "running"
        self._thread = threading.Thread(target=self._work, name="real-run", daemon=True)
        self._thread.start()

    def cancel(self) -> None:
        self._cancel.set()

    def join(self, timeout: float | None = None) -> None:
        if self._thread is not None:
            self._thread.join(timeout)

    def _work(self) -> None:
        """Drive the child process and copy what it reports into `state`."""
        state = self.state
        try:
            context = multiprocessing.get_context("spawn")
            here, there = context.Pipe(duplex=False)
            stop = context.Event()
            child = context.Process(
                target=run_in_child, args=(state.n, self.backend, self.chunk, there, stop),
                name="switchyard-real-run", daemon=True,
            )  # fmt: skip
            child.start()
            there.close()
            self._follow(child, here, stop)
        except Exception as error:  # a failed run is reported, never raised into a frame
            state.status, state.message = "failed", f"{type(error).__name__}: {error}"

    def _follow(self, child, pipe, stop) -> None:
        state, asked_at = self.state, None
        while True:
            if self._cancel.is_set() and asked_at is None:
                stop.set()
                asked_at = time.perf_counter()
            if asked_at is not None and time.perf_counter() - asked_at > CANCEL_WAIT:
                child.kill()  # it did not stop at a chunk boundary in time
                state.status = "cancelled"
                break
            try:
                if not pipe.poll(0.05):
                    if not child.is_alive():
                        break
                    continue
                report = pipe.recv()
            except (EOFError, OSError):
                break
            for key, value in report.items():
                setattr(state, key, value)
            if state.status in ("done", "cancelled", "failed"):
                break
        child.join(CANCEL_WAIT)
        if state.status == "running":
            state.status, state.message = "failed", "the worker process ended early"


def run_in_child(n: int, backend: str | None, chunk: int, pipe, stop) -> None:
    """The child process's work: the run, reported as dicts of `RunState` fields."""
    try:
        os.nice(NICE)
    except (AttributeError, OSError):  # not allowed here: normal priority
        pass
    try:
        name = backend or pick_backend()
        pipe.send({"backend": name})
        pipe.send(measure(n, name, chunk, stop.is_set, lambda **k: pipe.send(k)))
    except Exception as error:
        pipe.send({"status": "failed", "message": f"{type(error).__name__}: {error}"})
    finally:
        pipe.close()


def measure(n: int, backend: str, chunk: int, cancelled, report) -> dict:
    """Attention on random n × D inputs, chunk by chunk: time, peak memory, error.

    `cancelled()` is asked between chunks; `report(progress=, seconds=)` hears
    each one. Returns the final `RunState` fields.
    """
    started_tracing = not tracemalloc.is_tracing()
    if started_tracing:
        tracemalloc.start()
    tracemalloc.reset_peak()
    base = tracemalloc.get_traced_memory()[0]
    start = time.perf_counter()
    try:
        rng = np.random.default_rng(SEED)
        q, k, v = (rng.standard_normal((n, D), dtype=np.float32) for _ in range(3))
        out = np.empty((n, D), dtype=np.float32)  # (n, D)
        for row in range(0, n, chunk):
            if cancelled():
                return {"status": "cancelled", "seconds": time.perf_counter() - start}
            rows = slice(row, min(n, row + chunk))
            out[rows] = attention(q[rows], k, v, backend=backend)  # (chunk, D)
            report(progress=rows.stop / n, seconds=time.perf_counter() - start)
        peak = tracemalloc.get_traced_memory()[1] - base
    finally:
        if started_tracing:
            tracemalloc.stop()
    seconds = time.perf_counter() - start
    error = None
    if naive_bytes(n)["fp32"] <= NAIVE_LIMIT:
        reference = attention(q, k, v, backend="reference")  # (n, D), n × n inside
        error = float(np.max(np.abs(out.astype(np.float64) - reference)))
    return {"status": "done", "progress": 1.0, "seconds": seconds, "peak_bytes": peak,
            "max_error": error}  # fmt: skip
