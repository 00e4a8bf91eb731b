"""The board's numbers against hand computation: wires, d_k, scale, temperature, positions."""

from __future__ import annotations

import math

import numpy as np
import pytest

from game.model import Board, HeadSpec, ValueRoute, Wire, matrices
from tests.model.fixtures import (
    CATALOG,
    GOOD,
    TRANSLATION,
    alibi_slopes,
    distance_bias,
    load,
    rope_rotate,
    wave_embed,
)

FEATURES = ("noun", "pronoun", "big", "container", "shiny")


def vectors(level, words):
    return np.array([[level.vocab[w].get(f, 0.0) for f in level.features] for w in words])


def softmax(row):
    e = np.exp(row - row.max())
    return e / e.sum()


def wired_board(text=GOOD, wires=(("pronoun", "big", 2.0), ("noun", "container", -1.5))):
    board = Board(load(text), CATALOG)
    for query, key, strength in wires:
        board.add_wire(0, query, key, strength)
    return board


def test_bilinear_form_sums_wire_strengths():
    head = HeadSpec(wires=(Wire("pronoun", "big", 2.0), Wire("big", "big", -1.0)))
    m = matrices.bilinear(head, FEATURES)
    expected = np.zeros((5, 5))
    expected[1, 2], expected[2, 2] = 2.0, -1.0
    np.testing.assert_array_equal(m, expected)


def test_raw_score_is_sum_of_strength_times_features():
    board = wired_board()
    evaluation = board.evaluate(0)
    level, head = board.level, evaluation.heads[0]
    x = vectors(level, evaluation.tokens["tokens"])
    wires = {("pronoun", "big"): 2.0, ("noun", "container"): -1.5}
    for i in range(len(x)):
        for j in range(len(x)):
            by_hand = sum(
                s * x[i][FEATURES.index(q)] * x[j][FEATURES.index(k)] for (q, k), s in wires.items()
            )
            assert head.qk[i, j] == pytest.approx(by_hand, abs=1e-12)
    assert head.qk[9, 1] == pytest.approx(2.0)  # it → trophy (big)
    assert head.qk[1, 7] == pytest.approx(-1.5)  # trophy (noun) → suitcase (container)


def test_weights_are_softmax_of_scaled_scores():
    evaluation = wired_board().evaluate(0)
    head = evaluation.heads[0]
    scaled = head.qk / math.sqrt(5)
    for i in range(scaled.shape[0]):
        np.testing.assert_allclose(head.weights[i], softmax(scaled[i]), atol=1e-12)


def test_d_k_repeats_features_and_the_scale_undoes_it():
    text = GOOD.replace("heads = 1\n", "heads = 1\nd_k = 15\n")
    board = wired_board(text)
    head = board.evaluate(0).heads[0]
    base = wired_board().evaluate(0).heads[0]
    assert head.q.shape[1] == 15
    np.testing.assert_allclose(head.qk, 3 * base.qk)  # r = 15 / 5 = 3
    assert head.scale == pytest.approx(1 / math.sqrt(15))
    np.testing.assert_allclose(
        head.weights, np.apply_along_axis(softmax, 1, 3 * base.qk / math.sqrt(15)), atol=1e-12
    )
    board.set_scale(False)
    unscaled = board.evaluate(0).heads[0]
    assert unscaled.scale == 1.0
    np.testing.assert_allclose(
        unscaled.weights, np.apply_along_axis(softmax, 1, 3 * base.qk), atol=1e-12
    )


def test_without_scale_large_d_k_saturates():
    text = GOOD.replace("heads = 1\n", "heads = 1\nd_k = 500\n")
    board = wired_board(text, wires=(("pronoun", "big", 1.0),))
    board.set_scale(False)
    assert board.evaluate(0).weight(0, "@pronoun", "@referent") > 0.999999


def test_temperature_divides_logits():
    board = wired_board()
    board.set_temperature(2.5)
    head = board.evaluate(0).heads[0]
    for i in range(head.qk.shape[0]):
        np.testing.assert_allclose(
            head.weights[i], softmax(head.qk[i] / math.sqrt(5) / 2.5), atol=1e-12
        )


def test_values_and_mix_make_the_output():
    board = wired_board()
    board.add_value_route(0, "big", "big", 1.0)
    board.add_value_route(0, "noun", "container", 0.5)
    board.set_mix(0, 2.0)
    evaluation = board.evaluate(0)
    head = evaluation.heads[0]
    x = vectors(board.level, evaluation.tokens["tokens"])
    w_v = np.zeros((5, 5))
    w_v[2, 2], w_v[0, 3] = 1.0, 0.5
    np.testing.assert_allclose(head.out, head.weights @ x @ w_v, atol=1e-12)
    np.testing.assert_allclose(evaluation.outputs["tokens"], 2.0 * head.out, atol=1e-12)
    assert evaluation.output("@pronoun", "big") == pytest.approx(2.0 * head.weights[9, 1])


def test_causal_block_never_leaks_the_future():
    text = GOOD.replace('architecture = "encoder"', 'architecture = "decoder"')
    board = wired_board(text, wires=(("pronoun", "big", 5.0), ("noun", "noun", 1.0)))
    board.add_value_route(0, "big", "big")
    before = board.evaluate(0)
    assert np.all(np.triu(before.heads[0].weights, 1) == 0)
    # Changing a later token never changes an earlier output.
    level = board.level
    words = list(level.sentences[0].tokens)
    words[11:] = ["trophy", "statue"]
    changed = level.model_copy(
        update={"sentences": [level.sentences[0].model_copy(update={"tokens": words})]}
    )
    after = Board(changed, CATALOG, board.state).evaluate(0)
    np.testing.assert_array_equal(after.outputs["tokens"][:11], before.outputs["tokens"][:11])


def choose(board, scheme, parameter=None):
    board.choose_positional(scheme)
    if parameter is not None:
        board.set_positional_parameter(parameter)
    return board.evaluate(0)


def test_embed_is_added_to_x():
    board = wired_board()
    evaluation = choose(board, "wave")
    words = evaluation.tokens["tokens"]
    x = vectors(board.level, words) + wave_embed(np.arange(len(words)), 5)
    np.testing.assert_allclose(evaluation.x["tokens"], x, atol=1e-12)
    m = matrices.bilinear(board.heads[0], FEATURES)
    np.testing.assert_allclose(evaluation.heads[0].qk, x @ m @ x.T, atol=1e-12)


def test_rotate_applies_to_q_and_k_with_the_parameter():
    board = wired_board()
    evaluation = choose(board, "rope", 40.0)
    words = evaluation.tokens["tokens"]
    x = vectors(board.level, words)
    m = matrices.bilinear(board.heads[0], FEATURES)
    n = len(words)
    q, k = x @ m, x.copy()
    for p in range(n):  # one 2×2 rotation per pair of dims, written out
        for pair in range(2):
            angle = p * 40.0 ** (-2 * pair / 5)
            c, s = math.cos(angle), math.sin(angle)
            for vec in (q, k):
                a, b = vec[p, 2 * pair], vec[p, 2 * pair + 1]
                vec[p, 2 * pair], vec[p, 2 * pair + 1] = c * a - s * b, s * a + c * b
    head = evaluation.heads[0]
    np.testing.assert_allclose(head.q, q, atol=1e-12)
    np.testing.assert_allclose(head.qk, q @ k.T, atol=1e-12)
    np.testing.assert_allclose(rope_rotate(x, np.arange(n), 40.0), k, atol=1e-12)


def test_bias_is_added_after_the_scale():
    board = wired_board()
    evaluation = choose(board, "distance")
    head = evaluation.heads[0]
    n = head.qk.shape[0]
    bias = distance_bias(np.arange(n), np.arange(n), 1)[0]
    np.testing.assert_allclose(head.bias, bias)
    i = np.arange(n)
    assert head.bias[3, 7] == -abs(3 - 7) / 2
    expected = np.apply_along_axis(softmax, 1, head.qk / math.sqrt(5) + bias)
    np.testing.assert_allclose(head.weights, expected, atol=1e-12)
    assert i.size == n


def test_alibi_slopes_with_parameter():
    board = wired_board()
    evaluation = choose(board, "alibi", 3.0)
    head = evaluation.heads[0]
    n = head.qk.shape[0]
    slope = alibi_slopes(1, 3.0)[0]
    assert slope == 1.5
    i, j = np.arange(n)[:, None], np.arange(n)[None, :]
    np.testing.assert_allclose(head.bias, -slope * (i - j))
    expected = np.apply_along_axis(softmax, 1, head.qk / math.sqrt(5) - slope * (i - j))
    np.testing.assert_allclose(head.weights, expected, atol=1e-12)


@pytest.mark.parametrize("scheme", ["none", "wave", "rope", "distance", "alibi"])
@pytest.mark.parametrize("temperature", [1.0, 0.3])
def test_inspect_is_consistent_with_weights(scheme, temperature):
    board = wired_board()
    board.set_temperature(temperature)
    evaluation = choose(board, scheme)
    head = evaluation.heads[0]
    n = head.qk.shape[0]
    for i in range(n):
        row = [evaluation.inspect(0, i, j) for j in range(n)]
        for j, cell in enumerate(row):
            assert cell.weight == pytest.approx(head.weights[i, j], abs=1e-9)
            assert cell.scaled == pytest.approx(cell.qk * cell.scale)
            assert cell.logit == pytest.approx((cell.scaled + cell.bias) / temperature)
            assert cell.exp == pytest.approx(math.exp(cell.logit - cell.row_max))
            assert cell.mask
        assert sum(c.exp for c in row) == pytest.approx(row[0].row_sum)


def test_inspect_shows_the_causal_mask():
    text = GOOD.replace('architecture = "encoder"', 'architecture = "decoder"')
    evaluation = wired_board(text).evaluate(0)
    cell = evaluation.inspect(0, 2, 5)
    assert not cell.mask and cell.exp == 0 and cell.weight == 0
    assert evaluation.inspect(0, 5, 2).mask


def test_positions_resolve_roles_words_and_indices():
    evaluation = wired_board().evaluate(0)
    assert evaluation.resolve("@pronoun") == 9
    assert evaluation.resolve("suitcase") == 7
    assert evaluation.resolve("the") == 0  # first occurrence
    assert evaluation.resolve(4) == 4
    assert evaluation.weight(0, "it", "trophy") == evaluation.heads[0].weights[9, 1]


def test_steps_follow_the_computation():
    board = wired_board()
    board.add_value_route(0, "big", "big")
    evaluation = choose(board, "distance")
    steps = evaluation.steps(0)
    names = [name for name, _ in steps.arrays()]
    assert names == ["Q", "K", "QKᵀ", "scaled", "bias", "masked", "softmax", "·V", "concat", "W_O"]
    np.testing.assert_allclose(steps.qk, steps.q @ steps.k.T)
    np.testing.assert_allclose(steps.softmax, np.apply_along_axis(softmax, 1, steps.masked))
    np.testing.assert_allclose(steps.weighted, steps.softmax @ steps.v, atol=1e-12)
    np.testing.assert_allclose(steps.output, steps.concat @ steps.w_o, atol=1e-12)


def test_two_heads_concat_through_w_o():
    text = GOOD.replace("heads = 1\n", "heads = 2\n").split("[[solution.heads]]")[0]
    board = Board(load(text), CATALOG)
    board.add_wire(0, "pronoun", "big", 3.0)
    board.add_value_route(0, "big", "big")
    board.add_wire(1, "noun", "container", 2.0)
    board.add_value_route(1, "container", "noun", 2.0)
    board.set_mix(1, 0.5)
    evaluation = board.evaluate(0)
    h0, h1 = evaluation.heads
    np.testing.assert_allclose(evaluation.outputs["tokens"], h0.out + 0.5 * h1.out, atol=1e-12)
    assert evaluation.w_o.shape == (10, 5)
    assert evaluation.steps(1).concat.shape == (13, 10)


def padded_equals_single(board):
    together = board.evaluate_all()
    for index, batched in enumerate(together):
        alone = board.evaluate(index)
        assert batched.sentence_index == alone.sentence_index == index
        for a, b in zip(batched.heads, alone.heads, strict=True):
            for name in ("q", "k", "v", "qk", "bias", "allowed", "weights", "out"):
                np.testing.assert_allclose(getattr(a, name), getattr(b, name), atol=1e-12)
        for seq in alone.outputs:
            np.testing.assert_allclose(batched.outputs[seq], alone.outputs[seq], atol=1e-12)
            np.testing.assert_allclose(batched.x[seq], alone.x[seq], atol=1e-12)
        assert batched.goal_results == alone.goal_results


@pytest.mark.parametrize("scheme", ["none", "wave", "rope", "distance", "alibi"])
@pytest.mark.parametrize("architecture", ["encoder", "decoder"])
def test_padded_batch_equals_one_by_one(scheme, architecture):
    text = GOOD.replace('architecture = "encoder"', f'architecture = "{architecture}"')
    board = wired_board(text)
    board.add_value_route(0, "big", "big")
    board.choose_positional(scheme)
    assert len({len(s.tokens) for s in board.level.sentences}) == 3  # three lengths
    padded_equals_single(board)


@pytest.mark.parametrize("scheme", ["none", "alibi", "rope"])
def test_padded_encoder_decoder_equals_one_by_one(scheme):
    level = load(TRANSLATION)
    board = Board(level, CATALOG)
    if scheme != "none":
        board.choose_positional(scheme)
    for h in range(4):
        board.add_wire(h, "b", "a", 2.0 + h)
        board.add_wire(h, "d", "c", -1.0)
        board.add_value_route(h, "a", "d")
    padded_equals_single(board)
    evaluation = board.evaluate(1)
    assert [h.query_sequence for h in evaluation.heads] == ["source", "target", "target", "target"]
    assert evaluation.heads[2].weights.shape == (1, 5)  # one target word, five source words
    assert evaluation.heads[3].weights[0].sum() == pytest.approx(1.0)  # sees all five keys
    # Causal cross-attention is aligned bottom-right: with 3 queries and 2 keys,
    # query i sees keys j <= i - 1, so query 0 sees none (a zero row, never NaN).
    first = board.evaluate(0).heads[3].weights
    np.testing.assert_array_equal(first[0], [0.0, 0.0])
    np.testing.assert_allclose(first[1], [1.0, 0.0])


def test_unpadded_architecture_evaluates_one_by_one():
    text = GOOD.replace('architecture = "encoder"', 'architecture = "plain"')
    board = wired_board(text)
    assert [e.sentence_index for e in board.evaluate_all()] == [0, 1, 2]


def test_values_route_through_the_head():
    head = HeadSpec(values=(ValueRoute("big", "noun", 2.0),))
    w_v = matrices.w_v(head, FEATURES)
    assert w_v[2, 0] == 2.0 and w_v.sum() == 2.0
