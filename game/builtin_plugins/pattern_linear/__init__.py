"""The `linear-elu` attention pattern: linear attention with the feature map elu(x) + 1.

Katharopoulos, Vyas, Pappas and Fleuret 2020, "Transformers are RNNs: Fast
Autoregressive Transformers with Linear Attention" (arXiv:2006.16236), §3.2.
Softmax weighs key j for query i by exp(q_i·k_j), which needs every pair.
Linear attention weighs it by φ(q_i)·φ(k_j) with φ(x) = elu(x) + 1 (x + 1 for
x > 0, eˣ otherwise: always positive), so the sum over keys can be done once
for all queries and the cost grows with n instead of n². The board computes
that O(n) formula (`game.api.AttentionPattern.feature_map`) and shows the exact
softmax weights beside it.

The price: φ(q)·φ(k) grows only linearly in q·k where exp grows
exponentially, so linear attention cannot be as sharp as softmax. A gentle,
spread-out pattern comes out nearly the same; a sharp, one-hot pattern does
not. The package ships its concept ("Linear attention"), a goal type that
bounds the difference from softmax, and a level (`levels/`). It is written
only against `game.api`, as a worked example for plugin authors.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

import numpy as np

from game.api import (
    AttentionPattern,
    Concept,
    EvaluationView,
    GoalResult,
    GoalType,
    LevelView,
    hookimpl,
)

DESCRIPTION = (
    "Linear attention replaces softmax's exp(q·k) with a product of two small "
    "feature vectors, f(q)·f(k), so the sum over all keys is done once instead of "
    "once per word: the cost grows with n, not n². Soft patterns survive; sharp "
    "ones blur."
)


def elu_plus_one(x: object, **_: object) -> np.ndarray:
    """(..., n, d) -> (..., n, d): φ(x) = elu(x) + 1, positive everywhere."""
    x = np.asarray(x, dtype=np.float64)
    return np.where(x > 0, x + 1.0, np.exp(np.minimum(x, 0.0)))  # (..., n, d)


def row_difference(head: Any, row: int) -> float:
    """Total variation between the head's linear and exact softmax weights in one row (0..1)."""
    if head.exact_weights is None:
        return 0.0
    return 0.5 * float(np.abs(head.weights[row] - head.exact_weights[row]).sum())


def check_close(params: Mapping[str, Any], evaluation: EvaluationView) -> GoalResult:
    """Query `query`'s linear-attention weights differ from softmax's by at most `within`."""
    query = evaluation.locate(params["query"])
    within = float(params["within"])
    gap = max((row_difference(h, query.index) for h in evaluation.heads), default=0.0)
    word = evaluation.tokens[query.sequence][query.index]
    return GoalResult(
        met=gap <= within,
        progress=1.0 if gap <= within else max(0.0, min(1.0, within / gap)),
        message=f'"{word}": linear attention differs from softmax by {gap:.0%} '
        f"(total variation); the goal is at most {within:.0%}",
    )


def validate_close(params: Mapping[str, Any], level: LevelView) -> list[str]:
    problems = [f"{key}: this goal needs it" for key in ("query", "within") if key not in params]
    problems += [f"{key}: not a field of this goal (fields: query, within)"
                 for key in sorted(set(params) - {"type", "query", "within"})]  # fmt: skip
    within = params.get("within", 0)
    if isinstance(within, bool) or not isinstance(within, int | float) or not 0 <= within <= 1:
        problems.append(f"within: must be a number from 0 to 1, got {within!r}")
    if "query" in params and (problem := level.position_problem(params["query"])):
        problems.append(f"query: {problem}")
    return problems


@hookimpl
def switchyard_register_attention_patterns(register):
    """Register `linear-elu`: linear attention with φ(x) = elu(x) + 1."""
    register(
        AttentionPattern(
            name="linear-elu",
            title="Linear attention (elu + 1)",
            description=DESCRIPTION,
            feature_map=elu_plus_one,
            reference="Katharopoulos et al. 2020, 'Transformers are RNNs: Fast Autoregressive "
            "Transformers with Linear Attention' (arXiv:2006.16236)",
        )
    )


@hookimpl
def switchyard_register_goal_types(register):
    """Register `matches_softmax`: linear attention stays within a distance of softmax."""
    register(
        GoalType(
            name="matches_softmax",
            title="Close to softmax",
            description="A word's linear-attention weights stay close to exact softmax's.",
            check=check_close,
            validate=validate_close,
        )
    )


@hookimpl
def switchyard_register_concepts(register):
    """Register the linear-attention chapter, after sparse attention and before scaling."""
    register(
        Concept(
            id="linear",
            title="Linear attention",
            order=126,
            description="A kernel feature map in place of softmax: O(n), but never sharp.",
        )
    )


@hookimpl
def switchyard_register_levels(register):
    register(Path(__file__).parent / "levels")
