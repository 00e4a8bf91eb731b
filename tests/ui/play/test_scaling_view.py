"""The scaling level's plots: the reusable log-log plot, the Chinchilla curves it is
fed, and the player's point following the knobs on the real play screen."""

import math

import pygame
import pytest

from game.progress import Progress
from game.ui.engine.theme import THEMES
from game.ui.flow.game_flow import GameFlow
from game.ui.play import PlayScene
from game.ui.play.scaling_view import (
    CHINCHILLA,
    KAPLAN_ALPHA,
    frontier,
    iso_compute,
    kaplan,
    loss,
)
from game.ui.widgets.loglog_plot import Axes, LogLogPlot, power_label, ticks
from tests.plugins.goals.util import goals_module
from tests.ui.events import DT, press


def test_the_plot_uses_the_goals_own_fit():
    assert goals_module("scaling").CHINCHILLA == CHINCHILLA


def test_log_log_axes_map_decades_evenly_and_label_powers_of_ten():
    plot = LogLogPlot(Axes(1e17, 1e25, 1.8, 4.0, "C", "L"))
    plot.layout(pygame.Rect(0, 0, 500, 300), THEMES["normal"])
    f = plot.frame
    assert plot.to_screen(1e17, 1.8) == (f.left, f.bottom)
    assert plot.to_screen(1e25, 4.0) == (f.right, f.top)
    xs = [plot.to_screen(10.0**e, 2.0)[0] for e in range(17, 26)]
    gaps = {b - a for a, b in zip(xs, xs[1:], strict=False)}
    assert max(gaps) - min(gaps) <= 1  # every decade as wide
    assert [label for _, label in ticks(1e17, 1e25, 20)] == [power_label(e) for e in range(17, 26)]
    assert len(ticks(1e17, 1e25, 3)) <= 3
    assert [v for v, _ in ticks(1.8, 4.0, 10)] == pytest.approx([2.0, 2.5, 3.0, 3.5, 4.0])


def test_kaplan_is_a_straight_line_and_the_frontier_is_each_budgets_best():
    (c0, l0), (c1, l1) = kaplan()
    slope = (math.log10(l1) - math.log10(l0)) / (math.log10(c1) - math.log10(c0))
    assert slope == pytest.approx(-KAPLAN_ALPHA)
    for c, best in frontier(count=5):
        curve = iso_compute(c, 400)
        assert best == pytest.approx(min(y for _, y in curve))
        assert all(abs(6 * n * (c / (6 * n)) - c) < c * 1e-9 for n, _ in curve[:3])
    bests = [best for _, best in frontier(count=6)]
    assert bests == sorted(bests, reverse=True)  # more compute buys a lower loss


@pytest.fixture
def scaling(app, registry, tmp_path):
    game = GameFlow(app, registry, Progress(), progress_path=tmp_path / "progress.json")
    game.start()
    game.teacher = True
    game.open_levels()
    game.open_level("12_scaling")
    app.step(DT, [])
    scene = app.scenes.top
    assert isinstance(scene, PlayScene)
    return app, scene


def test_the_point_follows_the_knobs_and_the_frontier_appears_once_won(scaling):
    app, scene = scaling
    view = scene.machinery.scaling
    assert view is not None and not scene.machinery.won
    n0 = view.n_params
    press(app, pygame.K_LEFT)  # the first knob: parameters, a tenth of a power down
    assert view.n_params == pytest.approx(n0 / 10**0.1)
    assert view.loss == pytest.approx(loss(view.n_params, view.n_tokens))
    surface = pygame.Surface((1280, 720))
    scene.draw(surface)
    assert view._frontier is None  # not drawn before the level is won
    for name, value in scene.level.solution.knobs.items():
        scene.controller.intent(scene.board.set_knob, name, value)
    app.step(DT, [])
    assert scene.machinery.won
    scene.draw(surface)
    assert view._frontier is not None
