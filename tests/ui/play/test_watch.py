"""'Watch it learn': training runs a few steps per frame in update, never in draw; Keep is
one undoable change, Discard leaves the board as it was."""

import math

import numpy as np
import pygame
import pytest

from game.model import Board
from game.model.learn import LEARN_RULE, HeadLearner, learn_head
from game.ui.play import PlayScene
from game.ui.play.watch import (
    MAX_STEPS_PER_FRAME,
    START_RATE,
    STEPS_PER_SECOND,
    LearnWatch,
    pace,
)
from tests.ui.events import DT, click, press


def open_level(app, registry, level_id):
    scene = PlayScene(app, registry.levels[level_id], registry)
    app.scenes.push(scene)
    app.step(DT, [])
    return scene


def run_until_done(app, scene, limit=2000):
    for _ in range(limit):
        before = scene.watch.frame
        app.step(DT, [])
        assert scene.watch.frame - before <= MAX_STEPS_PER_FRAME
        if scene.watch.done:
            return
    raise AssertionError("training never stopped")


def test_button_only_where_wires_change_and_a_goal_gives_a_target(app, registry):
    assert open_level(app, registry, "01_trophy").learn_button.enabled
    app.scenes.pop()
    assert not open_level(app, registry, "04_scale").learn_available  # wires are fixed there
    app.scenes.pop()
    next_word = open_level(app, registry, "decoder_01_next_word")
    assert not next_word.learn_available and not next_word.learn_button.can_focus


def test_watch_steps_in_update_and_keep_is_one_undoable_change(app, registry):
    scene = open_level(app, registry, "01_trophy")
    start = scene.board.state
    click(app, scene.learn_button.rect.center)
    assert scene.watch is not None and scene.watch.frame >= 0  # that frame's update ran steps
    frame = scene.watch.frame
    scene.draw(app.canvas)  # drawing never trains
    scene.draw(app.canvas)
    assert scene.watch.frame == frame
    for _ in range(math.ceil(1 / (START_RATE * DT)) + 2):  # a step's worth of frames, and more
        app.step(DT, [])
    assert scene.watch.frame > frame
    shown = scene.board_view.weights.copy()
    run_until_done(app, scene)
    assert scene.watch.frame <= LEARN_RULE.max_steps
    assert scene.watch.converged
    assert scene.board.state == start  # the real board is untouched while watching
    assert (scene.board_view.weights != shown).any()  # the view followed the scratch board
    press(app, pygame.K_RETURN)  # Keep is focused
    assert scene.watch is None
    assert scene.board.wire_count > 0 and scene.evaluation.goals_met
    press(app, pygame.K_z, pygame.KMOD_CTRL)
    assert scene.board.state == start


def test_discard_and_escape_leave_the_board_alone(app, registry):
    scene = open_level(app, registry, "02_query_key_value")
    start = scene.board.state
    for leave in ("discard", "escape"):
        scene.start_watch()
        for _ in range(10):
            app.step(DT, [])
        if leave == "discard":
            click(app, scene.watch_panel.discard_button.rect.center)
        else:
            press(app, pygame.K_ESCAPE)
        assert scene.watch is None and scene.board.state == start
        assert app.scenes.top is scene
        app.step(DT, [])
        assert scene.evaluation is scene.board.evaluate(0)


def test_input_goes_only_to_the_panel_while_watching(app, registry):
    scene = open_level(app, registry, "01_trophy")
    scene.start_watch()
    app.step(DT, [])
    press(app, pygame.K_r, pygame.KMOD_ALT)
    press(app, pygame.K_TAB)
    assert scene.watch is not None and scene.board.revision == 0
    assert scene.watch_panel.discard_button.focused


def test_keep_applies_to_a_sandbox_board_too(app, registry):
    from game.levels.sandbox import (
        DEFAULT_SENTENCE,
        guess_features,
        load_sandbox,
        sandbox_table,
    )  # fmt: skip

    table = sandbox_table(
        registry, words=DEFAULT_SENTENCE.split(), architecture="decoder", positional="sinusoidal",
        heads=2, features={w: guess_features(w) for w in DEFAULT_SENTENCE.split()},
    )  # fmt: skip
    level = load_sandbox(table, registry)
    scene = PlayScene(app, level, registry, board=Board(level, registry))
    app.scenes.push(scene)
    scene.select_head(1)
    app.step(DT, [])
    scene.start_watch()
    run_until_done(app, scene)
    scene.keep_learned()
    assert scene.board.heads[1].wires and not scene.board.heads[0].wires


def test_a_watched_head_is_trimmed_to_par_and_keeping_it_earns_three_stars(app, registry):
    from game.model.stars import score

    scene = open_level(app, registry, "01_trophy")
    scene.start_watch()
    run_until_done(app, scene)
    watch = scene.watch
    assert watch.converged and watch.wires == 1
    assert "trimmed to par" in watch.status() or watch.wires <= scene.level.par
    scene.keep_learned()
    assert score(scene.board).stars == 3


def test_the_loss_curve_labels_its_axes(app, registry, monkeypatch):
    """Highest and lowest loss on the log axis, and the step range, are written on the curve."""
    scene = open_level(app, registry, "01_trophy")
    click(app, scene.learn_button.rect.center)
    run_until_done(app, scene)
    drawn: list[str] = []
    render = app.text.render

    def recording_render(label, *args, **kwargs):
        drawn.append(label)
        return render(label, *args, **kwargs)

    monkeypatch.setattr(app.text, "render", recording_render)
    scene.draw(app.canvas)
    losses = scene.watch.losses
    assert f"{max(losses):.3g}" in drawn and f"{min(losses):.3g}" in drawn
    assert "step 0" in drawn and f"step {scene.watch.step.step}" in drawn
    assert "loss, log scale" in drawn


def watch_to_the_end(board, head=0, dt=DT, seed=0):
    """A LearnWatch updated with `dt` until it stops, as the play screen updates it."""
    watch = LearnWatch(board, head, seed=seed)
    for _ in range(100_000):
        if watch.done:
            return watch
        watch.update(dt)
    raise AssertionError("training never stopped")


@pytest.mark.parametrize(
    "level_id, seed", [("01_trophy", 0), ("09_rope", 3), ("translate_01_red_car", 7)]
)
def test_the_watch_gives_the_wires_solve_learn_gives(registry, level_id, seed):
    """One stopping rule: the same seed gives the same wires on screen and from
    `switchyard solve --learn` (game.model.learn.learn_head), however the frames fall."""
    level = registry.levels[level_id]
    expected = learn_head(Board(level, registry), 0, seed=seed)
    for dt in (DT, 1 / 24, 0.003):
        watch = watch_to_the_end(Board(level, registry), 0, dt, seed)
        assert watch.error is None and watch.converged == expected.result.converged
        assert watch.scratch.heads[0].wires == expected.wires
        assert watch.learned.wires == expected.wires
        assert watch.step.step == expected.result.steps


@pytest.mark.parametrize("level_id", ["09_rope", "translate_01_red_car"])
def test_the_watch_offers_the_best_step_not_the_last(registry, level_id):
    """Training there ends on a step worse than its best: the board offered is the best."""
    level = registry.levels[level_id]
    learner = HeadLearner(Board(level, registry), 0)
    losses = []
    while not learner.done:
        losses.append(learner.advance().loss)
    assert losses[-1] > min(losses), "this level no longer ends on a worse step"
    watch = LearnWatch(Board(level, registry), 0)
    seen = []
    while not watch.done:
        if watch.update(1 / STEPS_PER_SECOND):  # one step a frame: every step is seen
            seen.append(watch.step)
    assert [step.loss for step in seen] == losses
    best = min(seen, key=lambda step: step.loss)
    assert watch.kept.step == best.step and watch.shown is watch.kept
    assert watch.kept.step != watch.step.step
    np.testing.assert_array_equal(watch.kept.strengths, best.strengths)
    assert watch.scratch.heads[0].wires == watch.learned.wires  # the best, cut to par


def test_keep_while_learning_keeps_the_best_step_so_far(registry):
    board = Board(registry.levels["translate_01_red_car"], registry)
    watch = LearnWatch(board, 0)
    losses = []
    while watch.frame < 12:
        watch.update(1 / STEPS_PER_SECOND)
        losses.append(watch.step.loss)
    assert not watch.done and losses[-1] > min(losses)  # the latest step is not the best
    watch.keep()
    assert watch.kept.loss == min(losses) and watch.kept.step < watch.step.step
    assert board.heads[0].wires == watch.scratch.heads[0].wires and board.can_undo


def test_learning_is_paced_to_be_watched_for_seconds(registry):
    """Slow at first (each step can be seen), faster later, and every learnable campaign
    level's run lasts seconds, not a blink: from 2 to 12 seconds at 60 frames a second."""
    assert pace(0.0) == START_RATE and pace(100.0) == STEPS_PER_SECOND
    assert all(pace(t) <= pace(t + 0.5) for t in range(20))
    for level_id in ("07_word_order", "01_trophy", "encoder_01_bank"):
        watch = LearnWatch(Board(registry.levels[level_id], registry), 0)
        frames = 0
        while not watch.done:
            watch.update(DT)
            frames += 1
        assert 2.0 <= frames * DT <= 12.0, (level_id, frames * DT)
