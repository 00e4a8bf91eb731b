"""The output goal: what arrives at a word after attention carries a feature."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from game.api import EvaluationView, GoalResult, GoalType, LevelView

from .evaluation import progress, word
from .fields import known_keys, number, position_problems


def check_output(params: Mapping[str, Any], evaluation: EvaluationView) -> GoalResult:
    """The output at `position` carries `feature` at least `at_least` (or at most `at_most`)."""
    sequence = params.get("sequence")
    position = evaluation.locate(params["position"], sequence)
    value = evaluation.output(position.index, params["feature"], position.sequence)
    at = word(evaluation, position.sequence, position.index)
    if "at_least" in params:
        goal = float(params["at_least"])
        met, share = value >= goal, value / goal if goal > 0 else float(value >= goal)
        wanted = f"at least {goal:.2f}"
    else:
        goal = float(params["at_most"])
        met = value <= goal
        share = 1.0 if met else max(0.0, 1.0 - (value - goal))
        wanted = f"at most {goal:.2f}"
    return GoalResult(
        met=bool(met),
        progress=progress(share),
        message=f'the output at "{at}" carries {value:.2f} of {params["feature"]}; '
        f"the goal is {wanted}",
    )


def validate_output(params: Mapping[str, Any], level: LevelView) -> list[str]:
    problems = known_keys(params, {"position", "feature"}, {"at_least", "at_most", "sequence"})
    bounds = [key for key in ("at_least", "at_most") if key in params]
    if len(bounds) != 1:
        problems.append("at_least: give exactly one of at_least and at_most")
    for key in bounds:
        problems += number(params, key, -100.0, 100.0)
    if "feature" in params and params["feature"] not in level.features:
        problems.append(f'feature: "{params["feature"]}" is not one of the level\'s features')
    problems += position_problems(params, level, "position")
    return problems


GOAL_TYPE = GoalType(
    name="output",
    title="Output",
    description="What arrives at a word after attention carries a feature.",
    check=check_output,
    validate=validate_output,
)
