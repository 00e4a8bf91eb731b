"""The presenter profile: `switchyard demo` keeps its own progress file, opens every level,
restores no saved board and leaves the player's save byte for byte as it was."""

import json

import pygame

from game.model import Board
from game.model.saved_board import state_to_dict
from game.progress import load_progress, presenter_path
from tests.ui.events import DT, press
from tests.ui.presenter.conftest import write_player_save


def test_a_demo_session_neither_shows_nor_changes_the_players_save(demo, data_dir, registry):
    level = registry.levels["01_trophy"]
    solved = state_to_dict(Board.with_solution(level, registry).state)
    before = write_player_save(data_dir, best={"01_trophy": solved})
    app = demo()
    flow = app.presenter.flow
    assert flow.progress.stars == {}  # none of the player's 3 + 2 stars
    assert app.theme.name == "projector"
    flow.open_levels()
    app.step(DT, [])
    select = app.scenes.top
    assert all(select.open_flags)  # every level open, with no star earned
    press(app, pygame.K_PAGEDOWN)
    scene = app.scenes.top
    assert scene.level.id == "01_trophy"
    assert scene.board.state == scene.board.initial_state  # not the player's solved board
    assert not any("best board" in m for m in scene.toasts.messages)
    press(app, pygame.K_a)  # solve it on screen, check it: nothing is recorded anywhere
    press(app, pygame.K_RETURN, pygame.KMOD_CTRL)
    assert type(app.scenes.top).__name__ == "ResultsScene"
    press(app, pygame.K_F11)  # a setting the presenter changes: saved in the presenter's file
    assert (data_dir / "progress.json").read_bytes() == before
    own, warning = load_progress(presenter_path())
    assert warning is None and own.settings.fullscreen
    assert own.stars == {} and own.best == {}
    assert presenter_path() == data_dir / "presenter.json"


def test_the_next_demo_opens_the_level_on_its_start_again(demo, data_dir):
    app = demo("--level", "01_trophy")
    press(app, pygame.K_a)
    press(app, pygame.K_RETURN, pygame.KMOD_CTRL)
    pygame.quit()
    again = demo("--level", "01_trophy")
    scene = again.scenes.top
    assert scene.board.state == scene.board.initial_state
    assert not (data_dir / "progress.json").exists()
    own = data_dir / "presenter.json"  # written only when a setting changed
    assert not own.exists() or json.loads(own.read_text())["stars"] == {}


def test_play_still_uses_and_restores_the_players_own_save(monkeypatch, data_dir, registry):
    from game.cli import main
    from game.ui.engine.app import App

    level = registry.levels["01_trophy"]
    solved = Board.with_solution(level, registry).state
    write_player_save(data_dir, best={"01_trophy": state_to_dict(solved)})
    seen = {}
    monkeypatch.setattr(App, "run", lambda self, first=None, fps=60: seen.setdefault("app", self))
    try:
        assert main(["play", "--level", "01_trophy"]) == 0
        app = seen["app"]
        assert app.presenter is None
        assert app.scenes.top.board.state == solved and app.scenes.top.level.id == "01_trophy"
    finally:
        pygame.quit()
