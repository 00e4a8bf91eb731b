"""A log-log plot: curves, lines and points on axes labelled with powers of ten.

Made for the scaling chapter (loss against compute, loss against model size)
and reusable by any level or plugin screen: give it the x and y ranges, then
`draw` it with a list of `Series` (a curve through points, or marked points).
Straight power laws are straight lines here. Ticks sit on powers of ten
(10^17, 10^19, …, thinned to fit); a y range inside one decade gets ticks at
round values instead, so a loss axis from 1.8 to 4 still reads.

Not a focusable widget: it only draws (its data comes in with each `draw`).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import pygame

from game.ui.engine.text import TextCache
from game.ui.engine.theme import Colour, Theme
from game.ui.widgets.base import clipped, draw_box, fit_text, mix


@dataclass(frozen=True)
class Series:
    """What to draw: a line through `points` or, with `marker`, dots at them."""

    label: str
    points: Sequence[tuple[float, float]]  # (x, y), both > 0
    colour: Colour
    marker: bool = False
    width: int = 2
    dashed: bool = False


@dataclass(frozen=True)
class Axes:
    """The ranges shown (both > 0) and the axes' names."""

    x_low: float
    x_high: float
    y_low: float
    y_high: float
    x_title: str
    y_title: str


def power_label(exponent: float) -> str:
    """10^21 as "10^21" (a fractional power keeps one decimal); drawn raised by
    `render_label`, since not every font has superscript digits."""
    return f"10^{exponent:.0f}" if float(exponent).is_integer() else f"10^{exponent:.1f}"


def render_label(text: TextCache, label: str, size: int, colour: Colour) -> pygame.Surface:
    """A tick label; "10^k" becomes 10 with k smaller and raised."""
    if not label.startswith("10^"):
        return text.render(label, size, colour)
    base = text.render("10", size, colour)
    power = text.render(label[3:], max(8, round(size * 0.72)), colour)
    rise = round(size * 0.35)
    image = pygame.Surface(
        (base.get_width() + power.get_width() + 1, base.get_height() + rise), pygame.SRCALPHA
    )
    image.blit(base, (0, rise))
    image.blit(power, (base.get_width() + 1, 0))
    return image


def ticks(low: float, high: float, most: int) -> list[tuple[float, str]]:
    """Tick values and labels: powers of ten (every k-th to keep at most `most`),
    or, inside one decade, a few round values."""
    first, last = math.ceil(math.log10(low) - 1e-9), math.floor(math.log10(high) + 1e-9)
    if last - first >= 1:
        every = max(1, math.ceil((last - first + 1) / most))
        return [(10.0**e, power_label(e)) for e in range(first, last + 1) if e % every == 0]
    step = 10 ** math.floor(math.log10(high - low)) / 2
    start = math.ceil(low / step) * step
    values = [start + k * step for k in range(int((high - start) / step) + 1)]
    every = max(1, math.ceil(len(values) / most))
    return [(v, f"{v:g}") for v in values[::every]]


class LogLogPlot:
    """Axes in a rect; `to_screen` maps data to pixels; `draw` paints series and legend."""

    def __init__(self, axes: Axes):
        self.axes = axes
        self.rect = pygame.Rect(0, 0, 1, 1)
        self.frame = pygame.Rect(0, 0, 1, 1)

    def layout(self, rect: pygame.Rect, theme: Theme) -> None:
        """The plot's box; the frame inside leaves room for tick labels and titles."""
        self.rect = pygame.Rect(rect)
        size = theme.font_px(12)
        left = round(size * 4.2)
        bottom = round(size * 3.0)
        top = round(size * 1.6)
        self.frame = pygame.Rect(
            rect.left + left, rect.top + top, rect.width - left - 10, rect.height - top - bottom
        )

    def to_screen(self, x: float, y: float) -> tuple[int, int]:
        a, f = self.axes, self.frame
        tx = (math.log10(x) - math.log10(a.x_low)) / (math.log10(a.x_high) - math.log10(a.x_low))
        ty = (math.log10(y) - math.log10(a.y_low)) / (math.log10(a.y_high) - math.log10(a.y_low))
        return round(f.left + tx * f.width), round(f.bottom - ty * f.height)

    def contains(self, x: float, y: float) -> bool:
        a = self.axes
        return a.x_low <= x <= a.x_high and a.y_low <= y <= a.y_high

    def draw(
        self, surface: pygame.Surface, series: Sequence[Series], theme: Theme, text: TextCache
    ) -> None:
        draw_box(surface, self.rect, theme, fill=theme.panel, edge=theme.panel_edge, edge_width=1)
        self._draw_axes(surface, theme, text)
        with clipped(surface, self.frame.inflate(8, 8)):
            for one in series:
                self._draw_series(surface, one, theme)
        self._draw_legend(surface, series, theme, text)

    def _draw_axes(self, surface: pygame.Surface, theme: Theme, text: TextCache) -> None:
        a, f = self.axes, self.frame
        size = theme.font_px(12)
        grid = mix(theme.panel, theme.text_dim, 0.25)
        for value, label in ticks(a.x_low, a.x_high, max(2, f.width // (size * 4))):
            x, _ = self.to_screen(value, a.y_low)
            pygame.draw.line(surface, grid, (x, f.top), (x, f.bottom))
            image = render_label(text, label, size, theme.text_dim)
            surface.blit(image, image.get_rect(midtop=(x, f.bottom + 2)))
        for value, label in ticks(a.y_low, a.y_high, max(2, f.height // (size * 2))):
            _, y = self.to_screen(a.x_low, value)
            pygame.draw.line(surface, grid, (f.left, y), (f.right, y))
            image = render_label(text, label, size, theme.text_dim)
            surface.blit(image, image.get_rect(midright=(f.left - 4, y)))
        pygame.draw.rect(surface, theme.panel_edge, f, 1)
        x_title = fit_text(text, a.x_title, f.width, size, theme.text)
        surface.blit(x_title, x_title.get_rect(midbottom=(f.centerx, self.rect.bottom - 3)))
        y_title = fit_text(text, a.y_title, self.rect.width - 16, size, theme.text)
        surface.blit(y_title, (self.rect.left + 6, self.rect.top + 3))

    def _draw_series(self, surface: pygame.Surface, one: Series, theme: Theme) -> None:
        points = [self.to_screen(x, y) for x, y in one.points if x > 0 and y > 0]
        width = theme.line_px(one.width)
        if one.marker:
            for p in points:
                pygame.draw.circle(surface, theme.background, p, width + 6)
                pygame.draw.circle(surface, one.colour, p, width + 4)
            return
        if len(points) < 2:
            return
        if not one.dashed:
            pygame.draw.lines(surface, one.colour, False, points, width)
            return
        for k in range(0, len(points) - 1, 2):
            pygame.draw.line(surface, one.colour, points[k], points[k + 1], width)

    def _draw_legend(
        self, surface: pygame.Surface, series: Sequence[Series], theme: Theme, text: TextCache
    ) -> None:
        size = theme.font_px(12)
        line = round(size * 1.3)
        x, y = self.frame.right - 6, self.frame.top + 4
        for one in series:
            if not one.label:
                continue
            image = text.render(one.label, size, theme.text)
            box = image.get_rect(topright=(x, y))
            pygame.draw.rect(surface, theme.panel, box.inflate(22, 2))
            surface.blit(image, box)
            pygame.draw.line(
                surface, one.colour, (box.left - 16, box.centery), (box.left - 4, box.centery), 3
            )
            y += line
