"""docs/plugins.md stays true: its hook reference matches hookspecs, its tutorial runs."""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pytest

from game.plugin_reference import GUIDE, hook_names, updated_guide
from game.plugins import load_plugins

FILE_BLOCK = re.compile(r"```\w+ file=(\S+)\n(.*?)```", re.S)


def guide_text() -> str:
    return GUIDE.read_text(encoding="utf-8")


def test_the_hook_reference_is_generated_from_hookspecs():
    text = guide_text()
    assert text == updated_guide(text), "run: python -m game.plugin_reference"


def test_every_hook_has_a_heading_in_the_guide():
    text = guide_text()
    assert len(hook_names()) == 6
    for name in hook_names():
        assert f"### `{name}(register)`" in text


def test_every_hook_is_used_by_a_shipped_plugin():
    registry = load_plugins(no_plugins=True)
    manager = registry.manager
    for name in hook_names():
        implementers = [impl.plugin_name for impl in getattr(manager.hook, name).get_hookimpls()]
        assert implementers, f"no built-in plugin implements {name}"


@pytest.fixture(scope="module")
def tutorial(tmp_path_factory) -> Path:
    """The tutorial's files, written out exactly as the guide shows them."""
    root = tmp_path_factory.mktemp("tutorial")
    blocks = FILE_BLOCK.findall(guide_text())
    assert {name for name, _ in blocks} >= {
        "t5_bias/__init__.py",
        "t5_bias/levels/t5_neighbours.toml",
    }
    for name, body in blocks:
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(body, encoding="utf-8")
    return root / "t5_bias"


def test_the_tutorial_plugin_loads_alone(tutorial):
    registry = load_plugins(no_plugins=True, extra=[tutorial])
    assert registry.errors == []
    info = next(p for p in registry.plugins if p.name == "t5_bias")
    assert info.registered["positional scheme"] == ["t5"]
    assert ("t5_bias", tutorial / "levels") in registry.level_sources


def test_the_tutorial_buckets_follow_t5(tutorial):
    registry = load_plugins(no_plugins=True, extra=[tutorial])
    scheme = registry.positional["t5"]
    bucket = __import__("sys").modules["switchyard_extra.t5_bias"].bucket
    # Values from T5's _relative_position_bucket (bidirectional, 32 buckets, max distance 128),
    # with distance = query − key: exact below 8, log-spaced to 15, the upper half for keys ahead.
    distance = np.array([0, 1, 7, 8, 12, 16, 32, 64, 127, 128, 1000, -1, -9, -200])
    expected = np.array([0, 1, 7, 8, 9, 10, 12, 14, 15, 15, 15, 17, 24, 31])
    np.testing.assert_array_equal(bucket(distance), expected)
    bias = scheme.bias(np.arange(4), np.arange(4), 2, decay=0.5)  # (h, n_q, n_k)
    assert bias.shape == (2, 4, 4)
    np.testing.assert_array_equal(bias[0], -0.5 * np.abs(np.subtract.outer(range(4), range(4))))


def test_the_tutorial_level_validates_and_its_solution_earns_three_stars(tutorial):
    from game.model.board import Board
    from game.model.stars import score

    registry = load_plugins(no_plugins=True, extra=[tutorial])
    assert [str(p) for p in registry.level_problems] == []
    level = registry.levels["t5_neighbours"]
    assert level.source == "t5_bias"
    assert score(Board.with_solution(level, registry)).stars == 3
