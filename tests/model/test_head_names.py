"""Goal messages name heads as the play screen does: "L2·H1" on stacked levels, "head 2"
on one-layer levels (HeadView.name, so goal plugins need no ui code)."""

from __future__ import annotations

from pathlib import Path

import game
from game.levels import load_level_text
from game.model import Board, score
from game.model.views import evaluation_view, head_name
from game.plugins import load_plugins

REGISTRY = load_plugins(no_plugins=True)
TWO_BY_TWO = Path(__file__).parents[1] / "ui" / "play" / "levels" / "two_by_two.toml"


def two_by_two(old: str = "", new: str = ""):
    text = TWO_BY_TWO.read_text(encoding="utf-8")
    if old:
        assert old in text
        text = text.replace(old, new, 1)
    return load_level_text(text, TWO_BY_TWO.name, REGISTRY)


def test_head_names_count_within_their_layer():
    assert head_name(2, 2, 2) == "L2·H1"
    assert head_name(3, 2, 2) == "L2·H2"
    assert head_name(1, 1, 3) == "L2·H1"
    assert head_name(1, 2, 1) == "head 2"


def test_head_views_carry_their_stacked_name():
    board = Board(two_by_two(), REGISTRY)
    view = evaluation_view(board.evaluate_all()[0])
    assert [h.name for h in view.heads] == ["L1·H1", "L1·H2", "L2·H1", "L2·H2"]
    assert view.heads[2].label == "L2·H1"


def test_attention_goal_names_the_layer_two_head_not_head_three():
    """The goal pins head 2 (global, 0-based): layer 2's first head, and the solution makes
    it the one that attends, so the message must say L2·H1."""
    result = score(Board.with_solution(two_by_two(), REGISTRY)).per_sentence[0][0]
    assert result.met
    assert "(L2·H1)" in result.message, result.message
    assert "head 3" not in result.message


def test_pattern_goal_names_the_stacked_head():
    level = two_by_two(
        'type = "attention"\nhead = 2  # global, 0-based: layer 2\'s first head\nquery = "@q"\n'
        'key = "@x"\nat_least = 0.9',
        'type = "pattern"\nhead = 3\npattern = "first"\nwithin = 0.1',
    )
    message = score(Board(level, REGISTRY)).per_sentence[0][0].message
    assert message.startswith("L2·H2 is "), message


def test_one_layer_levels_keep_head_numbers():
    path = Path(game.__file__).parent / "campaign" / "06_two_heads.toml"
    level = load_level_text(path.read_text(encoding="utf-8"), path.name, REGISTRY)
    view = evaluation_view(Board(level, REGISTRY).evaluate_all()[0])
    assert [h.name for h in view.heads] == ["head 1", "head 2"]
