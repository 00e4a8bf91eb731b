"""docs/plugins.md stays true: its hook and view references match the code, its tutorials run."""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pytest

import game.api
from game.levels import LevelError, load_level_text
from game.model import Board
from game.model.views import evaluation_view
from game.plugin_reference import (
    GUIDE,
    field_docs,
    hook_names,
    public_fields,
    public_members,
    updated_guide,
)
from game.plugins import load_plugins
from game.views import VIEWS

FILE_BLOCK = re.compile(r"```\w+ file=(\S+)\n(.*?)```", re.S)


def guide_text() -> str:
    return GUIDE.read_text(encoding="utf-8")


def test_the_hook_reference_is_generated_from_hookspecs():
    text = guide_text()
    assert text == updated_guide(text), "run: python -m game.plugin_reference"


def test_every_view_field_and_method_is_documented():
    assert {cls.__name__ for cls in VIEWS} >= {
        "EvaluationView",
        "HeadView",
        "LevelView",
        "SentenceView",
    }
    for cls in VIEWS:
        assert getattr(game.api, cls.__name__) is cls, f"game.api does not export {cls.__name__}"
        assert cls.__doc__, cls
        docs = field_docs(cls)
        for name in public_fields(cls):
            assert docs[name], f"{cls.__name__}.{name} has no comment to document it"
        for name in public_members(cls):
            assert (vars(cls)[name].__doc__ or "").strip(), f"{cls.__name__}.{name}: no docstring"


def test_every_view_field_and_method_is_in_the_guide():
    text = guide_text()
    for cls in VIEWS:
        assert f"### `{cls.__name__}`" in text
        section = text.split(f"### `{cls.__name__}`", 1)[1].split("\n### ", 1)[0]
        for name in public_fields(cls):
            assert f"| `{name}` |" in section, f"{cls.__name__}.{name}"
        for name in public_members(cls):
            assert f"- `{name}" in section, f"{cls.__name__}.{name}"


def test_every_hook_has_a_heading_in_the_guide():
    text = guide_text()
    assert len(hook_names()) == 10  # 9, and switchyard_register_maps
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


# --- the goal-type tutorial ---------------------------------------------------------------

FOCUSED = '[[goals]]\ntype = "focused"\nat_least = {at_least}\n'


@pytest.fixture(scope="module")
def goal_plugin(tmp_path_factory) -> Path:
    """The goal tutorial's plugin, written out exactly as the guide shows it."""
    root = tmp_path_factory.mktemp("goal_tutorial")
    blocks = dict(FILE_BLOCK.findall(guide_text()))
    path = root / "focused_goal" / "__init__.py"
    path.parent.mkdir()
    path.write_text(blocks["focused_goal/__init__.py"], encoding="utf-8")
    return path.parent


def test_the_goal_tutorial_plugin_loads_alone(goal_plugin):
    registry = load_plugins(no_plugins=True, extra=[goal_plugin])
    assert registry.errors == []
    info = next(p for p in registry.plugins if p.name == "focused_goal")
    assert info.registered == {"goal type": ["focused"]}


def _rope_with_focus(at_least: object) -> str:
    """The campaign's RoPE level with the tutorial's goal added, as the guide suggests."""
    text = (Path(game.api.__file__).parent / "campaign" / "09_rope.toml").read_text("utf-8")
    return text + "\n" + FOCUSED.format(at_least=at_least)


def test_the_goal_tutorial_goal_is_met_by_the_solution_not_by_the_start(goal_plugin):
    registry = load_plugins(no_plugins=True, extra=[goal_plugin])
    level = load_level_text(_rope_with_focus(0.8), "rope_focused.toml", registry)
    assert [goal.type for goal in level.goals] == ["pattern", "focused"]
    start = Board(level, registry).evaluate(0).goal_results[1]
    solved = Board.with_solution(level, registry).evaluate(0).goal_results[1]
    assert not start.met and 0 < start.progress < 0.5, start
    assert solved.met and solved.progress == 1.0, solved
    assert solved.message.startswith('the blurriest word, "')
    # The same check, called straight on a view, agrees with the board's goal panel.
    view = evaluation_view(Board.with_solution(level, registry).evaluate(0))
    check = registry.goal_types["focused"].check
    assert check({"type": "focused", "at_least": 0.8}, view) == solved


def test_the_goal_tutorial_validate_points_at_the_line(goal_plugin):
    registry = load_plugins(no_plugins=True, extra=[goal_plugin])
    text = _rope_with_focus(2)
    with pytest.raises(LevelError) as caught:
        load_level_text(text, "rope_focused.toml", registry)
    line = text.splitlines().index("at_least = 2") + 1
    assert [str(p) for p in caught.value.problems] == [
        f"rope_focused.toml:{line}: goals[1].at_least: must be above 0 and at most 1, got 2"
    ]


# --- the two-layer level pack -------------------------------------------------------------


@pytest.fixture(scope="module")
def two_layer_pack(tmp_path_factory) -> Path:
    """The two-layer pack of the guide, written out exactly as the guide shows it."""
    root = tmp_path_factory.mktemp("two_layer_pack")
    blocks = dict(FILE_BLOCK.findall(guide_text()))
    for name in ("two_back_pack/__init__.py", "two_back_pack/levels/two_back.toml"):
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(blocks[name], encoding="utf-8")
    return root / "two_back_pack"


def test_the_two_layer_pack_uses_only_the_api_and_its_level_works(two_layer_pack):
    from game.model.first_states import solution_state
    from game.model.spec import HeadSpec
    from game.model.stars import score
    from game.model.task_score import score_task

    source = (two_layer_pack / "__init__.py").read_text(encoding="utf-8")
    assert "game." not in source.replace("game.api", "")
    registry = load_plugins(no_plugins=True, extra=[two_layer_pack])
    assert registry.errors == [] and [str(p) for p in registry.level_problems] == []
    level = registry.levels["two_back_pack"]
    assert level.layers == 2 and level.task.name == "two-back"
    assert score(Board.with_solution(level, registry)).stars == 3
    assert score(Board(level, registry)).stars == 0
    solution = solution_state(level, registry)
    assert score_task(level, registry, solution).accuracy >= 0.99
    # Layer 2 reads what layer 1 wrote: without layer 1 it falls to chance or below.
    heads = tuple(HeadSpec(layer=h.layer) if h.layer == 0 else h for h in solution.heads)
    emptied = score_task(level, registry, __import__("dataclasses").replace(solution, heads=heads))
    assert emptied.accuracy < 0.6
