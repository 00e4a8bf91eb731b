"""The map block: fixed per-token maps between layers (docs/levels.md, "Maps").

The double histogram level needs them (layer 2 compares counts for equality
through count²); the maps' arithmetic is checked against the stream by hand,
a level without maps runs as before, and a bad map (a level's or a plugin's)
is reported with its file and line, never in a frame.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path

import numpy as np
import pytest

from game.api import MapFunction, StaticCatalog
from game.builtin_plugins import maps_basic
from game.levels import LevelError, load_level_text
from game.model import maps, residual
from game.model.first_states import solution_state
from game.model.task_score import score_task
from game.plugin_calls import PluginCodeError
from game.plugins import load_plugins

LEVEL = "21_double_histogram"
CAMPAIGN = Path(maps_basic.__file__).parents[1] / "campaign" / f"{LEVEL}.toml"


@pytest.fixture(scope="module")
def registry():
    return load_plugins(no_plugins=True)


def catalog_with(registry, *functions):
    """The registry's catalog, its map functions replaced by `functions`."""
    return StaticCatalog(
        positional=registry.positional,
        architectures=registry.architectures,
        goal_types=registry.goal_types,
        concepts=registry.concepts,
        patterns=registry.patterns,
        tasks=registry.tasks,
        maps={f.name: f for f in functions},
    )


def test_the_built_in_maps_compute_what_they_say():
    x = np.array([[-1.0, 0.0, 0.25, 0.5, 1.0, 4.0]])  # (1, 6)
    assert np.array_equal(maps_basic.square(x), x * x)
    assert np.allclose(maps_basic.reciprocal(x), [[-1.0, 0.0, 4.0, 2.0, 1.0, 0.25]])
    assert np.allclose(maps_basic.count(x), [[0.0, 0.0, 3.0, 1.0, 0.0, -0.75]])
    assert np.allclose(maps_basic.log(x), [[0.0, 0.0, 0.0, 0.0, 0.0, np.log(4.0)]])
    assert np.array_equal(maps_basic.step(x), [[0.0, 0.0, 0.0, 1.0, 1.0, 1.0]])


def test_the_maps_write_their_outputs_into_the_stream_after_layer_one(registry):
    level = registry.levels[LEVEL]
    tokens = ("bos", "a", "b", "a", "c", "b", "d")
    x0, x1, _ = residual.token_streams(level, registry, solution_state(level, registry), [tokens])[
        0
    ]
    col = {f: i for i, f in enumerate(level.features)}
    share = x1[:, col["share"]]  # (n,)
    count = np.where(share > 0, 1.0 / share - 1.0, 0.0)
    assert np.allclose(x1[:, col["count"]], count)
    assert np.allclose(x1[:, col["count_sq"]], count**2)
    assert np.allclose(x1[:, col["log_count"]], np.log(np.maximum(count, 1.0)))
    assert np.allclose(x1[1:, col["count"]], [2, 2, 2, 1, 2, 1], atol=0.01)  # the histogram
    assert not x0[:, col["count"]].any()  # x⁰ before any layer holds none of it


def test_the_double_histogram_needs_its_maps_and_both_layers(registry):
    level = registry.levels[LEVEL]
    solution = solution_state(level, registry)
    full = score_task(level, registry, solution, n=300)
    assert full.examples == 300 and full.accuracy >= 0.99, full.failures[:3]
    unmapped = level.model_copy(update={"maps": []})
    assert score_task(unmapped, registry, solution, n=300).accuracy < 0.5
    only_layer_1 = dataclasses.replace(
        solution, heads=(solution.heads[0], dataclasses.replace(solution.heads[1], wires=()))
    )
    assert score_task(level, registry, only_layer_1, n=300).accuracy < 0.5


def test_a_level_without_maps_binds_none(registry):
    level = registry.levels["18_induction"]
    assert level.maps == []
    assert maps.bind(level, registry, level.features) == ()
    x = np.ones((1, 3, 2))
    assert maps.apply(x, (), 0) is x  # the stream is the same object: nothing touched


def bad_level(text: str, catalog) -> LevelError:
    with pytest.raises(LevelError) as caught:
        load_level_text(text, "bad.toml", catalog)
    return caught.value


def test_a_bad_maps_table_is_reported_at_its_line(registry):
    text = CAMPAIGN.read_text(encoding="utf-8")
    text = text.replace('output = "count_sq"', 'output = "nowhere"')
    text = text.replace('fn = "log"', 'fn = "cube"')
    text = text.replace('after_layer = 1\ninput = "share"', 'after_layer = 2\ninput = "share"')
    lines = text.splitlines()
    problems = {p.message: p.line for p in bad_level(text, registry).problems}
    assert any("a map goes between layers" in m for m in problems)
    assert any('"nowhere" is not one of the level\'s features' in m for m in problems)
    assert any('"cube" is not installed' in m for m in problems)
    for message, line in problems.items():
        assert line is not None, message
        assert any(key in lines[line - 1] for key in ("after_layer", "output", "fn")), message


def test_a_plugin_map_that_returns_nonsense_is_reported_with_its_file_and_line(registry):
    def bad(x):
        return x[:, :1]  # the wrong shape

    def nan(x):
        return x * np.nan

    for fn in (bad, nan):
        catalog = catalog_with(registry, MapFunction("count", "Count", "…", fn), *[
            f for f in maps_basic.MAPS if f.name != "count"
        ])  # fmt: skip
        error = bad_level(CAMPAIGN.read_text(encoding="utf-8"), catalog)
        messages = [p.message for p in error.problems]
        assert any("test_maps.py:" in m and 'map function "count" failed' in m for m in messages)


def test_a_plugin_map_failing_at_run_time_raises_a_located_error_not_a_crash(registry):
    calls = []

    def flaky(x):
        calls.append(x.shape)
        return x if len(calls) == 1 else np.full_like(x, np.inf)

    level = registry.levels[LEVEL]
    function = MapFunction("flaky", "Flaky", "…", flaky)
    bound = (maps.BoundMap(0, 0, 1, function, "one → bos (flaky)"),)
    x = np.zeros((2, 4, len(level.features)))  # (b, n, d_model)
    assert np.array_equal(maps.apply(x, bound, 0), x)
    assert maps.apply(x, bound, 1) is x  # not this layer's map
    with pytest.raises(PluginCodeError) as caught:
        maps.apply(x, bound, 0)
    assert "test_maps.py:" in caught.value.location and "finite" in caught.value.message
