"""Plugin code that fails while the game runs: the level or the change is refused with a
one-line reason naming the plugin's file and line, and the game keeps running."""

import textwrap

from game.plugins import load_plugins
from game.progress import Progress
from game.ui.flow.game_flow import GameFlow

PLUGIN = """
from pathlib import Path

from game.api import GoalResult, GoalType, PositionalScheme, hookimpl


def broken_bias(q_positions, k_positions, n_heads, **_):
    raise RuntimeError("bias exploded")


def fragile_check(params, evaluation):
    if evaluation.heads[0].weights.max() > 0.5:
        raise ZeroDivisionError("goal check exploded")
    return GoalResult(False, 0.0, "not yet")


@hookimpl
def switchyard_register_positional_schemes(register):
    register(PositionalScheme(name="broken", title="Broken", description="d", bias=broken_bias))


@hookimpl
def switchyard_register_goal_types(register):
    register(GoalType(name="fragile", title="Fragile", description="d", check=fragile_check))


@hookimpl
def switchyard_register_levels(register):
    register(Path(__file__).parent / "levels")
"""

LEVEL = """
format_version = 1
id = "{id}"
title = "T"
concept = "qkv"
explanation = "x"
hints = ["a", "b", "c"]
architecture = "encoder"
positional = "{positional}"
features = ["noun", "pronoun"]
par = 1

[vocab]
lamp = {{ noun = 1 }}
it = {{ pronoun = 1 }}
was = {{}}

[[sentences]]
tokens = ["lamp", "was", "it"]

[[goals]]
type = "fragile"
"""


def flow_with(app, tmp_path):
    folder = tmp_path / "fragile_pack"
    (folder / "levels").mkdir(parents=True)
    (folder / "__init__.py").write_text(textwrap.dedent(PLUGIN), encoding="utf-8")
    for level_id, positional in (("uses_broken", "broken"), ("uses_fragile", "none")):
        text = LEVEL.format(id=level_id, positional=positional)
        (folder / "levels" / f"{level_id}.toml").write_text(text, encoding="utf-8")
    registry = load_plugins(no_plugins=True, extra=[folder])
    assert registry.errors == [] and registry.level_problems == []
    flow = GameFlow(app, registry, Progress(), progress_path=tmp_path / "p.json", teacher=True)
    flow.start()
    flow.open_levels()
    return flow, folder


def messages(app):
    return " | ".join(app.toasts.messages)


def test_a_level_whose_scheme_fails_is_not_opened_and_says_where(app, tmp_path):
    flow, folder = flow_with(app, tmp_path)
    levels = app.scenes.top
    flow.open_level("uses_broken")
    assert app.scenes.top is levels  # still on the level select
    text = messages(app)
    assert (
        f'uses_broken could not be shown: positional scheme "broken" bias failed at '
        f"{folder / '__init__.py'}:8: RuntimeError: bias exploded"
    ) in text
    app.step(1 / 60, [])  # and the game goes on


def test_a_change_that_breaks_a_goal_check_is_undone(app, tmp_path):
    flow, folder = flow_with(app, tmp_path)
    flow.open_level("uses_fragile")
    scene = app.scenes.top
    before = scene.board.state
    scene.intent(scene.board.add_wire, 0, "pronoun", "noun", 9.0)
    app.step(1 / 60, [])
    assert scene.board.state == before
    assert (
        f'That change was undone: goal type "fragile" check failed at {folder / "__init__.py"}:13: '
        "ZeroDivisionError: goal check exploded"
    ) in " | ".join(scene.toasts.messages)
    app.step(1 / 60, [])
