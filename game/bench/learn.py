"""How long one "watch it learn" step takes on a task level (`switchyard bench --only learn`).

A step is one `HeadLearner.advance()`: the readout loss and its gradient over the
training inputs (game/model/task_loss.py), and Adam's update. The watch runs at
most MAX_STEPS_PER_FRAME of them in a frame, so a frame's training costs that
many steps; setting up (measuring the logits' basis on the real forward pass)
happens once, on the first frame, and the held-out rescore every
ACCURACY_SECONDS. All are timed here on the Circuits levels, wall time.
"""

from __future__ import annotations

import dataclasses
import time

from game.bench.ui import Timing, _timing
from game.model.board import Board
from game.model.learn import HeadLearner
from game.model.task_learn import head_spec
from game.model.task_score import score_task
from game.plugins import load_plugins
from game.ui.play.watch import MAX_STEPS_PER_FRAME

# (level, head learned, the layer-1 head set from the solution first?)
CASES = (("13_copy_previous", 0, False), ("18_induction", 1, True), ("14_histogram", 0, False))
FRAME_MS = 1000 / 60


def learn_timings(steps: int) -> list[Timing]:
    """Per case: setup, one learn step, and a held-out rescore, in ms."""
    registry = load_plugins(no_plugins=True)
    timings = []
    for level_id, head, with_layer_1 in CASES:
        level = registry.levels[level_id]
        board = Board.with_solution(level, registry) if with_layer_1 else Board(level, registry)
        spec = board.state.heads[head]
        board.replace_head(head, dataclasses.replace(spec, wires=(), values=()))
        start = time.perf_counter()
        learner = HeadLearner(board, head)
        setup = (time.perf_counter() - start) * 1000
        samples = []
        for _ in range(steps):
            start = time.perf_counter()
            learner.advance()
            samples.append((time.perf_counter() - start) * 1000)
            if learner.done:
                break
        spec = head_spec(board, head, learner.best.strengths)
        state = dataclasses.replace(
            board.state,
            heads=tuple(spec if h == head else s for h, s in enumerate(board.state.heads)),
        )
        rescores = []
        for _ in range(5):
            start = time.perf_counter()
            score_task(level, registry, state)  # what the watch's rescore runs, uncached
            rescores.append((time.perf_counter() - start) * 1000)
        name = f"{level_id} head {head + 1}"
        timings.append(_timing(f"{name}: setup (basis on the real forward pass)", [setup]))
        timings.append(_timing(f"{name}: one learn step", samples))
        timings.append(_timing(f"{name}: held-out rescore (200 inputs)", rescores))
    return timings


def verdicts(timings: list[Timing]) -> list[str]:
    """Whether a frame's training (MAX_STEPS_PER_FRAME steps, p95) fits a 60 FPS frame."""
    lines = []
    for t in timings:
        if t.name.endswith("one learn step"):
            median, p95 = MAX_STEPS_PER_FRAME * t.median_ms, MAX_STEPS_PER_FRAME * t.p95_ms
            fits = "fits" if p95 <= FRAME_MS else "does NOT fit"
            lines.append(
                f"{t.name}: {MAX_STEPS_PER_FRAME} steps a frame = {median:.1f} ms median, "
                f"{p95:.1f} ms at p95: {fits} a 60 FPS frame ({FRAME_MS:.1f} ms) at p95"
            )
    return lines
