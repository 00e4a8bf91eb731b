"""Idle CPU: what a still screen costs, measured from outside the game's process.

A laptop on battery in a classroom runs the game for an hour, mostly with
nobody touching it. The game runs in a child process under the dummy video
driver with the real loop (`App.run`, so the idle sleep in
`App.next_events` is what is measured); after a settling second the parent
reads the child's CPU time (user + system) twice, `seconds` apart, from the
OS. Target: under 5% of one core.

Two screens: the title screen, and the play screen of the first campaign
level left alone past `FLOW_REST_AFTER` (the flowing dots at rest).
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

IDLE_TARGET_PERCENT = 5.0

IDLE_CHILD = """
import os, sys
os.environ.setdefault("SDL_VIDEODRIVER", "dummy")
os.environ.setdefault("SDL_AUDIODRIVER", "dummy")
from game.ui.flow.game_flow import GameFlow, load_registry
from game.progress import load_progress
from game.ui.engine.app import App
registry = load_registry(None)
progress, _ = load_progress(sys.argv[1])
app = App()
flow = GameFlow(app, registry, progress, progress_path=sys.argv[1], save=False)
flow.start(None)
if sys.argv[2] == "play":
    from game.ui.play import PlayScene
    from game.ui.play.scene import FLOW_REST_AFTER
    scene = PlayScene(app, registry.levels[flow.order[0]], registry)
    app.scenes.push(scene)
    scene.still_for = FLOW_REST_AFTER  # a board nobody touched for a while
app.step(0.0, [])
print("ready", flush=True)
app.run()
"""


@dataclass(frozen=True)
class IdleCpu:
    """Percent of one core a still screen used over `seconds` of wall time."""

    screen: str
    percent: float
    seconds: float


def process_cpu_seconds(pid: int) -> float | None:
    """User + system CPU seconds of another process, read from the OS (None if it can't say)."""
    stat = Path(f"/proc/{pid}/stat")
    if stat.exists():
        fields = stat.read_text().rsplit(")", 1)[1].split()
        ticks = int(fields[11]) + int(fields[12])  # utime, stime (fields 14 and 15)
        return ticks / os.sysconf("SC_CLK_TCK")
    try:
        import psutil  # not a dependency; used where it is installed (macOS, Windows)
    except ImportError:
        return None
    times = psutil.Process(pid).cpu_times()
    return times.user + times.system


def idle_cpu(screen: str = "title", seconds: float = 3.0, settle: float = 1.0) -> IdleCpu | None:
    """Run the game on `screen` ("title" or "play") untouched; None where CPU time can't be read."""
    root = Path(__file__).resolve().parents[2]
    with tempfile.TemporaryDirectory() as folder:
        env = {**os.environ, "SDL_VIDEODRIVER": "dummy", "SDL_AUDIODRIVER": "dummy"}
        env["SWITCHYARD_PLUGIN_DIR"] = str(Path(folder) / "no-plugins")
        args = [sys.executable, "-c", IDLE_CHILD, str(Path(folder) / "progress.json"), screen]
        child = subprocess.Popen(
            args, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env, cwd=root
        )
        try:
            line = child.stdout.readline() if child.stdout else ""
            if "ready" not in line:
                raise RuntimeError(f"idle child failed:\n{child.communicate(timeout=10)[1]}")
            time.sleep(settle)
            before, start = process_cpu_seconds(child.pid), time.perf_counter()
            time.sleep(seconds)
            after, wall = process_cpu_seconds(child.pid), time.perf_counter() - start
        finally:
            child.kill()
            child.communicate(timeout=10)
    if before is None or after is None:
        return None
    return IdleCpu(screen, 100.0 * (after - before) / wall, wall)


def idle_verdict(result: IdleCpu) -> str:
    status = "meets" if result.percent < IDLE_TARGET_PERCENT else "MISSES"
    return (
        f"idle CPU on the {result.screen} screen {result.percent:.1f}% of a core "
        f"{status} the target of < {IDLE_TARGET_PERCENT:g}%"
    )
