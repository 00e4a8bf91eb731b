"""The pattern goal: a head's heatmap is close to a named pattern (previous, first, …)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np

from game.api import EvaluationView, GoalResult, GoalType, HeadView, LevelView

from .evaluation import heads_for, progress
from .fields import head_problem, known_keys, number

PATTERNS = ("previous", "first", "diagonal", "alignment")


def pattern_target(
    pattern: str, n_q: int, n_k: int, alignment: Sequence[Sequence[int]] | None = None
) -> tuple[np.ndarray, np.ndarray]:
    """(target (n_q, n_k), rows (n_q,) bool): the pattern's rows, and which rows it covers."""
    target = np.zeros((n_q, n_k))  # (n_q, n_k)
    rows = np.zeros(n_q, dtype=bool)  # (n_q,)
    if pattern == "previous":
        i = np.arange(1, min(n_q, n_k + 1))  # rows with a previous token
        target[i, i - 1] = 1.0
        rows[i] = True
    elif pattern == "first":
        target[:, 0] = 1.0
        rows[:] = n_k > 0
    elif pattern == "diagonal":
        i = np.arange(min(n_q, n_k))
        target[i, i] = 1.0
        rows[i] = True
    elif pattern == "alignment":
        for t, s in alignment or ():
            target[t, s] = 1.0
            rows[t] = True
        totals = target.sum(axis=1, keepdims=True)  # (n_q, 1): a word aligned to several
        target = np.divide(target, totals, out=np.zeros_like(target), where=totals > 0)
    else:
        raise ValueError(f"unknown pattern {pattern!r}; known: {', '.join(PATTERNS)}")
    return target, rows


def total_variation(weights: np.ndarray, target: np.ndarray, rows: np.ndarray) -> float:
    """Mean over the covered rows of ½·Σ_j |weights − target|; 1 when no row is covered."""
    if not rows.any():
        return 1.0
    distance = 0.5 * np.abs(weights - target).sum(axis=1)  # (n_q,)
    return float(distance[rows].mean())


def pattern_heads(
    params: Mapping[str, Any], evaluation: EvaluationView
) -> tuple[list[HeadView], Sequence[Sequence[int]] | None]:
    """The heads a pattern goal looks at, and the sentence's alignment where it needs one:
    an alignment runs from the main sequence (the target) to the other (the source);
    every other pattern stays within the main sequence."""
    main = evaluation.main_sequence
    if params["pattern"] == "alignment":
        key_seq = next((s for s in evaluation.tokens if s != main), main)
        alignment = evaluation.sentence.alignment or ()
    else:
        key_seq, alignment = main, None
    return heads_for(evaluation, params, main, key_seq), alignment


def check_pattern(params: Mapping[str, Any], evaluation: EvaluationView) -> GoalResult:
    """Some head's weights are within `within` (total variation) of a named pattern."""
    pattern, within = params["pattern"], float(params["within"])
    best, best_head = 1.0, None
    heads, alignment = pattern_heads(params, evaluation)
    for head in heads:
        n_q, n_k = head.weights.shape
        target, rows = pattern_target(pattern, n_q, n_k, alignment)
        distance = total_variation(head.weights, target, rows)
        if distance < best:
            best, best_head = distance, head.label
    where = f"{best_head} is" if best_head is not None else "the heads are"
    return GoalResult(
        met=best <= within,
        progress=progress((1.0 - best) / max(1e-9, 1.0 - within)),
        message=f"{where} {best:.2f} away from the {pattern} pattern; the goal is {within:.2f}",
    )


def target_pattern(
    params: Mapping[str, Any], evaluation: EvaluationView, head: HeadView
) -> tuple[np.ndarray, np.ndarray] | None:
    """The pattern itself, on the rows it covers, in a head that joins the right sequences."""
    heads, alignment = pattern_heads(params, evaluation)
    if not any(h is head for h in heads):
        return None
    n_q, n_k = head.weights.shape
    target, rows = pattern_target(params["pattern"], n_q, n_k, alignment)
    return target, rows.astype(float)


def validate_pattern(params: Mapping[str, Any], level: LevelView) -> list[str]:
    problems = known_keys(params, {"pattern", "within"}, {"head"})
    if "pattern" in params and params["pattern"] not in PATTERNS:
        problems.append(f"pattern: must be one of {', '.join(PATTERNS)}, got {params['pattern']!r}")
    problems += number(params, "within", 0.0, 1.0) if "within" in params else []
    problems += head_problem(params, level)
    if params.get("pattern") == "alignment":
        for s, sentence in enumerate(level.sentences):
            if not sentence.alignment:
                problems.append(f"pattern: sentence {s + 1} has no alignment to compare with")
    return problems


GOAL_TYPE = GoalType(
    name="pattern",
    title="Pattern",
    description="A head's heatmap looks like a pattern: previous word, first word, itself, "
    "or a translation's alignment.",
    check=check_pattern,
    validate=validate_pattern,
    target=target_pattern,
)
