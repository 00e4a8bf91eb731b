"""The results screen: it explains each star, shows the player's head beside the
reference, and leads on (Next level), back (Retry, Esc) or out (Levels)."""

import pygame
import pytest

from game.api import GoalResult
from game.model import Board, Score
from game.progress import Progress
from game.ui.flow.game_flow import GameFlow
from game.ui.levels.scene import LevelSelectScene
from game.ui.play import PlayScene
from game.ui.results.reasons import star_reasons
from game.ui.results.scene import ResultsScene
from tests.ui.events import click, press


@pytest.fixture
def flow(app, registry, tmp_path):
    game = GameFlow(app, registry, Progress(), progress_path=tmp_path / "progress.json")
    game.start()
    game.teacher = True
    game.open_levels()
    return game


def solved(flow, level_id="01_trophy"):
    """Open the level with its reference solution on the board and press Check."""
    registry, app = flow.registry, flow.app
    level = registry.levels[level_id]
    scene = PlayScene(
        app, level, registry, board=Board.with_solution(level, registry),
        on_scored=flow.record, on_back=flow.back_to_levels,
        on_next=flow._next_action(level_id),
    )  # fmt: skip
    app.scenes.push(scene)
    app.step(1 / 60, [])
    click(app, scene.check_button.rect.center)
    results = app.scenes.top
    assert isinstance(results, ResultsScene)
    return scene, results


def test_results_explain_each_star_and_show_both_heads(flow):
    play, results = solved(flow)
    assert results.result.stars == 3
    assert [earned for earned, _ in results.reasons] == [True, True, True]
    assert results.reference is not None
    assert results.mine.weights.shape == results.theirs.weights.shape == (13, 13)
    flow.app.draw()


def test_esc_and_retry_go_back_to_the_board(flow):
    app = flow.app
    play, results = solved(flow)
    press(app, pygame.K_ESCAPE)
    assert app.scenes.top is play
    click(app, play.check_button.rect.center)
    click(app, app.scenes.top.retry_button.rect.center)
    assert app.scenes.top is play


def test_next_level_by_keyboard_and_levels_by_mouse(flow):
    app = flow.app
    solved(flow)
    press(app, pygame.K_RETURN)  # Next level has the focus
    assert isinstance(app.scenes.top, PlayScene)
    assert app.scenes.top.level.id == "02_query_key_value"
    solved(flow, "02_query_key_value")
    click(app, app.scenes.top.levels_button.rect.center)
    assert isinstance(app.scenes.top, LevelSelectScene)


def test_multi_head_results_have_head_tabs(flow):
    app = flow.app
    _, results = solved(flow, "06_two_heads")
    assert results.head_tabs is not None
    click(app, results.head_tabs.tab_rect(1).center)
    assert results.head == 1
    assert results.theirs.revision[1] == 1


def test_reasons_say_why_a_star_was_missed(registry):
    level = registry.levels["01_trophy"]
    board = Board(level, registry)
    miss = GoalResult(False, 0.4, '"it" puts 20% of its attention on "piano"')
    hit = GoalResult(True, 1.0, "ok")
    result = Score(True, False, False, 1, ((hit,), (miss,), (hit,)))
    reasons = star_reasons(level, board, result)
    assert [earned for earned, _ in reasons] == [True, False, False]
    assert "par is 1" in reasons[1][1]
    assert "fails on 1 of 2" in reasons[2][1] and "piano" in reasons[2][1]
