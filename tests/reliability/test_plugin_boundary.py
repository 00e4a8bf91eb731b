"""Every call into plugin code goes through one boundary (game.plugin_calls): whatever the
plugin does there, raise, sys.exit, a wrong shape, NaN, the game gets one located
PluginCodeError naming the plugin function and its file:line (issue 16)."""

from __future__ import annotations

import textwrap

import pytest

from game.cli import main
from game.model.board import Board
from game.model.evaluate import evaluate_sentences
from game.plugin_calls import PluginCodeError, call, checked_array
from game.plugins import load_plugins

FAULTS = {
    "nan_embed": "def embed(positions, d, **_):\n    return np.full((len(positions), d), np.nan)",
    "short_embed": "def embed(positions, d, **_):\n    return np.zeros((len(positions), d + 1))",
    "text_embed": "def embed(positions, d_model, **_):\n    return 'sideways'",
    "exit_rotate": "def rotate(x, positions, **_):\n    sys.exit(3)",
    "inf_rotate": "def rotate(x, positions, **_):\n    return x + np.inf",
    "raise_bias": "def bias(q, k, n_heads, **_):\n    raise KeyError('lost')",
    "nan_bias": "def bias(q, k, h, **_):\n    return np.full((h, len(q), len(k)), np.nan)",
    "shape_slopes": "def slopes(n_heads, **_):\n    return np.ones(n_heads + 2)",
    "inf_slopes": "def slopes(n_heads, **_):\n    return np.full(n_heads, np.inf)",
}

PLUGIN = """
import sys
from pathlib import Path

import numpy as np

from game.api import GoalResult, GoalType, PositionalScheme, hookimpl

{function}


def check(params, evaluation):
    return {goal_result}


def target(params, evaluation, head):
    {target}


@hookimpl
def switchyard_register_positional_schemes(register):
    register(PositionalScheme(name="faulty", title="F", description="d", {kind}={kind}))


@hookimpl
def switchyard_register_goal_types(register):
    register(GoalType(name="shaky", title="S", description="d", check=check, target=target))


@hookimpl
def switchyard_register_levels(register):
    register(Path(__file__).parent / "levels")
"""

LEVEL = """
format_version = 1
id = "faulty_level"
title = "T"
concept = "qkv"
explanation = "x"
hints = ["a", "b", "c"]
architecture = "encoder"
positional = "faulty"
features = ["noun", "pronoun"]
par = 1

[vocab]
lamp = { noun = 1 }
it = { pronoun = 1 }

[[sentences]]
tokens = ["lamp", "it"]

[[goals]]
type = "shaky"

[solution]
heads = [{ wires = [{ query = "pronoun", key = "noun" }] }]
"""


def plugin(tmp_path, function, goal_result="GoalResult(True, 1.0, 'fine')", target="return None"):
    folder = tmp_path / "faulty_pack"
    (folder / "levels").mkdir(parents=True)
    kind = function.split("(")[0].removeprefix("def ")
    source = PLUGIN.format(function=function, kind=kind, goal_result=goal_result, target=target)
    (folder / "__init__.py").write_text(textwrap.dedent(source), encoding="utf-8")
    (folder / "levels" / "faulty_level.toml").write_text(LEVEL, encoding="utf-8")
    registry = load_plugins(no_plugins=True, extra=[folder])
    assert registry.errors == [] and registry.level_problems == [], registry.errors
    return registry, folder


@pytest.mark.parametrize("fault", sorted(FAULTS))
def test_a_faulty_scheme_is_a_located_plugin_failure(tmp_path, fault):
    registry, folder = plugin(tmp_path, FAULTS[fault])
    level = registry.levels["faulty_level"]
    with pytest.raises(PluginCodeError) as caught:
        evaluate_sentences(level, registry, Board(level, registry).state, [0])
    error = caught.value
    assert error.what.startswith('positional scheme "faulty" ')
    assert error.location.startswith(str(folder / "__init__.py") + ":"), error.location
    assert str(error.location) in str(error)


@pytest.mark.parametrize(
    ("goal_result", "problem"),
    [
        ("GoalResult(True, float('nan'), 'x')", "finite"),
        ("GoalResult(True, float('inf'), 'x')", "finite"),
        ("(True, 1.0, 'x')", "not a GoalResult"),
        ("GoalResult('yes', 1.0, 'x')", "not True or False"),
        ("1 / 0", "ZeroDivisionError"),
        ("sys.exit('bye')", "SystemExit"),
    ],
)
def test_a_faulty_goal_check_is_a_located_plugin_failure(tmp_path, goal_result, problem):
    sound = "def embed(positions, d_model, **_):\n    return np.zeros((len(positions), d_model))"
    registry, folder = plugin(tmp_path, sound, goal_result)
    level = registry.levels["faulty_level"]
    with pytest.raises(PluginCodeError, match=problem) as caught:
        evaluate_sentences(level, registry, Board(level, registry).state, [0])
    assert caught.value.what == 'goal type "shaky" check'
    assert str(folder / "__init__.py") in caught.value.location


def test_keyboard_interrupt_during_a_frame_stays_the_players():
    def plugin_function():
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        call("x", plugin_function)


def test_checked_array_lets_a_masking_minus_infinity_through_only_when_asked():
    value = [[0.0, -float("inf")]]
    with pytest.raises(PluginCodeError, match="finite"):
        checked_array("bias", len, value, (1, 2))
    assert checked_array("bias", len, value, (1, 2), finite=False)[0, 1] == -float("inf")
    with pytest.raises(PluginCodeError, match="NaN|nan"):
        checked_array("bias", len, [[float("nan"), 0.0]], (1, 2), finite=False)


@pytest.mark.parametrize("command", ["solve", "render"])
def test_solve_and_render_report_a_faulty_scheme_in_one_line(
    tmp_path, capsys, command, monkeypatch
):
    monkeypatch.setenv("SDL_VIDEODRIVER", "dummy")
    monkeypatch.setenv("SWITCHYARD_DATA_DIR", str(tmp_path / "data"))
    _, folder = plugin(tmp_path, FAULTS["raise_bias"])
    extra = ["--out", str(tmp_path / "x.png")] if command == "render" else []
    status = main([command, "faulty_level", "--no-plugins", "--plugin", str(folder), *extra])
    err = capsys.readouterr().err
    assert status == 1 and "Traceback" not in err
    assert 'positional scheme "faulty" bias failed at' in err and str(folder) in err
    # One located line for the problem (the level file's line, then the plugin's own file:line),
    # then one summary line, as `validate` reports a level that cannot run.
    problem, summary = err.strip().splitlines()
    assert problem.startswith(str(folder / "levels" / "faulty_level.toml") + ":"), problem
    assert "__init__.py:" in problem and summary.startswith("switchyard: faulty_level:"), err


@pytest.mark.parametrize(
    "body",
    [
        "import sys\nsys.exit(0)",
        "import sys\nsys.exit('no')",
        "raise KeyboardInterrupt",
        "class Odd(BaseException):\n    pass\nraise Odd('odd')",
        "import os\nraise SystemExit(os.EX_SOFTWARE)",
    ],
)
def test_a_plugin_ending_the_process_at_import_is_disabled_by_name(tmp_path, body):
    path = tmp_path / "quitter.py"
    path.write_text(body + "\n", encoding="utf-8")
    registry = load_plugins(no_plugins=True, extra=[path])
    (error,) = registry.errors
    assert error.plugin == "quitter"
    assert error.location.startswith(f"{path}:"), error.location
    assert "quitter" in str(error) and registry.levels  # the built-ins still loaded


def test_the_sandbox_start_reports_a_faulty_scheme(tmp_path, app):
    from game.ui.sandbox.scene import SandboxScene

    registry, folder = plugin(tmp_path, FAULTS["exit_rotate"])
    scene = SandboxScene(app, registry)
    app.scenes.push(scene)
    scene.scheme_tabs.selected = scene.schemes.index("faulty")
    assert scene.positional == "faulty"
    scene.start()
    (message,) = scene.messages
    assert 'positional scheme "faulty" rotate failed at' in message and str(folder) in message


@pytest.mark.parametrize("fault", ["nan_embed", "exit_rotate", "shape_slopes"])
def test_the_game_refuses_a_level_whose_scheme_is_faulty_and_goes_on(tmp_path, app, fault):
    from game.progress import Progress
    from game.ui.flow.game_flow import GameFlow

    registry, folder = plugin(tmp_path, FAULTS[fault])
    flow = GameFlow(app, registry, Progress(), progress_path=tmp_path / "p.json", teacher=True)
    flow.start()
    flow.open_levels()
    levels = app.scenes.top
    flow.open_level("faulty_level")
    assert app.scenes.top is levels
    text = " | ".join(app.toasts.messages)
    assert "faulty_level could not be shown: positional scheme" in text and str(folder) in text
    app.step(1 / 60, [])


@pytest.mark.parametrize(
    "target",
    [
        "raise RuntimeError('no target today')",
        "return np.full((2, 2), np.nan), np.ones(2)",
        "return np.zeros((5, 5)), np.ones(5)",
        "return 'a pattern'",
    ],
)
def test_a_faulty_goal_target_stops_watch_it_learn_with_its_location(tmp_path, target):
    from game.model.learn import learn_head
    from game.ui.play.watch import LearnWatch

    sound = "def embed(positions, d, **_):\n    return np.zeros((len(positions), d))"
    registry, folder = plugin(tmp_path, sound, target=target)
    level = registry.levels["faulty_level"]
    with pytest.raises(PluginCodeError) as caught:
        learn_head(Board(level, registry), 0)
    assert caught.value.what == 'goal type "shaky" target'
    assert str(folder / "__init__.py") in caught.value.location
    watch = LearnWatch(Board(level, registry), 0)
    assert watch.update(0.5) == 0 and watch.done
    assert 'goal type "shaky" target failed at' in watch.error


def test_a_plugin_whose_name_holds_a_newline_is_refused(tmp_path):
    folder = tmp_path / "plugins"
    folder.mkdir()
    (folder / "two\nlines.py").write_text("x = 1\n", encoding="utf-8")
    registry = load_plugins(builtin_dir=folder, use_user_dir=False, entry_points=False)
    (error,) = registry.errors
    assert "newline" in error.message and registry.plugins == []


def test_an_item_whose_name_holds_a_newline_is_refused(tmp_path):
    path = tmp_path / "liar.py"
    path.write_text(
        "from game.api import PositionalScheme, hookimpl\n\n"
        "@hookimpl\n"
        "def switchyard_register_positional_schemes(register):\n"
        "    register(PositionalScheme(name='rope\\nfake', title='t', description='d'))\n",
        encoding="utf-8",
    )
    registry = load_plugins(no_plugins=True, extra=[path])
    (error,) = registry.errors
    assert error.plugin == "liar" and "newline" in error.message
    assert error.location == f"{path}:5"
