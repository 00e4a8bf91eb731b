"""Score the board on a task level's held-out inputs, through the real forward pass.

`score_task` draws the level's held-out examples (`game.levels.task_inputs`,
the same every time for a seed), runs the board on them in padded batches
with the same code that draws the board (`evaluate_sentences`), reads each
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
from game.levels.schema import Level, Sentence
from game.levels.task_checks import task_inputs
from game.levels.task_inputs import held_out_examples
from game.model.spec import BoardState
from game.views import TaskFailure, TaskScore

__all__ = ["Failure", "TaskScore", "cached_score", "final_stream", "read_labels", "score_task"]

BATCH = 64  # examples per padded forward pass
MAX_FAILURES = 50  # failures kept (the first ones, in example order)


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


def read_labels(
    level: Level, catalog: Catalog, state: BoardState, examples: Sequence[TaskExample]
) -> list[list[str]]:
    """The readout's label at every token of every example, batch by batch."""
    from game.model.evaluate import evaluate_sentences  # evaluate imports this module

    assert level.readout is not None
    labels: list[list[str]] = []
    for start in range(0, len(examples), BATCH):
        chunk = examples[start : start + BATCH]
        sentences = [Sentence(tokens=list(example.tokens)) for example in chunk]
        # The examples as the level's sentences, without goals: a task goal reads this score.
        batch_level = level.model_copy(update={"sentences": sentences, "goals": []})
        evaluations = evaluate_sentences(
            batch_level, catalog, state, range(len(chunk)), with_task=False
        )
        for evaluation in evaluations:
            labels.append(level.readout.read(final_stream(evaluation), level.features))
    return labels


def score_task(
    level: Level, catalog: Catalog, state: BoardState, n: int | None = None
) -> TaskScore | None:
    """The board's exact-match accuracy on the level's held-out inputs (`n`: how many,
    default the level's `held_out`); None for a level without a task."""
    inputs = task_inputs(level, catalog)
    if inputs is None:
        return None
    examples = held_out_examples(inputs, n)
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
    return TaskScore(
        accuracy=correct / scored if scored else 0.0,
        examples=len(examples),
        positions=scored,
        correct=correct,
        sequences=whole / len(examples) if examples else 0.0,
        failures=tuple(failures),
    )


_CACHE: OrderedDict[tuple, tuple[Level, Catalog, TaskScore | None]] = OrderedDict()
_CACHE_SIZE = 32


def cached_score(level: Level, catalog: Catalog, state: BoardState) -> TaskScore | None:
    """`score_task` remembered per (level, catalog, board state): every sentence of one
    evaluation reads the same score, and undo returns to states already scored."""
    if level.task is None:
        return None
    key = (id(level), id(catalog), state)
    hit = _CACHE.get(key)
    if hit is not None and hit[0] is level and hit[1] is catalog:
        _CACHE.move_to_end(key)
        return hit[2]
    result = score_task(level, catalog, state)
    _CACHE[key] = (level, catalog, result)
    while len(_CACHE) > _CACHE_SIZE:
        _CACHE.popitem(last=False)
    return result
