"""The "train this head" bridge: levels become training problems, and learned heads solve them.

The strongest check the campaign has: for every single-head level the player
can wire, a head trained by gradient descent on the visible sentence alone
earns all three stars, so each of these levels is solvable, within par, by a
head that generalises.
"""

from __future__ import annotations

import numpy as np
import pytest

from game.model.board import Board
from game.model.head_loss import scores
from game.model.learn import (
    LEARN_RULE,
    HeadLearner,
    NothingToLearn,
    apply_learned,
    learn_head,
    scratch_board,
    training_problems,
)
from game.model.spec import HeadSpec, Wire
from game.model.stars import score
from game.model.train import StoppingRule
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


def test_a_learner_step_by_step_gives_boards_that_improve():
    board = Board(REGISTRY.levels["01_trophy"], REGISTRY)
    learner = HeadLearner(board, 0)
    frames = []
    while not learner.done:
        step = learner.advance()
        scratch = scratch_board(board, 0, step.strengths)
        frames.append((step.loss, scratch.evaluate(0).weight(0, "@pronoun", "@referent")))
        if step.step >= 150:
            break
    assert frames[-1][0] < frames[0][0] / 5
    assert frames[-1][1] > 0.5 > frames[0][1]
    assert board.wire_count == 0, "learning must not change the player's board"


def test_learn_head_is_a_learner_run_under_the_one_rule():
    """Stops where the rule says (patience, step budget), keeps the best step, cuts to par."""
    board = Board(REGISTRY.levels["translate_01_red_car"], REGISTRY)
    learner = HeadLearner(board, 0)
    history = []
    while not learner.done:
        history.append(learner.advance())
    best = min(history, key=lambda step: step.loss)
    assert learner.best is best and history[-1].loss > best.loss
    learned = learn_head(board, 0)
    np.testing.assert_array_equal(learned.result.strengths, best.strengths)
    assert learned.result.steps == history[-1].step <= LEARN_RULE.max_steps
    assert learned.wires == learner.learned().wires
    short = learn_head(board, 0, rule=StoppingRule(max_steps=3))
    assert short.result.steps == 3 and not short.result.converged
