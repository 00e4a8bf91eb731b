"""The "train this head" bridge: levels become training problems, and learned heads solve them.

The strongest check the campaign has: for every single-head level the player
can wire, a head trained by gradient descent on the visible sentence alone
earns all three stars, so each of these levels is solvable, within par, by a
head that generalises.
"""

from __future__ import annotations

import numpy as np
import pytest

from game.model.board import Board, BoardError
from game.model.learn import (
    NothingToLearn,
    apply_learned,
    learn_head,
    training_problems,
    watch,
)
from game.model.spec import HeadSpec, Wire
from game.model.stars import score
from game.model.train import scores
from game.plugins import load_plugins

REGISTRY = load_plugins(no_plugins=True)

# Single-head levels whose wires the player sets, and whose goals are attention patterns.
LEARNABLE = sorted(
    level.id
    for level in REGISTRY.levels.values()
    if level.heads == 1 or level.id == "10_alibi"
    if level.controls.wires
    if any(REGISTRY.goal_types[goal.type].target for goal in level.goals)
)


def test_the_learnable_levels_are_the_ones_expected():
    assert len(LEARNABLE) >= 10
    assert {"01_trophy", "08_sinusoidal", "09_rope", "10_alibi", "translate_01_red_car"} <= set(
        LEARNABLE
    )


@pytest.mark.parametrize("level_id", LEARNABLE)
def test_a_head_trained_on_the_visible_sentence_earns_three_stars(level_id):
    level = REGISTRY.levels[level_id]
    board = Board(level, REGISTRY)
    if level_id == "07_word_order":
        board.choose_positional("learned")  # impossible without positions (see test_campaign)
    learned = learn_head(board, 0)
    apply_learned(board, learned)
    result = score(board)
    assert result.stars == 3, [g.message for r in result.per_sentence for g in r if not g.met]
    assert board.wire_count <= level.par


@pytest.mark.parametrize("level_id", ["08_sinusoidal", "09_rope", "10_alibi", "07_word_order"])
def test_scores_are_linear_in_the_wires_for_every_scheme(level_id):
    """basis·B + offset equals the board's own logits for random wires."""
    level = REGISTRY.levels[level_id]
    board = Board(level, REGISTRY)
    if level_id == "07_word_order":
        board.choose_positional("learned")
    rng = np.random.default_rng(3)
    features = level.features
    strengths = rng.uniform(-3, 3, size=(len(features), len(features)))  # (d, d)
    wires = tuple(
        Wire(q, k, float(strengths[a, b]))
        for a, q in enumerate(features)
        for b, k in enumerate(features)
    )
    problems = training_problems(board, 0, range(len(level.sentences)))
    board.replace_head(0, HeadSpec(wires, board.state.heads[0].values, board.heads[0].block))
    for s, problem in enumerate(problems):
        logits = board.evaluate(s).heads[0].logits  # (n_q, n_k)
        allowed = board.evaluate(s).heads[0].allowed
        np.testing.assert_allclose(
            scores(strengths, problem)[allowed], logits[allowed], rtol=0, atol=1e-9
        )


def test_goals_without_a_pattern_give_nothing_to_learn():
    board = Board(REGISTRY.levels["decoder_01_next_word"], REGISTRY)
    with pytest.raises(NothingToLearn, match="no goal"):
        training_problems(board, 0)


def test_applying_a_learned_head_is_one_undoable_change():
    board = Board(REGISTRY.levels["01_trophy"], REGISTRY)
    before = board.state
    apply_learned(board, learn_head(board, 0))
    assert board.wire_count == 1 and board.state.heads[0].wires[0].key == "bulky"
    board.undo()
    assert board.state == before


def test_watch_yields_boards_that_improve():
    board = Board(REGISTRY.levels["01_trophy"], REGISTRY)
    frames = []
    for step, scratch in watch(board, 0):
        frames.append((step.loss, scratch.evaluate(0).weight(0, "@pronoun", "@referent")))
        if step.step >= 150:
            break
    assert frames[-1][0] < frames[0][0] / 5
    assert frames[-1][1] > 0.5 > frames[0][1]
    assert board.wire_count == 0, "watching must not change the player's board"


def test_replace_head_keeps_the_rules_of_wiring_by_hand():
    board = Board(REGISTRY.levels["01_trophy"], REGISTRY)
    block = board.heads[0].block
    with pytest.raises(BoardError, match="not a feature"):
        board.replace_head(0, HeadSpec((Wire("pronoun", "colour", 1.0),), (), block))
    with pytest.raises(BoardError, match="strength"):
        board.replace_head(0, HeadSpec((Wire("pronoun", "noun", 99.0),), (), block))
    with pytest.raises(BoardError, match="one wire"):
        twice = (Wire("pronoun", "noun", 1.0), Wire("pronoun", "noun", 2.0))
        board.replace_head(0, HeadSpec(twice, (), block))
    locked = Board(REGISTRY.levels["04_scale"], REGISTRY)
    with pytest.raises(BoardError, match="wires"):
        locked.replace_head(0, HeadSpec((), locked.heads[0].values, locked.heads[0].block))


@pytest.mark.parametrize("backend", ["tiled", "auto", REGISTRY.backends["naive"]])
def test_the_chosen_backend_computes_the_same_outputs_as_the_reference(backend):
    """The settings' backend computes the head outputs; weights stay float64 reference."""
    for level_id in ("06_two_heads", "10_alibi", "translate_02_dictionary", "09_rope"):
        level = REGISTRY.levels[level_id]
        state = Board.with_solution(level, REGISTRY).state
        reference = Board(level, REGISTRY, state)
        chosen = Board(level, REGISTRY, state, backend=backend)
        for s in range(len(level.sentences)):
            want, got = reference.evaluate(s), chosen.evaluate(s)
            for seq in want.outputs:
                np.testing.assert_allclose(got.outputs[seq], want.outputs[seq], atol=1e-12, rtol=0)
            for hw, hg in zip(want.heads, got.heads, strict=True):
                assert np.array_equal(hw.weights, hg.weights)


def test_a_slider_drag_is_one_undo_step():
    """Changes with the same merge key in a row replace each other: undo goes back past
    the whole drag; another key, or any other change in between, starts a new step."""
    board = Board(REGISTRY.levels["05_temperature"], REGISTRY)
    start = board.state
    for t in (0.9, 0.7, 0.5, 0.3):
        board.set_temperature(t, merge=1)
    assert board.settings.temperature == 0.3
    board.undo()
    assert board.state == start and not board.can_undo
    board.redo()
    assert board.settings.temperature == 0.3
    board.set_temperature(0.2, merge=2)  # the next drag
    board.set_temperature(0.25, merge=2)
    board.set_temperature(0.4)  # a key press: its own step
    board.undo()
    assert board.settings.temperature == 0.25
    board.undo()
    assert board.settings.temperature == 0.3


def test_value_route_strength_is_an_undoable_intent_that_scales_the_output():
    level = REGISTRY.levels["02_query_key_value"]
    board = Board.with_solution(level, REGISTRY)
    before = board.evaluate(0).output("@pronoun", "animal")
    board.set_value_strength(0, "animal", "animal", 0.5)
    assert board.evaluate(0).output("@pronoun", "animal") == pytest.approx(before / 2, abs=1e-12)
    board.undo()
    assert board.evaluate(0).output("@pronoun", "animal") == pytest.approx(before, abs=1e-12)
    with pytest.raises(BoardError, match="does not route"):
        board.set_value_strength(0, "noun", "animal", 0.5)
    locked = Board(REGISTRY.levels["04_scale"], REGISTRY)
    with pytest.raises(BoardError, match="values"):
        locked.set_value_strength(0, "noun", "noun", 2.0)
