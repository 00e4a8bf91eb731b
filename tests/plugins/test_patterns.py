"""The built-in attention patterns (plugins/pattern_*) against float64 references written by hand.

`local`: the sliding window with global tokens against a dense mask built
cell by cell. `linear-elu`: `game.attention.linear` against its own direct
formula (one query, one key at a time), causal and padded, and against
softmax on inputs where the two must agree (identical keys) and where they
must not (a sharp one-hot pattern).
"""

from __future__ import annotations

import numpy as np
import pytest

from game.api import AttentionPattern
from game.attention import attention_weights
from game.attention.linear import linear_attention, linear_weights
from tests.plugins.plugin_files import error_for, load, write
from tests.plugins.util import PLUGINS_DIR, load_builtin


@pytest.fixture(scope="module")
def local():
    return load_builtin("pattern_local")


@pytest.fixture(scope="module")
def linear():
    return load_builtin("pattern_linear")


def dense_local_mask(n_q: int, n_k: int, window: int, globals_: list[int]) -> np.ndarray:
    """The Longformer rule, one cell at a time: near, or either end a global token."""
    mask = np.zeros((n_q, n_k), dtype=bool)
    for i in range(n_q):
        for j in range(n_k):
            near = abs(i - j) <= window
            is_global = (i % n_q) in [g % n_q for g in globals_] or (j % n_k) in [
                g % n_k for g in globals_
            ]
            mask[i, j] = near or is_global
    return mask


@pytest.mark.parametrize(
    ("n", "window", "globals_"),
    [(1, 0, []), (7, 1, [0]), (9, 2, [0, -1]), (12, 0, [3]), (5, 10, []), (16, 3, [-1])],
)
def test_local_mask_matches_a_dense_mask_built_by_hand(local, n, window, globals_):
    got = local.local_mask(np.arange(n), np.arange(n), window=window, global_tokens=globals_)
    assert got.dtype == bool and got.shape == (n, n)
    np.testing.assert_array_equal(got, dense_local_mask(n, n, window, globals_))


def test_local_mask_counts_the_scores_it_saves(local):
    n, window = 100, 2
    mask = local.local_mask(np.arange(n), np.arange(n), window=window, global_tokens=[0])
    band = sum(min(n - 1, i + window) - max(0, i - window) + 1 for i in range(n))
    # The global token adds its row and column, minus the cells the band already has.
    extra = (n - (window + 1)) * 2
    assert int(mask.sum()) == band + extra
    assert mask.sum() < 0.1 * n * n


def test_local_mask_refuses_a_negative_window(local):
    with pytest.raises(ValueError, match="window"):
        local.local_mask(np.arange(3), np.arange(3), window=-1)


def elu_plus_one(x: np.ndarray) -> np.ndarray:
    return np.where(x > 0, x + 1.0, np.exp(np.minimum(x, 0.0)))


def direct_linear(phi_q, phi_k, v, allowed):
    """out_i = Σ_j a_ij φ(q_i)·φ(k_j) v_j / Σ_j a_ij φ(q_i)·φ(k_j), one cell at a time."""
    n_q, n_k = allowed.shape
    weights = np.zeros((n_q, n_k))
    for i in range(n_q):
        scores = [float(phi_q[i] @ phi_k[j]) if allowed[i, j] else 0.0 for j in range(n_k)]
        total = sum(scores)
        weights[i] = [s / total if total > 0 else 0.0 for s in scores]
    return weights, weights @ v


def test_elu_plus_one_is_the_papers_feature_map(linear):
    x = np.array([[-3.0, -0.5, 0.0, 0.5, 4.0]])
    np.testing.assert_allclose(
        linear.elu_plus_one(x), [[np.exp(-3.0), np.exp(-0.5), 1.0, 1.5, 5.0]], rtol=1e-15
    )


@pytest.mark.parametrize("causal", [False, True])
def test_linear_attention_matches_its_direct_formula(linear, causal):
    rng = np.random.default_rng(7)
    q, k, v = rng.normal(size=(6, 3)), rng.normal(size=(6, 3)), rng.normal(size=(6, 4))
    phi_q, phi_k = linear.elu_plus_one(q), linear.elu_plus_one(k)
    allowed = np.tril(np.ones((6, 6), dtype=bool)) if causal else np.ones((6, 6), dtype=bool)
    want_w, want_out = direct_linear(phi_q, phi_k, v, allowed)
    np.testing.assert_allclose(linear_weights(phi_q, phi_k, causal=causal), want_w, atol=1e-12)
    np.testing.assert_allclose(
        linear_attention(phi_q, phi_k, v, causal=causal), want_out, atol=1e-12
    )


def test_linear_attention_drops_padded_keys_from_both_sums():
    rng = np.random.default_rng(3)
    phi_q = elu_plus_one(rng.normal(size=(2, 4, 3)))  # (b, n_q, r)
    phi_k = elu_plus_one(rng.normal(size=(2, 5, 3)))  # (b, n_k, r)
    v = rng.normal(size=(2, 5, 2))
    key_mask = np.array([[True] * 5, [True, True, True, False, False]])  # (b, n_k)
    out = linear_attention(phi_q, phi_k, v, key_mask=key_mask)
    weights = linear_weights(phi_q, phi_k, key_mask=key_mask)
    for b in range(2):
        allowed = np.broadcast_to(key_mask[b], (4, 5))
        want_w, want_out = direct_linear(phi_q[b], phi_k[b], v[b], allowed)
        np.testing.assert_allclose(weights[b], want_w, atol=1e-12)
        np.testing.assert_allclose(out[b], want_out, atol=1e-12)


def test_a_query_with_no_key_left_gives_zeros_not_nan():
    phi = np.ones((1, 3, 2))
    out = linear_attention(phi, phi, np.ones((1, 3, 2)), key_mask=np.zeros((1, 3), dtype=bool))
    assert np.all(out == 0.0)


def test_linear_and_softmax_agree_when_every_key_is_the_same(linear):
    rng = np.random.default_rng(11)
    q = rng.normal(size=(5, 3)) * 3.0
    k = np.tile(rng.normal(size=(1, 3)), (5, 1))  # five identical keys
    exact = attention_weights(q, k, scale=1.0)
    approx = linear_weights(linear.elu_plus_one(q), linear.elu_plus_one(k))
    np.testing.assert_allclose(approx, exact, atol=1e-12)  # both exactly uniform


def test_linear_attention_blurs_a_sharp_one_hot_pattern(linear):
    k = np.eye(4)  # four keys, one feature each
    q = np.array([[12.0, 0.0, 0.0, 0.0]])  # points hard at key 0
    exact = attention_weights(q, k, scale=1.0)[0]
    approx = linear_weights(linear.elu_plus_one(q), linear.elu_plus_one(k))[0]
    assert exact[0] > 0.99
    # φ(q) = (13, 1, 1, 1): key 0 scores 13·2 + 3 = 29, the others 13 + 2 + 1 + 1 = 17.
    assert approx[0] < 0.5  # linear, not exponential, in q·k
    np.testing.assert_allclose(approx[0], 29.0 / (29.0 + 3 * 17.0), rtol=1e-12)


PATTERN_PLUGIN = """
import numpy as np
from game.api import AttentionPattern, hookimpl

def phi(x, **_):
    return np.maximum(x, 0) + 1

@hookimpl
def switchyard_register_attention_patterns(register):
    register(AttentionPattern(name="{name}", title="T", description="d", {fields}))
"""


def test_a_pattern_needs_exactly_one_of_mask_and_feature_map(tmp_path):
    write(tmp_path, "both.py", PATTERN_PLUGIN.format(name="b", fields="mask=phi, feature_map=phi"))
    write(tmp_path, "neither.py", PATTERN_PLUGIN.format(name="n", fields="reference=''"))
    write(tmp_path, "fine.py", PATTERN_PLUGIN.format(name="f", fields="feature_map=phi"))
    registry = load(tmp_path)
    for plugin in ("both", "neither"):
        assert "exactly one of mask and feature_map" in error_for(registry, plugin).message
    assert isinstance(registry.patterns["f"], AttentionPattern)
    assert registry.patterns["f"].kind == "linear" and registry.patterns["local"].kind == "sparse"
    assert "b" not in registry.patterns and "n" not in registry.patterns


def test_a_builtin_pattern_name_cannot_be_taken(tmp_path):
    write(tmp_path, "mine.py", PATTERN_PLUGIN.format(name="local", fields="feature_map=phi"))
    registry = load(tmp_path)
    message = error_for(registry, "mine").message
    assert "attention pattern 'local' is already registered by plugin 'pattern_local'" in message
    assert registry.patterns["local"].mask is not None


def test_the_guides_strided_example_loads_and_masks(tmp_path):
    from game.plugin_reference import GUIDE
    from tests.plugins.test_docs import FILE_BLOCK

    blocks = dict(FILE_BLOCK.findall(GUIDE.read_text(encoding="utf-8")))
    path = write(tmp_path, "strided_pattern.py", blocks["strided_pattern.py"])
    registry = load(tmp_path)
    assert registry.errors == []
    got = registry.patterns["strided"].mask(np.arange(5), np.arange(5), stride=2)
    want = np.array([[(i - j) % 2 == 0 for j in range(5)] for i in range(5)])
    np.testing.assert_array_equal(got, want)
    assert path.exists()


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ("return x - 5.0", "negative or non-finite"),
        ("return x[..., 0]", "gave shape"),
        ("raise RuntimeError('boom')", "feature map failed: RuntimeError: boom"),
    ],
)
def test_a_broken_feature_map_is_a_located_level_error(tmp_path, body, message):
    from game.levels import LevelError, load_level_file

    source = f"""
    from game.api import AttentionPattern, hookimpl

    def phi(x, **_):
        {body}

    @hookimpl
    def switchyard_register_attention_patterns(register):
        register(AttentionPattern(name="broken", title="T", description="d", feature_map=phi))
    """
    write(tmp_path, "broken.py", source)
    registry = load(tmp_path)
    assert registry.errors == []
    level = (PLUGINS_DIR / "pattern_linear" / "levels" / "linear_01_blur.toml").read_text()
    path = write(tmp_path, "uses_broken.toml", level.replace('"linear-elu"', '"broken"'))
    line = level.splitlines().index('pattern = "linear-elu"') + 1
    with pytest.raises(LevelError, match=message) as caught:
        load_level_file(path, registry)
    assert f"uses_broken.toml:{line}: pattern: " in str(caught.value)
