"""Transient messages ("toasts"): a board error, a saved-progress warning, a tip.

A toast shows for `duration` seconds and fades out over the last half second;
time comes from `update(dt)`, so tests step it without a clock. Only the newest
few are shown, newest at the bottom, centred above the bottom edge of `area`.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pygame

from game.ui.engine.text import TextCache
from game.ui.engine.theme import Theme
from game.ui.widgets.base import draw_box

FADE = 0.5
MAX_SHOWN = 3
TOAST_PX = 18


@dataclass
class Toast:
    message: str
    kind: str = "info"  # "info", "error" or "good"
    left: float = 3.5  # seconds still to show


@dataclass
class Toasts:
    """The toasts currently showing."""

    items: list[Toast] = field(default_factory=list)

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
        self, surface: pygame.Surface, area: pygame.Rect, theme: Theme, text: TextCache
    ) -> None:
        size = theme.font_px(TOAST_PX)
        bottom = area.bottom - 16
        for toast in reversed(self.items[-MAX_SHOWN:]):
            lines = text.wrap(toast.message, min(area.width - 80, 900), size)
            images = [text.render(line, size, theme.text) for line in lines if line]
            width = max(image.get_width() for image in images) + 36
            height = sum(image.get_height() for image in images) + 20
            box = pygame.Rect(0, 0, width, height)
            box.midbottom = (area.centerx, bottom)
            edge = {"error": theme.bad, "good": theme.good}.get(toast.kind, theme.accent)
            layer = pygame.Surface(box.size, pygame.SRCALPHA)
            local = layer.get_rect()
            draw_box(layer, local, theme, fill=theme.panel, edge=edge, edge_width=3)
            y = 10
            for image in images:
                layer.blit(image, image.get_rect(midtop=(local.centerx, y)))
                y += image.get_height()
            layer.set_alpha(round(255 * min(1.0, toast.left / FADE)))
            surface.blit(layer, box)
            bottom = box.top - 8
