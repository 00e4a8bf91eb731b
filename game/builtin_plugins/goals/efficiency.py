"""The efficiency goal (the FlashAttention level): tiles that fit in SRAM, little HBM traffic.

Optional: `par`, the HBM traffic of a best tile shape (the second star), and
`held_out = { n, d, sram, budget }`, another machine and sequence that the same
tiles must also fit and stay within (checked on the held-out sentences, so it is
the third star: the rule carries over, not just the numbers).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from game.api import EvaluationView, GoalResult, GoalType, LevelView

from .evaluation import progress
from .fields import knob_problems, known_keys, number

LIMITS = (("n", 1_000_000), ("d", 1024), ("sram", 10_000_000), ("budget", 1e15))
SETUP = ("n", "d", "sram", "budget")


def check_efficiency(params: Mapping[str, Any], evaluation: EvaluationView) -> GoalResult:
    """The chosen tiles fit in SRAM and move at most `budget` elements to and from HBM."""
    held_out = evaluation.held_out and "held_out" in params
    setup = params["held_out"] if held_out else params
    n, d, sram, budget = (int(setup[key]) for key in SETUP)
    block_q, block_k = int(evaluation.knob("block_q")), int(evaluation.knob("block_k"))
    io = evaluation.hbm_traffic(n=n, d=d, sram=sram, block_q=block_q, block_k=block_k)
    where = f" (held out: n = {n:,}, d = {d}, SRAM {sram:,})" if held_out else ""
    if not io.fits:
        return GoalResult(
            False,
            0.0,
            f"tiles of {block_q}×{block_k} do not fit in {sram:,} elements of SRAM{where}",
        )
    par = None if held_out or "par" not in params else io.total <= int(params["par"])
    par_text = f"; par {int(params['par']):,}" if par is not None else ""
    return GoalResult(
        met=io.total <= budget,
        progress=progress(budget / io.total if io.total else 1.0),
        message=f"HBM traffic is {io.total:,} elements ({io.reads:,} read, "
        f"{io.writes:,} written); the budget is {budget:,}{par_text}{where}",
        par_met=par,
    )


def validate_efficiency(params: Mapping[str, Any], level: LevelView) -> list[str]:
    problems = known_keys(params, set(SETUP), {"par", "held_out"})
    problems += _setup_problems(params, "")
    if "par" in params:
        problems += number(params, "par", 1, 1e15)
    held_out = params.get("held_out")
    if held_out is not None:
        if not isinstance(held_out, Mapping):
            problems.append("held_out: must be a table { n, d, sram, budget }")
        else:
            problems += [f"held_out.{p}" for p in known_keys(held_out, set(SETUP), set())]
            problems += _setup_problems(held_out, "held_out.")
    problems += knob_problems(
        level,
        "an efficiency goal",
        ("block_q", "block_k"),
        lambda knob: knob.integer and knob.low >= 1,
        "must be whole numbers from 1 up",
    )
    return problems


def _setup_problems(params: Mapping[str, Any], prefix: str) -> list[str]:
    problems = []
    for key, high in LIMITS:
        if key in params:
            problem = number(params, key, 1, high)
            if not problem and params[key] != int(params[key]):
                problem = [f"{key}: must be a whole number of elements, got {params[key]!r}"]
            problems += [prefix + p for p in problem]
    return problems


GOAL_TYPE = GoalType(
    name="efficiency",
    title="Efficiency",
    description="Tiles that fit in on-chip SRAM, moving little data to and from HBM.",
    check=check_efficiency,
    validate=validate_efficiency,
)
