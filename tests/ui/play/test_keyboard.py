"""Keyboard only: on a level with every control, Tab visits every focusable control (each
socket of both editors included) and comes back to the start, and each control works
from the keyboard and changes the board as it should."""

import copy
import tomllib
from pathlib import Path

import pygame
import pytest

from game.levels.loader import load_level_table
from game.model import Board
from game.ui.play import PlayScene
from game.ui.play.wire_editor import LEFT, RIGHT, LinkEditor
from game.ui.results.scene import ResultsScene
from tests.ui.events import DT, press

ROOT = Path(__file__).resolve().parents[3]
CONTROLS = ("scale", "temperature", "positional", "positional_parameter", "wires", "values", "mix")


@pytest.fixture
def level(registry):
    path = ROOT / "game" / "campaign" / "01_trophy.toml"
    table = tomllib.loads(path.read_text(encoding="utf-8"))
    table = copy.deepcopy(table)
    table["id"] = "every_control"
    table["controls"] = dict.fromkeys(CONTROLS, True)
    table["heads"] = 2
    table["positional"] = ["rope", "none", "alibi"]  # rope first: it has a parameter
    table["solution"]["heads"].append({})
    return load_level_table(table, "every_control", registry)


@pytest.fixture
def scene(app, registry, level):
    play = PlayScene(app, level, registry, board=Board.with_solution(level, registry))
    app.scenes.push(play)
    app.step(DT, [])
    assert play.evaluation.goals_met  # so Check is enabled, and so focusable
    return play


def stop(scene):
    """Where the keyboard is: the focused widget and, in an editor, its socket."""
    widget = scene.group.focused
    part = (widget.column, widget.row) if isinstance(widget, LinkEditor) else None
    return widget, part


def tab_to(app, scene, widget, part=None, limit=80):
    for _ in range(limit):
        if stop(scene) == (widget, part) or (part is None and scene.group.focused is widget):
            return
        press(app, pygame.K_TAB)
    raise AssertionError(f"Tab never reached {widget} {part}")


def test_tab_visits_every_control_and_every_socket_and_comes_back(app, scene, level):
    first = stop(scene)
    seen = [first]
    for _ in range(100):
        press(app, pygame.K_TAB)
        if stop(scene) == first:
            break
        seen.append(stop(scene))
    else:
        raise AssertionError("Tab never came back to where it started")
    widgets = {widget for widget, _ in seen}
    top = scene.level_controls
    for widget in (
        top.head_tabs, top.scale_toggle, top.temperature_slider, top.scheme_tabs,
        top.parameter_slider, scene.hint_button, scene.learn_button, scene.check_button,
        scene.heatmap, scene.explanation, scene.reset_button, scene.back_button,
    ):  # fmt: skip
        assert widget in widgets, widget
    for editor in (scene.wire_editor, scene.value_editor):
        for column in (LEFT, RIGHT):
            for row in range(len(level.features)):
                assert (editor, (column, row)) in seen, (editor.title, column, row)
    assert len(seen) == len(set(seen))  # every stop once per lap
    backwards = [stop(scene)]
    for _ in range(len(seen) - 1):
        press(app, pygame.K_TAB, pygame.KMOD_SHIFT)
        backwards.append(stop(scene))
    assert backwards == [seen[0], *reversed(seen[1:])]


def undo(app, scene, before):
    press(app, pygame.K_z, pygame.KMOD_CTRL)
    assert scene.board.state == before


def test_every_control_works_from_the_keyboard(app, scene, level):
    board = scene.board
    solved = board.state
    features = list(level.features)

    tab_to(app, scene, scene.level_controls.head_tabs)
    press(app, pygame.K_RIGHT)
    assert scene.head == 1 and scene.wire_editor.links == []
    press(app, pygame.K_LEFT)
    assert scene.head == 0 and scene.wire_editor.links

    tab_to(app, scene, scene.level_controls.scale_toggle)
    press(app, pygame.K_SPACE)
    assert board.settings.scale is False
    undo(app, scene, solved)

    tab_to(app, scene, scene.level_controls.temperature_slider)
    press(app, pygame.K_RIGHT)
    assert board.settings.temperature > 1.0
    undo(app, scene, solved)

    tab_to(app, scene, scene.level_controls.scheme_tabs)
    press(app, pygame.K_RIGHT)
    assert board.settings.positional == "none"
    undo(app, scene, solved)

    tab_to(app, scene, scene.level_controls.parameter_slider)
    press(app, pygame.K_END)
    assert board.settings.parameter == pytest.approx(1e6)
    undo(app, scene, solved)

    # A wire by Tab and Enter alone: query socket "noun", then key socket "container".
    wires = scene.wire_editor
    tab_to(app, scene, wires, (LEFT, features.index("noun")))
    press(app, pygame.K_RETURN)
    tab_to(app, scene, wires, (RIGHT, features.index("container")))
    press(app, pygame.K_RETURN)
    assert board.heads[0].wire("noun", "container") is not None
    press(app, pygame.K_RIGHT)  # onto the wires: Right makes the selected one stronger
    assert wires.selected_link is not None
    before = board.state
    press(app, pygame.K_RIGHT)
    assert board.state != before
    press(app, pygame.K_DELETE)
    assert len(board.heads[0].wires) == 1
    # A value route the same way.
    values = scene.value_editor
    tab_to(app, scene, values, (LEFT, features.index("noun")))
    press(app, pygame.K_SPACE)
    tab_to(app, scene, values, (RIGHT, features.index("noun")))
    press(app, pygame.K_SPACE)
    assert ("noun", "noun") in {(r.key, r.out) for r in board.heads[0].values}
    press(app, pygame.K_r, pygame.KMOD_ALT)  # Start over, then back to the solved board
    press(app, pygame.K_z, pygame.KMOD_CTRL)
    for _ in range(6):
        if board.state == solved:
            break
        press(app, pygame.K_z, pygame.KMOD_CTRL)
    assert board.state == solved

    tab_to(app, scene, scene.hint_button)
    press(app, pygame.K_RETURN)
    assert scene.hints_shown == 1

    tab_to(app, scene, scene.learn_button)
    press(app, pygame.K_RETURN)
    assert scene.watch is not None
    press(app, pygame.K_ESCAPE)  # discard
    assert scene.watch is None and board.state == solved

    tab_to(app, scene, scene.heatmap)
    press(app, pygame.K_RETURN)
    assert scene.inspector.open
    press(app, pygame.K_ESCAPE)
    assert not scene.inspector.open

    tab_to(app, scene, scene.check_button)
    press(app, pygame.K_SPACE)
    assert isinstance(app.scenes.top, ResultsScene)
    press(app, pygame.K_ESCAPE)  # Retry: back to the board
    assert app.scenes.top is scene and board.state == solved
