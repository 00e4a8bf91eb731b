"""What the game remembers between runs: fullscreen (settings and F11), teacher mode, and
the player's best board for each level, restored when the level opens again."""

import pygame

from game.model import Board, score
from game.model.saved_board import state_from_dict, state_to_dict
from game.progress import Preferences, Progress, load_progress
from game.ui.flow.game_flow import GameFlow
from game.ui.levels.scene import LevelSelectScene
from game.ui.play import PlayScene
from tests.ui.events import DT, press


def flow_for(app, registry, tmp_path, progress=None):
    path = tmp_path / "progress.json"
    flow = GameFlow(app, registry, progress or Progress(), progress_path=path)
    flow.start()
    app.step(DT, [])
    return flow, path


def test_f11_is_saved_like_the_settings_choice(app, registry, tmp_path):
    flow, path = flow_for(app, registry, tmp_path)
    press(app, pygame.K_F11)
    assert app.fullscreen and load_progress(path)[0].settings.fullscreen
    flow.open_settings()
    app.step(DT, [])
    assert app.scenes.top.fullscreen_toggle.value
    press(app, pygame.K_F11)  # while the settings are open: the switch follows
    assert not app.scenes.top.fullscreen_toggle.value
    assert not load_progress(path)[0].settings.fullscreen


def test_teacher_mode_opens_every_level(app, registry, tmp_path):
    flow, path = flow_for(app, registry, tmp_path)
    flow.open_levels()
    assert not all(app.scenes.top.open_flags)
    app.scenes.pop()
    flow.change_settings(Preferences(teacher=True))
    assert load_progress(path)[0].settings.teacher
    flow.open_levels()
    select = app.scenes.top
    assert isinstance(select, LevelSelectScene) and all(select.open_flags)


def test_the_best_board_comes_back_and_start_over_still_works(app, registry, tmp_path):
    level = registry.levels["06_two_heads"]
    solved = Board.with_solution(level, registry)
    flow, path = flow_for(app, registry, tmp_path)
    flow.record(level, solved, score(solved))
    saved, _ = load_progress(path)
    assert state_from_dict(saved.best[level.id], level, registry) == solved.state
    flow.progress = saved  # as the next run would load it
    flow.open_level(level.id)
    scene = app.scenes.top
    assert isinstance(scene, PlayScene) and scene.board.state == solved.state
    assert any("best board" in m for m in scene.toasts.messages)
    press(app, pygame.K_r, pygame.KMOD_ALT)  # Start over
    assert scene.board.state == Board(level, registry).initial_state
    press(app, pygame.K_z, pygame.KMOD_CTRL)
    assert scene.board.state == solved.state


def test_a_saved_board_that_no_longer_fits_is_ignored(app, registry, tmp_path):
    level = registry.levels["01_trophy"]
    good = state_to_dict(Board.with_solution(level, registry).state)
    bad_feature = {**good, "heads": [{**good["heads"][0], "wires": [
        {"query": "nope", "key": "noun", "strength": 1.0}]}]}  # fmt: skip
    too_many_heads = {**good, "heads": good["heads"] * 2}
    strong = {**good, "heads": [{**good["heads"][0], "wires": [
        {"query": "pronoun", "key": "noun", "strength": 99.0}]}]}  # fmt: skip
    for data in (bad_feature, too_many_heads, strong, {"heads": 3}, [], None):
        assert state_from_dict(data, level, registry) is None
    progress = Progress(best={level.id: bad_feature})
    flow, _ = flow_for(app, registry, tmp_path, progress)
    flow.open_level(level.id)
    assert app.scenes.top.board.state == Board(level, registry).initial_state
