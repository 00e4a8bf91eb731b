"""Stacked boards saved and restored, and one head of a layer learned with the others frozen."""

from __future__ import annotations

import json

import pytest

from game.model import Board
from game.model.learn import apply_learned, learn_head
from game.model.saved_board import SavedBoardError, restore_state, state_to_dict
from game.model.spec import HeadSpec
from tests.model.test_layers import REGISTRY, marker_level


def test_a_stacked_board_round_trips_with_its_layers():
    level = marker_level()
    solved = Board.with_solution(level, REGISTRY).state
    data = json.loads(json.dumps(state_to_dict(solved)))
    assert "layer" not in data["heads"][0] and data["heads"][1]["layer"] == 1
    assert restore_state(data, level, REGISTRY) == solved


def test_a_save_whose_heads_sit_in_other_layers_does_not_fit():
    level = marker_level()
    data = state_to_dict(Board.with_solution(level, REGISTRY).state)
    del data["heads"][1]["layer"]  # an old save, or one edited by hand: both in layer 0
    with pytest.raises(SavedBoardError, match="layers"):
        restore_state(data, level, REGISTRY)
    data["heads"][1]["layer"] = "1"
    with pytest.raises(SavedBoardError):
        restore_state(data, level, REGISTRY)


def test_a_layer_two_head_learns_with_layer_one_frozen():
    board = Board.with_solution(marker_level(), REGISTRY)
    layer_one = board.heads[0]
    board.replace_head(1, HeadSpec(block=board.heads[1].block, layer=1))
    learned = learn_head(board, 1)
    apply_learned(board, learned)
    assert board.heads[0] == layer_one and board.heads[1].layer == 1
    assert board.heads[1].wires
    assert board.evaluate(0).goal_results[0].met  # the layer-2 attention goal


def test_an_export_of_a_stacked_board_names_each_heads_layer(tmp_path):
    from game.export import export_to_new_folder
    from game.export.tables import weight_tables

    board = Board.with_solution(marker_level(), REGISTRY)
    tables = weight_tables(board.evaluate(0))
    assert [(t.stem, t.about["layer"]) for t in tables] == [
        ("sentence0_head0_weights", 0),
        ("sentence0_head1_weights", 1),
    ]
    result = export_to_new_folder(board, tmp_path, now=0.0)
    saved = json.loads((result.folder / "board.json").read_text(encoding="utf-8"))
    assert restore_state(saved, board.level, REGISTRY) == board.state
