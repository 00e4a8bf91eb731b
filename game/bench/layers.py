"""The model's cost of stacked layers: one edit re-evaluated on 1, 2 and 4 layers.

The board of `game/bench/levels/bench_32x4.toml` (32 tokens, 4 heads, RoPE),
loaded with `layers = L` and its four wired heads copied into every layer, so an
L-layer board runs 4·L heads on the residual stream. One sample is a
wire-strength intent plus `Board.evaluate(0)`: the model's share of the play
screen's edit → redraw (whose target is 16 ms in all, `game/bench/ui.py`).
No pygame here.
"""

from __future__ import annotations

import dataclasses
import time

from game.bench.ui import BENCH_LEVEL, Timing, _timing

LAYERS = (1, 2, 4)
TARGET_MS = 8.0  # half the edit → redraw budget, so drawing keeps the other half


def stacked_board(layers: int):
    """The benchmark board with `layers` layers, every layer wired like the first."""
    from game.levels.loader import load_level_text
    from game.model.board import Board
    from game.model.spec import BoardState
    from game.plugins import load_plugins

    registry = load_plugins(no_plugins=True)
    text = BENCH_LEVEL.read_text(encoding="utf-8").replace(
        "heads = 4\n", f"heads = 4\nlayers = {layers}\n", 1
    )
    level = load_level_text(text, BENCH_LEVEL.name, registry)
    start = Board(level, registry).state
    wired = start.heads[:4]  # the file's four start heads, all in layer 0
    heads = tuple(dataclasses.replace(h, layer=layer) for layer in range(layers) for h in wired)
    return Board(level, registry, BoardState(heads, start.settings))


def edit_evaluate_timings(edits: int) -> list[Timing]:
    """Per layer count: a wire-strength intent and the evaluation that follows, in ms."""
    timings = []
    for layers in LAYERS:
        board = stacked_board(layers)
        wire = board.heads[0].wires[0]
        board.evaluate(0)  # warm caches and imports
        samples = []
        for i in range(edits):
            strength = wire.strength + (0.01 if i % 2 else -0.01)
            start = time.perf_counter()
            board.set_wire_strength(0, wire.query, wire.key, strength)
            board.evaluate(0)
            samples.append((time.perf_counter() - start) * 1000)
        timings.append(_timing(f"edit → evaluate, {layers} layer(s), {4 * layers} heads", samples))
    return timings


def verdicts(timings: list[Timing]) -> list[str]:
    """One line per layer count against TARGET_MS (p95)."""
    return [
        f"{t.name}: p95 {t.p95_ms:.2f} ms "
        f"{'meets' if t.p95_ms <= TARGET_MS else 'MISSES'} the target of ≤ {TARGET_MS:g} ms"
        for t in timings
    ]
