"""'Watch it learn' on a task level: offered, driven by dt, showing the real held-out accuracy,
and Keep puts the learned wires and routes on the selected head alone."""

import dataclasses

import pygame
import pytest

from game.model import Board
from game.model.learn import learn_head
from game.model.task_score import score_task
from game.ui.play import PlayScene
from game.ui.play.watch import ACCURACY_SECONDS
from tests.ui.events import DT, click, press
from tests.ui.play.test_watch import open_level, run_until_done


def start_on_copy_previous(app, registry):
    scene = open_level(app, registry, "13_copy_previous")
    assert scene.learn_available and scene.learn_button.enabled
    click(app, scene.learn_button.rect.center)
    assert scene.watch is not None
    for _ in range(round(ACCURACY_SECONDS / DT) + 2):
        app.step(DT, [])
    assert scene.watch.accuracy is not None  # rescored while learning, not only at the end
    return scene


def test_keep_while_learning_a_task_head_changes_that_head_alone(app, registry):
    scene = start_on_copy_previous(app, registry)
    start = scene.board.state
    steps = scene.watch.frame
    assert 0 < steps < 30  # paced by dt: about START_RATE steps a second
    press(app, pygame.K_RETURN)  # Keep: the best step so far, wires and routes
    assert scene.watch is None
    heads = scene.board.state.heads
    assert heads[0] != start.heads[0] and heads[0].values  # routes learned, not only wires
    assert heads[1] == start.heads[1]  # the other head is bit-identical
    press(app, pygame.K_z, pygame.KMOD_CTRL)
    assert scene.board.state == start  # one undoable change


@pytest.mark.slow
def test_a_watched_task_head_meets_the_goal_with_the_wires_solve_learn_gives(app, registry):
    scene = start_on_copy_previous(app, registry)
    start = scene.board.state
    run_until_done(app, scene, limit=6000)
    watch = scene.watch
    assert scene.board.state == start  # untouched while watching
    expected = learn_head(Board(scene.level, registry), 0)  # the same learner and rule
    assert watch.scratch.state.heads[0].wires == expected.wires
    assert watch.scratch.state.heads[0].values == expected.values
    assert watch.accuracy >= 0.99 and "held-out tokens right" in watch.status()
    press(app, pygame.K_RETURN)  # Keep is focused
    assert scene.watch is None
    heads = scene.board.state.heads
    assert heads[0].wires == expected.wires and heads[0].values == expected.values
    assert heads[1] == start.heads[1]  # the other head is bit-identical
    assert score_task(scene.level, registry, scene.board.state).accuracy == watch.accuracy


@pytest.mark.slow
def test_layer_2_alone_is_told_plainly_that_layer_1_comes_first(app, registry):
    level = registry.levels["18_induction"]
    scene = PlayScene(app, level, registry, board=Board(level, registry))
    app.scenes.push(scene)
    scene.select_head(1)
    app.step(DT, [])
    assert scene.learn_available
    scene.start_watch()
    run_until_done(app, scene, limit=6000)
    assert scene.watch.accuracy < 0.99
    assert "layer 1 first" in scene.watch.status()
    scene.draw(app.canvas)  # the panel draws the long status without failing


def test_a_head_a_layer_above_reads_is_not_offered(app, registry):
    level = registry.levels["18_induction"]
    board = Board.with_solution(level, registry)
    scene = PlayScene(app, level, registry, board=board)
    app.scenes.push(scene)
    scene.select_head(0)
    app.step(DT, [])
    assert not scene.learn_available
    spec = board.state.heads[1]
    board.replace_head(1, dataclasses.replace(spec, values=()))  # layer 2 writes nothing now
    app.step(DT, [])
    assert scene.learn_available  # not a stale answer
