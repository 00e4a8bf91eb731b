"""A saved board: the format written into progress files, read back for a level; old saves
load, and damaged ones give None (or a reason), never an exception."""

from __future__ import annotations

import json
import random

import pytest

from game.model import Board
from game.model.saved_board import (
    SavedBoardError,
    restore_state,
    state_from_dict,
    state_to_dict,
)
from game.plugins import load_plugins

REGISTRY = load_plugins(no_plugins=True)

# Best boards exactly as the code before this module wrote them into progress.json
# (game/ui/game_app.py's state_to_dict, commit a154e31): the file format must not change.
OLD_SAVES = {
    "01_trophy": """{"heads": [{"block": "self", "mix": 1.0, "values": [], "wires": [{"key":
        "bulky", "query": "pronoun", "strength": 3.0}]}], "settings": {"knobs": [],
        "parameter": null, "positional": "none", "scale": true, "temperature": 1.0}}""",
    "11_flash": """{"heads": [{"block": "self", "mix": 1.0, "values": [], "wires": []}],
        "settings": {"knobs": [["block_q", 256.0], ["block_k", 16.0]], "parameter": null,
        "positional": "none", "scale": true, "temperature": 1.0}}""",
}


def _as_made_then(level_id: str) -> Board:
    """The boards OLD_SAVES hold, made with today's intents."""
    board = Board(REGISTRY.levels[level_id], REGISTRY)
    if level_id == "01_trophy":
        board.add_wire(0, "pronoun", "bulky", 3.0)
    else:
        board.set_knob("block_q", 256.0)
    return board


@pytest.mark.parametrize("level_id", sorted(OLD_SAVES))
def test_old_saves_load_and_the_format_is_unchanged(level_id):
    old = json.loads(OLD_SAVES[level_id])
    board = _as_made_then(level_id)
    assert restore_state(old, board.level, REGISTRY) == board.state
    assert json.loads(json.dumps(state_to_dict(board.state))) == old


@pytest.mark.parametrize("level_id", ["06_two_heads", "09_rope", "translate_01_red_car"])
def test_a_solution_round_trips_through_json(level_id):
    level = REGISTRY.levels[level_id]
    solved = Board.with_solution(level, REGISTRY).state
    data = json.loads(json.dumps(state_to_dict(solved)))
    assert state_from_dict(data, level, REGISTRY) == solved


def test_a_saved_board_that_no_longer_fits_gives_none_and_a_reason():
    level = REGISTRY.levels["01_trophy"]
    good = state_to_dict(Board.with_solution(level, REGISTRY).state)
    bad_feature = {**good, "heads": [{**good["heads"][0], "wires": [
        {"query": "nope", "key": "noun", "strength": 1.0}]}]}  # fmt: skip
    too_many_heads = {**good, "heads": good["heads"] * 2}
    strong = {**good, "heads": [{**good["heads"][0], "wires": [
        {"query": "pronoun", "key": "noun", "strength": 99.0}]}]}  # fmt: skip
    cold = {**good, "settings": {**good["settings"], "temperature": 0.0}}
    for data in (bad_feature, too_many_heads, strong, cold, {"heads": 3}, [], None):
        assert state_from_dict(data, level, REGISTRY) is None
    with pytest.raises(SavedBoardError, match="01_trophy"):
        restore_state(too_many_heads, level, REGISTRY)
    with pytest.raises(SavedBoardError, match="not a saved board"):
        restore_state({"heads": 3}, level, REGISTRY)


def _damaged(value, rng: random.Random):
    """`value` with one thing somewhere inside it replaced, removed or retyped."""
    junk = [None, "x", -1, 1e309, float("nan"), [], {}, True, [[1, 2]], {"a": 1}]
    if isinstance(value, dict) and value and rng.random() < 0.8:
        key = rng.choice(sorted(value))
        copy = dict(value)
        if rng.random() < 0.2:
            del copy[key]
        else:
            copy[key] = _damaged(value[key], rng)
        return copy
    if isinstance(value, list) and value and rng.random() < 0.8:
        copy = list(value)
        i = rng.randrange(len(copy))
        copy[i] = _damaged(copy[i], rng)
        return copy
    return rng.choice(junk)


@pytest.mark.parametrize("level_id", ["01_trophy", "06_two_heads", "09_rope", "11_flash"])
def test_damaged_saves_never_raise(level_id):
    """A hand-edited or half-written save gives a state or None: never an exception."""
    level = REGISTRY.levels[level_id]
    good = state_to_dict(Board(level, REGISTRY).initial_state)
    rng = random.Random(level_id)
    for _ in range(60):
        data = _damaged(good, rng)
        state = state_from_dict(data, level, REGISTRY)
        assert state is None or Board(level, REGISTRY, state).evaluate(0) is not None
