"""Checking a goal's table at load time: the helpers every goal family's `validate` shares.

Each returns a list of messages that start with the field they are about
("at_least: must be from 0 to 1, got 2"), so the loader can point at the
line of the level file that holds it.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

from game.api import LevelView


def number(params: Mapping[str, Any], key: str, low: float, high: float) -> list[str]:
    """A problem when `params[key]` is not a finite number from `low` to `high`."""
    value = params.get(key)
    if isinstance(value, bool) or not isinstance(value, int | float):
        return [f"{key}: must be a number from {low:g} to {high:g}, got {value!r}"]
    if not low <= value <= high or not math.isfinite(value):
        return [f"{key}: must be from {low:g} to {high:g}, got {value!r}"]
    return []


def known_keys(params: Mapping[str, Any], required: set[str], optional: set[str]) -> list[str]:
    """A problem per missing required field and per field the goal does not have."""
    problems = [f"{key}: this goal needs it" for key in sorted(required - set(params))]
    for key in sorted(set(params) - required - optional - {"type"}):
        known = ", ".join(sorted(required | optional))
        problems.append(f"{key}: not a field of this goal (fields: {known})")
    return problems


def head_problem(params: Mapping[str, Any], level: LevelView) -> list[str]:
    """A problem when `head` is given and is not one of the level's head numbers (global:
    layer · heads + i, over every layer)."""
    if "head" not in params:
        return []
    head, count = params["head"], level.heads * level.layers
    if isinstance(head, bool) or not isinstance(head, int) or not 0 <= head < count:
        return [f"head: must be a head number from 0 to {count - 1}, got {head!r}"]
    return []


def position_problems(params: Mapping[str, Any], level: LevelView, *keys: str) -> list[str]:
    """A problem per position reference (`keys`) that fails in some sentence."""
    problems = []
    for key in keys:
        if key in params:
            problem = level.position_problem(params[key], params.get("sequence"))
            if problem:
                problems.append(f"{key}: {problem}")
    return problems


def knob_problems(level: LevelView, goal: str, names: tuple[str, ...], ok, rule: str) -> list[str]:
    """A problem per knob of `names` the level lacks, or whose range `ok(knob)` refuses."""
    problems = []
    for name in names:
        found = level.knob(name)
        if found is None:
            problems.append(f"type: {goal} needs a knob named {name}")
        elif not ok(found):
            problems.append(f"type: the knob {name} {rule}")
    return problems
