"""The public contract of game.attention (DESIGN §4): backends, argument checks, dispatch."""

import importlib.util
import os
import subprocess
import sys

import numpy as np
import pytest

from game.attention import attention, attention_weights, backends, registered_backends


def test_backends_always_include_reference_and_tiled():
    names = backends()
    assert names[:2] == ["reference", "tiled"]
    plugins = [name for name, backend in registered_backends().items() if backend.usable()]
    assert "naive" in plugins  # the built-in plugin's, listed after the built-ins
    assert names[2:] in (plugins, ["cupy", *plugins])


@pytest.mark.parametrize("backend", ["auto", "reference", "tiled"])
def test_every_cpu_backend_agrees(backend):
    rng = np.random.default_rng(0)
    q, k, v = rng.normal(size=(2, 9, 4)), rng.normal(size=(2, 11, 4)), rng.normal(size=(2, 11, 3))
    expected = attention(q, k, v, causal=True, alibi_slopes=[0.5, 0.25], backend="reference")
    out = attention(q, k, v, causal=True, alibi_slopes=[0.5, 0.25], backend=backend)
    np.testing.assert_allclose(out, expected, atol=1e-12)


def test_scale_defaults_to_one_over_sqrt_d():
    rng = np.random.default_rng(1)
    q, k = rng.normal(size=(5, 16)), rng.normal(size=(6, 16))
    np.testing.assert_allclose(
        attention_weights(q, k), attention_weights(q, k, scale=0.25), atol=1e-15
    )
    assert not np.allclose(attention_weights(q, k), attention_weights(q, k, scale=1.0))


def test_scale_zero_gives_uniform_weights():
    q, k = np.ones((3, 2)), np.arange(8.0).reshape(4, 2)
    np.testing.assert_allclose(attention_weights(q, k, scale=0.0), 0.25)


def test_bias_broadcasts_over_heads():
    rng = np.random.default_rng(2)
    q, k = rng.normal(size=(3, 4, 5)), rng.normal(size=(3, 6, 5))
    bias = rng.normal(size=(4, 6))
    w = attention_weights(q, k, bias=bias)
    np.testing.assert_allclose(w[1], attention_weights(q[1], k[1], bias=bias), atol=1e-15)


def test_bias_may_add_a_head_dim_to_shared_q_and_k():
    rng = np.random.default_rng(3)
    x = rng.normal(size=(5, 4))
    bias = rng.normal(size=(2, 5, 5))  # one bias per head on the same tokens
    out = attention(x, x, x, bias=bias, backend="tiled")
    assert out.shape == (2, 5, 4)
    np.testing.assert_allclose(out[1], attention(x, x, x, bias=bias[1]), atol=1e-12)


@pytest.mark.parametrize(
    ("q_shape", "k_shape", "v_shape", "words"),
    [
        ((4, 3), (5, 2), (5, 2), ["(4, 3)", "(5, 2)", "d_k"]),
        ((4, 3), (5, 3), (6, 3), ["(5, 3)", "(6, 3)", "keys"]),
        ((3,), (5, 3), (5, 3), ["(3,)", "at least 2 dims"]),
        ((2, 4, 3), (3, 5, 3), (3, 5, 3), ["(2, 4, 3)", "(3, 5, 3)", "broadcast"]),
    ],
)
def test_wrong_shapes_raise_value_error_naming_them(q_shape, k_shape, v_shape, words):
    with pytest.raises(ValueError) as error:
        attention(np.ones(q_shape), np.ones(k_shape), np.ones(v_shape))
    for word in words:
        assert word in str(error.value)


def test_bad_bias_mask_and_slopes_are_named():
    x = np.ones((2, 4, 3))
    with pytest.raises(ValueError, match=r"bias has shape \(3, 3\)"):
        attention(x, x, x, bias=np.ones((3, 3)))
    with pytest.raises(ValueError, match="mask has dtype"):
        attention(x, x, x, mask=np.ones((4, 4)))
    with pytest.raises(ValueError, match="alibi_slopes has shape"):
        attention(x, x, x, alibi_slopes=np.ones((2, 2)))
    with pytest.raises(ValueError, match="alibi_slopes has shape"):
        attention(x, x, x, alibi_slopes=np.ones(3))
    with pytest.raises(ValueError, match="finite"):
        attention(x, x, x, scale=float("nan"))
    with pytest.raises(ValueError, match="complex"):
        attention(x + 0j, x, x)


def test_unknown_backend_lists_the_known_ones():
    x = np.ones((2, 2))
    with pytest.raises(ValueError, match="unknown attention backend 'fast'.*tiled"):
        attention(x, x, x, backend="fast")


@pytest.mark.parametrize(
    ("call", "env"),
    [
        # The CPU backends never touch CuPy; it is imported only to probe for a GPU.
        ("game.attention.attention(x, x, x, backend='tiled')", {}),
        (
            "game.attention.attention(x, x, x); game.attention.backends()",
            {"SWITCHYARD_NO_GPU": "1"},
        ),
    ],
)
def test_core_never_imports_pygame_or_cupy(call, env):
    """game.attention must load and run on a machine with neither (DESIGN §3)."""
    code = (
        "import sys, game.attention, game.model, numpy as np; x = np.ones((2, 2));"
        f"{call};"
        "print(sorted(m for m in ('pygame', 'cupy') if m in sys.modules))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env={**os.environ, **env}
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[]"


@pytest.mark.gpu
@pytest.mark.skipif(importlib.util.find_spec("cupy") is None, reason="CuPy is not installed")
def test_cupy_listed_exactly_when_the_gpu_path_works():
    from game.attention import gpu

    assert ("cupy" in backends()) == (gpu.unusable_reason() is None)
