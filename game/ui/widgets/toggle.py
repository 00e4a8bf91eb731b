"""An on/off switch with a label: click anywhere on it, or Enter/Space when focused."""

from __future__ import annotations

from collections.abc import Callable

import pygame

from game.ui.engine.text import TextCache
from game.ui.engine.theme import Theme
from game.ui.widgets.base import LEFT_BUTTON, Widget, draw_box, fit_text, mix

LABEL_PX = 22
KNOB = (250, 250, 250)  # light in both themes, like a physical switch


class Toggle(Widget):
    def __init__(
        self,
        rect: pygame.Rect | tuple[int, int, int, int],
        label: str,
        value: bool = False,
        on_change: Callable[[bool], None] | None = None,
        *,
        enabled: bool = True,
    ):
        super().__init__(rect, enabled=enabled)
        self.label = label
        self.value = value
        self.on_change = on_change

    def handle_mouse(self, event: pygame.event.Event) -> bool:
        if (
            event.type == pygame.MOUSEBUTTONDOWN
            and event.button == LEFT_BUTTON
            and self.rect.collidepoint(event.pos)
        ):
            self.activate()
            return True
        return False

    def activate(self) -> None:
        self.set(not self.value)

    def set(self, value: bool, *, notify: bool = True) -> None:
        """Switch it; `notify=False` shows a value the model already has (no callback)."""
        if value != self.value:
            self.value = value
            if notify and self.on_change is not None:
                self.on_change(value)

    def switch_rect(self, theme: Theme) -> pygame.Rect:
        """The pill on the right of the widget; scales with the theme's text size."""
        height = min(self.rect.height - 8, theme.font_px(28))
        width = round(height * 1.9)
        rect = pygame.Rect(0, 0, width, height)
        rect.midright = (self.rect.right - 10, self.rect.centery)
        return rect

    def draw(self, surface: pygame.Surface, theme: Theme, text: TextCache) -> None:
        ink = theme.text if self.enabled else theme.text_dim
        fill = mix(theme.panel, theme.accent, 0.15) if self.hovered else theme.panel
        draw_box(surface, self.rect, theme, fill=fill, edge=theme.panel_edge, edge_width=1)
        pill = self.switch_rect(theme)
        track = theme.accent if self.value else mix(theme.panel_edge, theme.panel, 0.3)
        pygame.draw.rect(surface, track, pill, border_radius=pill.height // 2)
        pygame.draw.rect(
            surface, theme.text_dim, pill, theme.line_px(1), border_radius=pill.height // 2
        )
        knob_r = pill.height // 2 - max(3, theme.line_px(2))
        knob_x = pill.right - pill.height // 2 if self.value else pill.left + pill.height // 2
        pygame.draw.circle(surface, theme.text_dim, (knob_x, pill.centery), knob_r + 1)
        pygame.draw.circle(surface, KNOB, (knob_x, pill.centery), knob_r)
        state = text.render("On" if self.value else "Off", theme.font_px(18), ink, "bold")
        state_rect = state.get_rect(midright=(pill.left - 10, self.rect.centery))
        surface.blit(state, state_rect)
        room = state_rect.left - self.rect.left - 24
        label = fit_text(text, self.label, room, theme.font_px(LABEL_PX), ink)
        surface.blit(label, label.get_rect(midleft=(self.rect.left + 14, self.rect.centery)))
        self.draw_focus(surface, theme)
