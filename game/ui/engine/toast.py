"""Transient messages ("toasts"): a board error, a saved-progress warning, a tip.

A toast shows for `duration` seconds and fades out over the last half second;
time comes from `update(dt)`, so tests step it without a clock. Only the newest
few are shown, newest at the bottom, as one stack centred above the bottom edge
of `area` — unless that would cover a control: a toast never covers an
interactive widget (the screen passes their rects as `avoid`), so the stack
goes to the nearest free spot on the screen, narrower if it must.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

import pygame

from game.ui.engine.text import TextCache
from game.ui.engine.theme import Theme
from game.ui.widgets.base import draw_box

FADE = 0.5
MAX_SHOWN = 3
TOAST_PX = 18
GAP = 8  # px between toasts of a stack
SEARCH_STEP = 8  # px between the spots tried for a stack that must move
WIDTHS = (900, 560, 380, 290)  # wrap widths tried, widest first


@dataclass
class Toast:
    message: str
    kind: str = "info"  # "info", "error" or "good"
    left: float = 3.5  # seconds still to show


@dataclass
class Toasts:
    """The toasts currently showing."""

    items: list[Toast] = field(default_factory=list)
    drawn_at: list[pygame.Rect] = field(default_factory=list, repr=False, compare=False)
    _spots: dict = field(default_factory=dict, repr=False, compare=False)  # placement cache

    def show(self, message: str, kind: str = "info", duration: float = 3.5) -> None:
        if self.items and self.items[-1].message == message:
            self.items[-1].left = duration  # the same message again: keep one, longer
            return
        self.items.append(Toast(message, kind, duration))

    def update(self, dt: float) -> None:
        for toast in self.items:
            toast.left -= dt
        self.items = [toast for toast in self.items if toast.left > 0]

    @property
    def messages(self) -> list[str]:
        return [toast.message for toast in self.items]

    def draw(
        self,
        surface: pygame.Surface,
        area: pygame.Rect,
        theme: Theme,
        text: TextCache,
        avoid: Sequence[pygame.Rect] = (),
    ) -> None:
        """The newest toasts, stacked, where they cover nothing in `avoid`."""
        self.drawn_at = []  # where each toast went this frame (read by tests)
        shown = list(reversed(self.items[-MAX_SHOWN:]))  # newest first: the bottom one
        if not shown:
            return
        bounds = surface.get_rect()
        spot = None
        for count in range(len(shown), 0, -1):  # a crowded screen shows the newest only
            for wrap in WIDTHS:
                layers = [
                    self._layer(t, min(area.width - 80, wrap), theme, text) for t in shown[:count]
                ]
                spot = self._place(layers, area, bounds, avoid)
                if spot is not None:
                    break
            if spot is not None:
                shown = shown[:count]
                break
        if spot is None:  # nowhere is free: the newest alone, in the usual place
            shown = shown[: len(layers)]
            spot = self._stack_rect(layers, area)
        bottom = spot.bottom
        for toast, layer in zip(shown, layers, strict=True):
            box = layer.get_rect(midbottom=(spot.centerx, bottom))
            layer.set_alpha(round(255 * min(1.0, toast.left / FADE)))
            surface.blit(layer, box)
            self.drawn_at.append(box)
            bottom = box.top - GAP

    @staticmethod
    def _stack_rect(layers: list[pygame.Surface], area: pygame.Rect) -> pygame.Rect:
        width = max(layer.get_width() for layer in layers)
        height = sum(layer.get_height() for layer in layers) + GAP * (len(layers) - 1)
        rect = pygame.Rect(0, 0, width, height)
        rect.midbottom = (area.centerx, area.bottom - 16)
        return rect

    def _place(self, layers, area, bounds, avoid) -> pygame.Rect | None:
        """The stack's rect: the usual place if it is free, else the free spot nearest
        to it (cached: the same stack over the same screen goes to the same place)."""
        home = self._stack_rect(layers, area)
        # the avoided rects by hash: a screen has a hundred of them, and whole tuples of them
        # as keys held most of a long session's memory growth
        key = (home.size, tuple(area), tuple(bounds), len(avoid), hash(tuple(map(tuple, avoid))))
        if key in self._spots:
            return self._spots[key]
        blocked = [pygame.Rect(r) for r in avoid]
        best = None
        if home.collidelist(blocked) == -1 and bounds.contains(home):
            best = home
        else:
            inner = bounds.inflate(-16, -16)
            for y in range(inner.top, inner.bottom - home.height + 1, SEARCH_STEP):
                for x in range(inner.left, inner.right - home.width + 1, SEARCH_STEP):
                    spot = pygame.Rect((x, y), home.size)
                    if spot.collidelist(blocked) != -1:
                        continue
                    distance = (x - home.x) ** 2 + (y - home.y) ** 2
                    if best is None or distance < best[0]:
                        best = (distance, spot)
            best = None if best is None else best[1]
        if len(self._spots) > 16:
            self._spots.clear()
        self._spots[key] = best
        return best

    @staticmethod
    def _layer(toast: Toast, wrap: int, theme: Theme, text: TextCache) -> pygame.Surface:
        size = theme.font_px(TOAST_PX)
        lines = text.wrap(toast.message, wrap, size)
        lines = [piece for line in lines for piece in _split_long(line, wrap, size, text)]
        images = [text.render(line, size, theme.text) for line in lines if line]
        width = max(image.get_width() for image in images) + 36
        height = sum(image.get_height() for image in images) + 20
        layer = pygame.Surface((width, height), pygame.SRCALPHA)
        local = layer.get_rect()
        edge = {"error": theme.bad, "good": theme.good}.get(toast.kind, theme.accent)
        draw_box(layer, local, theme, fill=theme.panel, edge=edge, edge_width=3)
        y = 10
        for image in images:
            layer.blit(image, image.get_rect(midtop=(local.centerx, y)))
            y += image.get_height()
        return layer


def _split_long(line: str, wrap: int, size: int, text: TextCache) -> list[str]:
    """A line still wider than `wrap` (one long word: an export's folder) broken after its
    path separators, so the toast keeps to its width and finds room clear of the controls."""
    if text.size(line, size)[0] <= wrap:
        return [line]
    lines = [""]
    for part in re.split(r"(?<=[/\\])", line):  # each piece keeps its separator
        if lines[-1] and text.size(lines[-1] + part, size)[0] > wrap:
            lines.append("")
        lines[-1] += part
    return lines
