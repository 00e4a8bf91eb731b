"""The read-only views plugins are handed: locked, equal to the core's numbers, and the
only thing goal types see (from the board, the loader and the solver)."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest

import game.api
from game.api import (
    PLUGIN_API,
    EvaluationView,
    GoalResult,
    GoalType,
    HeadView,
    LevelView,
    PositionError,
    StaticCatalog,
)
from game.levels import position_problem
from game.levels.views import level_view
from game.model import Board
from game.model.io_sim import Schedule, count_io
from game.model.learn import training_problems
from game.model.views import evaluation_view
from game.plugins import load_plugins
from tests.model.fixtures import CATALOG, GOAL_TYPES, load

REGISTRY = load_plugins(no_plugins=True)
HEAD_ARRAYS = ("q", "k", "v", "logits", "allowed", "weights", "out")


def _boards():
    for level_id, level in sorted(REGISTRY.levels.items()):
        board = Board.with_solution(level, REGISTRY) if level.solution else Board(level, REGISTRY)
        yield pytest.param(board, id=level_id)


@pytest.fixture(scope="module")
def translation():
    """A two-head encoder–decoder board (cross-attention, an alignment) on its solution."""
    return Board.with_solution(REGISTRY.levels["translate_01_red_car"], REGISTRY)


# --- read-only ------------------------------------------------------------------------


def test_no_field_of_any_view_can_be_assigned(translation):
    view = evaluation_view(translation.evaluate(0))
    targets = [view, view.heads[0], view.level, view.sentence]
    for target in targets:
        for field in dataclasses.fields(target):
            with pytest.raises(dataclasses.FrozenInstanceError):
                setattr(target, field.name, None)


def test_no_array_or_mapping_of_a_view_takes_a_write(translation):
    view = evaluation_view(translation.evaluate(0))
    for head in view.heads:
        for name in HEAD_ARRAYS:
            with pytest.raises(ValueError, match="read-only"):
                getattr(head, name)[0, 0] = 1
    for mapping in (view.outputs, view.x):
        for array in mapping.values():
            with pytest.raises(ValueError, match="read-only"):
                array[0, 0] = 1
    with pytest.raises(ValueError, match="read-only"):
        view.output_vector(0)[0] = 1
    with pytest.raises(ValueError, match="read-only"):
        view.word_vector(next(iter(view.level.vocab)))[0] = 1
    for mapping in (view.tokens, view.outputs, view.x, view.knobs, view.sentence.sequences):
        with pytest.raises(TypeError):
            mapping["tokens"] = ()  # type: ignore[index]
    with pytest.raises(TypeError):
        view.level.vocab["red"]["red"] = 5.0  # type: ignore[index]


def test_a_plugin_that_forces_a_write_changes_only_its_copy(translation):
    evaluation = translation.evaluate(0)
    before = [head.weights.copy() for head in evaluation.heads]
    view = evaluation_view(evaluation)
    for head in view.heads:
        assert not np.shares_memory(head.weights, evaluation.heads[head.index].weights)
        head.weights.flags.writeable = True  # a copy owns its memory, so numpy allows this
        head.weights[:] = 0.0
    for head, weights in zip(evaluation.heads, before, strict=True):
        np.testing.assert_array_equal(head.weights, weights)
    assert translation.evaluate(0).goal_results == evaluation.goal_results


# --- the numbers are the core's --------------------------------------------------------


@pytest.mark.parametrize("board", list(_boards()))
def test_views_carry_the_cores_numbers_on_every_campaign_level(board):
    level = board.level
    for s in range(len(level.sentences)):
        evaluation = board.evaluate(s)
        view = evaluation_view(evaluation)
        assert view.features == tuple(evaluation.features)
        assert dict(view.tokens) == dict(evaluation.tokens)
        assert view.main_sequence == evaluation.main_sequence
        assert view.held_out == evaluation.held_out == (s > 0)
        assert view.sentence is view.level.sentences[s] and view.sentence.index == s
        assert dict(view.knobs) == dict(evaluation.state.settings.knobs)
        for name in view.knobs:
            assert view.knob(name) == evaluation.knob(name)
        for seq in evaluation.outputs:
            np.testing.assert_array_equal(view.outputs[seq], evaluation.outputs[seq])
            np.testing.assert_array_equal(view.x[seq], evaluation.x[seq])
        assert len(view.heads) == len(evaluation.heads)
        for head, core in zip(view.heads, evaluation.heads, strict=True):
            assert (head.index, head.block, head.causal) == (
                core.index,
                core.block.name,
                core.block.causal,
            )
            assert (head.query_sequence, head.key_sequence) == (
                core.query_sequence,
                core.key_sequence,
            )
            for name in HEAD_ARRAYS:
                np.testing.assert_array_equal(getattr(head, name), getattr(core, name))
            for i in range(head.weights.shape[0]):
                for j in range(head.weights.shape[1]):
                    assert view.weight(head.index, i, j) == evaluation.weight(head.index, i, j)
        for word in level.vocab:
            np.testing.assert_array_equal(view.word_vector(word), evaluation.word_vector(word))
        for i in range(len(view.tokens[view.main_sequence])):
            for feature in level.features:
                assert view.output(i, feature) == evaluation.output(i, feature)
            assert view.locate(i) == evaluation.locate(i)


@pytest.mark.parametrize("board", list(_boards()))
def test_the_level_view_is_the_level_file(board):
    level = board.level
    view = level_view(level)
    assert (view.id, view.title, view.concept, view.architecture) == (
        level.id,
        level.title,
        level.concept,
        level.architecture,
    )
    assert view.positional == tuple(level.positional)
    assert view.features == tuple(level.features)
    assert (view.heads, view.d_k) == (level.heads, level.head_dim)
    assert {w: dict(t) for w, t in view.vocab.items()} == level.vocab
    assert [k.name for k in view.knobs] == [k.name for k in level.knobs]
    for knob in level.knobs:
        assert dataclasses.asdict(view.knob(knob.name)) == knob.model_dump()
    assert view.knob("no such knob") is None
    for s, (sentence, core) in enumerate(zip(view.sentences, level.sentences, strict=True)):
        assert sentence.index == s and sentence.held_out == (s > 0)
        assert {k: list(v) for k, v in sentence.sequences.items()} == core.sequences()
        expected = None if core.alignment is None else [tuple(pair) for pair in core.alignment]
        assert (None if sentence.alignment is None else list(sentence.alignment)) == expected
    for role in {f"@{r}" for s in level.sentences for r in s.roles} | {0, 99, "nowhere"}:
        assert view.position_problem(role) == position_problem(level, role)


def test_the_view_locates_like_the_board_and_raises_position_error(translation):
    evaluation = translation.evaluate(0)
    view = evaluation_view(evaluation)
    for sequence, words in view.tokens.items():
        for i, word in enumerate(words):
            assert view.locate(i, sequence) == evaluation.locate(i, sequence)
            assert view.resolve(word, sequence) == evaluation.resolve(word, sequence)
    with pytest.raises(PositionError):
        view.locate("nowhere")
    with pytest.raises(IndexError):
        view.head(len(view.heads))
    with pytest.raises(KeyError):
        view.output(0, "no such feature")
    with pytest.raises(KeyError):
        view.knob("no such knob")


@pytest.mark.parametrize(
    ("n", "d", "sram", "block_q", "block_k"), [(1024, 32, 16384, 32, 128), (4096, 64, 1000, 64, 64)]
)
def test_hbm_traffic_is_the_io_simulators(translation, n, d, sram, block_q, block_k):
    view = evaluation_view(translation.evaluate(0))
    io = count_io(n, d, sram, Schedule("tiled", block_q, block_k))
    got = view.hbm_traffic(n=n, d=d, sram=sram, block_q=block_q, block_k=block_k)
    assert (got.reads, got.writes, got.total, got.fits, got.sram_needed) == (
        io.reads,
        io.writes,
        io.total,
        io.fits,
        io.sram_needed,
    )


# --- goal types see views, never the core's classes -------------------------------------


def _spying_catalog(seen: list) -> StaticCatalog:
    """CATALOG with an attention goal type that records what each hook is handed."""
    real = next(g for g in GOAL_TYPES if g.name == "attention")

    def check(params, evaluation):
        seen.append(("check", type(evaluation)))
        return real.check(params, evaluation)

    def validate(params, level):
        seen.append(("validate", type(level)))
        return real.validate(params, level)

    def target(params, evaluation, head):
        seen.append(("target", type(evaluation), type(head), head in evaluation.heads))
        n_q, n_k = head.weights.shape
        return np.eye(n_q, n_k), np.ones(n_q)

    spy = GoalType("attention", "Attention", "spied", check, validate, target)
    goal_types = {**CATALOG.goal_types, "attention": spy}
    return dataclasses.replace(CATALOG, goal_types=goal_types)


def test_check_validate_and_target_are_handed_views():
    seen: list = []
    catalog = _spying_catalog(seen)
    level = load(catalog=catalog)
    assert ("validate", LevelView) in seen
    board = Board(level, catalog)
    assert isinstance(board.evaluate(0).goal_results[0], GoalResult)
    assert ("check", EvaluationView) in seen
    assert training_problems(board, 0, [0])
    assert ("target", EvaluationView, HeadView, True) in seen
    assert {entry[0] for entry in seen} == {"validate", "check", "target"}


# --- PLUGIN_API = 1: fields are only ever added -----------------------------------------

# What a plugin written for PLUGIN_API = 1 may read. Add to a view freely; removing or
# renaming anything here breaks shipped plugins, so this list only ever grows.
API_1 = {
    "EvaluationView": (
        "level", "sentence", "features", "tokens", "main_sequence", "heads", "x", "outputs",
        "knobs", "held_out", "locate", "resolve", "head", "weight", "output_vector", "output",
        "knob", "word_vector", "hbm_traffic",
    ),
    "HeadView": (
        "index", "block", "query_sequence", "key_sequence", "causal", "q", "k", "v", "logits",
        "allowed", "weights", "out",
    ),
    "LevelView": (
        "id", "title", "concept", "architecture", "positional", "features", "heads", "d_k",
        "vocab", "sentences", "knobs", "knob", "word_vector", "position_problem",
    ),
    "SentenceView": ("index", "sequences", "main_sequence", "alignment", "held_out", "locate"),
    "KnobView": ("name", "title", "low", "high", "default", "log", "integer"),
    "Position": ("sequence", "index"),
    "HBMTraffic": ("reads", "writes", "fits", "sram_needed", "total"),
}  # fmt: skip


def test_no_view_loses_a_field_of_plugin_api_1():
    assert PLUGIN_API == 1
    for name, members in API_1.items():
        cls = getattr(game.api, name)
        for member in members:
            assert hasattr(cls, member) or member in {f.name for f in dataclasses.fields(cls)}, (
                f"{name}.{member} is part of PLUGIN_API 1"
            )
