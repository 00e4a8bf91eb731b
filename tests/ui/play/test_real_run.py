"""The real-run panel: the game's tiled kernel at real sizes, off the screen's thread,
with progress, Cancel within a second, time, peak memory and error against naive."""

import time

import numpy as np
import pygame
import pytest

from game.progress import Progress
from game.ui.flow.game_flow import GameFlow
from game.ui.play import PlayScene
from game.ui.play.real_run import SIZES, RealRun, measure, naive_bytes
from game.ui.play.real_run_panel import byte_text
from tests.ui.events import DT, press

MiB = 2**20


def test_naive_needs_the_whole_score_matrix():
    assert naive_bytes(100_000) == {"fp16": 2 * 10**10, "fp32": 4 * 10**10}
    assert byte_text(naive_bytes(100_000)["fp16"]) == "18.6 GiB"
    assert SIZES == (1_000, 4_000, 16_000, 64_000, 100_000)


def test_measure_matches_naive_where_naive_fits_and_reports_progress():
    seen = []
    result = measure(3000, "tiled", 1024, lambda: False, lambda **k: seen.append(k["progress"]))
    assert result["status"] == "done"
    assert result["max_error"] is not None and result["max_error"] < 1e-5
    assert seen == pytest.approx([1024 / 3000, 2048 / 3000, 1.0])
    assert 0 < result["peak_bytes"] < 64 * MiB


def test_measure_stops_between_chunks_when_cancelled():
    calls = []
    result = measure(5000, "tiled", 1000, lambda: len(calls) >= 2, lambda **k: calls.append(k))
    assert result["status"] == "cancelled" and len(calls) == 2


def test_a_run_in_the_worker_completes_and_cancel_stops_within_a_second():
    run = RealRun(1000)
    run.start()
    run.join(60)
    assert run.state.status == "done", run.state
    assert run.state.max_error < 1e-5 and run.state.seconds > 0
    long = RealRun(100_000)
    long.start()
    deadline = time.perf_counter() + 60
    while long.state.progress == 0 and time.perf_counter() < deadline:
        time.sleep(0.02)  # wait until it is really computing
    asked = time.perf_counter()
    long.cancel()
    long.join(5)
    assert not long.running and long.state.status == "cancelled"
    assert time.perf_counter() - asked < 1.0
    assert long.state.progress < 1.0


@pytest.mark.slow
def test_the_numpy_backend_completes_n_100k_under_128_mib():
    run = RealRun(100_000, backend="tiled")
    run.start()
    run.join(1200)
    state = run.state
    assert state.status == "done", state
    assert state.progress == 1.0 and state.max_error is None  # naive (40 GB) cannot run
    assert 0 < state.peak_bytes < 128 * MiB


def test_the_panel_runs_from_the_keyboard_and_the_screen_keeps_drawing(app, registry, tmp_path):
    game = GameFlow(app, registry, Progress(), progress_path=tmp_path / "progress.json")
    game.start()
    game.teacher = True
    game.open_levels()
    game.open_level("11_flash")
    app.step(DT, [])
    scene = app.scenes.top
    assert isinstance(scene, PlayScene)
    panel = scene.machinery.real_run
    for _ in range(len(scene.group.widgets)):
        if scene.group.focused is panel.run_button:
            break
        press(app, pygame.K_TAB)
    assert panel.n == 1_000
    press(app, pygame.K_RETURN)
    assert panel.run is not None and panel.run_button.label == "Cancel"
    surface = pygame.Surface((1280, 720))
    deadline = time.perf_counter() + 60
    while panel.run.running and time.perf_counter() < deadline:
        app.step(DT, [])
        scene.draw(surface)
        time.sleep(0.01)
    app.step(DT, [])
    assert panel.run.state.status == "done" and panel.run_button.label == "Run"
    assert np.isfinite(panel.run.state.max_error)
    scene.draw(surface)


def test_leaving_the_screen_cancels_a_run(app, registry, tmp_path):
    game = GameFlow(app, registry, Progress(), progress_path=tmp_path / "progress.json")
    game.start()
    game.teacher = True
    game.open_levels()
    game.open_level("11_flash")
    app.step(DT, [])
    scene = app.scenes.top
    panel = scene.machinery.real_run
    panel.sizes.select(len(SIZES) - 1)
    panel.toggle()
    press(app, pygame.K_ESCAPE)  # back to the level select
    assert app.scenes.top is not scene
    panel.run.join(5)
    assert not panel.run.running and panel.run.state.status == "cancelled"
