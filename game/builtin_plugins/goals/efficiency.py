"""The efficiency goal (the FlashAttention level): tiles that fit in SRAM, little HBM traffic."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from game.api import EvaluationView, GoalResult, GoalType, LevelView

from .evaluation import progress
from .fields import knob_problems, known_keys, number

LIMITS = (("n", 1_000_000), ("d", 1024), ("sram", 10_000_000), ("budget", 1e15))


def check_efficiency(params: Mapping[str, Any], evaluation: EvaluationView) -> GoalResult:
    """The chosen tiles fit in SRAM and move at most `budget` elements to and from HBM."""
    n, d, sram, budget = (int(params[key]) for key in ("n", "d", "sram", "budget"))
    block_q, block_k = int(evaluation.knob("block_q")), int(evaluation.knob("block_k"))
    io = evaluation.hbm_traffic(n=n, d=d, sram=sram, block_q=block_q, block_k=block_k)
    if not io.fits:
        return GoalResult(
            False, 0.0, f"tiles of {block_q}×{block_k} do not fit in {sram:,} elements of SRAM"
        )
    return GoalResult(
        met=io.total <= budget,
        progress=progress(budget / io.total if io.total else 1.0),
        message=f"HBM traffic is {io.total:,} elements ({io.reads:,} read, "
        f"{io.writes:,} written); the budget is {budget:,}",
    )


def validate_efficiency(params: Mapping[str, Any], level: LevelView) -> list[str]:
    problems = known_keys(params, {"n", "d", "sram", "budget"}, set())
    for key, high in LIMITS:
        if key in params:
            problem = number(params, key, 1, high)
            if not problem and params[key] != int(params[key]):
                problem = [f"{key}: must be a whole number of elements, got {params[key]!r}"]
            problems += problem
    problems += knob_problems(
        level,
        "an efficiency goal",
        ("block_q", "block_k"),
        lambda knob: knob.integer and knob.low >= 1,
        "must be whole numbers from 1 up",
    )
    return problems


GOAL_TYPE = GoalType(
    name="efficiency",
    title="Efficiency",
    description="Tiles that fit in on-chip SRAM, moving little data to and from HBM.",
    check=check_efficiency,
    validate=validate_efficiency,
)
