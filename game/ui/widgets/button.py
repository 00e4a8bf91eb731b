"""A push button: click (press and release inside) or Enter/Space when focused."""

from __future__ import annotations

from collections.abc import Callable

import pygame

from game.ui.engine.text import TextCache
from game.ui.engine.theme import Theme
from game.ui.widgets.base import LEFT_BUTTON, Widget, blit_centred, draw_box, fit_text, mix

LABEL_PX = 24


class Button(Widget):
    def __init__(
        self,
        rect: pygame.Rect | tuple[int, int, int, int],
        label: str,
        on_click: Callable[[], None] | None = None,
        *,
        enabled: bool = True,
        primary: bool = False,
    ):
        super().__init__(rect, enabled=enabled)
        self.label = label
        self.on_click = on_click
        self.primary = primary
        self.pressed = False  # the mouse went down on the button and has not come up yet

    def handle_mouse(self, event: pygame.event.Event) -> bool:
        inside = self.rect.collidepoint(event.pos)
        if event.type == pygame.MOUSEBUTTONDOWN and event.button == LEFT_BUTTON and inside:
            self.pressed = True
            return True
        if event.type == pygame.MOUSEBUTTONUP and event.button == LEFT_BUTTON and self.pressed:
            self.pressed = False
            if inside:
                self.activate()
            return True
        return False

    def activate(self) -> None:
        if self.enabled and self.on_click is not None:
            self.on_click()

    def draw(self, surface: pygame.Surface, theme: Theme, text: TextCache) -> None:
        if not self.enabled:
            fill, edge, ink = theme.panel, mix(theme.panel_edge, theme.panel, 0.5), theme.text_dim
        elif self.pressed:
            fill, edge, ink = mix(theme.panel, theme.accent, 0.45), theme.accent, theme.text
        elif self.hovered or self.focused:
            fill, edge, ink = mix(theme.panel, theme.accent, 0.2), theme.accent, theme.text
        else:
            fill, edge, ink = theme.panel, theme.panel_edge, theme.text
        if self.primary and self.enabled:
            edge = theme.accent
        draw_box(surface, self.rect, theme, fill=fill, edge=edge, edge_width=2)
        label = fit_text(
            text, self.label, self.rect.width - 16, theme.font_px(LABEL_PX), ink, "bold"
        )
        blit_centred(surface, label, self.rect.center)
        self.draw_focus(surface, theme)
