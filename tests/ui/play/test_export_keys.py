"""P and E on the real play screen: a picture of the window and the board's numbers, in a
new file or folder under the export root, a toast with the path, and a toast (never a
crash) when the folder cannot be written. The sandbox plays on the same screen."""

from __future__ import annotations

from pathlib import Path

import pygame
import pytest

from game.export import EXPORT_DIR_ENV
from game.levels.sandbox import guess_features, load_sandbox, sandbox_table
from game.model import Board
from game.ui.help.overlay import HelpOverlay
from game.ui.play import PlayScene
from game.ui.play.export_keys import shown
from game.ui.play.shortcuts import PLAY_SHORTCUTS
from tests.export.loading import assert_export_matches
from tests.ui.events import DT, press


@pytest.fixture
def root(tmp_path, monkeypatch):
    folder = tmp_path / "exports"
    monkeypatch.setenv(EXPORT_DIR_ENV, str(folder))
    return folder


def open_level(app, registry, level, board=None):
    scene = PlayScene(app, level, registry, board=board)
    app.scenes.push(scene)
    app.step(DT, [])
    return scene


def test_p_saves_what_the_window_shows(app, registry, root):
    scene = open_level(app, registry, registry.levels["06_two_heads"])
    on_screen = pygame.image.tobytes(app.window, "RGB")
    press(app, pygame.K_p)
    pictures = list(root.glob("06_two_heads-*.png"))
    assert len(pictures) == 1
    picture = pygame.image.load(str(pictures[0]))
    assert picture.get_size() == app.window.get_size()
    assert pygame.image.tobytes(picture, "RGB") == on_screen  # the screen, before the toast
    assert any(shown(pictures[0]) in message for message in scene.toasts.messages)
    press(app, pygame.K_p)  # again within the second: a second file, not an overwrite
    assert len(list(root.glob("06_two_heads-*.png"))) == 2


def test_e_exports_the_board_as_the_player_left_it(app, registry, root):
    level = registry.levels["06_two_heads"]
    solution = Board.with_solution(level, registry)
    scene = open_level(app, registry, level, Board.with_solution(level, registry))
    head = scene.board.heads[0]
    query, key = next(
        (q, k) for q in level.features for k in level.features if head.wire(q, k) is None
    )
    scene.controller.add_wire(query, key)  # the player's own change, not the solution
    app.step(DT, [])
    press(app, pygame.K_e)
    folders = [p for p in root.iterdir() if p.is_dir()]
    assert len(folders) == 1 and folders[0].name.startswith("06_two_heads-")
    assert scene.board.state != solution.state
    assert_export_matches(folders[0], scene.board)  # board.json loads back as this board
    assert any(shown(folders[0]) in message for message in scene.toasts.messages)
    assert not any(p.name.startswith(".") for p in root.iterdir())  # no temp folder left


def test_an_unwritable_folder_is_a_toast_not_a_crash(app, registry, tmp_path, monkeypatch):
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")  # the export root is under a file: nothing can go there
    monkeypatch.setenv(EXPORT_DIR_ENV, str(blocker / "exports"))
    scene = open_level(app, registry, registry.levels["01_trophy"])
    for key in (pygame.K_p, pygame.K_e):
        press(app, key)
        assert scene.toasts.items[-1].kind == "error"
        assert shown(blocker / "exports") in scene.toasts.items[-1].message
    assert app.scenes.top is scene
    assert blocker.read_text() == "not a folder"


def test_a_write_refused_midway_leaves_nothing(app, registry, root, monkeypatch):
    scene = open_level(app, registry, registry.levels["01_trophy"])

    def refuse(*args, **kwargs):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(pygame.image, "save", refuse)
    monkeypatch.setattr("numpy.save", refuse)
    for key in (pygame.K_p, pygame.K_e):
        press(app, key)
        assert "Permission denied" in scene.toasts.items[-1].message
    assert list(root.iterdir()) == []


def test_a_plugin_failing_on_a_held_out_sentence_is_a_toast(app, registry, root, monkeypatch):
    scene = open_level(app, registry, registry.levels["01_trophy"])
    evaluate = scene.board.evaluate

    def held_out_fails(sentence_index=0):
        if sentence_index > 0:
            raise ZeroDivisionError("a goal plugin divided by zero")
        return evaluate(sentence_index)

    monkeypatch.setattr(scene.board, "evaluate", held_out_fails)
    press(app, pygame.K_e)
    assert app.scenes.top is scene
    assert "ZeroDivisionError: a goal plugin divided by zero" in scene.toasts.items[-1].message
    assert not root.exists() or list(root.iterdir()) == []


def test_the_sandbox_board_exports_too(app, registry, root):
    words = "the cat sat on the mat".split()
    table = sandbox_table(
        registry, words=words, architecture="encoder", positional="none", heads=2,
        features={w: guess_features(w) for w in words},
    )  # fmt: skip
    level = load_sandbox(table, registry)
    scene = open_level(app, registry, level)
    press(app, pygame.K_e)
    press(app, pygame.K_p)
    (folder,) = [p for p in root.iterdir() if p.is_dir()]
    assert_export_matches(folder, scene.board)
    assert len(list(root.glob(f"{level.id}-*.png"))) == 1


def test_a_path_under_home_is_shown_with_a_tilde(tmp_path, monkeypatch):
    monkeypatch.setenv("HOME", str(tmp_path))
    assert shown(tmp_path / "Switchyard" / "exports") == "~/Switchyard/exports"
    assert shown(Path("/elsewhere/x")) == "/elsewhere/x"


def test_help_lists_p_and_e_and_ctrl_e_is_not_e(app, registry, root):
    keys = [key for _, items in PLAY_SHORTCUTS for key, _ in items]
    assert "P" in keys and "E" in keys
    scene = open_level(app, registry, registry.levels["01_trophy"])
    press(app, pygame.K_e, pygame.KMOD_CTRL)
    assert not root.exists()
    press(app, pygame.K_F1)
    assert isinstance(app.scenes.top, HelpOverlay)
    press(app, pygame.K_p)  # the overlay has the keys while it is open
    assert not root.exists() and isinstance(app.scenes.top, HelpOverlay)
    press(app, pygame.K_ESCAPE)
    press(app, pygame.K_e)
    assert app.scenes.top is scene and len(list(root.iterdir())) == 1
