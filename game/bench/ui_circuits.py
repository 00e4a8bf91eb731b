"""Edit → redraw on a circuits level: the play screen of `18_induction` with its solution.

A task level scores the whole board on held-out random inputs after every edit
(`game.model.task_score`), so its edit → redraw is the bench board's plus that
scoring. Measured like `ui.edit_timings`: a wire-strength intent on layer 2's
head (every layer re-runs) and the frame that shows it, wall time; the target
is the same 16 ms.
"""

from __future__ import annotations

import time

from game.bench.ui import Timing, _timing
from game.ui import use_dummy_drivers

CIRCUITS_LEVEL = "18_induction"


def _circuits_app():
    """An App showing the play screen of the induction level with its reference board."""
    from game.model.board import Board
    from game.plugins import load_plugins
    from game.ui.engine.app import App
    from game.ui.play import PlayScene

    registry = load_plugins(no_plugins=True)
    level = registry.levels[CIRCUITS_LEVEL]
    board = Board.with_solution(level, registry)
    app = App()
    app.scenes.push(PlayScene(app, level, registry, board=board))
    return app, board


def circuits_edit_timings(edits: int = 200, warmup: int = 20) -> tuple[Timing, Timing]:
    """Milliseconds from a wire-strength change on 18_induction's layer-2 head to the end
    of the frame that shows it (new strengths each time, so no cached score is reused),
    as wall time and as this process's CPU time (on a shared machine)."""
    use_dummy_drivers()
    app, board = _circuits_app()
    head = board.heads_in_layer(1)[0]
    wire = board.heads[head].wires[0]
    dt = 1 / 60
    for _ in range(warmup):
        app.step(dt, [])
    samples, cpu = [], []
    for n in range(edits + warmup):
        strength = 5.0 + n * 0.01  # never a state seen before: the score is recomputed
        start, start_cpu = time.perf_counter(), time.process_time()
        board.set_wire_strength(head, wire.query, wire.key, strength)
        app.step(dt, [])
        if n >= warmup:
            samples.append((time.perf_counter() - start) * 1000)
            cpu.append((time.process_time() - start_cpu) * 1000)
    name = f"edit → redraw, {CIRCUITS_LEVEL} (task level, 2 layers)"
    return _timing(name, samples), _timing(f"{name}, CPU time", cpu)
