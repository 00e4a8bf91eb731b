"""A task level on the play screen: the held-out accuracy on a button under the stream,
and the failing examples on request (click or F), scrolled and closed by keys."""

from pathlib import Path

import pygame
import pytest

from game.levels.loader import load_level_text
from game.model import Board
from game.model.task_score import LIVE_SAMPLE
from game.ui.play import PlayScene
from game.ui.play.live_task import FULL_SCORE_AFTER
from game.ui.play.task_view import FailuresOverlay, score_summary
from tests.ui.events import DT, click, press, wheel

LEVEL = Path(__file__).parent / "levels" / "task_two_layers.toml"


@pytest.fixture
def scene(app, registry):
    level = load_level_text(LEVEL.read_text(encoding="utf-8"), LEVEL.name, registry)
    play = PlayScene(app, level, registry)
    app.scenes.push(play)
    app.step(DT, [])
    return play


def test_the_accuracy_is_on_screen_and_a_click_shows_the_failures(app, scene):
    score = scene.evaluation.task
    assert score is not None and 0 < score.accuracy < 0.99 and score.failures
    button = scene.layer_views.task_button
    assert button in scene.group.widgets  # under the stream panel, which reads the answers
    assert not button.rect.colliderect(scene.layer_views.panel.rect)
    assert button.label == f"Task {score.accuracy:.1%}: show failures"
    assert pygame.Rect(0, 0, 1280, 720).contains(button.rect)
    click(app, button.rect.center)
    overlay = app.scenes.top
    assert isinstance(overlay, FailuresOverlay) and overlay.score is score
    assert "per position" in score_summary(score) and f"{score.examples} inputs" in (
        score_summary(score)
    )
    press(app, pygame.K_DOWN)
    press(app, pygame.K_PAGEDOWN)
    assert overlay.scroll == 6
    press(app, pygame.K_UP)
    assert overlay.scroll == 5
    overlay.draw(app.canvas)  # draws, changes nothing
    assert overlay.scroll == 5
    press(app, pygame.K_ESCAPE)
    assert app.scenes.top is scene
    press(app, pygame.K_f)  # the key opens it too, and closes it
    assert isinstance(app.scenes.top, FailuresOverlay)
    press(app, pygame.K_f)
    assert app.scenes.top is scene


def test_the_label_follows_the_board(app, scene):
    before = scene.layer_views.task_button.label
    scene.board.add_value_route(0, "b", "prev_b", 1.0)  # reads "b" after any b now
    app.step(DT, [])
    sample = scene.evaluation.task  # while editing: a quick sample, and the label says so
    assert sample.is_sample and sample.examples == LIVE_SAMPLE < sample.sample_of
    assert (
        scene.layer_views.task_button.label
        == f"Task ~{sample.accuracy:.0%} (sample): show failures"
    )
    for _ in range(round(FULL_SCORE_AFTER / DT) + 2):  # the board stands still: the full set
        app.step(DT, [])
    score = scene.evaluation.task
    assert not score.is_sample and score.examples == sample.sample_of
    assert scene.layer_views.task_button.label == f"Task {score.accuracy:.1%}: show failures"
    assert scene.layer_views.task_button.label != before


def test_the_failures_of_a_sample_open_on_the_full_set(app, scene):
    scene.board.add_value_route(0, "b", "prev_b", 1.0)
    app.step(DT, [])
    assert scene.evaluation.task.is_sample
    press(app, pygame.K_f)
    overlay = app.scenes.top
    assert isinstance(overlay, FailuresOverlay) and not overlay.score.is_sample
    assert overlay.score.examples == scene.level.task.held_out


def test_levels_without_a_task_have_no_button_and_f_does_nothing(app, registry):
    play = PlayScene(app, registry.levels["01_trophy"], registry)
    app.scenes.push(play)
    app.step(DT, [])
    assert play.layer_views.task_button not in play.group.widgets
    press(app, pygame.K_f)
    assert app.scenes.top is play


def test_the_stream_panel_says_what_the_readout_reads(app, registry):
    level = registry.levels["13_copy_previous"]
    play = PlayScene(app, level, registry, board=Board.with_solution(level, registry))
    app.scenes.push(play)
    app.step(DT, [])
    panel, ev = play.layer_views.panel, play.evaluation
    assert list(panel.data.read) == level.readout.read(ev.residual[-1], ev.features)
    tokens = ev.tokens[ev.main_sequence]
    assert panel.data.read[3] == tokens[2]  # solved: each token reads the one before it


def test_a_one_layer_task_level_gets_the_stream_panel_but_no_layer_keys(app, registry):
    text = LEVEL.read_text(encoding="utf-8").replace("layers = 2", "layers = 1")
    level = load_level_text(text, LEVEL.name, registry)
    play = PlayScene(app, level, registry)
    app.scenes.push(play)
    app.step(DT, [])
    panel = play.layer_views.panel
    assert play.layer_views.active and panel in play.group.widgets
    assert play.level_controls.layer_strip not in play.level_controls.shown
    assert len(panel.data.residual) == 2  # x⁰ and the stream after the one layer
    assert len(panel.data.read) == len(play.evaluation.tokens["tokens"])
    press(app, pygame.K_RIGHTBRACKET)  # one layer: nothing to step to
    assert play.head == 0


def test_the_wheel_over_the_task_button_and_the_stream_never_fails(app, scene):
    """The task button does not scroll; the wheel over it is ignored, over the stream it
    scrolls (the soak test once found the wheel sent to a plain Button)."""
    wheel(app, scene.layer_views.task_button.rect.center, -2)
    assert app.scenes.top is scene
    panel = scene.layer_views.panel
    wheel(app, panel.rect.center, -1)
    assert scene.layer_views.scrollers == [panel]
