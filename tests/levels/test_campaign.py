"""The shipped levels — the campaign and the architecture plugins' packs — as a player meets them.

Every level loads without a problem, its reference solution earns all three
stars, the board it starts from earns none, and the campaign covers every
concept of DESIGN §2 in order.
"""

from __future__ import annotations

import numpy as np
import pytest

from game.model.board import Board
from game.model.stars import score
from game.plugins import load_plugins


@pytest.fixture(scope="module")
def registry():
    return load_plugins(no_plugins=True)


def shipped_ids():
    return sorted(load_plugins(no_plugins=True).levels)


def test_every_shipped_level_loads(registry):
    assert registry.errors == []
    assert [str(p) for p in registry.level_problems] == []
    assert len(registry.levels) >= 16


# DESIGN §2, in order: the chapters the built-in plugins register; sparse and linear
# attention (issue 15, the seed's answers to O(n²)) come between FlashAttention and scaling.
DESIGN_CONCEPTS = (
    "why-attention", "qkv", "scale", "multi-head", "positional", "sinusoidal", "rope", "alibi",
    "encoder", "decoder", "encoder-decoder", "flash", "sparse", "linear", "scaling", "circuits",
)  # fmt: skip


def test_the_campaign_covers_every_concept(registry):
    assert list(registry.concepts) == list(DESIGN_CONCEPTS)
    concepts = {level.concept for level in registry.levels.values()}
    assert set(DESIGN_CONCEPTS) <= concepts, sorted(set(DESIGN_CONCEPTS) - concepts)


def test_architecture_levels_come_from_the_architecture_plugins(registry):
    sources = {level.architecture: set() for level in registry.levels.values()}
    for level in registry.levels.values():
        sources[level.architecture].add(level.source)
    by_concept = {level.concept: level.source for level in registry.levels.values()}
    assert by_concept["encoder"] == "arch_encoder"
    assert by_concept["decoder"] == "arch_decoder"
    assert by_concept["encoder-decoder"] == "arch_encoder_decoder"


@pytest.mark.parametrize("level_id", shipped_ids())
def test_reference_solution_earns_three_stars(registry, level_id):
    level = registry.levels[level_id]
    result = score(Board.with_solution(level, registry))
    messages = [g.message for results in result.per_sentence for g in results if not g.met]
    assert result.stars == 3, messages


@pytest.mark.parametrize("level_id", shipped_ids())
def test_the_starting_board_earns_no_star(registry, level_id):
    level = registry.levels[level_id]
    assert score(Board(level, registry)).stars == 0


@pytest.mark.parametrize("level_id", shipped_ids())
def test_every_level_explains_itself(registry, level_id):
    level = registry.levels[level_id]
    assert len(level.explanation.split()) >= 40
    assert len(level.hints) == 3 and len(set(level.hints)) == 3
    assert len(level.sentences) >= 2, "a held-out sentence is needed for the third star"


def test_word_order_is_impossible_without_positions(registry):
    """With the scheme `none` the two nouns of "dog bites man" look identical to attention,
    so no wiring can give the subject more weight than the object."""
    level = registry.levels["07_word_order"]
    rng = np.random.default_rng(0)
    for _ in range(30):
        board = Board(level, registry)
        for query in level.features:
            for key in level.features:
                board.add_wire(0, query, key, float(rng.uniform(-10, 10)))
        for s in range(len(level.sentences)):
            weights = board.evaluate(s).heads[0].weights  # (3, 3)
            verb, subject, obj = 1, 0, 2
            assert weights[verb, subject] == pytest.approx(weights[verb, obj], abs=1e-12)
            assert weights[verb, subject] <= 0.5


def test_a_head_that_only_fits_the_visible_sentence_loses_the_third_star(registry):
    """ALiBi: the same wire in a head with a gentle slope tells the nearest noun apart in the
    short visible sentence but not in the longer held-out ones."""
    level = registry.levels["10_alibi"]
    board = Board(level, registry)
    board.add_wire(1, "query", "noun", 10.0)
    result = score(board)
    assert result.goals_met and result.under_par and not result.generalises
    assert result.stars == 2


def test_one_head_cannot_solve_the_two_head_level(registry):
    """A softmax row sums to 1 and is positive everywhere it may look, so one head cannot give
    0.6 to the animal and 0.4 to the action at once; random single-head boards never do."""
    level = registry.levels["06_two_heads"]
    rng = np.random.default_rng(7)
    for _ in range(40):
        board = Board(level, registry)
        for query, key in [("pronoun", "noun"), ("pronoun", "verb"), ("pronoun", "animal")]:
            board.add_wire(0, query, key, float(rng.uniform(0, 10)))
        attention_goals = [
            r for g, r in zip(level.goals, board.evaluate(0).goal_results, strict=True)
            if g.type == "attention"
        ]  # fmt: skip
        assert not all(r.met for r in attention_goals)
    assert score(Board.with_solution(level, registry)).stars == 3


def test_alibi_held_out_sentences_are_longer_than_the_visible_one(registry):
    level = registry.levels["10_alibi"]
    visible = len(level.sentences[0].tokens)
    assert all(len(s.tokens) > visible for s in level.sentences[1:])
