"""A row of tabs, exactly one selected: for modes and short choice lists.

Click a tab, or with the bar focused use ←/→ (Home/End). The selection is an
index into `labels`; `on_change(index)` reports a new selection.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import pygame

from game.ui.engine.text import TextCache
from game.ui.engine.theme import Theme
from game.ui.widgets.base import LEFT_BUTTON, Widget, blit_centred, fit_text, mix, radius

LABEL_PX = 20


class TabBar(Widget):
    def __init__(
        self,
        rect: pygame.Rect | tuple[int, int, int, int],
        labels: Sequence[str],
        selected: int = 0,
        on_change: Callable[[int], None] | None = None,
        *,
        enabled: bool = True,
    ):
        super().__init__(rect, enabled=enabled)
        if not labels:
            raise ValueError("a tab bar needs at least one tab")
        self.labels = list(labels)
        self.selected = min(max(0, selected), len(self.labels) - 1)
        self.on_change = on_change
        self.hovered_tab: int | None = None

    def tab_rect(self, index: int) -> pygame.Rect:
        """Tabs share the width equally; the last one takes the rounding remainder."""
        n = len(self.labels)
        left = self.rect.left + self.rect.width * index // n
        right = self.rect.left + self.rect.width * (index + 1) // n
        return pygame.Rect(left, self.rect.top, right - left, self.rect.height)

    def tab_at(self, pos: tuple[int, int]) -> int | None:
        if not self.rect.collidepoint(pos):
            return None
        return min(
            len(self.labels) - 1, (pos[0] - self.rect.left) * len(self.labels) // self.rect.width
        )

    def select(self, index: int, *, notify: bool = True) -> None:
        """Select a tab; `notify=False` shows a choice the model already has (no callback)."""
        index = min(max(0, index), len(self.labels) - 1)
        if index != self.selected:
            self.selected = index
            if notify and self.on_change is not None:
                self.on_change(index)

    def handle_mouse(self, event: pygame.event.Event) -> bool:
        tab = self.tab_at(event.pos)
        if event.type == pygame.MOUSEMOTION:
            self.hovered_tab = tab
            return False
        if event.type == pygame.MOUSEBUTTONDOWN and event.button == LEFT_BUTTON and tab is not None:
            self.select(tab)
            return True
        return False

    def handle_key(self, event: pygame.event.Event) -> bool:
        if event.key == pygame.K_LEFT:
            self.select(self.selected - 1)
        elif event.key == pygame.K_RIGHT:
            self.select(self.selected + 1)
        elif event.key == pygame.K_HOME:
            self.select(0)
        elif event.key == pygame.K_END:
            self.select(len(self.labels) - 1)
        else:
            return False
        return True

    def draw(self, surface: pygame.Surface, theme: Theme, text: TextCache) -> None:
        r = radius(theme)
        pygame.draw.rect(surface, theme.panel, self.rect, border_radius=r)
        size = theme.font_px(LABEL_PX)
        for index, label in enumerate(self.labels):
            rect = self.tab_rect(index).inflate(-6, -6)
            chosen = index == self.selected
            if chosen:
                pygame.draw.rect(surface, theme.accent, rect, border_radius=r)
                ink = theme.background
            else:
                if index == self.hovered_tab and self.hovered:
                    pygame.draw.rect(
                        surface, mix(theme.panel, theme.accent, 0.2), rect, border_radius=r
                    )
                ink = theme.text if self.enabled else theme.text_dim
            image = fit_text(
                text, label, rect.width - 12, size, ink, "bold" if chosen else "regular"
            )
            blit_centred(surface, image, rect.center)
        pygame.draw.rect(surface, theme.panel_edge, self.rect, theme.line_px(2), border_radius=r)
        self.draw_focus(surface, theme)
