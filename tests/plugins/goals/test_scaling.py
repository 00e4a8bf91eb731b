"""The scaling goal (plugins/goals/scaling.py): Chinchilla's loss within a compute budget.

Levels are small TOML texts loaded with the real loader and the real plugin
registry (tests/plugins/goals/util.py); expected numbers are computed here, independently.
"""

from __future__ import annotations

import pytest

from game.model import Board, BoardError, score
from tests.plugins.goals.util import (
    REGISTRY,
    efficiency_level,
    goals_module,
    load,
    scaling_level,
)

SCALING = goals_module("scaling")


def chinchilla(n_params: float, n_tokens: float) -> float:
    return 1.69 + 406.4 / n_params**0.34 + 410.7 / n_tokens**0.28


def test_scaling_against_the_chinchilla_formula():
    loss = chinchilla(1e9, 1e9)
    assert loss == pytest.approx(SCALING.chinchilla_loss(1e9, 1e9), rel=1e-12)
    for target, met in ((loss + 1e-9, True), (loss - 1e-9, False)):
        result = Board(load(scaling_level("6e18", repr(target))), REGISTRY).evaluate()
        (result,) = result.goal_results
        assert result.met is met
        assert result.message == f"loss {loss:.3f} with 6.00e+18 FLOPs; the goal is {target:.3f}"
    # Progress runs from a 10^6 × 10^6 model (0) to the target (1).
    worst = chinchilla(1e6, 1e6)
    target = 2.5
    result = Board(load(scaling_level("6e18", "2.5")), REGISTRY).evaluate().goal_results[0]
    assert loss > target and not result.met
    assert result.progress == pytest.approx((worst - loss) / (worst - target))


def test_scaling_over_budget_fails():
    # 6·10^9·10^9 = 6e18: exactly the budget is allowed, a little less is not.
    assert Board(load(scaling_level("6e18", "5")), REGISTRY).evaluate().goal_results[0].met
    result = Board(load(scaling_level("5.9e18", "5")), REGISTRY).evaluate().goal_results[0]
    assert not result.met and result.progress == 0.0
    assert result.message == "that needs 6.00e+18 FLOPs; the budget is 5.90e+18"


def test_shipped_scaling_level_start_fails_and_solution_passes():
    level = REGISTRY.levels["12_scaling"]
    params = level.goals[0].params
    start, solved = Board(level, REGISTRY), Board.with_solution(level, REGISTRY)
    for board, met in ((start, False), (solved, True)):
        n_params = 10 ** board.settings.knob("params_log10")
        n_tokens = 10 ** board.settings.knob("tokens_log10")
        assert 6 * n_params * n_tokens <= params["budget"]
        assert (chinchilla(n_params, n_tokens) <= params["loss"]) is met
        visible, *held_out = board.evaluate_all()
        assert visible.goal_results[0].met is met
        assert visible.goal_results[0].message.startswith(
            f"loss {chinchilla(n_params, n_tokens):.3f} with "
        )
        for evaluation in held_out:  # the split carried to the held-out budget
            assert evaluation.goal_results[0].met is met
            assert evaluation.goal_results[0].message.startswith("at 1e+23 FLOPs, your second")
    # Spending more than the budget on the solution's model fails, however low the loss.
    solved.set_knob("tokens_log10", 13)
    assert not solved.evaluate().goal_results[0].met


def test_set_knob_rounds_integer_knobs_and_refuses_out_of_range_values():
    board = Board(load(efficiency_level(1024, 32, 16384, 10**9)), REGISTRY)
    board.set_knob("block_q", 31.6)
    board.set_knob("block_k", 127.4)
    assert board.settings.knob("block_q") == 32.0 and board.settings.knob("block_k") == 127.0
    assert board.evaluate().knob("block_q") == 32.0
    revision = board.revision
    for name, value in (("block_q", 0), ("block_q", 256.6), ("block_k", 513), ("block_k", -1)):
        with pytest.raises(BoardError, match="must lie in"):
            board.set_knob(name, value)
    for bad in (float("nan"), float("inf"), True, "32"):
        with pytest.raises(BoardError):
            board.set_knob("block_q", bad)
    with pytest.raises(BoardError, match='no knob "block_r"'):
        board.set_knob("block_r", 4)
    assert board.revision == revision
    board.set_knob("block_q", 256)  # the ends are in range
    board.set_knob("block_q", 1)
    assert board.settings.knob("block_q") == 1.0
    scaling = Board(load(scaling_level("1e21", "3")), REGISTRY)
    scaling.set_knob("params_log10", 9.37)  # not an integer knob: kept as it is
    assert scaling.settings.knob("params_log10") == 9.37


def test_scaling_stars_par_and_the_point_placed_again_for_a_held_out_budget():
    """Star 2: a loss near the best for the budget. Star 3: the point placed again
    (the `again_` knobs, offered once the goals are met) reaches the held-out loss."""
    level = REGISTRY.levels["12_scaling"]
    params = level.goals[0].params
    board = Board(level, REGISTRY)
    assert [k.name for k in level.knobs if k.after_goals] == [
        "again_params_log10",
        "again_tokens_log10",
    ]

    def stars_for(n_log, d_log, again=(8.0, 9.0)):
        for name, value in zip(
            ("params_log10", "tokens_log10", "again_params_log10", "again_tokens_log10"),
            (n_log, d_log, *again),
            strict=True,
        ):
            board.set_knob(name, value)
        return score(board)

    near = stars_for(9.5, 10.7)  # within the goal, not at par, nothing placed again
    assert chinchilla(10**9.5, 10**10.7) <= params["loss"] < chinchilla(10**9.5, 10**10.7) + 0.01
    assert near.goals_met and not near.under_par and not near.generalises
    held = params["held_out"]
    assert chinchilla(10**10.2, 10**12.0) <= held["loss"]
    assert stars_for(9.3, 10.9, (10.2, 12.0)).stars == 3
    too_big = stars_for(9.3, 10.9, (10.2, 12.3))  # 6·N·D over the held-out budget
    assert 6 * 10**22.5 > held["budget"] and not too_big.generalises
    assert "needs" in too_big.per_sentence[1][0].message


def test_without_again_knobs_the_split_is_carried_to_the_held_out_budget():
    text = scaling_level("1e21", "2.35").replace(
        "loss = 2.35\n", "loss = 2.35\nheld_out = { budget = 1e23, loss = 2.015 }\n"
    )
    board = Board(load(text + '\n[[sentences]]\ntokens = ["models", "bigger"]\n'), REGISTRY)
    for n_log, d_log in ((9.3, 10.9), (9.6, 10.6)):  # 40 and 10 tokens per parameter
        board.set_knob("params_log10", n_log)
        board.set_knob("tokens_log10", d_log)
        ratio = 10 ** (d_log - n_log)
        n = (1e23 / (6 * ratio)) ** 0.5
        held = board.evaluate_all()[1].goal_results[0]
        assert held.message.startswith("at 1e+23 FLOPs, the same split")
        assert held.met is (chinchilla(n, ratio * n) <= 2.015)
    assert not held.met  # 10 tokens per parameter is too few at 10^23
