"""The attention goal: one word puts at least a share of its attention on another."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np

from game.api import EvaluationView, GoalResult, GoalType, HeadView, LevelView

from .evaluation import heads_for, percent, progress, word
from .fields import head_problem, known_keys, number, position_problems


def check_attention(params: Mapping[str, Any], evaluation: EvaluationView) -> GoalResult:
    """Query `query` puts at least `at_least` of its attention on key `key`."""
    # `sequence` picks where bare words and indices point, for both ends, as validate checks.
    query = evaluation.locate(params["query"], params.get("sequence"))
    key = evaluation.locate(params["key"], params.get("sequence"))
    at_least = float(params["at_least"])
    heads = heads_for(evaluation, params, query.sequence, key.sequence)
    masses = [float(h.weights[query.index, key.index]) for h in heads]
    mass = max(masses, default=0.0)
    best = heads[int(np.argmax(masses))].label if masses else None
    q_word = word(evaluation, query.sequence, query.index)
    k_word = word(evaluation, key.sequence, key.index)
    where = ""
    if best is not None and len(evaluation.heads) > 1:
        tied = len(masses) > 1 and max(masses) - min(masses) < 1e-9
        # Several heads alike (none wired yet): naming head 1 would send the player there.
        where = " (in every head alike)" if tied else f" ({best})"
    return GoalResult(
        met=mass >= at_least,
        progress=progress(mass / at_least) if at_least > 0 else 1.0,
        message=f'"{q_word}" puts {percent(mass, at_least)} of its attention on '
        f'"{k_word}"{where}; the goal is {at_least:.0%}',
    )


def target_attention(
    params: Mapping[str, Any], evaluation: EvaluationView, head: HeadView
) -> tuple[np.ndarray, np.ndarray] | None:
    """All of the query's attention on the key, in a head that joins their sequences."""
    query = evaluation.locate(params["query"], params.get("sequence"))
    key = evaluation.locate(params["key"], params.get("key_sequence"))
    if not any(h is head for h in heads_for(evaluation, params, query.sequence, key.sequence)):
        return None
    target = np.zeros(head.weights.shape)  # (n_q, n_k)
    target[query.index, key.index] = 1.0
    row_weight = np.zeros(head.weights.shape[0])  # (n_q,)
    row_weight[query.index] = 1.0
    return target, row_weight


def validate_attention(params: Mapping[str, Any], level: LevelView) -> list[str]:
    problems = known_keys(params, {"query", "key", "at_least"}, {"head", "sequence"})
    problems += number(params, "at_least", 0.0, 1.0) if "at_least" in params else []
    problems += head_problem(params, level)
    problems += position_problems(params, level, "query", "key")
    return problems


GOAL_TYPE = GoalType(
    name="attention",
    title="Attention",
    description="A word puts at least this much of its attention on another word.",
    check=check_attention,
    validate=validate_attention,
    target=target_attention,
)
