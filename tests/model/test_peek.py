"""Lifting the causal mask of the decoder level: attention reaches later words, the next
word is perfect in training and worse when writing, and the mask goes back on."""

import numpy as np
import pytest

from game.model import Board, BoardError
from game.model.peek import peek_report
from game.model.saved_board import restore_state, state_to_dict
from game.plugins import load_plugins


@pytest.fixture(scope="module")
def registry():
    return load_plugins(use_user_dir=False, entry_points=False)


def peeking_board(registry):
    board = Board(registry.levels["decoder_01_next_word"], registry)
    board.set_causal(False)
    for query, key in (("one", "two"), ("two", "three"), ("three", "one")):
        board.add_wire(0, query, key, 6.0)
    for feature in ("one", "two", "three"):
        board.add_value_route(0, feature, feature, 1.0)
    return board


def test_peeking_is_perfect_in_training_and_worse_when_writing(registry):
    board = peeking_board(registry)
    head = board.evaluate(0).head(0)
    assert head.allowed.all()  # the mask is lifted: every key may be seen
    later = np.triu(np.ones(head.weights.shape, dtype=bool), k=1)
    assert head.weights[later].sum() > 0
    report = peek_report(board)
    assert report.right_training == report.total == 6
    assert report.right_writing < report.total
    assert not board.evaluate(0).goals_met  # the goal never counts a peeking head
    board.set_causal(True)
    assert peek_report(board) is None
    assert not board.evaluate(0).head(0).allowed[later].any()
    board.undo()
    assert not board.settings.causal


def test_writing_numbers_are_the_masked_boards(registry):
    board = peeking_board(registry)
    report = peek_report(board)
    board.set_causal(True)
    goal = board.evaluate(0).goal_results[0]
    assert f"right at {report.right_writing} of {report.total}" in goal.message


def test_a_lifted_mask_is_saved_and_refused_where_the_level_forbids_it(registry):
    board = peeking_board(registry)
    data = state_to_dict(board.state)
    assert data["settings"]["causal"] is False
    level = registry.levels["decoder_01_next_word"]
    assert restore_state(data, level, registry) == board.state
    masked = Board(level, registry)
    assert "causal" not in state_to_dict(masked.state)["settings"]  # the default stays out
    rope = Board(registry.levels["09_rope"], registry)
    with pytest.raises(BoardError):
        rope.set_causal(False)
