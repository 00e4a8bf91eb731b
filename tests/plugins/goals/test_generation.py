"""The generation goal (plugins/goals/generation.py): next words, and no peeking.

Levels are small TOML texts loaded with the real loader and the real plugin
registry (tests/plugins/goals/util.py); expected numbers are computed here, independently.
"""

from __future__ import annotations

import numpy as np
import pytest

from game.api import GoalResult
from game.model import Board
from game.model.views import evaluation_view
from tests.plugins.goals.util import (
    REGISTRY,
    bad,
    generation_level,
    goals_module,
    load,
)

GENERATION = goals_module("generation")


def test_the_shipped_next_word_reference_passes_and_its_start_does_not():
    level = REGISTRY.levels["decoder_01_next_word"]
    solved = Board.with_solution(level, REGISTRY)
    for evaluation in solved.evaluate_all():
        n = len(evaluation.tokens["tokens"])
        assert evaluation.goal_results[0].met
        assert evaluation.goal_results[0].message == (
            f"the next word is right at {n - 1} of {n - 1} positions"
        )
    start = Board(level, REGISTRY).evaluate().goal_results[0]
    assert not start.met and start.progress == 0.0
    assert start.message == (
        'the next word is right at 0 of 6 positions; after "one" it picks "a tie", not "two"'
    )


def test_wrong_value_routes_name_the_first_wrong_position():
    level = REGISTRY.levels["decoder_01_next_word"]
    board = Board.with_solution(level, REGISTRY)
    board.remove_value_route(0, "two", "three")
    board.add_value_route(0, "two", "one")
    # one two three one two three one: every "two" now predicts "one" (positions 1 and 4).
    result = board.evaluate().goal_results[0]
    assert not result.met
    assert result.progress == pytest.approx(4 / 6)
    assert result.message == (
        'the next word is right at 4 of 6 positions; after "two" it picks "one", not "three"'
    )
    held_out = board.evaluate(1).goal_results[0]  # two three one …: wrong at position 0
    assert held_out.message.startswith("the next word is right at 5 of 8 positions; after ")
    assert held_out.message.endswith('after "two" it picks "one", not "three"')


def test_ties_count_as_wrong():
    level = REGISTRY.levels["decoder_01_next_word"]
    board = Board.with_solution(level, REGISTRY)
    board.add_value_route(0, "two", "one")  # "two" now hands over three and one equally
    evaluation = board.evaluate()
    # At position 1 (keys one, two) the output carries one and three equally: a tie. At
    # position 4 the earlier "three" adds more one (three → one), so "one" wins there.
    predicted = GENERATION.predictions(evaluation_view(evaluation))
    assert predicted == ["two", None, "one", "two", "one", "one"]
    result = evaluation.goal_results[0]
    assert not result.met
    assert result.message == (
        'the next word is right at 4 of 6 positions; after "two" it picks "a tie", not "three"'
    )


def test_a_bidirectional_board_that_looks_ahead_is_peeking():
    decoder = Board.with_solution(load(generation_level("decoder")), REGISTRY).evaluate()
    assert decoder.goal_results[0].met
    assert not GENERATION.peeking(evaluation_view(decoder))
    encoder = Board.with_solution(load(generation_level("encoder")), REGISTRY).evaluate()
    # The same heads predict the same words (they mostly look at copies of themselves)…
    predictions = GENERATION.predictions
    assert predictions(evaluation_view(encoder)) == predictions(evaluation_view(decoder))
    # …but every row puts some weight on later words.
    assert (np.triu(encoder.heads[0].weights, k=1) > 0).any()
    assert GENERATION.peeking(evaluation_view(encoder))
    result = encoder.goal_results[0]
    assert not result.met and result.progress == 0.0
    assert result.message == "a position looks at a later word: that is peeking"


def test_a_one_word_sentence_has_nothing_to_predict():
    text = bad(
        generation_level("decoder"),
        'tokens = ["one", "two", "three", "one", "two"]',
        'tokens = ["one", "two", "three", "one", "two"]\n\n[[sentences]]\ntokens = ["three"]',
    )
    board = Board.with_solution(load(text), REGISTRY)
    assert GENERATION.predictions(evaluation_view(board.evaluate(1))) == []
    assert board.evaluate(1).goal_results[0] == GoalResult(
        True, 1.0, "a one-word sentence has no next word to pick"
    )
    assert board.evaluate(0).goal_results[0].met


def test_generation_at_least_a_fraction():
    board = Board.with_solution(load(generation_level("decoder", "at_least = 0.75")), REGISTRY)
    board.remove_value_route(0, "three", "one")  # position 2 ("three") goes wrong: 3 of 4
    result = board.evaluate().goal_results[0]
    assert result.met and result.progress == 1.0
    assert result.message.startswith("the next word is right at 3 of 4 positions")
    board.remove_value_route(0, "two", "three")  # and position 1: 2 of 4
    result = board.evaluate().goal_results[0]
    assert not result.met and result.progress == pytest.approx(0.5 / 0.75)
