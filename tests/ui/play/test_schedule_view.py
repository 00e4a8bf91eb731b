"""The FlashAttention level's schedule view and counters: fed by io_sim's real run,
totals equal to count_io, output equal to attention(), and driven by input events."""

import math

import numpy as np
import pygame
import pytest

from game.attention import attention
from game.model.io_sim import Schedule, count_io
from game.progress import Progress
from game.ui.engine.theme import THEMES
from game.ui.flow.game_flow import GameFlow
from game.ui.play import PlayScene
from game.ui.play.flash_schedule import (
    ANIMATION_N,
    FlashSetup,
    IOCompare,
    ScheduleClock,
    ScheduleRun,
    sram_parts,
)
from game.ui.play.io_counters import verdict_line
from tests.ui.events import DT, press

SETUP = FlashSetup(n=4096, d=64, sram=32768, budget=30_000_000)


@pytest.mark.parametrize(("block_q", "block_k"), [(16, 16), (5, 7), (48, 1), (100, 100)])
def test_the_animation_is_io_sims_run_and_equals_attention(block_q, block_k):
    run = ScheduleRun.run(block_q, block_k)
    bq, bk = min(block_q, ANIMATION_N), min(block_k, ANIMATION_N)
    closed = count_io(ANIMATION_N, run.d, None, Schedule("tiled", bq, bk))
    assert (run.count.reads, run.count.writes) == (closed.reads, closed.writes)
    assert (run.steps[-1].reads, run.steps[-1].writes) == (closed.reads, closed.writes)
    assert len(run.steps) == math.ceil(ANIMATION_N / bq) * math.ceil(ANIMATION_N / bk)
    assert run.max_difference < 1e-12
    rng = np.random.default_rng(12)
    q, k, v = (rng.standard_normal((ANIMATION_N, run.d)) for _ in range(3))
    np.testing.assert_allclose(run.output, attention(q, k, v), atol=1e-12)
    scores = q @ k.T / math.sqrt(run.d)  # (n, n)
    np.testing.assert_allclose(run.steps[-1].m_rows, scores.max(axis=1))
    np.testing.assert_allclose(
        run.steps[-1].l_rows, np.exp(scores - scores.max(axis=1)[:, None]).sum(axis=1)
    )


def test_rescaled_rows_are_those_whose_running_max_moved():
    run = ScheduleRun.run(8, 8)
    for index in range(1, len(run.steps)):
        step, before = run.steps[index], run.steps[index - 1]
        start, stop = step.q_rows
        moved = [r for r in range(start, stop) if step.m_rows[r] > before.m_rows[r] > -math.inf]
        assert run.rescaled_rows(index) == moved
    assert any(run.rescaled_rows(i) for i in range(len(run.steps)))


@pytest.mark.parametrize(("block_q", "block_k"), [(16, 16), (32, 128), (8, 192), (256, 512)])
def test_counters_are_count_io_at_the_levels_size(block_q, block_k):
    compare = IOCompare.count(SETUP, block_q, block_k)
    tiled = count_io(4096, 64, 32768, Schedule("tiled", block_q, block_k))
    assert compare.tiled == tiled
    assert compare.naive == count_io(4096, 64, 32768, Schedule("naive"))
    assert sum(size for _, size in sram_parts(64, block_q, block_k)) == tiled.sram_needed
    assert compare.within_budget is (tiled.fits and tiled.total <= SETUP.budget)


def test_overflow_says_which_part_and_by_how_much():
    compare = IOCompare.count(SETUP, 256, 512)
    text = compare.overflow()
    over = compare.tiled.sram_needed - 32768
    assert f"{over:,} over" in text and "score tile" in text
    assert verdict_line(compare, THEMES["normal"])[0] == text
    assert IOCompare.count(SETUP, 8, 192).overflow() is None
    assert "Within the budget" in verdict_line(IOCompare.count(SETUP, 8, 192), THEMES["normal"])[0]
    assert "over the budget" in verdict_line(IOCompare.count(SETUP, 16, 16), THEMES["normal"])[0]


def test_the_clock_plays_steps_and_changes_speed():
    clock = ScheduleClock(5)
    clock.toggle()
    clock.update(1 / clock.speed + 1e-6)
    assert clock.index == 1
    clock.faster(+1)
    fast = clock.speed
    clock.update(3 / fast + 1e-6)
    assert clock.index == 4 and not clock.playing  # stops at the last step
    clock.step(-1)
    assert clock.index == 3
    clock.toggle()
    clock.toggle()
    clock.toggle()  # from a paused middle step it plays on, not from the start
    assert clock.playing and clock.index == 3


@pytest.fixture
def flash(app, registry, tmp_path):
    game = GameFlow(app, registry, Progress(), progress_path=tmp_path / "progress.json")
    game.start()
    game.teacher = True
    game.open_levels()
    game.open_level("11_flash")
    app.step(DT, [])
    scene = app.scenes.top
    assert isinstance(scene, PlayScene)
    return app, scene


def test_the_play_screen_shows_the_schedule_and_follows_the_knobs(flash):
    app, scene = flash
    view = scene.machinery.schedule
    assert view is not None and scene.heatmap in scene.hidden
    assert view.compare.tiled == count_io(4096, 64, 32768, Schedule("tiled", 16, 16))
    press(app, pygame.K_PAGEUP)  # the first knob (query rows) has the focus
    assert dict(scene.board.settings.knobs)["block_q"] == 26
    assert view.run.block_q == 26 and view.compare.tiled.block_q == 26
    goal = scene.evaluation.goal_results[0].message
    assert f"{view.compare.tiled.total:,}" in goal  # the counters are what the goal checks


def test_play_pause_and_step_by_keyboard(flash):
    app, scene = flash
    view = scene.machinery.schedule
    for _ in range(len(scene.group.widgets)):
        if scene.group.focused is view.play_button:
            break
        press(app, pygame.K_TAB)
    press(app, pygame.K_RETURN)
    assert view.clock.playing and view.play_button.label == "Pause"
    for _ in range(round(1 / view.clock.speed / DT) + 2):
        app.step(DT, [])
    assert view.clock.index == 1
    surface = pygame.Surface((1280, 720))
    scene.draw(surface)  # mid-flight tiles draw without error
    press(app, pygame.K_RETURN)
    assert not view.clock.playing
    press(app, pygame.K_TAB)  # the step-back button
    press(app, pygame.K_TAB)  # the step button
    assert scene.group.focused is view.step_button
    for _ in range(len(view.run.steps)):
        press(app, pygame.K_RETURN)
    assert view.clock.index == len(view.run.steps) - 1
    scene.draw(surface)
