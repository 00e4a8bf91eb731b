"""The scaling goal (the epilogue): the lowest loss a fixed amount of compute can buy."""

from __future__ import annotations

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


def check_scaling(params: Mapping[str, Any], evaluation: EvaluationView) -> GoalResult:
    """Within a compute budget C ≈ 6·N·D, reach a loss of at most `loss`."""
    n_params = 10.0 ** float(evaluation.knob("params_log10"))
    n_tokens = 10.0 ** float(evaluation.knob("tokens_log10"))
    budget, target = float(params["budget"]), float(params["loss"])
    compute = 6.0 * n_params * n_tokens
    loss = chinchilla_loss(n_params, n_tokens)
    if compute > budget * (1 + 1e-9):
        return GoalResult(False, 0.0, f"that needs {compute:.2e} FLOPs; the budget is {budget:.2e}")
    best = chinchilla_loss(1e6, 1e6)  # a tiny model: the bottom of the progress bar
    return GoalResult(
        met=loss <= target,
        progress=progress((best - loss) / max(1e-9, best - target)),
        message=f"loss {loss:.3f} with {compute:.2e} FLOPs; the goal is {target:.3f}",
    )


def validate_scaling(params: Mapping[str, Any], level: LevelView) -> list[str]:
    problems = known_keys(params, {"budget", "loss"}, set())
    problems += number(params, "budget", 1.0, 1e30) if "budget" in params else []
    problems += number(params, "loss", 0.0, 100.0) if "loss" in params else []
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
