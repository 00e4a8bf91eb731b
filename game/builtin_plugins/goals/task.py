"""The task goal: the board answers a task right on inputs the player never saw.

A circuits level names a task and a readout (`[task]`, `[readout]`); the core
scores the whole board on the held-out inputs once per board state and hands
every goal check the result as `evaluation.task`. The goal is met when the
exact-match accuracy (per scored token) reaches `at_least`.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from game.api import EvaluationView, GoalResult, GoalType, LevelView

from .evaluation import progress
from .fields import known_keys, number


def check_task(params: Mapping[str, Any], evaluation: EvaluationView) -> GoalResult:
    """Held-out accuracy of the readout at least `at_least` (default 0.99)."""
    goal = float(params.get("at_least", 0.99))
    score = evaluation.task
    if score is None:
        return GoalResult(False, 0.0, "this level has no task to score")
    if score.problem:
        return GoalResult(False, 0.0, f"the task could not be scored: {score.problem}")
    met = score.accuracy >= goal
    wrong = score.positions - score.correct
    if score.is_sample:  # the play screen while the player edits (TaskScore.sample_of)
        inputs = (
            f"a quick sample of {score.examples} of the {score.sample_of} inputs you never saw"
            f" (all {score.sample_of} once you pause)"
        )
    else:
        inputs = f"{score.examples} inputs you never saw"
    message = (
        f"{score.accuracy:.1%} of {score.positions} tokens right ({score.unit}) on "
        f"{inputs}; the goal is {goal:.0%}"
    )
    if wrong:
        message += f" ({wrong} wrong)"
    return GoalResult(met=bool(met), progress=progress(score.accuracy / goal), message=message)


def validate_task(params: Mapping[str, Any], level: LevelView) -> list[str]:
    problems = known_keys(params, set(), {"at_least"})
    if "at_least" in params:
        problems += number(params, "at_least", 0.0, 1.0)
    if level.task is None:
        problems.append("type: a task goal needs the level to have a [task] and a [readout]")
    return problems


GOAL_TYPE = GoalType(
    name="task",
    title="Task",
    description="The board answers a task right on held-out random inputs.",
    check=check_task,
    validate=validate_task,
)
