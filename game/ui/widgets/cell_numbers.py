"""Numbers printed in heatmap cells, for the back of a room.

In the projector theme a colour alone is hard to read from the back row (and never
enough on its own: STYLE.md), so `Heatmap` prints each cell's value in the cell,
but only when every number fits at `READABLE_PX` or more: a room reads all of them
or none, never a few shrunk ones. The numbers are drawn once per change into a
transparent layer (`number_layer`), dark on light cells and light on dark ones.
"""

from __future__ import annotations

import numpy as np
import pygame

from game.ui.engine.text import TextCache
from game.ui.engine.theme import Theme
from game.ui.widgets.colormaps import apply, colour_table

# Logical px (the canvas is 1280×720): 14 px is 21 screen px on a 1920×1080 projector,
# about what slides use for their smallest text read from the back of a classroom.
READABLE_PX = 14
LARGEST_PX = 20  # the theme's size for this, before its own scale: never larger
DARK_INK, LIGHT_INK = (15, 15, 15), (250, 250, 250)


def short_number(value: float) -> str:
    """A weight as a room reads it: 0.42 -> ".42", 1.0 -> "1", 0.001 -> "0", 3.14 -> "3.1"."""
    if not np.isfinite(value):
        return "—"
    if abs(value) < 0.005:
        return "0"
    if abs(value) < 0.995:
        return f"{value:.2f}".replace("0.", ".", 1)
    if abs(value) < 9.95:
        return f"{value:.1f}".rstrip("0").rstrip(".")
    return f"{value:.0f}"


def numbers_wanted(theme: Theme) -> bool:
    """Numbers in the cells by default: in the projector theme."""
    return theme.name == "projector"


def number_size(
    weights: np.ndarray, cell: tuple[float, float], theme: Theme, text: TextCache
) -> int | None:
    """The largest px (at least READABLE_PX) at which every cell's number fits its cell;
    None when even READABLE_PX is too big for some cell."""
    room_w, room_h = int(cell[0]) - 6, int(cell[1]) - 2
    if room_w < READABLE_PX or room_h + 4 < READABLE_PX:  # not even one digit: no text work
        return None
    labels = {short_number(float(v)) for v in np.unique(weights)}
    for size in range(max(READABLE_PX, theme.font_px(LARGEST_PX)), READABLE_PX - 1, -1):
        images = [text.render(label, size, DARK_INK, "bold") for label in labels]
        if all(im.get_width() <= room_w and im.get_height() <= room_h + 4 for im in images):
            return size
    return None


def number_layer(
    weights: np.ndarray,
    mask: np.ndarray | None,
    layout,
    theme: Theme,
    text: TextCache,
    size: int,
) -> pygame.Surface:
    """Every unmasked cell's number over the grid (a layer the grid's size)."""
    layer = pygame.Surface(layout.grid.size, pygame.SRCALPHA)
    colours = apply(colour_table(theme.heatmap), weights)  # (n_q, n_k, 3)
    light = colours @ np.array([0.299, 0.587, 0.114]) > 140  # (n_q, n_k)
    for i in range(layout.n_q):
        for j in range(layout.n_k):
            if (mask is not None and mask[i, j]) or not np.isfinite(weights[i, j]):
                continue
            ink = DARK_INK if light[i, j] else LIGHT_INK
            image = text.render(short_number(float(weights[i, j])), size, ink, "bold")
            cell = layout.cell_rect(i, j).move(-layout.grid.left, -layout.grid.top)
            layer.blit(image, image.get_rect(center=cell.center))
    return layer
