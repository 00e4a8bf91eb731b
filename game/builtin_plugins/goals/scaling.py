"""The scaling goal (the epilogue): the lowest loss a fixed amount of compute can buy.

Optional: `par`, a loss for the second star (near the best the budget can buy),
and `held_out = { budget, loss }`: on the held-out sentences the player's point
placed again for that budget (the knobs `again_params_log10`, `again_tokens_log10`,
which the level shows only once its goals are met: `after_goals = true`) must
reach that loss there; a level without them carries the visible split (the same
tokens per parameter, the whole budget spent). Either way the third star asks
for the rule (grow data with the model), not for one point.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

from game.api import EvaluationView, GoalResult, GoalType, LevelView

from .evaluation import progress
from .fields import knob_problems, known_keys, number

# Chinchilla's fitted loss, L(N, D) = E + A/N^α + B/D^β (Hoffmann et al. 2022, eq. 10).
CHINCHILLA = {"E": 1.69, "A": 406.4, "B": 410.7, "alpha": 0.34, "beta": 0.28}


def chinchilla_loss(n_params: float, n_tokens: float) -> float:
    """The fitted pre-training loss of a model with N parameters trained on D tokens."""
    c = CHINCHILLA
    return c["E"] + c["A"] / n_params ** c["alpha"] + c["B"] / n_tokens ** c["beta"]


def carried_split(n_params: float, n_tokens: float, budget: float) -> tuple[float, float]:
    """The same tokens per parameter, spending all of `budget` (6·N·D = budget)."""
    ratio = n_tokens / n_params
    n = math.sqrt(budget / (6.0 * ratio))
    return n, ratio * n


def check_scaling(params: Mapping[str, Any], evaluation: EvaluationView) -> GoalResult:
    """Within a compute budget C ≈ 6·N·D, reach a loss of at most `loss`."""
    n_params = 10.0 ** float(evaluation.knob("params_log10"))
    n_tokens = 10.0 ** float(evaluation.knob("tokens_log10"))
    budget, target = float(params["budget"]), float(params["loss"])
    if evaluation.held_out and "held_out" in params:
        return _check_held_out(params["held_out"], evaluation, n_params, n_tokens)
    compute = 6.0 * n_params * n_tokens
    loss = chinchilla_loss(n_params, n_tokens)
    if compute > budget * (1 + 1e-9):
        return GoalResult(False, 0.0, f"that needs {compute:.2e} FLOPs; the budget is {budget:.2e}")
    best = chinchilla_loss(1e6, 1e6)  # a tiny model: the bottom of the progress bar
    par = float(params["par"]) if "par" in params else None
    return GoalResult(
        met=loss <= target,
        progress=progress((best - loss) / max(1e-9, best - target)),
        message=f"loss {loss:.3f} with {compute:.2e} FLOPs; the goal is {target:.3f}"
        + (f" (par {par:.3f})" if par is not None else ""),
        par_met=None if par is None else loss <= par,
    )


def _check_held_out(
    held_out: Mapping[str, Any], evaluation: EvaluationView, n_params: float, n_tokens: float
) -> GoalResult:
    """The player's point placed again at the held-out budget (knobs `again_…`), or, where
    the level has no such knobs, the visible split carried to it."""
    budget, target = float(held_out["budget"]), float(held_out["loss"])
    try:
        n = 10.0 ** float(evaluation.knob("again_params_log10"))
        d = 10.0 ** float(evaluation.knob("again_tokens_log10"))
        how = "your second point"
    except (KeyError, LookupError):
        n, d = carried_split(n_params, n_tokens, budget)
        how = "the same split"
    loss, compute = chinchilla_loss(n, d), 6.0 * n * d
    if compute > budget * (1 + 1e-9):
        return GoalResult(False, 0.0, f"at {budget:.0e} FLOPs, {how} needs {compute:.2e}")
    return GoalResult(
        met=loss <= target,
        progress=progress(1.0 if loss <= target else target / loss),
        message=f"at {budget:.0e} FLOPs, {how} (N = {n:.2g}, D = {d:.2g}) "
        f"reaches loss {loss:.3f}; the goal there is {target:.3f}",
    )


def validate_scaling(params: Mapping[str, Any], level: LevelView) -> list[str]:
    problems = known_keys(params, {"budget", "loss"}, {"par", "held_out"})
    problems += number(params, "budget", 1.0, 1e30) if "budget" in params else []
    problems += number(params, "loss", 0.0, 100.0) if "loss" in params else []
    problems += number(params, "par", 0.0, 100.0) if "par" in params else []
    held_out = params.get("held_out")
    if held_out is not None and not isinstance(held_out, Mapping):
        problems.append("held_out: must be a table { budget, loss }")
    elif held_out is not None:
        problems += [f"held_out.{p}" for p in known_keys(held_out, {"budget", "loss"}, set())]
        for key, low, high in (("budget", 1.0, 1e30), ("loss", 0.0, 100.0)):
            if key in held_out:
                problems += [f"held_out.{p}" for p in number(held_out, key, low, high)]
    problems += knob_problems(
        level,
        "a scaling goal",
        ("params_log10", "tokens_log10"),
        lambda knob: 0 <= knob.low < knob.high <= 30,
        "is a power of ten from 0 to 30",
    )
    return problems


GOAL_TYPE = GoalType(
    name="scaling",
    title="Scaling",
    description="The lowest loss a fixed amount of compute can buy.",
    check=check_scaling,
    validate=validate_scaling,
)
