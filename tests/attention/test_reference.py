"""The reference backend against an independent row-by-row oracle, and its invariants."""

import warnings

import numpy as np
import pytest

from game.attention import attention, attention_weights, causal_mask, causal_tile
from game.attention.inputs import prepare
from game.attention.reference import reference_attention
from tests.attention.oracle import oracle_attention

CASES = [
    # (n_q, n_k, d, d_v, causal)
    (1, 1, 1, 1, False),
    (5, 5, 3, 2, True),
    (3, 7, 4, 5, True),  # fewer queries than keys: bottom-right causal
    (7, 3, 4, 4, True),  # more queries than keys: the first rows are fully masked
    (6, 9, 2, 3, False),
]


@pytest.mark.parametrize(("n_q", "n_k", "d", "d_v", "causal"), CASES)
def test_reference_matches_oracle(n_q, n_k, d, d_v, causal):
    rng = np.random.default_rng(n_q * 100 + n_k)
    q, k = rng.normal(size=(n_q, d)), rng.normal(size=(n_k, d))
    v = rng.normal(size=(n_k, d_v))
    bias = rng.normal(size=(n_q, n_k))
    mask = rng.random((n_q, n_k)) > 0.2
    expected, expected_w = oracle_attention(
        q, k, v, causal=causal, bias=bias, slopes=0.3, mask=mask
    )
    inputs = prepare(
        q[None], k[None], v[None], causal=causal, bias=bias, alibi_slopes=[0.3], mask=mask
    )
    out, weights = reference_attention(inputs)
    np.testing.assert_allclose(out[0], expected, atol=1e-13, rtol=0)
    np.testing.assert_allclose(weights[0], expected_w, atol=1e-13, rtol=0)


def test_weights_are_probabilities_or_zero():
    rng = np.random.default_rng(0)
    q, k = rng.normal(size=(2, 6, 4)), rng.normal(size=(2, 9, 4))
    mask = np.ones((6, 9), dtype=bool)
    mask[2] = False  # one row with nothing to attend to
    weights = attention_weights(q, k, mask=mask)
    assert weights.shape == (2, 6, 9)
    sums = weights.sum(axis=-1)
    np.testing.assert_allclose(np.delete(sums, 2, axis=1), 1.0, atol=1e-12)
    assert np.all(weights[:, 2] == 0)
    assert np.all(weights >= 0)


def test_causal_mask_is_bottom_right_aligned():
    m = causal_mask(2, 4)
    assert m.tolist() == [[True, True, True, False], [True, True, True, True]]
    assert causal_mask(3).tolist() == np.tril(np.ones((3, 3), dtype=bool)).tolist()


def test_a_causal_tile_is_its_block_of_the_whole_mask():
    whole = causal_mask(7, 11)  # (7, 11), offset 4
    for rows, cols in [
        (range(0, 3), range(0, 5)),
        (range(3, 7), range(5, 11)),
        (range(6, 7), range(10, 11)),
    ]:
        tile = causal_tile(rows, cols, offset=11 - 7)
        assert tile.tolist() == whole[rows.start : rows.stop, cols.start : cols.stop].tolist()


def test_uniform_keys_give_the_mean_value():
    """With all keys equal every weight is 1/n_k, so the output is the mean of v."""
    rng = np.random.default_rng(1)
    k = np.tile(rng.normal(size=(1, 5)), (11, 1))
    v = rng.normal(size=(11, 3))
    q = rng.normal(size=(4, 5))
    out = attention(q, k, v, backend="reference")
    np.testing.assert_allclose(out, np.tile(v.mean(axis=0), (4, 1)), atol=1e-13)


def test_fully_masked_reference_rows_are_zero_without_warnings():
    q = np.ones((3, 2))
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        out = attention(q, q, q, mask=np.zeros((3, 3), dtype=bool), backend="reference")
        weights = attention_weights(q, q, bias=np.full((3, 3), -np.inf))
    assert np.all(out == 0) and np.all(weights == 0)
