"""Stacked layers and the residual stream (docs/levels.md, "Layers and the residual stream")."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import numpy as np
import pytest

from game.levels import LevelError, load_level_text
from game.model import Board, score
from game.model.board import BoardError
from game.model.spec import HeadSpec
from game.model.views import evaluation_view
from game.plugins import load_plugins

REGISTRY = load_plugins(no_plugins=True)
MARKER = Path(__file__).parent / "levels" / "two_layer_marker.toml"


def marker_level(old: str = "", new: str = ""):
    text = MARKER.read_text(encoding="utf-8")
    if old:
        assert old in text
        text = text.replace(old, new, 1)
    return load_level_text(text, MARKER.name, REGISTRY)


def test_the_board_has_layers_times_heads_slots_in_layer_order():
    board = Board(marker_level(), REGISTRY)
    assert [h.layer for h in board.heads] == [0, 1]
    assert board.layers == 2
    assert board.heads_in_layer(0) == (0,) and board.heads_in_layer(1) == (1,)
    assert [board.layer_of(h) for h in range(2)] == [0, 1]
    assert board.used_heads() == 0 and board.used_layers() == 0
    with pytest.raises(BoardError):
        board.heads_in_layer(2)


def test_a_layer_two_head_keys_on_a_feature_only_layer_one_writes():
    """K-composition: `tag` is in no word; head 0 (layer 1) writes it at the x, and
    head 1 (layer 2) wires one → tag, so the last word finds the x."""
    board = Board.with_solution(marker_level(), REGISTRY)
    assert score(board).stars == 3
    for evaluation in board.evaluate_all():
        x, q = evaluation.resolve("@x"), evaluation.resolve("@q")
        tag = evaluation.features.index("tag")
        assert not evaluation.x["tokens"][:, tag].any()  # no word carries tag
        assert evaluation.written_by["tag"] == (0,) and evaluation.written_by["out"] == (1,)
        assert evaluation.written_by["one"] == ()
        stream = evaluation.residual
        assert len(stream) == 3 and evaluation.layers == 2
        assert stream[1][x, tag] > 0.99 and np.delete(stream[1][:, tag], x).max() < 0.01
        assert evaluation.heads[1].layer == 1
        assert evaluation.weight(1, q, x) > 0.99
        # The layer-2 head's keys come from x¹, not from the embedding.
        np.testing.assert_array_equal(evaluation.heads[1].k, stream[1] @ evaluation.w_k[1])
        np.testing.assert_array_equal(evaluation.head_input(1, "tokens"), stream[1])
        np.testing.assert_array_equal(stream[2], stream[1] + evaluation.outputs["tokens"])


def test_without_layer_one_the_finder_finds_nothing():
    board = Board.with_solution(marker_level(), REGISTRY)
    board.replace_head(0, HeadSpec(block=board.heads[0].block, layer=0))
    evaluation = board.evaluate(0)
    assert not evaluation.goals_met
    assert evaluation.weight(1, "@q", "@x") < 0.5
    assert score(board).stars == 0


def test_stars_need_the_layer_and_head_par():
    level = marker_level("par_heads = 2", "par_heads = 1")
    board = Board.with_solution(level, REGISTRY)
    result = score(board)
    assert result.goals_met and result.generalises and not result.under_par
    assert result.stars == 2
    level = marker_level("par_layers = 2", "par_layers = 1")
    assert score(Board.with_solution(level, REGISTRY)).stars == 2


def test_views_carry_the_layers_read_only():
    evaluation = Board.with_solution(marker_level(), REGISTRY).evaluate(0)
    view = evaluation_view(evaluation)
    assert view.layers == 2 and view.level.layers == 2
    assert [h.layer for h in view.heads] == [0, 1]
    assert view.written_by["tag"] == (0,)
    assert len(view.residual) == 3
    np.testing.assert_array_equal(view.residual[1], evaluation.residual[1])
    with pytest.raises(ValueError):
        view.residual[1][0, 0] = 5.0
    with pytest.raises(TypeError):
        view.written_by["tag"] = (1,)  # type: ignore[index]


def test_one_layer_levels_keep_their_outputs_and_get_a_two_entry_stream():
    level = REGISTRY.levels["06_two_heads"]
    evaluation = Board.with_solution(level, REGISTRY).evaluate(0)
    assert evaluation.layers == 1 and len(evaluation.residual) == 2
    x = evaluation.x[evaluation.main_sequence]
    np.testing.assert_array_equal(evaluation.residual[0], x)
    np.testing.assert_array_equal(
        evaluation.residual[1], x + evaluation.outputs[evaluation.main_sequence]
    )
    assert all(h.layer == 0 for h in evaluation.heads)


def test_intents_keep_a_heads_layer_and_replace_head_cannot_move_it():
    board = Board(marker_level(), REGISTRY)
    board.add_wire(1, "one", "tag", 2.0)
    board.add_value_route(1, "tag", "out")
    board.set_mix(1, 0.5)
    assert board.heads[1].layer == 1 and board.used_layers() == 1 and board.used_heads() == 1
    with pytest.raises(BoardError):
        board.replace_head(1, dataclasses.replace(board.heads[1], layer=0))


@pytest.mark.parametrize(
    ("old", "new", "where"),
    [
        ("layer = 2\n", "layer = 1\n", "solution.heads[1].layer"),  # layer 1 is full
        ("layer = 2\n", "layer = 3\n", "solution.heads[1].layer"),  # past layers
        ("layers = 2", "layers = 5", "layers"),
        ("par_layers = 2", "par_layers = 3", "par_layers"),
        ('positional = "none"', 'positional = "none"\nrotate_features = ["one"]', "rotate"),
        (
            'positional = "none"',
            'positional = "none"\nrotate_features = ["one", "nope"]',
            "rotate_features[1]",
        ),
    ],
)
def test_layer_problems_are_located(old, new, where):
    with pytest.raises(LevelError) as error:
        marker_level(old, new)
    assert where in str(error.value)
    assert f"{MARKER.name}:" in str(error.value)


def test_an_encoder_decoder_level_cannot_stack_layers():
    level = REGISTRY.levels["translate_01_red_car"]
    text = Path(level.path).read_text(encoding="utf-8")
    text = text.replace("\nheads =", "\nlayers = 2\nheads =", 1)
    if "\nlayers = 2" not in text:
        text = text.replace("\npar =", "\nlayers = 2\npar =", 1)
    with pytest.raises(LevelError, match="layers"):
        load_level_text(text, "translate.toml", REGISTRY)


def test_steps_inspection_and_wire_terms_for_a_head_of_each_layer():
    from game.model.qk_terms import qk_terms

    evaluation = Board.with_solution(marker_level(), REGISTRY).evaluate(0)
    stream = evaluation.residual
    q, x = evaluation.resolve("@q"), evaluation.resolve("@x")
    for h in (0, 1):
        steps = evaluation.steps(h)
        np.testing.assert_array_equal(steps.q, stream[h] @ evaluation.w_q[h])  # reads x^h
        assert steps.concat.shape[1] == len(evaluation.features)  # one head in its layer
        np.testing.assert_allclose(steps.output, stream[h + 1] - stream[h], atol=1e-12)
        cell = evaluation.inspect(h, q, x)
        assert cell.weight == pytest.approx(evaluation.weight(h, q, x), abs=1e-12)
        terms = qk_terms(evaluation, h, q, x)
        assert terms.adds_up and terms.qk == pytest.approx(cell.qk)
    # Layer 2's cell: one (at the query) × tag (at the key, written by layer 1).
    term = qk_terms(evaluation, 1, q, x).terms[0]
    assert (term.query, term.key) == ("one", "tag") and term.x_key > 0.99


def test_alibi_slopes_repeat_in_every_layer():
    """Head i of every layer gets ALiBi's slope i (the scheme is asked for H slopes)."""
    level = marker_level('positional = "none"', 'positional = "alibi"')
    level = level.model_copy(update={"heads": 2, "layers": 2})
    board = Board(level, REGISTRY)
    assert [h.layer for h in board.heads] == [0, 0, 1, 1]
    heads = board.evaluate(0).heads
    np.testing.assert_array_equal(heads[2].bias, heads[0].bias)
    np.testing.assert_array_equal(heads[3].bias, heads[1].bias)
    assert not np.array_equal(heads[0].bias, heads[1].bias)


def test_token_streams_match_the_evaluations_for_any_token_lists():
    """17B's tasks run generated inputs through the same stacked forward pass."""
    from game.model.residual import token_streams

    level = marker_level()
    board = Board.with_solution(level, REGISTRY)
    words = [list(s.tokens) for s in level.sentences]
    streams = token_streams(level, REGISTRY, board.state, [*words, ["<s>", "x"]])
    assert len(streams) == 4
    for stream, evaluation in zip(streams, board.evaluate_all(), strict=False):
        assert len(stream) == 3
        for got, want in zip(stream, evaluation.residual, strict=True):
            np.testing.assert_allclose(got, want, rtol=0, atol=1e-12)
    assert streams[3][2].shape == (2, len(level.features))
    with pytest.raises(KeyError):
        token_streams(level, REGISTRY, board.state, [["<s>", "nope"]])


def test_head_write_is_what_a_head_adds_to_the_stream():
    board = Board.with_solution(marker_level(), REGISTRY)
    board.set_mix(1, 0.5)
    evaluation = board.evaluate(0)
    np.testing.assert_array_equal(evaluation.head_write(1), 0.5 * evaluation.heads[1].out)
    np.testing.assert_allclose(
        evaluation.residual[1] - evaluation.residual[0], evaluation.head_write(0), atol=1e-12
    )


def test_q_composition_a_layer_two_query_reads_what_layer_one_wrote():
    """Only the x carries `tag` after layer 1, so a layer-2 wire tag → bos makes the x,
    and no other word, look at <s>."""
    board = Board.with_solution(marker_level(), REGISTRY)
    board.replace_head(1, HeadSpec(block=board.heads[1].block, layer=1))
    board.add_wire(1, "tag", "bos", 10.0)
    evaluation = board.evaluate(0)
    x, q = evaluation.resolve("@x"), evaluation.resolve("@q")
    assert evaluation.weight(1, x, 0) > 0.99
    assert evaluation.weight(1, q, 0) < 0.5
    board.replace_head(0, HeadSpec(block=board.heads[0].block, layer=0))
    assert board.evaluate(0).weight(1, x, 0) == pytest.approx(1 / (x + 1))


def test_steps_carry_the_stream_around_their_layer():
    evaluation = Board.with_solution(marker_level(), REGISTRY).evaluate(0)
    for h in (0, 1):
        steps = evaluation.steps(h)
        np.testing.assert_array_equal(steps.stream_in, evaluation.residual[h])
        np.testing.assert_array_equal(steps.stream_out, evaluation.residual[h + 1])
        assert [name for name, _ in steps.arrays()][-1] == "W_O"  # the ten steps as before
