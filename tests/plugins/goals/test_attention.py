"""The attention goal (plugins/goals/attention.py): a query's share of attention on a key.

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
    TRANSLATION,
    attention_level,
    goals_module,
    load,
    softmax,
)

EVALUATION = goals_module("evaluation")


def weight_x_on_y(strength: float) -> float:
    """Query x = {a} on keys x, y = {b}, z = {} with one wire a → b, d_k = 2, scale on."""
    return float(softmax(np.array([0.0, strength, 0.0]) / math.sqrt(2))[1])


def board_with_wire(text: str, strength: float, head: int = 0) -> Board:
    board = Board(load(text), REGISTRY)
    board.add_wire(head, "a", "b", strength)
    return board


def test_attention_threshold_is_met_just_above_and_not_just_below():
    level_half = attention_level(0.5)
    # Weight 1/2 exactly when e^{s/√2} = 2: s = √2·ln 2.
    threshold = math.sqrt(2) * math.log(2)
    for strength, met in ((threshold + 1e-6, True), (threshold - 1e-6, False)):
        expected = weight_x_on_y(strength)
        assert (expected >= 0.5) is met
        evaluation = board_with_wire(level_half, strength).evaluate()
        assert evaluation.heads[0].weights[0, 1] == pytest.approx(expected, abs=1e-12)
        (result,) = evaluation.goal_results
        assert result.met is met
        assert result.progress == pytest.approx(1.0 if met else expected / 0.5)


def test_attention_is_met_at_exactly_at_least():
    board = board_with_wire(attention_level(0.5), 1.3)
    weight = float(board.evaluate().heads[0].weights[0, 1])
    assert weight == pytest.approx(weight_x_on_y(1.3), abs=1e-12)
    exactly = Board(load(attention_level(repr(weight))), REGISTRY, board.state).evaluate()
    assert exactly.goal_results[0].met and exactly.goal_results[0].progress == 1.0
    above = repr(float(np.nextafter(weight, 1.0)))
    beyond = Board(load(attention_level(above)), REGISTRY, board.state).evaluate()
    assert not beyond.goal_results[0].met and beyond.goal_results[0].progress < 1.0


def test_attention_head_restricts_to_one_head():
    text_any, text_0, text_1 = (attention_level(0.5, heads=2, head=h) for h in (None, 0, 1))
    state = board_with_wire(text_any, 4.0, head=1).state  # only head 1 (0-based) attends
    weight = weight_x_on_y(4.0)
    results = {
        name: Board(load(text), REGISTRY, state).evaluate().goal_results[0]
        for name, text in (("any", text_any), ("0", text_0), ("1", text_1))
    }
    assert results["any"].met and results["1"].met
    assert not results["0"].met
    assert results["0"].progress == pytest.approx(1 / 3 / 0.5)  # head 0 is uniform over 3
    # With several heads the message says which one (1-based, as the tabs show).
    assert results["any"].message == (
        f'"x" puts {weight:.0%} of its attention on "y" (head 2); the goal is 50%'
    )
    assert results["0"].message == '"x" puts 33% of its attention on "y" (head 1); the goal is 50%'


def test_attention_progress_rises_with_the_weight_and_is_one_when_met():
    text = attention_level(0.6)
    points = []
    for strength in np.linspace(-4.0, 6.0, 41):
        result = board_with_wire(text, float(strength)).evaluate().goal_results[0]
        weight = weight_x_on_y(float(strength))
        points.append((weight, result.progress))
        assert result.met is (weight >= 0.6)
        if result.met:
            assert result.progress == 1.0
        else:
            assert result.progress == pytest.approx(weight / 0.6)
    weights, progress = zip(*sorted(points), strict=True)
    assert all(b >= a for a, b in zip(progress, progress[1:], strict=False))
    assert progress[0] < 0.1 and progress[-1] == 1.0


def test_attention_message_names_both_words_and_the_percentage():
    evaluation = board_with_wire(attention_level(0.75), 2.0).evaluate()
    weight = weight_x_on_y(2.0)
    assert f"{weight:.0%}" == "67%"
    assert evaluation.goal_results[0].message == (
        '"x" puts 67% of its attention on "y"; the goal is 75%'
    )


def test_attention_with_at_least_zero_is_met_without_dividing_by_zero():
    evaluation = Board(load(attention_level(0)), REGISTRY).evaluate()
    assert evaluation.goal_results[0].met and evaluation.goal_results[0].progress == 1.0


def test_attention_between_target_and_source_uses_the_cross_head():
    board = Board(load(TRANSLATION), REGISTRY)
    # The decoder-self head attends strongly within the target: it must not count.
    board.add_wire(0, "noun", "noun", 10.0)
    result = board.evaluate().goal_results[0]
    assert not result.met
    assert result.progress == pytest.approx(1 / 3 / 0.8)  # the empty cross head: uniform
    assert result.message.startswith('"voiture" puts 33% of its attention on "car" (head 2)')
    board.add_wire(1, "noun", "noun", 4.0)
    expected = float(softmax(np.array([0.0, 0.0, 4.0]) / math.sqrt(3))[2])
    evaluation = board.evaluate()
    assert evaluation.heads[1].weights[1, 2] == pytest.approx(expected, abs=1e-12)
    assert evaluation.goal_results[0].met is (expected >= 0.8) is True


def test_attention_reference_in_the_encoder_uses_one_sequence_for_query_and_key():
    # `sequence = "source"` names where bare indices point, for the query and the key alike.
    text = TRANSLATION.replace(
        'query = "@french_noun"\nkey = "@english_noun"',
        'query = 0\nkey = 2\nsequence = "source"',
    ).replace('block = "decoder self"', 'block = "encoder self"')
    board = Board(load(text), REGISTRY)
    board.add_wire(0, "det", "noun", 6.0)
    expected = float(softmax(np.array([0.0, 0.0, 6.0]) / math.sqrt(3))[2])
    result = board.evaluate().goal_results[0]
    assert result.met
    assert result.message.startswith(f'"the" puts {expected:.0%} of its attention on "car"')


def test_a_near_miss_is_not_rounded_up_to_the_goal():
    percent = EVALUATION.percent
    assert percent(0.4996, 0.5) == "49.96%"  # a miss must not read "50% … goal 50%"
    assert percent(0.4949, 0.5) == "49%"
    assert percent(0.51, 0.5) == "51%"


def test_heads_that_are_alike_are_not_named_as_one():
    """Issue 14, item 15: level 6 said "(head 1)" on both goals before any head was wired."""
    result = Board(load(attention_level(0.5, heads=2)), REGISTRY).evaluate().goal_results[0]
    assert "(in every head alike)" in result.message and "(head 1)" not in result.message
