"""The generation goal (decoder levels): the right next word everywhere, without peeking."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np

from game.api import EvaluationView, GoalResult, GoalType, LevelView

from .evaluation import progress
from .fields import known_keys, number


def predictions(evaluation: EvaluationView) -> list[str | None]:
    """The next word chosen at each position but the last: the vocabulary word whose
    features best match the output there (None when several tie)."""
    sequence = evaluation.main_sequence
    words = sorted(evaluation.level.vocab)
    table = np.stack([evaluation.word_vector(w) for w in words])  # (vocab, d_model)
    outputs = evaluation.outputs[sequence]  # (n, d_model)
    scores = outputs[:-1] @ table.T  # (n − 1, vocab)
    chosen: list[str | None] = []
    for row in scores:
        best = np.flatnonzero(np.isclose(row, row.max(), rtol=0, atol=1e-9))
        chosen.append(words[best[0]] if len(best) == 1 else None)
    return chosen


def peeking(evaluation: EvaluationView) -> bool:
    """True when any head lets a position of the main sequence use a later one."""
    sequence = evaluation.main_sequence
    for head in evaluation.heads:
        if head.query_sequence == sequence and head.key_sequence == sequence:
            later = np.triu(np.ones(head.weights.shape, dtype=bool), k=1)  # (n, n)
            if (head.weights[later] > 0).any():
                return True
    return False


def check_generation(params: Mapping[str, Any], evaluation: EvaluationView) -> GoalResult:
    """The next-word choice is right at enough positions, and no position looks ahead."""
    at_least = float(params.get("at_least", 1.0))
    words = evaluation.tokens[evaluation.main_sequence]
    chosen = predictions(evaluation)
    if not chosen:  # nothing to predict: not "0 of 1 positions", which no board could meet
        return GoalResult(True, 1.0, "a one-word sentence has no next word to pick")
    right = sum(c == w for c, w in zip(chosen, words[1:], strict=True))
    total = max(1, len(chosen))
    if peeking(evaluation):
        return GoalResult(False, 0.0, "a position looks at a later word: that is peeking")
    wrong = [i for i, (c, w) in enumerate(zip(chosen, words[1:], strict=True)) if c != w]
    first_wrong = wrong[0] if wrong else None
    detail = (
        f'; after "{words[first_wrong]}" it picks "{chosen[first_wrong] or "a tie"}", '
        f'not "{words[first_wrong + 1]}"'
        if first_wrong is not None
        else ""
    )
    return GoalResult(
        met=right / total >= at_least,
        progress=progress(right / total / at_least) if at_least > 0 else 1.0,
        message=f"the next word is right at {right} of {total} positions{detail}",
    )


def validate_generation(params: Mapping[str, Any], level: LevelView) -> list[str]:
    problems = known_keys(params, set(), {"at_least"})
    problems += number(params, "at_least", 0.0, 1.0) if "at_least" in params else []
    return problems


GOAL_TYPE = GoalType(
    name="generation",
    title="Generation",
    description="At every position the decoder picks the right next word, "
    "using only earlier words.",
    check=check_generation,
    validate=validate_generation,
)
