"""The built-in positional schemes (plugins/positional_*.py) against their papers' formulas.

Every expected value here is written out independently of the plugin code, so
a wrong sign, a swapped sin/cos or an off-by-one pairing fails a test.
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from game.api import Parameter, PositionalScheme
from game.attention import attention
from tests.plugins.util import collect, load_builtin

SCHEMES = {
    "none": (),
    "sinusoidal": ("embed",),
    "learned": ("embed",),
    "rope": ("rotate",),
    "alibi": ("bias", "slopes"),
}
FUNCTIONS = ("embed", "rotate", "bias", "slopes")


@pytest.fixture(scope="module")
def sinusoidal():
    return load_builtin("positional_sinusoidal")


@pytest.fixture(scope="module")
def rope():
    return load_builtin("positional_rope")


@pytest.fixture(scope="module")
def alibi():
    return load_builtin("positional_alibi")


@pytest.fixture(scope="module")
def learned():
    return load_builtin("positional_learned")


# -- registration ---------------------------------------------------------------


@pytest.mark.parametrize("name", sorted(SCHEMES))
def test_each_module_registers_its_scheme(name):
    module = load_builtin(f"positional_{name}")
    registered = collect(module, "switchyard_register_positional_schemes")
    assert len(registered) == 1
    scheme = registered[0]
    assert isinstance(scheme, PositionalScheme)
    assert scheme.name == name
    assert scheme.title.strip()
    assert scheme.reference.strip()
    sentences = [s for s in scheme.description.split(". ") if s.strip()]
    assert 2 <= len(sentences) <= 4, scheme.description
    for function in FUNCTIONS:
        given_fn = getattr(scheme, function)
        if function in SCHEMES[name]:
            assert given_fn is getattr(module, function), function
        else:
            assert given_fn is None, function
    assert module.__doc__ and module.__doc__.strip()


@pytest.mark.parametrize("name", sorted(SCHEMES))
def test_parameters_are_sane_and_accepted_as_keywords(name):
    module = load_builtin(f"positional_{name}")
    (scheme,) = collect(module, "switchyard_register_positional_schemes")
    for parameter in scheme.parameters:
        assert isinstance(parameter, Parameter)
        assert parameter.low <= parameter.default <= parameter.high
        if parameter.log_scale:
            assert parameter.low > 0
    # Every function takes every parameter by name, and ignores a level's extra settings.
    params = {p.name: p.default for p in scheme.parameters} | {"level_extra": "ignored"}
    positions = np.arange(4)
    table = np.eye(4)
    if scheme.embed is not None:
        assert scheme.embed(positions, 4, table=table, **params).shape == (4, 4)
    if scheme.rotate is not None:
        assert scheme.rotate(np.ones((4, 4)), positions, **params).shape == (4, 4)
    if scheme.bias is not None:
        assert scheme.bias(positions, positions, 2, **params).shape == (2, 4, 4)
    if scheme.slopes is not None:
        assert scheme.slopes(2, **params).shape == (2,)


# -- sinusoidal -------------------------------------------------------------------


def _vaswani(pos: float, dim: int, d_model: int, base: float = 10000.0) -> float:
    """PE(pos, dim) from Vaswani et al. 2017 §3.5, one number at a time."""
    i = dim // 2
    angle = pos / base ** (2 * i / d_model)
    return math.sin(angle) if dim % 2 == 0 else math.cos(angle)


@pytest.mark.parametrize("d_model", [1, 2, 5, 6, 8])
def test_sinusoidal_matches_the_formula(sinusoidal, d_model):
    positions = np.array([0, 1, 3, 17, 100])
    pe = sinusoidal.embed(positions, d_model)
    assert pe.shape == (5, d_model)
    for row, pos in enumerate(positions):
        for dim in range(d_model):
            assert pe[row, dim] == pytest.approx(_vaswani(pos, dim, d_model), abs=1e-12)


def test_sinusoidal_chosen_values(sinusoidal):
    pe = sinusoidal.embed([2], 4)
    # dims 0, 1: angle 2; dims 2, 3: angle 2 / 10000^(2/4) = 0.02
    expected = [math.sin(2), math.cos(2), math.sin(0.02), math.cos(0.02)]
    np.testing.assert_allclose(pe[0], expected, atol=1e-15)
    odd = sinusoidal.embed([2], 5)
    # the lone last dim (dim 4, i = 2) is a sine at angle 2 / 10000^(4/5)
    assert odd[0, 4] == pytest.approx(math.sin(2 / 10000**0.8), abs=1e-15)
    assert odd[0, 2] == pytest.approx(math.sin(2 / 10000**0.4), abs=1e-15)


def test_sinusoidal_base_is_used(sinusoidal):
    pe = sinusoidal.embed([3], 4, base=100.0)
    assert pe[0, 2] == pytest.approx(math.sin(3 / 100**0.5), abs=1e-15)
    assert pe[0, 3] == pytest.approx(math.cos(3 / 100**0.5), abs=1e-15)


def test_sinusoidal_rejects_bad_input(sinusoidal):
    with pytest.raises(ValueError, match="1-D"):
        sinusoidal.embed(np.zeros((2, 2)), 4)
    with pytest.raises(ValueError, match="base"):
        sinusoidal.embed([0], 4, base=0.0)


# -- learned ------------------------------------------------------------------------


def test_learned_returns_table_rows(learned):
    table = np.arange(12.0).reshape(4, 3)
    out = learned.embed([2, 0, 3], 3, table=table)
    np.testing.assert_array_equal(out, table[[2, 0, 3]])
    np.testing.assert_array_equal(out[0], [6.0, 7.0, 8.0])
    out[0, 0] = -1.0  # the caller's table is not aliased
    assert table[2, 0] == 6.0


def test_learned_accepts_nested_lists(learned):
    out = learned.embed([1], 2, table=[[0.0, 1.0], [2.0, 3.0]])
    np.testing.assert_array_equal(out, [[2.0, 3.0]])


def test_learned_errors_name_the_sizes(learned):
    table = np.zeros((10, 3))
    with pytest.raises(ValueError, match="level must provide"):
        learned.embed([0], 3)
    with pytest.raises(ValueError, match=r"\[12\].*10 positions.*0\.\.9"):
        learned.embed([0, 12], 3, table=table)
    with pytest.raises(ValueError, match=r"\[10\]"):
        learned.embed([10], 3, table=table)  # one past the end: an off-by-one guard
    with pytest.raises(ValueError, match=r"\[-1\]"):
        learned.embed([-1], 3, table=table)
    with pytest.raises(ValueError, match="3 columns but d_model is 4"):
        learned.embed([0], 4, table=table)
    with pytest.raises(ValueError, match="2-D"):
        learned.embed([0], 3, table=np.zeros(3))
    assert learned.embed([9], 3, table=table).shape == (1, 3)  # the last row is fine


# -- RoPE -----------------------------------------------------------------------------


def _rotation(angle: float) -> np.ndarray:
    return np.array([[math.cos(angle), -math.sin(angle)], [math.sin(angle), math.cos(angle)]])


def test_rope_chosen_values(rope):
    x = np.array([[1.0, 2.0, 3.0, 4.0]])
    out = rope.rotate(x, [2], base=100.0)
    # pair 0: θ = 1, angle 2; pair 1: θ = 100^(-2/4) = 0.1, angle 0.2; counter-clockwise
    np.testing.assert_allclose(out[0, :2], _rotation(2.0) @ [1.0, 2.0], atol=1e-15)
    np.testing.assert_allclose(out[0, 2:], _rotation(0.2) @ [3.0, 4.0], atol=1e-15)


def test_rope_position_zero_is_identity_and_odd_d_keeps_last_dim(rope):
    rng = np.random.default_rng(0)
    x = rng.normal(size=(3, 5))  # (n, d) with odd d
    out = rope.rotate(x, [0, 1, 2])
    np.testing.assert_array_equal(out[0], x[0])
    np.testing.assert_array_equal(out[:, 4], x[:, 4])
    assert not np.allclose(out[1, :2], x[1, :2])
    # the second pair of d = 5 turns by θ_1 = 10000^(−2/5)
    np.testing.assert_allclose(out[2, 2:4], _rotation(2 * 10000**-0.4) @ x[2, 2:4], atol=1e-14)


def test_rope_preserves_norms_and_broadcasts_over_heads(rope):
    rng = np.random.default_rng(1)
    x = rng.normal(size=(2, 3, 6, 4))  # (b, h, n, d)
    positions = np.arange(6) * 7
    out = rope.rotate(x, positions)
    np.testing.assert_allclose(np.linalg.norm(out, axis=-1), np.linalg.norm(x, axis=-1))
    np.testing.assert_allclose(out[1, 2], rope.rotate(x[1, 2], positions), atol=0)
    assert rope.rotate(x.astype(np.float32), positions).dtype == np.float32
    assert rope.rotate(np.ones((2, 2), dtype=int), [0, 1]).dtype == np.float64


def test_rope_rejects_mismatched_positions(rope):
    with pytest.raises(ValueError, match="3 rows.*2 positions"):
        rope.rotate(np.ones((3, 4)), [0, 1])


@settings(max_examples=200, deadline=None)
@given(
    d=st.integers(1, 9),
    m=st.integers(0, 200),
    n=st.integers(0, 200),
    shift=st.integers(-50, 200),
    log_base=st.floats(0.0, 6.0),
    seed=st.integers(0, 2**32 - 1),
)
def test_rope_scores_depend_only_on_relative_position(rope, d, m, n, shift, log_base, seed):
    rng = np.random.default_rng(seed)
    q, k = rng.uniform(-1, 1, size=(2, 1, d))  # (1, d) each
    base = 10.0**log_base

    def score(pos_q: int, pos_k: int) -> float:
        rq = rope.rotate(q, [pos_q], base=base)[0]  # (d,)
        rk = rope.rotate(k, [pos_k], base=base)[0]  # (d,)
        return float(rq @ rk)

    assert abs(score(m, n) - score(m + shift, n + shift)) <= 1e-9
    # …and equals q·R_{n−m} k, the relative form of RoFormer eq. (16)
    rel = rope.rotate(k, [n - m], base=base)[0]
    assert abs(score(m, n) - float(q[0] @ rel)) <= 1e-9


def test_rope_scores_do_change_with_the_offset(rope):
    q = k = np.array([[1.0, 0.0]])
    near = rope.rotate(q, [5])[0] @ rope.rotate(k, [5])[0]
    far = rope.rotate(q, [5])[0] @ rope.rotate(k, [6])[0]
    assert near == pytest.approx(1.0)
    assert far == pytest.approx(math.cos(1.0))


# -- ALiBi ----------------------------------------------------------------------------


def _paper_get_slopes(n: int) -> list[float]:
    """The official ALiBi `get_slopes`, as in Press et al.'s repository.

    github.com/ofirpress/attention_with_linear_biases, fairseq/models/transformer.py
    """

    def power_of_2(n: int) -> list[float]:
        start = 2 ** (-(2 ** -(math.log2(n) - 3)))
        ratio = start
        return [start * ratio**i for i in range(n)]

    if math.log2(n).is_integer():
        return power_of_2(n)
    closest = 2 ** math.floor(math.log2(n))
    return power_of_2(closest) + _paper_get_slopes(2 * closest)[0::2][: n - closest]


def test_alibi_slopes_for_eight_heads(alibi):
    np.testing.assert_allclose(alibi.slopes(8), [1 / 2**k for k in range(1, 9)], rtol=1e-15)


@pytest.mark.parametrize("h", [1, 2, 4, 16, 32])
def test_alibi_slopes_powers_of_two_are_geometric(alibi, h):
    start = 2.0 ** (-8.0 / h)
    expected = [start ** (k + 1) for k in range(h)]
    np.testing.assert_allclose(alibi.slopes(h), expected, rtol=1e-13)


@pytest.mark.parametrize("h", [3, 5, 6, 7, 12, 20])
def test_alibi_slopes_other_head_counts_follow_the_paper(alibi, h):
    np.testing.assert_allclose(alibi.slopes(h), _paper_get_slopes(h), rtol=1e-13)


def test_alibi_slopes_literal_non_powers(alibi):
    # 6 heads: the 4-head slopes, then 2^-1, 2^-3 (every other of the 8-head slopes)
    np.testing.assert_allclose(
        alibi.slopes(6), [2**-2, 2**-4, 2**-6, 2**-8, 2**-1, 2**-3], rtol=1e-15
    )
    # 12 heads: the 8-head slopes, then 2^-0.5, 2^-1.5, 2^-2.5, 2^-3.5 from 16 heads
    expected = [2.0**-k for k in range(1, 9)] + [2.0 ** -(k + 0.5) for k in range(4)]
    np.testing.assert_allclose(alibi.slopes(12), expected, rtol=1e-15)


def test_alibi_slope_scale_and_errors(alibi):
    np.testing.assert_allclose(alibi.slopes(4, slope_scale=2.0), 2 * alibi.slopes(4))
    np.testing.assert_array_equal(alibi.slopes(4, slope_scale=0.0), 0.0)
    for bad in (0, -1, 2.5):
        with pytest.raises(ValueError, match="n_heads"):
            alibi.slopes(bad)


def test_alibi_bias_values(alibi):
    q_pos, k_pos = np.array([0, 3, 4]), np.array([0, 1, 2, 3, 4])
    b = alibi.bias(q_pos, k_pos, 2, slope_scale=1.5)
    assert b.shape == (2, 3, 5)
    m = [1.5 * 2**-4, 1.5 * 2**-8]
    for h in range(2):
        for a, i in enumerate(q_pos):
            for c, j in enumerate(k_pos):
                assert b[h, a, c] == pytest.approx(-m[h] * (i - j), abs=1e-15)
    assert b[0, 2, 0] == pytest.approx(-4 * 1.5 * 2**-4)  # a key 4 back costs 4 slopes
    assert b[0, 1, 4] > 0  # a future key: the causal mask, not the bias, hides it


@pytest.mark.parametrize("causal", [False, True])
@pytest.mark.parametrize("h", [1, 3, 8])
def test_alibi_slopes_in_tiled_equal_bias_in_reference(alibi, causal, h):
    rng = np.random.default_rng(h)
    n, d = 13, 4
    q, k, v = rng.normal(size=(3, h, n, d))  # (h, n, d) each
    positions = np.arange(n)
    tiled = attention(
        q, k, v, causal=causal, alibi_slopes=alibi.slopes(h, slope_scale=3.0), backend="tiled"
    )
    reference = attention(
        q,
        k,
        v,
        causal=causal,
        bias=alibi.bias(positions, positions, h, slope_scale=3.0),
        backend="reference",
    )
    np.testing.assert_allclose(tiled, reference, atol=1e-12)
    plain = attention(q, k, v, causal=causal, backend="reference")
    assert not np.allclose(plain, reference, atol=1e-3)  # the bias did something
