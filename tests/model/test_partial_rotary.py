"""`rotate_features`: the scheme's rotate turns only the listed q/k columns (partial rotary)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from game.levels import LevelError, load_level_text
from game.model import Board
from game.plugins import load_plugins

REGISTRY = load_plugins(no_plugins=True)
ROPE = Path(REGISTRY.levels["09_rope"].path).read_text(encoding="utf-8")


def rope_level(rotate: str | None):
    """09_rope with two content features beside its position pair x, y."""
    text = ROPE.replace('features = ["x", "y"]', 'features = ["x", "y", "a", "b"]', 1)
    text = text.replace("cat = { x = 1 }", "cat = { x = 1, a = 1 }", 1)
    text = text.replace("mat = { x = 1 }", "mat = { x = 1, a = 1 }", 1)
    if rotate is not None:
        text = text.replace("heads = 1\n", f"heads = 1\nrotate_features = {rotate}\n", 1)
    return load_level_text(text, "rope_partial.toml", REGISTRY)


def test_only_the_listed_columns_turn_and_in_the_order_listed():
    level = rope_level('["y", "x"]')
    board = Board.with_solution(level, REGISTRY)
    board.add_wire(0, "a", "a", 2.0)
    evaluation = board.evaluate(0)
    head = evaluation.heads[0]
    x = evaluation.x["tokens"]  # (n, 4)
    plain_q, plain_k = x @ evaluation.w_q[0], x @ evaluation.w_k[0]  # (n, 4)
    np.testing.assert_array_equal(head.q[:, 2:], plain_q[:, 2:])  # a, b: not turned
    np.testing.assert_array_equal(head.k[:, 2:], plain_k[:, 2:])
    rotate = REGISTRY.positional["rope"].rotate
    positions = np.arange(len(x))
    np.testing.assert_allclose(
        head.q[:, [1, 0]], rotate(plain_q[:, [1, 0]], positions), rtol=0, atol=1e-15
    )
    assert not np.allclose(head.q[:, [1, 0]], plain_q[:, [1, 0]])  # x, y did turn


def test_the_rope_previous_token_head_lives_beside_position_free_content():
    """The 09_rope solution still finds the previous word, and a content wire a → a
    scores every "a" key alike wherever it is (full rotation would turn it too)."""
    partial = Board.with_solution(rope_level('["x", "y"]'), REGISTRY)
    assert partial.evaluate(0).goals_met
    full = Board.with_solution(rope_level(None), REGISTRY)
    for board in (partial, full):
        board.replace_head(0, type(board.heads[0])(block=board.heads[0].block))
        board.add_wire(0, "a", "a", 2.0)
    qk_partial = partial.evaluate(0).heads[0].qk  # (n, n); "cat" at 1, "mat" at 5
    qk_full = full.evaluate(0).heads[0].qk
    assert qk_partial[5, 1] == qk_partial[5, 5] == pytest.approx(2.0)
    assert qk_full[5, 1] != pytest.approx(qk_full[5, 5], abs=1e-6)


@pytest.mark.parametrize(
    ("rotate", "where"),
    [('["x"]', "rotate_features"), ('["x", "z"]', "rotate_features[1]"), ('["x", "x"]', "[1]")],
)
def test_bad_rotate_features_are_located(rotate, where):
    with pytest.raises(LevelError) as error:
        rope_level(rotate)
    assert where in str(error.value) and "rope_partial.toml:" in str(error.value)
