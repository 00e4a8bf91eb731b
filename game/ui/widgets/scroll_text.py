"""A block of wrapped text that scrolls: for explanations longer than their box.

The wheel scrolls it while the pointer is over it; focused, ↑/↓ scroll a line
(handing the key back to the focus group at either end, so the focus moves on)
and PageUp/PageDown a page. A fade at the bottom edge says there is more.
"""

from __future__ import annotations

import pygame

from game.ui.engine.text import TextCache
from game.ui.engine.theme import Theme
from game.ui.widgets.base import Widget, clipped, mix

BODY_PX = 15


class ScrollText(Widget):
    def __init__(self, rect: pygame.Rect | tuple[int, int, int, int], body: str):
        super().__init__(rect)
        self.body = body
        self.offset = 0  # lines scrolled
        self.lines: tuple[str, ...] = ()
        self.line_h = 20
        self.mouse_pos: tuple[int, int] | None = None

    def relayout(self, theme: Theme, text: TextCache) -> None:
        size = theme.font_px(BODY_PX)
        self.lines = text.wrap(self.body, self.rect.width - 12, size)
        self.line_h = round(size * 1.3)
        self.offset = min(self.offset, self.max_offset)

    @property
    def visible_lines(self) -> int:
        return max(1, (self.rect.height - 8) // max(1, self.line_h))

    @property
    def max_offset(self) -> int:
        return max(0, len(self.lines) - self.visible_lines)

    def scroll(self, lines: int) -> bool:
        new = min(self.max_offset, max(0, self.offset + lines))
        moved = new != self.offset
        self.offset = new
        return moved

    def handle_wheel(self, event: pygame.event.Event) -> bool:
        if self.mouse_pos is None or not self.rect.collidepoint(self.mouse_pos):
            return False
        self.scroll(-2 * (1 if event.y > 0 else -1))
        return True

    def handle_mouse(self, event: pygame.event.Event) -> bool:
        if event.type == pygame.MOUSEMOTION:
            self.mouse_pos = event.pos
        return False

    def handle_key(self, event: pygame.event.Event) -> bool:
        if event.key == pygame.K_DOWN:
            return self.scroll(1)
        if event.key == pygame.K_UP:
            return self.scroll(-1)
        if event.key == pygame.K_PAGEDOWN:
            self.scroll(self.visible_lines - 1)
            return True
        if event.key == pygame.K_PAGEUP:
            self.scroll(-(self.visible_lines - 1))
            return True
        return False

    def draw(self, surface: pygame.Surface, theme: Theme, text: TextCache) -> None:
        size = theme.font_px(BODY_PX)
        with clipped(surface, self.rect):
            y = self.rect.top + 4
            shown = self.lines[self.offset : self.offset + self.visible_lines]
            for line in shown:
                if line:
                    surface.blit(text.render(line, size, theme.text), (self.rect.left + 6, y))
                y += self.line_h
        if self.offset < self.max_offset:  # "more below": an arrow drawn as a triangle
            x, bottom = self.rect.right - 12, self.rect.bottom - 4
            pygame.draw.polygon(
                surface, theme.accent, [(x - 6, bottom - 8), (x + 6, bottom - 8), (x, bottom)]
            )
        if self.offset > 0:
            x, top = self.rect.right - 12, self.rect.top + 2
            pygame.draw.polygon(
                surface, theme.accent, [(x - 6, top + 8), (x + 6, top + 8), (x, top)]
            )
        if self.focused:
            pygame.draw.rect(
                surface,
                mix(theme.focus, theme.panel, 0.2),
                self.rect,
                theme.line_px(2),
                border_radius=4,
            )
