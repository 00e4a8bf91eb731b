"""The output goal (plugins/goals/output.py): a feature carried by the output at a word.

Levels are small TOML texts loaded with the real loader and the real plugin
registry (tests/plugins/goals/util.py); expected numbers are computed here, independently.
"""

from __future__ import annotations

import math

import numpy as np
import pytest

from game.model import Board
from tests.plugins.goals.util import (
    REGISTRY,
    load,
    output_level,
    softmax,
)


def test_output_value_routes_and_mix_change_the_value_by_hand():
    board = Board(load(output_level("at_least = 1.0")), REGISTRY)
    board.add_wire(0, "a", "b", 2.0)
    # q·k on y = 2·1·2 = 4 → logit 4/√3; x and z score 0.
    w = softmax(np.array([0.0, 4.0, 0.0]) / math.sqrt(3))
    assert board.evaluate().output("@here", "c") == 0.0  # no value route yet
    board.add_value_route(0, "b", "c", 0.5)  # v_y[c] = 2·0.5 = 1
    assert board.evaluate().output("@here", "c") == pytest.approx(w[1])
    board.add_value_route(0, "c", "c", -1.0)  # v_z[c] = −1
    assert board.evaluate().output("@here", "c") == pytest.approx(w[1] - w[2])
    board.set_mix(0, 2.0)
    value = 2 * (w[1] - w[2])
    evaluation = board.evaluate()
    assert evaluation.output("@here", "c") == pytest.approx(value)
    result = evaluation.goal_results[0]
    assert value >= 1.0 and result.met and result.progress == 1.0
    assert (
        result.message == f'the output at "x" carries {value:.2f} of c; the goal is at least 1.00'
    )
    board.set_mix(0, 0.5)
    result = board.evaluate().goal_results[0]
    assert not result.met
    assert result.progress == pytest.approx(0.5 * (w[1] - w[2]) / 1.0)


def test_output_sums_the_heads_by_their_mix():
    board = Board(load(output_level("at_least = 0.5", heads=2)), REGISTRY)
    board.add_value_route(0, "c", "c", 3.0)  # uniform head: 3·(1/3) of c
    board.add_value_route(1, "a", "c", 1.0)  # uniform head: 1·(1/3)
    board.set_mix(1, -2.0)
    evaluation = board.evaluate()
    assert evaluation.output("@here", "c") == pytest.approx(1.0 - 2.0 / 3.0)
    assert not evaluation.goal_results[0].met
    assert evaluation.goal_results[0].progress == pytest.approx((1 / 3) / 0.5)


def test_output_at_most():
    board = Board(load(output_level("at_most = 0.2")), REGISTRY)
    result = board.evaluate().goal_results[0]  # empty: the output carries 0
    assert result.met and result.progress == 1.0
    assert result.message == 'the output at "x" carries 0.00 of c; the goal is at most 0.20'
    board.add_value_route(0, "c", "c", 1.5)  # uniform: 0.5
    result = board.evaluate().goal_results[0]
    assert not result.met
    assert result.progress == pytest.approx(1 - (0.5 - 0.2))
    assert result.message == 'the output at "x" carries 0.50 of c; the goal is at most 0.20'
    board.set_mix(0, -1.0)
    result = board.evaluate().goal_results[0]
    assert result.met and "carries -0.50 of c" in result.message


def test_output_at_least_a_negative_amount():
    board = Board(load(output_level("at_least = -0.4")), REGISTRY)
    board.add_value_route(0, "c", "c", 1.5)
    board.set_mix(0, -1.0)  # −0.5 < −0.4
    result = board.evaluate().goal_results[0]
    assert not result.met and result.progress == 0.0
    board.set_mix(0, -0.5)  # −0.25
    result = board.evaluate().goal_results[0]
    assert result.met and result.progress == 1.0
