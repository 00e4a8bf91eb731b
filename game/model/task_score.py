"""Score the board on a task level's held-out inputs, through the real forward pass.

`score_task` draws the level's held-out examples (`game.levels.task_inputs`,
the same every time for a seed), runs the board on them in padded batches
through the same forward pass that draws the board (`residual.token_streams`;
a test holds it equal to `evaluate_sentences`), reads each
scored token's label from the final residual stream through the level's
`[readout]`, and counts exact matches. Accuracy is **per position**: the
share of scored tokens (answers that are not None) over all held-out
examples whose label is right; `sequences` says how many whole examples had
every token right. The failing tokens come back as `Failure`s, for "show
failing examples".
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Sequence

import numpy as np

from game.api import Catalog, TaskExample
from game.levels.schema import Level
from game.levels.task_checks import task_inputs
from game.levels.task_inputs import TaskInputError, TaskInputs, held_out_examples
from game.model import residual
from game.model.spec import BoardState
from game.views import TaskFailure, TaskScore

__all__ = [
    "LIVE_SAMPLE", "Failure", "TaskScore", "cached_score", "final_stream", "final_streams",
    "has_full_score", "read_labels", "score_task",
]  # fmt: skip

MAX_FAILURES = 50  # failures kept (the first ones, in example order)
LIVE_SAMPLE = 40  # held-out inputs scored per edit on the play screen (the full set when idle)


Failure = TaskFailure  # one wrong token: tokens, position, expected, got


def final_stream(evaluation: object) -> np.ndarray:
    """(n, d_model) the main sequence's residual stream after the last layer.

    A one-layer board's stream is x⁰ + Σ mix_h·head_h; a stacked board gives
    it as `Evaluation.residual[-1]`."""
    residual = getattr(evaluation, "residual", None)
    if residual:
        return residual[-1]  # (n, d_model)
    main = evaluation.main_sequence  # type: ignore[attr-defined]
    return evaluation.x[main] + evaluation.outputs[main]  # type: ignore[attr-defined]


def final_streams(
    level: Level, catalog: Catalog, state: BoardState, examples: Sequence[TaskExample]
) -> list[np.ndarray]:
    """(n, d_model) the final residual stream of every example, through the board's own
    forward pass in padded batches (`residual.token_streams`: `evaluate_sentences`'s steps
    without goals or per-head records)."""
    tokens = [example.tokens for example in examples]
    return [streams[-1] for streams in residual.token_streams(level, catalog, state, tokens)]


def read_labels(
    level: Level, catalog: Catalog, state: BoardState, examples: Sequence[TaskExample]
) -> list[list[str]]:
    """The readout's label at every token of every example."""
    assert level.readout is not None
    return [
        level.readout.read(stream, level.features)
        for stream in final_streams(level, catalog, state, examples)
    ]


def score_task(
    level: Level, catalog: Catalog, state: BoardState, n: int | None = None
) -> TaskScore | None:
    """The board's exact-match accuracy on the level's held-out inputs (`n`: how many,
    default the level's `held_out`); None for a level without a task."""
    inputs = task_inputs(level, catalog)
    if inputs is None:
        return None
    examples = _held_out(level, inputs, n)
    read = read_labels(level, catalog, state, examples)
    failures: list[Failure] = []
    scored = correct = whole = 0
    for example, got in zip(examples, read, strict=True):
        right_here = True
        for i, expected in enumerate(example.answers):
            if expected is None:
                continue
            scored += 1
            if got[i] == expected:
                correct += 1
                continue
            right_here = False
            if len(failures) < MAX_FAILURES:
                failures.append(Failure(example.tokens, i, expected, got[i]))
        whole += right_here
    held_out = level.task.held_out if level.task is not None else len(examples)
    return TaskScore(
        sample_of=held_out if len(examples) < held_out else 0,
        accuracy=correct / scored if scored else 0.0,
        examples=len(examples),
        positions=scored,
        correct=correct,
        sequences=whole / len(examples) if examples else 0.0,
        failures=tuple(failures),
    )


_EXAMPLES: OrderedDict[tuple, tuple[Level, TaskInputs, list[TaskExample]]] = OrderedDict()


def _held_out(level: Level, inputs: TaskInputs, n: int | None) -> list[TaskExample]:
    """The held-out examples, drawn once per (level, task): every edit rescores the same."""
    key = (id(level), id(inputs.task), n)
    hit = _EXAMPLES.get(key)
    if hit is not None and hit[0] is level and hit[1].task is inputs.task:
        return hit[2]
    examples = held_out_examples(inputs, n)
    _EXAMPLES[key] = (level, inputs, examples)
    while len(_EXAMPLES) > _CACHE_SIZE:
        _EXAMPLES.popitem(last=False)
    return examples


_CACHE: OrderedDict[tuple, tuple[Level, Catalog, TaskScore | None]] = OrderedDict()
_CACHE_SIZE = 8  # boards (and levels) remembered: undo and the sentences of one state


def has_full_score(level: Level, catalog: Catalog, state: BoardState) -> bool:
    """True when this board state's full held-out score is already remembered (then a
    live sample would only show less than is known)."""
    hit = _CACHE.get((id(level), id(catalog), state, None))
    return hit is not None and hit[0] is level and hit[1] is catalog


def cached_score(
    level: Level, catalog: Catalog, state: BoardState, n: int | None = None
) -> TaskScore | None:
    """`score_task` remembered per (level, catalog, board state, n): every sentence of one
    evaluation reads the same score, and undo returns to states already scored. A task
    whose generator fails now (it passed at load) scores 0 with the reason in `problem`,
    so a plugin's bug shows on the goal instead of stopping a frame. `n` (the play
    screen's live sample while the player edits, `LIVE_SAMPLE`) scores only the first
    `n` held-out inputs; None scores them all, as Check and the stars do."""
    if level.task is None:
        return None
    if n is not None and (n >= level.task.held_out or has_full_score(level, catalog, state)):
        n = None  # the sample would be the whole set, or the whole set is already known
    key = (id(level), id(catalog), state, n)
    hit = _CACHE.get(key)
    if hit is not None and hit[0] is level and hit[1] is catalog:
        _CACHE.move_to_end(key)
        return hit[2]
    try:
        result = score_task(level, catalog, state, n)
    except TaskInputError as error:  # checked at load; a generator that changed its mind
        result = TaskScore(0.0, 0, 0, 0, 0.0, (), problem=str(error))
    _CACHE[key] = (level, catalog, result)
    while len(_CACHE) > _CACHE_SIZE:
        _CACHE.popitem(last=False)
    return result
