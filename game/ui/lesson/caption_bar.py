"""The teacher's caption bar: what to say at this step, "step 3 of 12", and ◀ ▶.

It sits at the top of the screen, above the play screen (which lays out below
it, so Undo, Redo and Steps stay in reach), and grows down when a caption needs
more lines; the text shrinks a little before it grows, and a caption too long even
for four lines ends in "…" (a test holds the shipped lessons to fitting).
"""

from __future__ import annotations

from dataclasses import dataclass

import pygame

from game.ui.engine.text import TextCache
from game.ui.engine.theme import Theme
from game.ui.widgets.base import blit_centred, draw_box, fit_text

ARROW_W = 56  # the ◀ and ▶ buttons
SIDE_W = 170  # the lesson title and "step k of n" beside the ▶
MAX_LINES = 4


def caption_lines(
    caption: str, width: int, theme: Theme, text: TextCache
) -> tuple[tuple[str, ...], int, bool]:
    """(lines, text size, cut short): two lines if the text may shrink for it (the bar
    then covers least of the board), else three, else four at a smaller size; past
    that the fourth line ends in "…"."""
    floor = max(9, theme.font_px(11))
    for most, smallest in ((2, theme.font_px(12)), (3, theme.font_px(12)), (MAX_LINES, floor)):
        for size in range(theme.font_px(17), max(smallest, floor) - 1, -1):
            lines = text.wrap(caption, width, size)
            if len(lines) <= most:
                return lines, size, False
    lines = text.wrap(caption, width, floor)
    return (*lines[: MAX_LINES - 1], lines[MAX_LINES - 1] + " …"), floor, True


@dataclass(frozen=True)
class CaptionBar:
    """Where the bar and its buttons go, and the caption's lines at their size."""

    rect: pygame.Rect
    back: pygame.Rect
    forward: pygame.Rect
    text_rect: pygame.Rect
    lines: tuple[str, ...]
    size: int

    @classmethod
    def fit(cls, caption: str, width: int, min_h: int, theme: Theme, text: TextCache) -> CaptionBar:
        inner_w = width - 2 * ARROW_W - SIDE_W - 40
        lines, size, _ = caption_lines(caption, inner_w, theme, text)
        line_h = round(size * 1.25)
        height = max(min_h, len(lines) * line_h + 16)
        rect = pygame.Rect(0, 0, width, height)
        back = pygame.Rect(8, 8, ARROW_W - 8, height - 16)
        forward = pygame.Rect(width - ARROW_W, 8, ARROW_W - 8, height - 16)
        text_rect = pygame.Rect(back.right + 16, 8, inner_w, height - 16)
        return cls(rect, back, forward, text_rect, lines, size)

    def draw(
        self, surface: pygame.Surface, title: str, position: str, theme: Theme, text: TextCache
    ) -> None:
        pygame.draw.rect(surface, theme.panel, self.rect)
        pygame.draw.line(
            surface, theme.accent, self.rect.bottomleft, self.rect.bottomright, theme.line_px(3)
        )
        for rect, arrow in ((self.back, "◀"), (self.forward, "▶")):
            draw_box(surface, rect, theme, fill=theme.background, edge=theme.panel_edge)
            blit_centred(surface, text.render(arrow, theme.font_px(20), theme.text), rect.center)
        line_h = round(self.size * 1.25)
        top = self.text_rect.centery - len(self.lines) * line_h // 2
        for k, line in enumerate(self.lines):
            image = fit_text(text, line, self.text_rect.width, self.size, theme.text)
            surface.blit(image, (self.text_rect.left, top + k * line_h))
        side = pygame.Rect(self.text_rect.right + 12, 8, SIDE_W, self.rect.height - 16)
        small = theme.font_px(13)
        name = fit_text(text, title, side.width, small, theme.text_dim)
        count = fit_text(text, position, side.width, theme.font_px(16), theme.accent, "bold")
        surface.blit(count, count.get_rect(topright=(side.right, side.centery - 2)))
        surface.blit(name, name.get_rect(bottomright=(side.right, side.centery - 2)))
