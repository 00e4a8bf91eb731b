"""Intents, controls, limits and undo/redo (with random intent sequences)."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from game.model import Board, BoardError, Settings
from tests.model.fixtures import CATALOG, GOOD, load

LEVEL = load()
FEATURES = list(LEVEL.features)


def board():
    return Board(LEVEL, CATALOG)


def test_start_state_follows_the_level():
    b = board()
    assert b.settings == Settings(scale=True, temperature=1.0, positional="none", parameter=None)
    assert len(b.heads) == 1 and b.heads[0].block == "self" and b.wire_count == 0
    assert not b.can_undo and not b.can_redo and b.revision == 0


def test_every_intent_changes_state_and_revision():
    b = board()
    steps = [
        lambda: b.add_wire(0, "pronoun", "big", 2.0),
        lambda: b.set_wire_strength(0, "pronoun", "big", -3.0),
        lambda: b.add_value_route(0, "big", "big"),
        lambda: b.set_mix(0, 0.5),
        lambda: b.set_scale(False),
        lambda: b.set_temperature(2.0),
        lambda: b.choose_positional("rope"),
        lambda: b.set_positional_parameter(50.0),
        lambda: b.remove_value_route(0, "big", "big"),
        lambda: b.remove_wire(0, "pronoun", "big"),
        lambda: b.reset(),
    ]
    states = [b.state]
    for step in steps:
        revision = b.revision
        step()
        assert b.revision == revision + 1
        assert b.state != states[-1]
        states.append(b.state)
    assert b.state == b.initial_state
    for expected in reversed(states[:-1]):  # undo walks back through every state
        b.undo()
        assert b.state == expected
    assert not b.can_undo
    for expected in states[1:]:
        b.redo()
        assert b.state == expected


def test_no_op_intent_keeps_history_and_revision():
    b = board()
    b.set_scale(True)  # already on
    assert b.revision == 0 and not b.can_undo


def test_new_intent_after_undo_drops_the_redo_branch():
    b = board()
    b.add_wire(0, "pronoun", "big")
    b.undo()
    b.add_wire(0, "noun", "big")
    assert not b.can_redo and b.heads[0].wires[0].query == "noun"


def test_choose_positional_resets_the_parameter_to_the_scheme_default():
    b = board()
    b.choose_positional("alibi")
    assert b.settings.parameter == 1.0
    b.choose_positional("rope")
    assert b.settings.parameter == 100.0


@pytest.mark.parametrize(
    ("control", "intent"),
    [
        ("scale", lambda b: b.set_scale(False)),
        ("temperature", lambda b: b.set_temperature(2.0)),
        ("positional", lambda b: b.choose_positional("rope")),
        ("positional_parameter", lambda b: b.set_positional_parameter(1.0)),
        ("wires", lambda b: b.add_wire(0, "pronoun", "big")),
        ("values", lambda b: b.add_value_route(0, "big", "big")),
        ("mix", lambda b: b.set_mix(0, 2.0)),
    ],
)
def test_controls_are_enforced(control, intent):
    text = GOOD.replace("[controls]\n", f"[controls]\n{control} = false\n", 1)
    text = text.replace(f"\n{control} = true", "")  # the level's own `= true` line, if any
    b = Board(load(text), CATALOG)
    if control == "positional_parameter":
        b.choose_positional("alibi")
    with pytest.raises(BoardError, match="does not let you change"):
        intent(b)
    assert b.revision == (1 if control == "positional_parameter" else 0)


@pytest.mark.parametrize(
    ("intent", "message"),
    [
        (lambda b: b.add_wire(1, "pronoun", "big"), "no head 1"),
        (lambda b: b.add_wire(0, "pronown", "big"), "not a feature"),
        (lambda b: b.add_wire(0, "pronoun", "big", 11.0), "strength must lie"),
        (lambda b: b.add_wire(0, "pronoun", "big", float("nan")), "strength must lie"),
        (lambda b: b.set_wire_strength(0, "noun", "big", 1.0), "no wire"),
        (lambda b: b.remove_wire(0, "noun", "big"), "no wire"),
        (lambda b: b.remove_value_route(0, "noun", "big"), "does not route"),
        (lambda b: b.set_temperature(0.0), "temperature must lie"),
        (lambda b: b.set_mix(0, 99), "mix must lie"),
        (lambda b: b.set_scale(1), "on or off"),
        (lambda b: b.choose_positional("sinusoidal"), "not one of this level"),
        (lambda b: b.set_positional_parameter(5.0), "no parameter"),
    ],
)
def test_limits_raise_board_error_and_leave_state(intent, message):
    b = board()
    before = b.state
    with pytest.raises(BoardError, match=message):
        intent(b)
    assert b.state == before and b.revision == 0


def test_duplicate_wire_and_wire_limit():
    b = board()
    b.add_wire(0, "pronoun", "big")
    with pytest.raises(BoardError, match="already has a wire"):
        b.add_wire(0, "pronoun", "big")

    extra = ["f1", "f2", "f3", "f4"]
    text = GOOD.replace('"shiny"]', '"shiny", "f1", "f2", "f3", "f4"]')
    wide = Board(load(text), CATALOG)
    pairs = [(q, k) for q in FEATURES + extra for k in FEATURES + extra]  # 81 pairs
    for q, k in pairs[:64]:
        wide.add_wire(0, q, k)
    with pytest.raises(BoardError, match="at most 64 wires"):
        wide.add_wire(0, *pairs[64])
    assert wide.wire_count == 64


def test_parameter_range_comes_from_the_scheme():
    b = board()
    b.choose_positional("rope")
    with pytest.raises(BoardError, match="Base must lie in 2.0..10000.0"):
        b.set_positional_parameter(1.0)


def test_evaluation_is_cached_until_the_state_changes():
    b = board()
    first = b.evaluate(0)
    assert b.evaluate(0) is first
    b.add_wire(0, "pronoun", "big")
    assert b.evaluate(0) is not first
    with pytest.raises(BoardError):
        b.evaluate(9)


# -- random intent sequences ------------------------------------------------------------

feature = st.sampled_from(FEATURES)
strength = st.floats(-10, 10, allow_nan=False)
intents = st.one_of(
    st.tuples(st.just("add_wire"), st.just(0), feature, feature, strength),
    st.tuples(st.just("set_wire_strength"), st.just(0), feature, feature, strength),
    st.tuples(st.just("remove_wire"), st.just(0), feature, feature),
    st.tuples(st.just("add_value_route"), st.just(0), feature, feature, strength),
    st.tuples(st.just("remove_value_route"), st.just(0), feature, feature),
    st.tuples(st.just("set_mix"), st.just(0), st.floats(-4, 4)),
    st.tuples(st.just("set_scale"), st.booleans()),
    st.tuples(st.just("set_temperature"), st.floats(0.05, 20)),
    st.tuples(st.just("choose_positional"), st.sampled_from(LEVEL.positional)),
    st.tuples(st.just("set_positional_parameter"), st.floats(0, 200)),
    st.tuples(st.just("reset")),
)


@settings(max_examples=150, deadline=None)
@given(st.lists(intents, max_size=25))
def test_undo_all_then_redo_all_round_trips(sequence):
    b = board()
    initial = b.state
    applied = 0
    for name, *args in sequence:
        before = b.state
        try:
            getattr(b, name)(*args)
        except BoardError:
            assert b.state == before
            continue
        if b.state != before:
            applied += 1
    final = b.state
    revision = b.revision
    assert revision == applied
    for _ in range(applied):
        b.undo()
    assert b.state == initial and not b.can_undo
    b.undo()  # nothing left: no change
    assert b.revision == 2 * applied
    for _ in range(applied):
        b.redo()
    assert b.state == final and not b.can_redo
