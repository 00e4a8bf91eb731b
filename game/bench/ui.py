"""The play screen's speed: frame time, edit-to-redraw latency and cold start.

Targets (issue 5), on this 2-core machine under the dummy video driver at
1280×720, on a 32-token, 4-head board with the wire animation running:
p95 frame time ≤ 8 ms (half of a 60 FPS frame), edit-to-redraw ≤ 16 ms, and
cold start to the first interactive frame ≤ 1.5 s.

- frame time: `App.step(dt, [])` — update (the flowing dots) and a full draw —
  timed over many frames after a warm-up;
- edit-to-redraw: a wire-strength intent on the board (what a scroll on a
  wire sends) followed by the frame that shows it: evaluation, heatmap, wires
  and goal panel all redone;
- cold start: a fresh Python process from launch until the title screen's
  first frame is drawn and the game would take input (plugins, levels and
  progress loaded), timed from outside the process;
- idle CPU (`idle.py`): the share of a core a still screen uses, read from the
  OS for a game running its real loop in another process (target < 5%).
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from game.ui import use_dummy_drivers

BENCH_LEVEL = Path(__file__).resolve().parent / "levels" / "bench_32x4.toml"
TARGETS = {"p95 frame": 8.0, "edit to redraw": 16.0, "cold start": 1500.0}


@dataclass(frozen=True)
class Timing:
    """One measured quantity: its median, 95th percentile and worst, in milliseconds."""

    name: str
    median_ms: float
    p95_ms: float
    worst_ms: float
    samples: int


def _timing(name: str, samples: list[float]) -> Timing:
    ordered = sorted(samples)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    return Timing(name, statistics.median(ordered), p95, ordered[-1], len(ordered))


def _play_app(theme: str = "normal"):
    """An App showing the play screen of the benchmark board, and that board."""
    from game.levels.loader import load_level_file
    from game.model.board import Board
    from game.plugins import load_plugins
    from game.ui.engine.app import App
    from game.ui.engine.theme import themed
    from game.ui.play import PlayScene

    registry = load_plugins(no_plugins=True)
    level = load_level_file(BENCH_LEVEL, registry)
    board = Board(level, registry)
    app = App()
    app.theme = themed(theme)
    app.scenes.push(PlayScene(app, level, registry, board=board))
    return app, board


def frame_times(frames: int = 600, warmup: int = 60) -> Timing:
    """Milliseconds per `App.step` with the wire animation running (nothing changes)."""
    use_dummy_drivers()
    app, _ = _play_app()
    dt = 1 / 60
    for _ in range(warmup):
        app.step(dt, [])
    samples = []
    for _ in range(frames):
        start = time.perf_counter()
        app.step(dt, [])
        samples.append((time.perf_counter() - start) * 1000)
    return _timing("frame (animation running)", samples)


def edit_to_redraw(edits: int = 200, warmup: int = 20) -> Timing:
    """Milliseconds from a wire-strength change to the end of the frame that shows it."""
    return edit_timings(edits, warmup)[0]


def edit_timings(edits: int = 200, warmup: int = 20) -> tuple[Timing, Timing]:
    """Edit → redraw as wall time (the target) and as this process's CPU time: on a
    shared machine the second says how much work an edit is when other jobs take
    the cores (the wall time then includes the waits)."""
    use_dummy_drivers()
    app, board = _play_app()
    dt = 1 / 60
    wire = board.heads[0].wires[0]
    for _ in range(warmup):
        app.step(dt, [])
    samples, cpu = [], []
    for n in range(edits + warmup):
        strength = 1.0 + (n % 17) * 0.5
        start, start_cpu = time.perf_counter(), time.process_time()
        board.set_wire_strength(0, wire.query, wire.key, strength)
        app.step(dt, [])
        if n >= warmup:
            samples.append((time.perf_counter() - start) * 1000)
            cpu.append((time.process_time() - start_cpu) * 1000)
    return _timing("edit → redraw", samples), _timing("edit → redraw, CPU time", cpu)


COLD_START = """
import os, sys, time
os.environ.setdefault("SDL_VIDEODRIVER", "dummy")
os.environ.setdefault("SDL_AUDIODRIVER", "dummy")
from game.ui.flow.game_flow import GameFlow, load_registry
from game.progress import load_progress
from game.ui.engine.app import App
registry = load_registry(None)
progress, _ = load_progress(sys.argv[1])
app = App()
flow = GameFlow(app, registry, progress, progress_path=sys.argv[1])
flow.start(None)
app.step(0.0, [])
print("ready", len(registry.levels), flush=True)
"""


def cold_start(runs: int = 5, scratch: Path | None = None) -> Timing:
    """Milliseconds from launching `python` to the title screen's first drawn frame."""
    import tempfile

    samples = []
    with tempfile.TemporaryDirectory() as folder:
        progress = Path(scratch or folder) / "progress.json"
        env = {
            **os.environ,
            "SDL_VIDEODRIVER": "dummy",
            "SDL_AUDIODRIVER": "dummy",
            "SWITCHYARD_PLUGIN_DIR": str(Path(folder) / "no-plugins"),
        }
        for _ in range(runs + 1):  # the first run warms the file cache
            start = time.perf_counter()
            done = subprocess.run(
                [sys.executable, "-c", COLD_START, str(progress)],
                capture_output=True,
                text=True,
                env=env,
                cwd=Path(__file__).resolve().parents[2],
                timeout=60,
            )
            elapsed = (time.perf_counter() - start) * 1000
            if done.returncode != 0 or "ready" not in done.stdout:
                raise RuntimeError(f"cold start failed:\n{done.stderr}")
            samples.append(elapsed)
    return _timing("cold start → first frame", samples[1:])


def run_ui_bench(quick: bool = False) -> tuple[list[Timing], list[str]]:
    """Measure the frame, edit→redraw (wall and CPU), cold start, frames with a real run
    going (`ui_run.py`) and idle CPU (`idle.py`); the timings and one line per target."""
    from game.bench.idle import idle_cpu, idle_verdict
    from game.bench.ui_circuits import circuits_edit_timings
    from game.bench.ui_run import frames_during_real_run, verdict

    edit, edit_cpu = edit_timings(edits=40 if quick else 200)
    timings = [frame_times(frames=120 if quick else 600), edit, cold_start(runs=2 if quick else 5)]
    frame, _, start = timings
    timings.insert(2, edit_cpu)
    circuits, circuits_cpu = circuits_edit_timings(edits=40 if quick else 200)
    timings[3:3] = [circuits, circuits_cpu]
    timings.append(frames_during_real_run(frames=120 if quick else 300))
    verdicts = [
        _verdict("p95 frame time", frame.p95_ms, TARGETS["p95 frame"]),
        _verdict("p95 edit-to-redraw latency", edit.p95_ms, TARGETS["edit to redraw"]),
        _verdict(
            "p95 edit-to-redraw latency on 18_induction", circuits.p95_ms, TARGETS["edit to redraw"]
        ),
        _verdict("median cold start", start.median_ms, TARGETS["cold start"]),
        verdict(timings[-1]),
    ]
    for screen in ("title",) if quick else ("title", "play"):  # --quick: one short look
        idle = idle_cpu(screen, seconds=0.6 if quick else 4.0, settle=0.4 if quick else 1.0)
        if idle is None:
            verdicts.append(f"idle CPU on the {screen} screen: not measured (no /proc, no psutil)")
        else:
            verdicts.append(idle_verdict(idle))
    return timings, verdicts


def _verdict(what: str, value: float, target: float) -> str:
    status = "meets" if value <= target else "MISSES"
    return f"{what} {value:.2f} ms {status} the target of ≤ {target:g} ms"


def format_table(timings: list[Timing]) -> str:
    lines = [
        "| measured | median ms | p95 ms | worst ms | samples |",
        "|---|---:|---:|---:|---:|",
    ]
    for t in timings:
        lines.append(
            f"| {t.name} | {t.median_ms:.2f} | {t.p95_ms:.2f} | {t.worst_ms:.2f} | {t.samples} |"
        )
    return "\n".join(lines)
