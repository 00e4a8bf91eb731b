"""The heatmap: exact colours at cell centres, exact cell boundaries, masked cells that
cannot pass for zero, labels only when they fit, and a cache keyed by revision."""

import time

import numpy as np
import pygame
import pytest

from game.ui.engine.text import TextCache
from game.ui.engine.theme import NORMAL, PROJECTOR
from game.ui.widgets.colormaps import apply, colour_table
from game.ui.widgets.heatmap import Heatmap, HeatmapLayout, masked_colours

BACKDROP = (255, 0, 255)  # a colour neither map nor theme uses


@pytest.fixture(scope="module")
def text():
    pygame.font.init()
    return TextCache()


def rgb(surface, x, y):
    return tuple(surface.get_at((x, y))[:3])


def drawn(heatmap, theme, text, size=(640, 480)):
    surface = pygame.Surface(size)
    surface.fill(BACKDROP)
    heatmap.draw(surface, theme, text)
    return surface


@pytest.mark.parametrize("theme", [NORMAL, PROJECTOR])
def test_cell_centres_have_exactly_the_colour_map_colour(theme, text):
    weights = np.array([[0.0, 0.1, 0.5, 1.0], [0.25, 0.75, 0.33, 0.9], [0.05, 0.6, 0.45, 0.0]])
    heatmap = Heatmap((10, 20, 400, 300))
    heatmap.set_data(weights, revision=1)
    assert heatmap.layout.grid == pygame.Rect(10, 20, 400, 300)  # 100 px square cells
    surface = drawn(heatmap, theme, text)
    expected = apply(colour_table(theme.heatmap), weights)
    for i in range(3):
        for j in range(4):
            centre = (10 + 100 * j + 50, 20 + 100 * i + 50)
            assert heatmap.cell_at(centre) == (i, j)
            assert rgb(surface, *centre) == tuple(expected[i, j])
    # lines between big cells, in the background colour, on each boundary
    assert rgb(surface, 110, 70) == theme.background and rgb(surface, 60, 120) == theme.background
    assert rgb(surface, 9, 70) == BACKDROP and rgb(surface, 410, 70) == BACKDROP


def test_cell_boundaries_are_exact(text):
    n_q, n_k = 5, 7
    weights = np.arange(n_q * n_k, dtype=float).reshape(n_q, n_k) / (n_q * n_k - 1)
    heatmap = Heatmap((3, 4, 75, 53))  # 10 px cells (no grid lines), centred in the rect
    heatmap.set_data(weights, revision="a")
    layout = heatmap.layout
    assert layout.grid == pygame.Rect(5, 5, 70, 50)
    surface = drawn(heatmap, NORMAL, text)
    colours = apply(colour_table(NORMAL.heatmap), weights)
    for i in range(n_q):
        for j in range(n_k):
            rect = heatmap.cell_rect(i, j)
            assert rect == pygame.Rect(5 + 10 * j, 5 + 10 * i, 10, 10)
            for x, y in [rect.topleft, (rect.right - 1, rect.bottom - 1)]:
                assert rgb(surface, x, y) == tuple(colours[i, j])
                assert heatmap.cell_at((x, y)) == (i, j)
    assert rgb(surface, 4, 10) == BACKDROP and rgb(surface, 75, 10) == BACKDROP
    assert heatmap.cell_at((4, 10)) is None and heatmap.cell_at((75, 54)) is None


def test_more_cells_than_pixels_still_covers_the_grid_consistently():
    layout = HeatmapLayout.fit(pygame.Rect(0, 0, 200, 100), 256, 256, False)
    assert layout.grid.size == (200, 100)  # cells share pixels; nearest cell wins
    assert layout.cell_at((0, 0)) == (0, 0)
    assert layout.cell_at((199, 99)) == (99 * 256 // 100, 199 * 256 // 200)
    for j in range(256):  # cell_rect and cell_at agree wherever a cell owns a pixel
        rect = layout.cell_rect(0, j)
        if rect.width:
            assert layout.cell_at((rect.left, 0)) == (0, j)
            assert layout.cell_at((rect.right - 1, 0)) == (0, j)


def test_masked_cells_are_hatched_and_unlike_zero_weight(text):
    weights = np.zeros((4, 4))
    mask = np.triu(np.ones((4, 4), dtype=bool), k=1)  # causal: no peeking ahead
    for theme in (NORMAL, PROJECTOR):
        heatmap = Heatmap((0, 0, 240, 240))
        heatmap.set_data(weights, mask=mask, revision=0)
        surface = drawn(heatmap, theme, text)
        zero = tuple(colour_table(theme.heatmap)[0])
        ground, hatch = masked_colours(theme)
        assert len({zero, ground, hatch}) == 3
        for i in range(4):
            for j in range(4):
                rect = heatmap.cell_rect(i, j).inflate(-6, -6)
                seen = {
                    rgb(surface, x, y)
                    for x in range(rect.left, rect.right)
                    for y in (rect.centery,)
                }
                if mask[i, j]:
                    assert seen == {ground, hatch}
                else:
                    assert seen == {zero}


def test_render_happens_only_when_revision_theme_or_size_changes(text):
    heatmap = Heatmap((0, 0, 300, 300))
    weights = np.random.default_rng(0).random((6, 6))
    heatmap.set_data(weights, revision=1)
    surface = pygame.Surface((300, 300))
    for _ in range(5):
        heatmap.draw(surface, NORMAL, text)
        heatmap.set_data(weights * 0, revision=1)  # same revision: ignored
    assert heatmap.renders == 1
    heatmap.set_data(weights * 0, revision=2)
    heatmap.draw(surface, NORMAL, text)
    heatmap.draw(surface, NORMAL, text)
    assert heatmap.renders == 2
    heatmap.draw(surface, PROJECTOR, text)
    assert heatmap.renders == 3
    heatmap.set_rect((0, 0, 200, 200))
    heatmap.draw(surface, PROJECTOR, text)
    assert heatmap.renders == 4


def test_large_matrices_render_fast_and_cover_the_rect(text):
    weights = np.random.default_rng(1).random((256, 256))
    heatmap = Heatmap((0, 0, 600, 600))
    heatmap.set_data(weights, revision=0)
    started = time.perf_counter()
    surface = drawn(heatmap, NORMAL, text, (600, 600))
    assert time.perf_counter() - started < 0.5  # vectorised, not 65,536 Python-level cells
    assert heatmap.layout.grid == pygame.Rect(44, 44, 512, 512)  # 2 px cells
    assert heatmap.cell_at((44, 44)) == (0, 0) and heatmap.cell_at((555, 555)) == (255, 255)
    expected = apply(colour_table(NORMAL.heatmap), weights)
    assert rgb(surface, 44 + 2 * 17, 44 + 2 * 200) == tuple(expected[200, 17])


def ink_in(surface, rect, colour):
    return any(
        rgb(surface, x, y) == colour
        for x in range(rect.left, rect.right)
        for y in range(rect.top, rect.bottom)
    )


def test_token_labels_only_when_they_fit(text):
    words = ["The", "trophy", "did", "not", "fit", "suitcase"]
    weights = np.eye(6)
    heatmap = Heatmap((0, 0, 600, 600))
    heatmap.set_data(weights, revision=0, row_labels=words, col_labels=words)
    layout = heatmap.layout
    assert layout.label_margin_left > 0 and layout.grid.left >= layout.label_margin_left
    surface = drawn(heatmap, NORMAL, text, (600, 600))
    assert ink_in(surface, pygame.Rect(0, layout.grid.top, layout.grid.left, 60), NORMAL.text)
    assert ink_in(surface, pygame.Rect(layout.grid.left, 0, 90, layout.grid.top), NORMAL.text)
    many = [f"w{i}" for i in range(64)]
    heatmap.set_data(np.eye(64), revision=1, row_labels=many, col_labels=many)
    assert heatmap.layout.label_margin_left == 0  # 64 rows of words would not fit
    surface = drawn(heatmap, NORMAL, text, (600, 600))
    assert not ink_in(surface, pygame.Rect(0, 0, heatmap.layout.grid.left, 600), NORMAL.text)


def test_hover_click_and_keyboard_pick_cells():
    picked = []
    heatmap = Heatmap((0, 0, 300, 300), on_select=lambda i, j: picked.append((i, j)))
    heatmap.set_data(np.zeros((3, 3)), revision=0)
    heatmap.handle(
        pygame.event.Event(pygame.MOUSEMOTION, pos=(150, 250), rel=(0, 0), buttons=(0, 0, 0))
    )
    assert heatmap.hover == (2, 1)
    heatmap.handle(pygame.event.Event(pygame.MOUSEBUTTONDOWN, pos=(250, 50), button=1))
    assert picked == [(0, 2)] and heatmap.cursor == (0, 2)
    heatmap.focused = True
    for k in (pygame.K_RIGHT, pygame.K_DOWN, pygame.K_DOWN, pygame.K_DOWN, pygame.K_LEFT):
        assert heatmap.handle(pygame.event.Event(pygame.KEYDOWN, key=k, mod=0))
    heatmap.handle(pygame.event.Event(pygame.KEYDOWN, key=pygame.K_RETURN, mod=0))
    assert picked == [(0, 2), (2, 1)]
    heatmap.set_data(np.zeros((2, 2)), revision=1)  # smaller matrix: cells clamped inside
    assert heatmap.cursor == (1, 1) and heatmap.hover == (1, 1)


def test_drawing_does_not_change_the_heatmap(text):
    heatmap = Heatmap((0, 0, 300, 300))
    heatmap.set_data(np.full((4, 4), 0.5), revision=7, row_labels=list("abcd"))
    heatmap.hover, heatmap.cursor, heatmap.focused = (1, 2), (3, 3), True
    before = (
        heatmap.hover,
        heatmap.cursor,
        heatmap.revision,
        heatmap.weights.copy(),
        heatmap.layout,
    )
    drawn(heatmap, PROJECTOR, text, (300, 300))
    after = (heatmap.hover, heatmap.cursor, heatmap.revision, heatmap.weights, heatmap.layout)
    assert before[:3] == after[:3] and np.array_equal(before[3], after[3]) and before[4] == after[4]


def test_bad_shapes_are_named():
    heatmap = Heatmap((0, 0, 100, 100))
    with pytest.raises(ValueError, match="2-D"):
        heatmap.set_data(np.zeros(3), revision=0)
    with pytest.raises(ValueError, match="mask shape"):
        heatmap.set_data(np.zeros((2, 2)), mask=np.zeros((3, 3), bool), revision=0)


@pytest.mark.parametrize(
    "n_q, n_k, size", [(3, 4, (300, 200)), (13, 13, (520, 520)), (32, 32, (400, 300))]
)
@pytest.mark.parametrize("theme", [NORMAL, PROJECTOR], ids=["normal", "projector"])
def test_the_scaled_fast_path_draws_the_same_pixels_as_the_per_pixel_path(theme, n_q, n_k, size):
    """render_grid scales a one-pixel-per-cell picture when cells are whole pixels and
    nothing is masked: exactly the picture of the per-pixel path, grid lines included."""
    from game.ui.widgets.heatmap import _pixel_grid, _scaled_grid

    weights = np.random.default_rng(n_q * n_k).random((n_q, n_k))
    layout = HeatmapLayout.fit(pygame.Rect((0, 0), size), n_q, n_k, labelled=True)
    assert layout.grid.width % n_k == 0 and layout.grid.height % n_q == 0
    colours = apply(colour_table(theme.heatmap), weights)
    fast = pygame.surfarray.array3d(_scaled_grid(colours, layout, theme))
    slow = pygame.surfarray.array3d(_pixel_grid(colours, None, layout, theme))
    assert fast.shape == slow.shape == (*layout.grid.size, 3)
    assert np.array_equal(fast, slow)
