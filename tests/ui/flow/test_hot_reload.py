"""Hot reload (`play --watch`): edited level and plugin files apply between frames.

The first tests call `HotReload.apply` directly with real files; the last
ones run the real watcher thread on a real folder and only step the app with
the events pygame delivers, the way the game loop does.
"""

from __future__ import annotations

import time
from pathlib import Path

import pygame
import pytest

from game.plugins import load_plugins
from game.progress import Progress
from game.ui.flow.game_flow import GameFlow
from game.ui.flow.hot_reload import HotReload, start_hot_reload

CAMPAIGN = Path(__file__).resolve().parents[3] / "game" / "campaign"
TROPHY = (
    (CAMPAIGN / "01_trophy.toml")
    .read_text(encoding="utf-8")
    .replace('id = "01_trophy"', 'id = "mine_01"')
)
PLUGIN = """
from pathlib import Path

from game.api import Concept, hookimpl


@hookimpl
def switchyard_register_concepts(register):
    register(Concept(id="mine", title="{title}", order=500, description="mine"))


@hookimpl
def switchyard_register_levels(register):
    register(Path(__file__).parent / "levels")
"""


@pytest.fixture
def pack(tmp_path, monkeypatch):
    monkeypatch.setenv("SWITCHYARD_PLUGIN_DIR", str(tmp_path / "no-user-plugins"))
    folder = tmp_path / "mine"
    (folder / "levels").mkdir(parents=True)
    (folder / "__init__.py").write_text(PLUGIN.format(title="Mine"), encoding="utf-8")
    (folder / "levels" / "mine_01.toml").write_text(TROPHY, encoding="utf-8")
    return folder


def playing(app, folder, tmp_path):
    """A run with the pack loaded, on its level, with one wire placed."""
    registry = load_plugins(no_plugins=True, extra=[folder])
    assert registry.errors == [] and "mine_01" in registry.levels
    flow = GameFlow(app, registry, Progress(), progress_path=tmp_path / "p.json", teacher=True)
    flow.start("mine_01")
    app.scenes.top.board.add_wire(0, "pronoun", "bulky", 2.0)
    return flow, HotReload(flow, lambda: load_plugins(no_plugins=True, extra=[folder]))


def wires(app):
    return [(w.query, w.key, w.strength) for w in app.scenes.top.board.heads[0].wires]


def error_toasts(app):
    return [t.message for t in app.toasts.items if t.kind == "error"]


def test_an_edited_level_reloads_and_keeps_the_board(app, pack, tmp_path):
    flow, hot = playing(app, pack, tmp_path)
    path = pack / "levels" / "mine_01.toml"
    path.write_text(TROPHY.replace("It was too big", "It was far too big"), encoding="utf-8")
    hot.apply([path])
    app.step(1 / 60, [])
    assert flow.levels["mine_01"].title == "It was far too big"
    assert app.scenes.top.controller.level.title == "It was far too big"
    assert wires(app) == [("pronoun", "bulky", 2.0)]
    assert any("your board was kept" in m for m in app.toasts.messages)


def test_a_broken_edit_shows_its_line_keeps_the_last_good_version_and_the_fix_clears_it(
    app, pack, tmp_path
):
    flow, hot = playing(app, pack, tmp_path)
    scene = app.scenes.top
    path = pack / "levels" / "mine_01.toml"
    broken = TROPHY.replace('features = ["noun"', 'features = ["noun" "oops"')
    path.write_text(broken, encoding="utf-8")
    hot.apply([path])
    app.step(1 / 60, [])
    line = broken.splitlines().index(next(x for x in broken.splitlines() if "oops" in x)) + 1
    (error,) = error_toasts(app)
    assert f"{path}:{line}: TOML syntax" in error
    assert app.scenes.top is scene and flow.levels["mine_01"].title == "It was too big"
    app.step(30.0, [])  # it stays on screen until fixed
    assert error_toasts(app) == [error]

    path.write_text(TROPHY.replace("It was too big", "Fixed"), encoding="utf-8")
    hot.apply([path])
    assert error_toasts(app) == []
    assert app.scenes.top.controller.level.title == "Fixed"
    assert wires(app) == [("pronoun", "bulky", 2.0)]


def test_a_level_that_would_crash_is_refused_with_its_located_error(app, pack, tmp_path):
    flow, hot = playing(app, pack, tmp_path)
    path = pack / "levels" / "mine_01.toml"
    path.write_text(TROPHY.replace('goals]]\ntype = "attention"', 'goals]]\ntype = "nope"'))
    hot.apply([path])
    (error,) = error_toasts(app)
    assert f"{path}:" in error and "goals[0]" in error
    assert flow.levels["mine_01"].goals[0].type == "attention"


def test_a_board_that_no_longer_fits_starts_over_and_says_why(app, pack, tmp_path):
    _, hot = playing(app, pack, tmp_path)
    path = pack / "levels" / "mine_01.toml"
    text = TROPHY.replace('"bulky", "container"]', '"heavy", "container"]').replace(
        "bulky", "heavy"
    )
    path.write_text(text, encoding="utf-8")
    hot.apply([path])
    assert wires(app) == []
    assert any("no longer fits" in m and "bulky" in m for m in app.toasts.messages)


def test_a_plugin_edit_reloads_the_plugins_and_a_broken_one_keeps_the_old(app, pack, tmp_path):
    flow, hot = playing(app, pack, tmp_path)
    plugin = pack / "__init__.py"
    plugin.write_text(PLUGIN.format(title="Renamed"), encoding="utf-8")
    hot.apply([plugin])
    assert flow.registry.concepts["mine"].title == "Renamed"
    assert wires(app) == [("pronoun", "bulky", 2.0)]  # the level's board survives
    plugin.write_text(PLUGIN.format(title="Broken") + "\ndef oops(:\n", encoding="utf-8")
    hot.apply([plugin])
    (error,) = error_toasts(app)
    assert f"{plugin}:" in error and "SyntaxError" in error
    assert flow.registry.concepts["mine"].title == "Renamed"
    plugin.write_text(PLUGIN.format(title="Again"), encoding="utf-8")
    hot.apply([plugin])
    assert error_toasts(app) == [] and flow.registry.concepts["mine"].title == "Again"


def pump_until(app, condition, timeout=5.0) -> float:
    """Step the app with pygame's real events until `condition()`; seconds it took."""
    start = time.monotonic()
    while time.monotonic() - start < timeout:
        app.step(1 / 60, pygame.event.get())
        if condition():
            return time.monotonic() - start
        time.sleep(0.01)
    raise AssertionError(f"not reloaded within {timeout} s")


def test_the_real_watcher_reloads_a_saved_file_within_a_second(app, pack, tmp_path):
    registry = load_plugins(no_plugins=True, extra=[pack])
    flow = GameFlow(app, registry, Progress(), progress_path=tmp_path / "p.json", teacher=True)
    flow.start("mine_01")
    app.scenes.top.board.add_wire(0, "pronoun", "bulky", 2.0)
    reload = {"registry": lambda: load_plugins(no_plugins=True, extra=[pack]), "extra": [pack]}
    watcher = start_hot_reload(flow, reload)
    try:
        assert watcher.ready.wait(5.0)
        path = pack / "levels" / "mine_01.toml"
        title = lambda: app.scenes.top.controller.level.title  # noqa: E731

        path.write_text(TROPHY.replace("It was too big", "Saved"), encoding="utf-8")
        assert pump_until(app, lambda: title() == "Saved") < 1.0
        assert wires(app) == [("pronoun", "bulky", 2.0)]

        path.write_text(TROPHY.replace('title = "It', "title = It"), encoding="utf-8")
        pump_until(app, lambda: error_toasts(app) != [])
        assert f"{path}:3: TOML syntax" in error_toasts(app)[0]
        assert title() == "Saved"

        path.write_text(TROPHY.replace("It was too big", "Fixed"), encoding="utf-8")
        pump_until(app, lambda: title() == "Fixed")
        assert error_toasts(app) == []
        assert wires(app) == [("pronoun", "bulky", 2.0)]
    finally:
        watcher.stop()
