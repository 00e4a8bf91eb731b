"""Readable from the back of a room: in the projector theme the play screen's heatmap
prints its numbers when they fit at a readable size, and step mode's matrices take the
room the screen has."""

import numpy as np
import pygame
import pytest

from game.model import STEP_NAMES
from game.ui.engine.theme import themed
from game.ui.play import PlayScene
from game.ui.widgets.cell_numbers import DARK_INK, LIGHT_INK, READABLE_PX, short_number
from tests.ui.events import DT


def open_level(app, registry, level_id, theme):
    app.theme = themed(theme)
    scene = PlayScene(app, registry.levels[level_id], registry)
    app.scenes.push(scene)
    app.step(DT, [])
    return scene


def ink_pixels(app, rect):
    pixels = pygame.surfarray.array3d(app.canvas.subsurface(rect))  # (w, h, 3)
    return sum(int(np.all(pixels == ink, axis=2).sum()) for ink in (DARK_INK, LIGHT_INK))


def test_short_numbers_read_as_the_weight():
    assert [short_number(v) for v in (0.0, 0.001, 0.42, 0.996, 1.0, -0.25, 3.14, 12.6)] == [
        "0", "0", ".42", "1", "1", "-.25", "3.1", "13",
    ]  # fmt: skip


@pytest.mark.parametrize("theme", ["projector", "normal"])
def test_the_heatmap_prints_numbers_in_the_projector_theme(app, registry, theme):
    scene = open_level(app, registry, "06_two_heads", theme)  # 7 tokens: big cells
    heatmap = scene.heatmap
    px = heatmap.number_px(app.theme, app.text)
    cell = heatmap.cell_rect(5, 1)  # "it" -> "dog"
    if theme == "projector":
        assert px is not None and px >= READABLE_PX
        assert ink_pixels(app, cell) > 10
    else:
        assert px is None and ink_pixels(app, cell) == 0


def test_numbers_that_would_be_too_small_are_left_out_not_shrunk(app, registry):
    scene = open_level(app, registry, "01_trophy", "projector")
    heatmap = scene.heatmap
    width = heatmap.layout.cell_size[0]
    px = heatmap.number_px(app.theme, app.text)
    if px is None:  # 13 tokens in the right column: none, rather than unreadable ones
        assert ink_pixels(app, heatmap.layout.grid) == 0
    else:
        assert px >= READABLE_PX and width >= 2 * READABLE_PX


def test_step_mode_takes_the_right_column_on_a_projector(app, registry):
    scene = open_level(app, registry, "01_trophy", "normal")
    scene.toggle_step_mode()
    scene.step_mode.index = STEP_NAMES.index("QKᵀ")
    app.step(DT, [])
    narrow = scene.step_view.heatmap.layout.cell_size
    assert not scene.step_view.rect.colliderect(scene.layout.heatmap)
    app.theme = themed("projector")
    app.step(DT, [])
    lay = scene.layout
    assert scene.step_view.rect.contains(lay.heatmap) and scene.step_view.rect.contains(lay.board)
    assert not scene.heatmap.enabled  # under the step view: no clicks, no focus
    wide = scene.step_view.heatmap.layout.cell_size
    assert wide[0] >= 1.4 * narrow[0] and wide[0] >= 40  # 13 columns, ≥ 60 px at 1920 wide
    scene.toggle_step_mode()
    app.step(DT, [])
    assert scene.heatmap.enabled


def test_a_level_with_its_own_right_column_keeps_it(app, registry):
    scene = open_level(app, registry, "sparse_01_window", "projector")
    scene.toggle_step_mode()
    app.step(DT, [])
    assert not scene.step_view.rect.colliderect(scene.layout.heatmap)
