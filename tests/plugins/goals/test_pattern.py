"""The pattern goal (plugins/goals/pattern.py): a head's weights against a named pattern.

Levels are small TOML texts loaded with the real loader and the real plugin
registry (tests/plugins/goals/util.py); expected numbers are computed here, independently.
"""

from __future__ import annotations

import numpy as np
import pytest

from game.model import Board
from tests.plugins.goals.util import (
    REGISTRY,
    alignment_level,
    goals_module,
    load,
    pattern_level,
    softmax,
)

PATTERN = goals_module("pattern")


@pytest.mark.parametrize(
    ("pattern", "shape", "alignment", "target", "rows"),
    [
        ("previous", (3, 3), None, [[0, 0, 0], [1, 0, 0], [0, 1, 0]], [0, 1, 1]),
        ("previous", (4, 2), None, [[0, 0], [1, 0], [0, 1], [0, 0]], [0, 1, 1, 0]),
        ("first", (3, 2), None, [[1, 0], [1, 0], [1, 0]], [1, 1, 1]),
        ("diagonal", (2, 3), None, [[1, 0, 0], [0, 1, 0]], [1, 1]),
        ("diagonal", (3, 2), None, [[1, 0], [0, 1], [0, 0]], [1, 1, 0]),
        (
            "alignment",
            (3, 3),
            [[0, 2], [2, 0], [2, 1]],
            [[0, 0, 1], [0, 0, 0], [0.5, 0.5, 0]],
            [1, 0, 1],
        ),
    ],
)
def test_pattern_target_on_small_shapes(pattern, shape, alignment, target, rows):
    got, covered = PATTERN.pattern_target(pattern, *shape, alignment)
    np.testing.assert_array_equal(got, np.array(target, dtype=float))
    np.testing.assert_array_equal(covered, np.array(rows, dtype=bool))


def test_pattern_target_refuses_an_unknown_pattern():
    with pytest.raises(ValueError, match="unknown pattern 'sideways'"):
        PATTERN.pattern_target("sideways", 2, 2)


def test_total_variation_by_hand():
    weights = np.array([[0.5, 0.5], [0.9, 0.1], [0.0, 1.0]])
    target = np.array([[1.0, 0.0], [1.0, 0.0], [1.0, 0.0]])
    # Row distances ½Σ|w − t|: 0.5, 0.1, 1.0; only rows 0 and 1 are covered.
    rows = np.array([True, True, False])
    total_variation = PATTERN.total_variation
    assert total_variation(weights, target, rows) == pytest.approx(0.3)
    assert total_variation(weights, target, np.ones(3, bool)) == pytest.approx(1.6 / 3)
    assert total_variation(weights, target, np.zeros(3, bool)) == 1.0


def my_distance(weights: np.ndarray, target: np.ndarray, rows) -> float:
    rows = np.asarray(rows, dtype=bool)
    return float(
        np.mean([0.5 * np.abs(weights[i] - target[i]).sum() for i in np.flatnonzero(rows)])
    )


def test_a_causal_previous_token_head_passes():
    board = Board(load(pattern_level("previous", 0.1, "decoder")), REGISTRY)
    for i in range(1, 4):
        board.add_wire(0, f"f{i}", f"f{i - 1}", 8.0)
    evaluation = board.evaluate()
    weights = evaluation.heads[0].weights
    # Row i (i ≥ 1) sees keys 0..i, the previous one with logit 8/√4 = 4.
    for i in range(1, 4):
        expected = softmax(np.where(np.arange(i + 1) == i - 1, 4.0, 0.0))
        np.testing.assert_allclose(weights[i, : i + 1], expected, atol=1e-12)
        assert weights[i, i + 1 :].sum() == 0.0
    target = np.eye(4, k=-1)
    distance = my_distance(weights, target, [0, 1, 1, 1])
    result = evaluation.goal_results[0]
    assert distance < 0.1 and result.met
    assert result.message == (
        f"head 1 is {distance:.2f} away from the previous pattern; the goal is 0.10"
    )
    # Row 0 has no previous word: it is not counted, though it can only look at itself.
    assert distance == pytest.approx(np.mean([1 - weights[i, i - 1] for i in range(1, 4)]))


def test_a_uniform_head_fails_with_the_right_distance():
    # Encoder, empty head: every row is uniform over 4 keys; a covered row is ¾ away.
    result = Board(load(pattern_level("previous", 0.2)), REGISTRY).evaluate().goal_results[0]
    assert not result.met
    assert result.message == "head 1 is 0.75 away from the previous pattern; the goal is 0.20"
    assert result.progress == pytest.approx(0.25 / 0.8)
    # Decoder, empty head: row i is uniform over i + 1 keys, i/(i+1) from "first".
    evaluation = Board(load(pattern_level("first", 0.2, "decoder")), REGISTRY).evaluate()
    expected = np.mean([0, 1 / 2, 2 / 3, 3 / 4])
    assert my_distance(evaluation.heads[0].weights, np.eye(4)[[0, 0, 0, 0]], [1] * 4) == (
        pytest.approx(expected)
    )
    result = evaluation.goal_results[0]
    assert not result.met
    assert result.progress == pytest.approx((1 - expected) / 0.8)
    assert (
        result.message == f"head 1 is {expected:.2f} away from the first pattern; the goal is 0.20"
    )


def test_pattern_is_met_at_exactly_within():
    # Uniform weights of 1/4 are exact in binary: each covered row is exactly 0.75 away.
    result = Board(load(pattern_level("previous", 0.75)), REGISTRY).evaluate().goal_results[0]
    assert result.met and result.progress == 1.0
    result = Board(load(pattern_level("previous", 0.7499)), REGISTRY).evaluate().goal_results[0]
    assert not result.met


def test_diagonal_pattern_distance_matches_an_independent_computation():
    board = Board(load(pattern_level("diagonal", 0.3)), REGISTRY)
    for i in range(4):
        board.add_wire(0, f"f{i}", f"f{i}", 6.0)
    evaluation = board.evaluate()
    own = float(softmax([3.0, 0, 0, 0])[0])  # logit 6/√4 on itself, 0 elsewhere
    distance = my_distance(evaluation.heads[0].weights, np.eye(4), [1] * 4)
    assert distance == pytest.approx(1 - own)
    result = evaluation.goal_results[0]
    assert result.met is (distance <= 0.3) is True
    assert result.progress == 1.0


def test_alignment_to_two_source_words_splits_the_target():
    target = np.array([[0, 0.5, 0.5], [1, 0, 0]])
    board = Board(load(alignment_level(0.1)), REGISTRY)
    board.add_wire(0, "adj", "adj", 10.0)
    board.add_wire(0, "adv", "adv", 10.0)
    board.add_wire(0, "noun", "noun", 10.0)
    evaluation = board.evaluate()
    weights = evaluation.heads[0].weights  # (target 2, source 3)
    assert weights.shape == (2, 3)
    distance = my_distance(weights, target, [1, 1])
    assert distance < 0.01
    assert evaluation.goal_results[0].met
    # A head that puts "big" on "grande" alone is half a row away: 0.25 on average.
    board.remove_wire(0, "adv", "adv")
    evaluation = board.evaluate()
    distance = my_distance(evaluation.heads[0].weights, target, [1, 1])
    assert distance == pytest.approx(0.25, abs=0.01)
    result = evaluation.goal_results[0]
    assert not result.met
    assert result.message == (
        f"head 1 is {distance:.2f} away from the alignment pattern; the goal is 0.10"
    )


def test_pattern_head_restricts_to_one_head():
    text = pattern_level("previous", 0.1, "decoder").replace("heads = 1", "heads = 2")
    board = Board(load(text), REGISTRY)
    for i in range(1, 4):
        board.add_wire(1, f"f{i}", f"f{i - 1}", 8.0)
    assert board.evaluate().goal_results[0].met
    assert board.evaluate().goal_results[0].message.startswith("head 2 is")
    only_0 = text.replace("within = 0.1", "within = 0.1\nhead = 0")
    result = Board(load(only_0), REGISTRY, board.state).evaluate().goal_results[0]
    assert not result.met and result.message.startswith("head 1 is")
