"""Step mode shows every number, readably (issue 14, item 13): softmax weights below 0.1
were hidden under a caption saying rows add up to 1, and on the projector a 13×13
matrix was tiny with no numbers. Level 1's 13×13 matrices, in both themes at 100% and
150% text: every softmax weight printed, to two decimals or better, at a readable size;
any number that cannot be printed is counted in the caption."""

import numpy as np
import pygame
import pytest

from game.model import STEP_NAMES
from game.progress import Progress
from game.ui.engine.theme import themed
from game.ui.flow.game_flow import GameFlow
from game.ui.play.step_mode import fitted_number, number_forms, step_caption
from tests.ui.events import DT

LOOKS = [("normal", 1.0), ("projector", 1.0), ("projector", 1.5)]


@pytest.mark.parametrize("look", LOOKS, ids=[f"{t}-{s}" for t, s in LOOKS])
def test_every_softmax_weight_of_a_13_by_13_matrix_is_printed_readably(
    app, registry, tmp_path, look
):
    app.theme = theme = themed(*look)
    flow = GameFlow(app, registry, Progress(), progress_path=tmp_path / "p.json", save=False)
    flow.start()
    flow.teacher = True
    flow.open_levels()
    flow.open_level("01_trophy")
    app.step(DT, [])
    scene = app.scenes.top
    scene.toggle_step_mode()
    scene.step_mode.index = STEP_NAMES.index("softmax")
    app.step(DT, [])
    weights = np.atleast_2d(scene.step_mode.arrays[scene.step_mode.index][1])
    assert weights.shape == (13, 13)
    view = scene.step_view
    _, unprinted = view.numbers(weights, theme, app.text)
    assert unprinted == 0
    layout = view.heatmap.layout
    for i in range(13):
        for j in range(13):
            rect = layout.cell_rect(i, j)
            form, px, image = fitted_number(
                app.text, float(weights[i, j]), rect, theme.font_px(13), (0, 0, 0)
            )
            assert abs(float(form) - weights[i, j]) <= 0.005 + 1e-9, (form, weights[i, j])
            assert px >= 13 if look[0] == "projector" else px >= 10, (px, rect)


def test_small_weights_keep_their_digits():
    assert number_forms(0.054)[0] == (".054", "0.054")
    pygame.font.init()
    from game.ui.engine.text import TextCache

    text = TextCache()
    narrow = pygame.Rect(0, 0, 30, 20)
    form, _, _ = fitted_number(text, 0.054, narrow, 16, (0, 0, 0))
    assert float(form) == pytest.approx(0.054, abs=0.005)  # never rounded to 0.1 or 0
    assert fitted_number(text, 0.054, pygame.Rect(0, 0, 3, 3), 16, (0, 0, 0)) is None


def test_numbers_that_do_not_fit_are_counted_in_the_caption(app, registry, tmp_path):
    flow = GameFlow(app, registry, Progress(), progress_path=tmp_path / "p.json", save=False)
    flow.start()
    flow.teacher = True
    flow.open_levels()
    flow.open_level("01_trophy")
    app.step(DT, [])
    scene = app.scenes.top
    scene.toggle_step_mode()
    app.step(DT, [])
    big = np.full((40, 40), 123456.0)  # far too many, far too long for the cells
    scene.step_view.heatmap.set_data(big / big.max(), revision=("test",))
    _, unprinted = scene.step_view.numbers(big, app.theme, app.text)
    assert unprinted > 0
    caption = step_caption(2, "QKᵀ", big, unprinted)
    assert f"{unprinted} of 1600 numbers are too long for their cells" in caption
    assert "too long" not in step_caption(6, "softmax", np.eye(3), 0)
