"""Multi-head helpers: split/merge, projections, and the layer against a per-head loop."""

import numpy as np
import pytest

from game.attention import (
    HeadWeights,
    attention,
    merge_heads,
    multi_head_attention,
    split_heads,
)


def test_split_then_merge_is_identity():
    x = np.arange(2 * 5 * 12, dtype=float).reshape(2, 5, 12)
    heads = split_heads(x, 3)
    assert heads.shape == (2, 3, 5, 4)
    np.testing.assert_array_equal(heads[:, 1], x[..., 4:8])
    np.testing.assert_array_equal(merge_heads(heads), x)


def test_split_rejects_uneven_widths():
    with pytest.raises(ValueError, match="width 10"):
        split_heads(np.ones((3, 10)), 4)


def test_multi_head_attention_equals_a_loop_over_heads():
    rng = np.random.default_rng(0)
    h, d_model, d_k, d_v, d_out = 3, 6, 4, 2, 5
    w = HeadWeights(
        w_q=rng.normal(size=(h, d_model, d_k)),
        w_k=rng.normal(size=(h, d_model, d_k)),
        w_v=rng.normal(size=(h, d_model, d_v)),
        w_o=rng.normal(size=(h * d_v, d_out)),
    )
    x = rng.normal(size=(7, d_model))
    enc = rng.normal(size=(9, d_model))
    out, heads = multi_head_attention(x, enc, w, causal=True)
    per_head = [
        attention(x @ w.w_q[i], enc @ w.w_k[i], enc @ w.w_v[i], causal=True) for i in range(h)
    ]
    np.testing.assert_allclose(heads, np.stack(per_head), atol=1e-12)
    np.testing.assert_allclose(out, np.concatenate(per_head, axis=-1) @ w.w_o, atol=1e-12)


def test_head_weights_check_their_shapes():
    ok = np.ones((2, 4, 3))
    with pytest.raises(ValueError, match="w_o"):
        HeadWeights(w_q=ok, w_k=ok, w_v=ok, w_o=np.ones((5, 4)))
    with pytest.raises(ValueError, match="w_k"):
        HeadWeights(w_q=ok, w_k=np.ones((2, 4, 2)), w_v=ok, w_o=np.ones((6, 4)))
