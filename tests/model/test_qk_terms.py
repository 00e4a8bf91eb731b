"""The inspector's "where q·k comes from": the wires' terms are the model's own numbers and
add up to the forward pass's q·k, times the feature repeats of a large d_k."""

import pytest

from game.model import Board
from game.model.qk_terms import qk_terms
from game.plugins import load_plugins
from game.ui.play.inspector import qk_lines


@pytest.fixture(scope="module")
def registry():
    return load_plugins(use_user_dir=False, entry_points=False)


def test_level_four_cat_and_dog_come_from_one_wire_repeated_sixteen_times(registry):
    level = registry.levels["04_scale"]
    ev = Board(level, registry).evaluate(0)
    cat, dog = qk_terms(ev, 0, 7, 1), qk_terms(ev, 0, 7, 4)
    assert cat.repeats == dog.repeats == level.d_k // len(level.features) == 16
    assert [t.value for t in cat.terms] == [1.0] and [t.value for t in dog.terms] == [0.8]
    assert cat.adds_up and dog.adds_up
    assert cat.qk == pytest.approx(16.0) and dog.qk == pytest.approx(12.8)
    lines = qk_lines(dog)
    assert "16 times" in lines[1] and "12.8" in lines[1] and "0.8" in lines[0]


@pytest.mark.parametrize("level_id", ["01_trophy", "06_two_heads", "08_sinusoidal"])
def test_the_terms_add_up_to_the_models_qk_on_every_cell(registry, level_id):
    level = registry.levels[level_id]
    ev = Board.with_solution(level, registry).evaluate(0)
    for head in range(len(ev.heads)):
        n_q, n_k = ev.head(head).qk.shape
        for i in range(n_q):
            for j in range(n_k):
                parts = qk_terms(ev, head, i, j)
                assert parts.adds_up, (head, i, j)


def test_a_turning_scheme_is_said_to_change_the_sum(registry):
    level = registry.levels["09_rope"]
    ev = Board.with_solution(level, registry).evaluate(0)
    parts = qk_terms(ev, 0, 3, 2)
    assert not parts.adds_up
    assert "turned q and k" in qk_lines(parts)[1]
