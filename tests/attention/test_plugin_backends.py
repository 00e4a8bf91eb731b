"""Backends registered by plugins, reached by name: lookup, listing, and failures.

The fixture plugin `odd_backends` (a real file, loaded by the plugin manager)
registers one backend that works and one for each way a backend can go wrong.
The working one is held to the float64 reference at 1e-12 (float64 inputs).
"""

from __future__ import annotations

import logging
import re
import textwrap
from pathlib import Path

import numpy as np
import pytest

from game.attention import (
    BackendFailure,
    PluginBackend,
    attention,
    backends,
    registered_backends,
    resolve_backend,
)
from game.attention.inputs import prepare
from game.attention.reference import reference_attention
from game.model import Board, forward
from game.plugins import load_plugins

PLUGIN = """
import numpy as np

from game.api import AttentionBackend, hookimpl


def plain(inputs):
    weights = inputs.masked_softmax(inputs.logits(np.float64))  # (*lead, n_q, n_k)
    return weights @ inputs.v  # (*lead, n_q, d_v)


def raises(inputs):
    raise RuntimeError("the accelerator caught fire")


def flat(inputs):
    return plain(inputs).ravel()


def nan(inputs):
    return np.full((*inputs.lead, inputs.n_q, inputs.d_v), np.nan)


def never():
    return False


def probe_fails():
    raise OSError("no such device")


@hookimpl
def switchyard_register_backends(register):
    register(AttentionBackend(name="plain", title="Plain NumPy", run=plain))
    register(AttentionBackend(name="raises", title="Raises", run=raises))
    register(AttentionBackend(name="flat", title="Wrong shape", run=flat))
    register(AttentionBackend(name="nan", title="NaN", run=nan))
    register(AttentionBackend(name="never", title="Never usable", run=plain, usable=never))
    register(AttentionBackend(name="probe", title="Probe fails", run=plain, usable=probe_fails))
"""


@pytest.fixture(scope="module")
def plugin_dir(tmp_path_factory):
    folder = tmp_path_factory.mktemp("user_plugins")
    (folder / "odd_backends.py").write_text(textwrap.dedent(PLUGIN))
    return folder


@pytest.fixture(scope="module")
def registry(plugin_dir):
    registry = load_plugins(no_plugins=True, extra=[plugin_dir / "odd_backends.py"])
    assert not registry.errors, registry.errors
    return registry


def problem(seed=0):
    rng = np.random.default_rng(seed)
    q, k, v = rng.normal(size=(2, 5, 3)), rng.normal(size=(2, 7, 3)), rng.normal(size=(2, 7, 4))
    mask = rng.random((5, 7)) > 0.3
    mask[1] = False  # a fully masked row
    return q, k, v, {"causal": True, "mask": mask, "alibi_slopes": [0.5, 0.25]}


def test_a_registered_backend_resolves_by_name_and_matches_the_reference(registry):
    q, k, v, kwargs = problem()
    plain = resolve_backend("plain", registry)
    assert isinstance(plain, PluginBackend) and plain.plugin == "odd_backends"
    expected, _ = reference_attention(prepare(q, k, v, **kwargs))
    np.testing.assert_allclose(attention(q, k, v, backend=plain, **kwargs), expected, atol=1e-12)


def test_built_in_names_resolve_to_themselves(registry):
    for name in ("auto", "reference", "tiled", "cupy"):
        assert resolve_backend(name, registry) == name


def test_backends_lists_usable_plugin_backends_after_the_built_ins(registry):
    names = backends(registry)
    assert names[:2] == ["reference", "tiled"]
    assert [n for n in names if n not in ("reference", "tiled", "cupy")] == [
        "naive",
        "plain",
        "raises",
        "flat",
        "nan",
    ]  # "never" says it is unusable; "probe" raises in usable(), which counts as no
    assert registered_backends(registry)["plain"].title == "Plain NumPy"


def test_an_unknown_name_is_a_value_error_listing_what_is_available(registry):
    with pytest.raises(ValueError) as error:
        resolve_backend("plian", registry)
    message = str(error.value)
    assert message.startswith("unknown attention backend 'plian'; available here: auto, ")
    assert "reference, tiled" in message and "naive" in message and "plain" in message
    assert "never" not in message


@pytest.mark.parametrize("name", ["never", "probe"])
def test_an_unusable_backend_is_refused_by_name_and_as_an_object(registry, name):
    refused = f"'{name}' backend of plugin 'odd_backends' is not usable"
    with pytest.raises(ValueError, match=refused):
        resolve_backend(name, registry)
    x = np.ones((2, 2))
    with pytest.raises(ValueError, match=f"'{name}' backend is not usable here"):
        attention(x, x, x, backend=registered_backends(registry)[name])


@pytest.mark.parametrize(
    ("name", "words"),
    [
        ("raises", "failed: RuntimeError: the accelerator caught fire"),
        ("flat", "returned shape (40,); expected (*lead, n_q, d_v) = (2, 5, 4)"),
        ("nan", "returned NaN or infinity from finite inputs"),
    ],
)
def test_a_failing_plugin_backend_raises_backend_failure_naming_the_plugin(registry, name, words):
    q, k, v, kwargs = problem()
    with pytest.raises(BackendFailure) as error:
        attention(q, k, v, backend=resolve_backend(name, registry), **kwargs)
    assert f"attention backend '{name}' (plugin 'odd_backends')" in str(error.value)
    assert words in str(error.value)


def test_nan_from_nan_inputs_is_not_the_backends_fault(registry):
    q, k, v, _ = problem()
    q[0, 0, 0] = np.nan
    out = attention(q, k, v, backend=resolve_backend("nan", registry))
    assert np.isnan(out).all()


def test_plain_names_find_user_folder_plugins_through_the_default_registry(plugin_dir, monkeypatch):
    """attention(backend="plain") with no registry in hand: the plugins `play` would load."""
    monkeypatch.setenv("SWITCHYARD_PLUGIN_DIR", str(plugin_dir))
    q, k, v, kwargs = problem(1)
    expected, _ = reference_attention(prepare(q, k, v, **kwargs))
    np.testing.assert_allclose(attention(q, k, v, backend="plain", **kwargs), expected, atol=1e-12)
    assert "plain" in backends() and "never" not in backends()
    with pytest.raises(BackendFailure, match="plugin 'odd_backends'"):
        attention(q, k, v, backend="raises", **kwargs)
    monkeypatch.delenv("SWITCHYARD_PLUGIN_DIR")
    monkeypatch.setenv("SWITCHYARD_DISABLE_PLUGINS", "odd_backends")
    assert "plain" not in backends()  # the switches pick a fresh default registry
    with pytest.raises(ValueError, match="unknown attention backend 'plain'"):
        attention(q, k, v, backend="plain")


@pytest.mark.parametrize(
    ("level_id", "name"),
    [
        ("06_two_heads", "raises"),
        ("06_two_heads", "flat"),
        ("06_two_heads", "nan"),
        ("translate_01_red_car", "raises"),  # cross-attention, sentences as one padded batch
    ],
)
def test_the_board_falls_back_to_the_reference_when_a_plugin_backend_fails(
    registry, level_id, name, caplog
):
    forward._log_backend_failure.cache_clear()  # the board logs each failure once
    level = registry.levels[level_id]
    expected = Board(level, registry, backend="reference").evaluate_all()
    caplog.set_level(logging.WARNING, logger="switchyard")
    board = Board(level, registry, backend=resolve_backend(name, registry))
    for want, got in zip(expected, board.evaluate_all(), strict=True):
        for seq, out in want.outputs.items():
            np.testing.assert_allclose(got.outputs[seq], out, atol=1e-12, rtol=0)
        assert got.goal_results == want.goal_results
    warnings = [r.getMessage() for r in caplog.records if "odd_backends" in r.getMessage()]
    assert warnings and "the reference backend instead" in warnings[0]


def test_the_guides_backend_example_works_as_written(tmp_path, monkeypatch):
    """docs/plugins.md's plain_numpy.py, dropped into a user plugin folder, runs by name."""
    guide = (Path(__file__).parents[2] / "docs" / "plugins.md").read_text(encoding="utf-8")
    source = re.search(r"```python file=plain_numpy.py\n(.*?)```", guide, re.S).group(1)
    (tmp_path / "plain_numpy.py").write_text(source, encoding="utf-8")
    monkeypatch.setenv("SWITCHYARD_PLUGIN_DIR", str(tmp_path))
    q, k, v, kwargs = problem(2)
    q = q.astype(np.float32)
    expected, _ = reference_attention(prepare(q, k, v, **kwargs))
    out = attention(q, k, v, backend="plain_numpy", **kwargs)
    assert out.dtype == np.float64  # k, v are float64: the result type of the inputs
    np.testing.assert_allclose(out, expected, atol=1e-12)
    assert registered_backends()["plain_numpy"].title == "Plain NumPy"
