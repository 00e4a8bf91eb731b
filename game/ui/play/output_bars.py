"""Output feature bars: for each query token, how much of each feature its output carries.

One row per query, one bar per feature in the feature's colour (negative
amounts in the theme's "bad" colour, drawn leftwards from the cell's middle
line). The scale is shared by all rows, at least 1, so a bar of full width
means "carries the whole feature". A value that is not finite (a plugin's NaN
that got this far) is drawn as "—" in its cell, never as a bar.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pygame

from game.ui.engine.text import TextCache
from game.ui.engine.theme import Theme
from game.ui.play.board_view import feature_colour
from game.ui.widgets.base import clipped, draw_box, fit_text, mix

TITLE_PX = 15
LABEL_PX = 13
NOT_A_NUMBER = "—"  # drawn where a value is NaN or infinite


def draw_output_bars(
    surface: pygame.Surface,
    rect: pygame.Rect,
    outputs: np.ndarray,
    words: Sequence[str],
    features: Sequence[str],
    theme: Theme,
    text: TextCache,
) -> None:
    """The panel of output bars in `rect`, never drawing outside it (a short panel, beside
    knobs or a pattern strip, shows the rows that fit)."""
    with clipped(surface, rect):
        _draw_panel(surface, rect, outputs, words, features, theme, text)


def _draw_panel(
    surface: pygame.Surface,
    rect: pygame.Rect,
    outputs: np.ndarray,
    words: Sequence[str],
    features: Sequence[str],
    theme: Theme,
    text: TextCache,
) -> None:
    draw_box(surface, rect, theme, fill=theme.panel, edge=theme.panel_edge, edge_width=1)
    inner = rect.inflate(-16, -12)
    title = text.render("Output at each query", theme.font_px(TITLE_PX), theme.text, "bold")
    surface.blit(title, inner.topleft)
    y = inner.top + title.get_height() + 4
    # the legend: feature names in their colours, wrapped onto as many lines as needed
    small = theme.font_px(LABEL_PX)
    x = inner.left
    line_h = round(small * 1.35)
    for f, name in enumerate(features):
        image = text.render(name, small, theme.text)
        if x + image.get_width() + 16 > inner.right and x > inner.left:
            x, y = inner.left, y + line_h
        pygame.draw.rect(surface, feature_colour(theme, f), (x, y + line_h // 2 - 4, 8, 8))
        surface.blit(image, (x + 11, y + (line_h - image.get_height()) // 2))
        x += image.get_width() + 22
    y += line_h + 4
    outputs = np.atleast_2d(np.asarray(outputs, dtype=np.float64))
    n, d = outputs.shape
    if n == 0 or d == 0:
        return
    finite = np.isfinite(outputs)  # (n, d)
    scale = max(1.0, float(np.abs(outputs[finite]).max(initial=0.0)))
    label_w = min(90, inner.width // 4)
    row_h = max(4, min(24, (inner.bottom - y) // n))
    size = min(small, max(8, row_h - 3))
    cell_w = (inner.width - label_w - 6) / d
    for i in range(n):
        top = y + i * row_h
        if row_h >= 9 and i < len(words):
            image = fit_text(text, words[i], label_w - 4, size, theme.text_dim, min_size=8)
            surface.blit(image, image.get_rect(midright=(inner.left + label_w, top + row_h // 2)))
        for f in range(d):
            cell = pygame.Rect(
                round(inner.left + label_w + 6 + f * cell_w), top + 1,
                max(1, round(cell_w) - 3), max(1, row_h - 2),
            )  # fmt: skip
            pygame.draw.rect(surface, mix(theme.panel, theme.background, 0.6), cell)
            if not finite[i, f]:
                dash = text.render(NOT_A_NUMBER, size, theme.text_dim)
                surface.blit(dash, dash.get_rect(center=cell.center))
                continue
            amount = float(outputs[i, f]) / scale
            width = round(abs(amount) * cell.width)
            if width:
                bar = pygame.Rect(cell.left, cell.top, width, cell.height)
                colour = feature_colour(theme, f) if amount > 0 else theme.bad
                pygame.draw.rect(surface, colour, bar)
