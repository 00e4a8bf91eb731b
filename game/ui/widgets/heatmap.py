"""The attention heatmap: an (n_q, n_k) weight matrix as coloured cells, rows = queries.

Colours come from the theme's colour map through `colormaps.apply` for the whole
matrix at once and reach the surface through `pygame.surfarray`; no Python loop
runs per cell. The rendered grid is cached and rebuilt only when the `revision`
passed to `set_data` changes (or the theme or size does), so a board that
redraws every frame pays for the matrix only when the model changed.

Masked cells (causal "no peeking", padding) are hatched on a neutral ground, so
they never read as a weight of zero. Geometry is a pure function of the rect,
the matrix shape and whether there are labels (`HeatmapLayout`), so `cell_at`
answers before anything is drawn and never depends on the theme.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np
import pygame

from game.ui.engine.text import TextCache
from game.ui.engine.theme import Colour, Theme
from game.ui.widgets.base import ACTIVATE_KEYS, LEFT_BUTTON, Widget, fit_text, mix
from game.ui.widgets.cell_numbers import number_layer, number_size, numbers_wanted
from game.ui.widgets.colormaps import apply, colour_table

GRID_MIN_CELL = 12  # px: below this, lines between cells would hide the colours
LABEL_MIN_CELL = 14  # px: below this, token words cannot be read beside their cells
LABEL_MARGIN = 120  # px: the most room labels take on the left and on top
HATCH_PERIOD = 6  # px between the diagonal hatch lines of masked cells
HATCH_WIDTH = 2
LABEL_PX = 16

Cell = tuple[int, int]


def _ceil_div(a: int, b: int) -> int:
    return -(-a // b)


@dataclass(frozen=True)
class HeatmapLayout:
    """Where the grid and the labels go. Cell j of a row spans x from
    `grid.left + ceil(j·W/n_k)` up to (not including) the next boundary; rows likewise.
    With room enough the cells are square and W = cell·n_k exactly."""

    grid: pygame.Rect
    n_q: int
    n_k: int
    label_margin_left: int
    label_margin_top: int

    @classmethod
    def fit(
        cls, rect: pygame.Rect, n_q: int, n_k: int, labelled: bool, square: bool = True
    ) -> HeatmapLayout:
        """`square=False` lets cells be wider than tall (step mode: room for numbers)."""
        rect = pygame.Rect(rect)
        left = top = 0
        if labelled:
            left, top = min(LABEL_MARGIN, rect.width // 5), min(LABEL_MARGIN, rect.height // 5)
            if min((rect.width - left) // n_k, (rect.height - top) // n_q) < LABEL_MIN_CELL:
                left = top = 0  # too many tokens for words to fit: the grid takes it all
        avail_w, avail_h = rect.width - left, rect.height - top
        cell = min(avail_w // n_k, avail_h // n_q)
        if cell >= 1 and not square:
            width, height = avail_w // n_k * n_k, avail_h // n_q * n_q
        elif cell >= 1:
            width, height = cell * n_k, cell * n_q
        else:  # more cells than pixels: cells share pixels, nearest wins
            width, height = avail_w, avail_h
        x = rect.left + (rect.width - (left + width)) // 2 + left
        y = rect.top + (rect.height - (top + height)) // 2 + top
        return cls(pygame.Rect(x, y, width, height), n_q, n_k, left, top)

    @property
    def cell_size(self) -> tuple[float, float]:
        return self.grid.width / self.n_k, self.grid.height / self.n_q

    def col_edge(self, j: int) -> int:
        return self.grid.left + _ceil_div(j * self.grid.width, self.n_k)

    def row_edge(self, i: int) -> int:
        return self.grid.top + _ceil_div(i * self.grid.height, self.n_q)

    def cell_rect(self, i: int, j: int) -> pygame.Rect:
        x0, x1 = self.col_edge(j), self.col_edge(j + 1)
        y0, y1 = self.row_edge(i), self.row_edge(i + 1)
        return pygame.Rect(x0, y0, x1 - x0, y1 - y0)

    def cell_at(self, pos: tuple[float, float]) -> Cell | None:
        x, y = int(pos[0]) - self.grid.left, int(pos[1]) - self.grid.top
        if not (0 <= x < self.grid.width and 0 <= y < self.grid.height):
            return None
        return y * self.n_q // self.grid.height, x * self.n_k // self.grid.width

    def pixel_cells(self) -> tuple[np.ndarray, np.ndarray]:
        """Row index of every pixel row and column index of every pixel column."""
        rows = np.arange(self.grid.height) * self.n_q // self.grid.height
        cols = np.arange(self.grid.width) * self.n_k // self.grid.width
        return rows, cols


def masked_colours(theme: Theme) -> tuple[Colour, Colour]:
    """(ground, hatch) of masked cells: neutral, and unlike any colour-map colour."""
    return theme.panel, mix(theme.panel, theme.text_dim, 0.55)


def render_grid(
    weights: np.ndarray,
    mask: np.ndarray | None,
    layout: HeatmapLayout,
    theme: Theme,
) -> pygame.Surface:
    """The grid as an opaque surface the size of `layout.grid` (vectorised, no cell loop)."""
    colours = apply(colour_table(theme.heatmap), weights)  # (n_q, n_k, 3)
    colours[~np.isfinite(weights)] = theme.panel  # NaN/∞: no colour; `draw` puts "—" there
    whole = layout.grid.width % layout.n_k == 0 and layout.grid.height % layout.n_q == 0
    if whole and (mask is None or not mask.any()):
        return _scaled_grid(colours, layout, theme)
    return _pixel_grid(colours, mask, layout, theme)


def _pixel_grid(
    colours: np.ndarray, mask: np.ndarray | None, layout: HeatmapLayout, theme: Theme
) -> pygame.Surface:
    """`render_grid` pixel by pixel (in NumPy): any cell size, masked cells hatched."""
    rows, cols = layout.pixel_cells()
    pixels = colours[rows][:, cols]  # (H, W, 3)
    if mask is not None and mask.any():
        hidden, hatched = _hatch(layout.grid.size, layout.n_q, layout.n_k, mask.tobytes(),
                                 masked_colours(theme))  # fmt: skip
        np.copyto(pixels, hatched, where=hidden[:, :, None])  # (H, W, 3)
    cell_w, cell_h = layout.cell_size
    if min(cell_w, cell_h) >= GRID_MIN_CELL:
        width = theme.line_px(1)
        for j in range(1, layout.n_k):
            x = layout.col_edge(j) - layout.grid.left
            pixels[:, x : x + width] = theme.background
        for i in range(1, layout.n_q):
            y = layout.row_edge(i) - layout.grid.top
            pixels[y : y + width, :] = theme.background
    return pygame.surfarray.make_surface(np.ascontiguousarray(pixels.transpose(1, 0, 2)))


@functools.lru_cache(maxsize=8)
def _hatch(
    size: tuple[int, int], n_q: int, n_k: int, mask: bytes, colours: tuple
) -> tuple[np.ndarray, np.ndarray]:
    """(H, W) the masked pixels and (H, W, 3) their hatching, for one grid size and mask:
    the mask is the same from edit to edit (only the weights change), so this is
    drawn once instead of on every edit (it was half of a causal level's redraw)."""
    layout = HeatmapLayout(pygame.Rect((0, 0), size), n_q, n_k, 0, 0)
    rows, cols = layout.pixel_cells()
    cells = np.frombuffer(mask, dtype=bool).reshape(n_q, n_k)
    hidden = cells[rows][:, cols]  # (H, W)
    ys, xs = np.indices(hidden.shape)
    lines = (xs + ys) % HATCH_PERIOD < HATCH_WIDTH  # (H, W)
    ground, hatch = colours
    hatched = np.empty((*hidden.shape, 3), dtype=np.uint8)  # (H, W, 3)
    hatched[...] = ground
    hatched[lines] = hatch
    return hidden, hatched


def _scaled_grid(colours: np.ndarray, layout: HeatmapLayout, theme: Theme) -> pygame.Surface:
    """`render_grid` for whole-pixel cells and no mask: one pixel per cell, scaled up
    nearest-neighbour by pygame, then the grid lines. The same picture as the per-pixel
    path at a fraction of the cost (it was a quarter of the edit-to-redraw time)."""
    small = pygame.surfarray.make_surface(np.ascontiguousarray(colours.transpose(1, 0, 2)))
    grid = pygame.transform.scale(small, layout.grid.size)  # (n_k, n_q) -> (W, H)
    cell_w, cell_h = layout.cell_size
    if min(cell_w, cell_h) >= GRID_MIN_CELL:
        width = theme.line_px(1)
        for j in range(1, layout.n_k):
            x = layout.col_edge(j) - layout.grid.left
            grid.fill(theme.background, (x, 0, width, layout.grid.height))
        for i in range(1, layout.n_q):
            y = layout.row_edge(i) - layout.grid.top
            grid.fill(theme.background, (0, y, layout.grid.width, width))
    return grid


class Heatmap(Widget):
    """The heatmap as a focusable widget: hover shows a cell, a click or Enter picks it.

    `on_select(i, j)` fires for a click on a cell or Enter/Space on the focused cell
    (the play screen opens the math inspector there); arrows move the focused cell.
    """

    def __init__(
        self,
        rect: pygame.Rect | tuple[int, int, int, int],
        on_select: Callable[[int, int], None] | None = None,
    ):
        super().__init__(rect)
        self.on_select = on_select
        self.weights = np.zeros((1, 1))
        self.mask: np.ndarray | None = None
        self.row_labels: list[str] = []
        self.col_labels: list[str] = []
        self.revision: object = None
        self.hover: Cell | None = None
        self.cursor: Cell | None = None  # the keyboard's cell, shown while focused
        self.square = True  # False: cells as wide as the rect allows (numbers fit)
        # numbers in the cells: True, False, or None for "in the projector theme, where they
        # fit" (the play and results screens); off by default, so a bare grid is colour only
        self.numbers: bool | None = False
        self._numbers: tuple[tuple, pygame.Surface | None] | None = None  # (key, layer)
        self.layout = HeatmapLayout.fit(self.rect, 1, 1, False)
        self.renders = 0  # how many times the grid was really rendered (tests, stats)
        self._cache_key: tuple | None = None
        self._cache: pygame.Surface | None = None
        self._rotated: dict[tuple, pygame.Surface] = {}

    def set_data(
        self,
        weights: np.ndarray,
        *,
        revision: object,
        mask: np.ndarray | None = None,
        row_labels: Sequence[str] | None = None,
        col_labels: Sequence[str] | None = None,
    ) -> None:
        """New matrix when `revision` differs from the last one; otherwise nothing happens,
        so calling this every frame is cheap. Arrays are copied: the caller may reuse theirs."""
        if revision == self.revision and self._cache_key is not None:
            return
        weights = np.asarray(weights, dtype=np.float64)
        if weights.ndim != 2 or 0 in weights.shape:
            raise ValueError(f"heatmap weights must be a non-empty 2-D array, got {weights.shape}")
        if mask is not None:
            mask = np.asarray(mask, dtype=bool)
            if mask.shape != weights.shape:
                raise ValueError(f"mask shape {mask.shape} differs from weights {weights.shape}")
        self.weights, self.revision = weights.copy(), revision
        self.mask = None if mask is None else mask.copy()
        self.row_labels = list(row_labels or [])
        self.col_labels = list(col_labels or [])
        self._relayout()
        self._cache_key = None  # new data: render on the next draw

    def set_rect(self, rect: pygame.Rect | tuple[int, int, int, int]) -> None:
        self.rect = pygame.Rect(rect)
        self._relayout()

    def _relayout(self) -> None:
        n_q, n_k = self.weights.shape
        self.layout = HeatmapLayout.fit(
            self.rect, n_q, n_k, bool(self.row_labels or self.col_labels), self.square
        )
        for name in ("hover", "cursor"):
            cell = getattr(self, name)
            if cell is not None:
                setattr(self, name, (min(cell[0], n_q - 1), min(cell[1], n_k - 1)))

    def cell_at(self, pos: tuple[float, float]) -> Cell | None:
        return self.layout.cell_at(pos)

    def cell_rect(self, i: int, j: int) -> pygame.Rect:
        return self.layout.cell_rect(i, j)

    # input
    def handle_mouse(self, event: pygame.event.Event) -> bool:
        cell = self.cell_at(event.pos)
        if event.type == pygame.MOUSEMOTION:
            self.hover = cell
            return False
        if event.type == pygame.MOUSEBUTTONDOWN and event.button == LEFT_BUTTON and cell:
            self.cursor = cell
            if self.on_select is not None:
                self.on_select(*cell)
            return True
        return False

    def handle_key(self, event: pygame.event.Event) -> bool:
        n_q, n_k = self.weights.shape
        i, j = self.cursor if self.cursor is not None else (0, 0)
        moves = {
            pygame.K_LEFT: (0, -1),
            pygame.K_RIGHT: (0, 1),
            pygame.K_UP: (-1, 0),
            pygame.K_DOWN: (1, 0),
        }
        if event.key in moves:
            if self.cursor is not None:
                di, dj = moves[event.key]
                i, j = min(max(0, i + di), n_q - 1), min(max(0, j + dj), n_k - 1)
            self.cursor = (i, j)
            return True
        if event.key in ACTIVATE_KEYS:
            self.cursor = (i, j)
            if self.on_select is not None:
                self.on_select(i, j)
            return True
        return False

    # drawing
    def grid_surface(self, theme: Theme) -> pygame.Surface:
        """The cached grid, rendered again only when revision, theme or size changed."""
        key = (self.revision, theme, self.layout)
        if key != self._cache_key or self._cache is None:
            self._cache = render_grid(self.weights, self.mask, self.layout, theme)
            self._cache_key = key
            self.renders += 1
        return self._cache

    def draw(self, surface: pygame.Surface, theme: Theme, text: TextCache) -> None:
        layout = self.layout
        surface.blit(self.grid_surface(theme), layout.grid)
        self._draw_not_finite(surface, theme, text)
        numbers = self.number_layer(theme, text)
        if numbers is not None:
            surface.blit(numbers, layout.grid)
        self._draw_labels(surface, theme, text)
        outline = theme.line_px(2)
        if self.hover is not None:
            pygame.draw.rect(
                surface, theme.text, self.cell_rect(*self.hover).inflate(2, 2), outline
            )
        if self.focused and self.cursor is not None:
            pygame.draw.rect(
                surface,
                theme.focus,
                self.cell_rect(*self.cursor).inflate(2 * outline, 2 * outline),
                outline + 1,
            )
        if self.focused:
            self.draw_focus(surface, theme)

    def number_px(self, theme: Theme, text: TextCache) -> int | None:
        """The px the cells' numbers are printed at; None when they are not (another
        theme, or cells too small for a readable size: cell_numbers.py)."""
        wanted = numbers_wanted(theme) if self.numbers is None else self.numbers
        if not wanted:
            return None
        return number_size(self.weights, self.layout.cell_size, theme, text)

    def number_layer(self, theme: Theme, text: TextCache) -> pygame.Surface | None:
        """The cells' numbers, drawn once per change of data, theme or size."""
        key = (self.revision, theme, self.layout, self.numbers)
        if self._numbers is None or self._numbers[0] != key:
            size = self.number_px(theme, text)
            layer = None if size is None else number_layer(
                self.weights, self.mask, self.layout, theme, text, size
            )  # fmt: skip
            self._numbers = (key, layer)
        return self._numbers[1]

    def _draw_not_finite(self, surface: pygame.Surface, theme: Theme, text: TextCache) -> None:
        """A "—" in each cell whose weight is NaN or infinite (where cells are big enough)."""
        bad = np.argwhere(~np.isfinite(self.weights))  # (m, 2)
        size = self._label_size(theme)
        if len(bad) == 0 or size < 8:
            return
        dash = text.render("—", size, theme.text)
        for i, j in bad[:4096]:  # a whole board of NaN still draws in one frame
            surface.blit(dash, dash.get_rect(center=self.cell_rect(int(i), int(j)).center))

    def _label_size(self, theme: Theme) -> int:
        cell = min(self.layout.cell_size)
        return min(theme.font_px(LABEL_PX), int(cell * 0.8))

    def _draw_labels(self, surface: pygame.Surface, theme: Theme, text: TextCache) -> None:
        layout = self.layout
        size = self._label_size(theme)
        if size < 9 or not (layout.label_margin_left or layout.label_margin_top):
            return
        if layout.label_margin_left:
            for i, word in enumerate(self.row_labels[: layout.n_q]):
                image = fit_text(
                    text, word, layout.label_margin_left - 8, size, theme.text, min_size=9
                )
                row = self.cell_rect(i, 0)
                surface.blit(image, image.get_rect(midright=(layout.grid.left - 6, row.centery)))
        if layout.label_margin_top and self.col_labels:
            labels = self.col_labels[: layout.n_k]
            widths = [text.render(word, size, theme.text).get_width() for word in labels]
            upright = max(widths) <= min(layout.cell_size) - 4
            for j, word in enumerate(labels):
                col = self.cell_rect(0, j)
                if upright:
                    image = text.render(word, size, theme.text)
                else:
                    image = self._rotated_label(
                        text, word, size, theme.text, layout.label_margin_top - 8
                    )
                surface.blit(image, image.get_rect(midbottom=(col.centerx, layout.grid.top - 6)))

    def _rotated_label(
        self, text: TextCache, word: str, size: int, colour: Colour, room: int
    ) -> pygame.Surface:
        key = (word, size, colour, room)
        image = self._rotated.get(key)
        if image is None:
            flat = fit_text(text, word, room, size, colour, min_size=9)
            image = pygame.transform.rotate(flat, 90)  # reads bottom to top
            if len(self._rotated) > 512:
                self._rotated.clear()
            self._rotated[key] = image
        return image
