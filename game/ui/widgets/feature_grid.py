"""The sandbox's word × feature grid: which preset features each typed word starts with.

Words down, features across; the sandbox screen owns the words and the features
each has, and the grid calls `on_toggle(word, feature)` when a cell is clicked
or toggled with the keyboard. Drawing never changes it.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence

import pygame

from game.ui.engine.text import TextCache
from game.ui.engine.theme import Theme
from game.ui.widgets.base import LEFT_BUTTON, Widget, blit_centred, draw_box, fit_text


class FeatureGrid(Widget):
    """Words down, features across; a filled cell means the word has that feature.

    Click a cell, or move with the arrows and press Space (Enter is Start). ↑ on the first
    row and ↓ on the last leave the grid (the focus group moves on). The wheel
    scrolls a grid taller than its box.
    """

    def __init__(
        self,
        rect: pygame.Rect | tuple[int, int, int, int],
        features: Sequence[str],
        on_toggle: Callable[[str, str], None],
    ):
        super().__init__(rect)
        self.features = list(features)
        self.on_toggle = on_toggle
        self.words: list[str] = []
        self.on: Mapping[str, set[str]] = {}
        self.row = self.col = 0
        self.scroll = 0
        self.row_px = 28  # set by the scene's layout, from the theme
        self.footer_px = 18  # the "1–13 of 25 words" line under a list that scrolls; ditto

    def set_words(self, words: Sequence[str], on: Mapping[str, set[str]]) -> None:
        self.words, self.on = list(words), on
        self.row = min(self.row, max(0, len(self.words) - 1))
        self._keep_visible()

    # -- geometry ------------------------------------------------------------------
    def header_rect(self) -> pygame.Rect:
        return pygame.Rect(self.rect.left, self.rect.top, self.rect.width, self.row_px + 6)

    def word_width(self) -> int:
        return round(self.rect.width * 0.34)

    def visible_rows(self) -> int:
        room = self.rect.height - self.header_rect().height - 4
        if len(self.words) > room // self.row_px:  # it scrolls: leave room for the count
            room -= self.footer_px
        return max(1, room // self.row_px)

    def cell_rect(self, row: int, col: int) -> pygame.Rect:
        left = self.rect.left + self.word_width()
        width = (self.rect.width - self.word_width()) // max(1, len(self.features))
        top = self.header_rect().bottom + 2 + (row - self.scroll) * self.row_px
        return pygame.Rect(left + col * width, top, width, self.row_px)

    def cell_at(self, pos: tuple[int, int]) -> tuple[int, int] | None:
        for row in range(self.scroll, min(len(self.words), self.scroll + self.visible_rows())):
            for col in range(len(self.features)):
                if self.cell_rect(row, col).collidepoint(pos):
                    return row, col
        return None

    def _keep_visible(self) -> None:
        shown = self.visible_rows()
        most = max(0, len(self.words) - shown)
        if self.row < self.scroll:
            self.scroll = self.row
        elif self.row >= self.scroll + shown:
            self.scroll = self.row - shown + 1
        self.scroll = min(max(0, self.scroll), most)

    # -- input ---------------------------------------------------------------------
    def toggle(self, row: int, col: int) -> None:
        if 0 <= row < len(self.words) and 0 <= col < len(self.features):
            self.on_toggle(self.words[row], self.features[col])

    def handle_wheel(self, event: pygame.event.Event, pos: tuple[int, int] | None) -> bool:
        if pos is None or not self.rect.collidepoint(pos):
            return False
        most = max(0, len(self.words) - self.visible_rows())
        self.scroll = min(most, max(0, self.scroll - (1 if event.y > 0 else -1)))
        self.row = min(max(self.row, self.scroll), self.scroll + self.visible_rows() - 1)
        return True

    def handle_mouse(self, event: pygame.event.Event) -> bool:
        if event.type == pygame.MOUSEBUTTONDOWN and event.button == LEFT_BUTTON:
            cell = self.cell_at(event.pos)
            if cell is not None:
                self.row, self.col = cell
                self.toggle(*cell)
                return True
            return self.rect.collidepoint(event.pos)
        return False

    def handle_key(self, event: pygame.event.Event) -> bool:
        key = event.key
        if key == pygame.K_UP and self.row > 0:
            self.row -= 1
        elif key == pygame.K_DOWN and self.row < len(self.words) - 1:
            self.row += 1
        elif key == pygame.K_LEFT:
            self.col = max(0, self.col - 1)
        elif key == pygame.K_RIGHT:
            self.col = min(len(self.features) - 1, self.col + 1)
        elif key == pygame.K_SPACE and self.words:  # Enter is left for Start
            self.toggle(self.row, self.col)
        else:
            return False
        self._keep_visible()
        return True

    # -- drawing -------------------------------------------------------------------
    def draw(self, surface: pygame.Surface, theme: Theme, text: TextCache) -> None:
        draw_box(surface, self.rect, theme, fill=theme.panel, edge=theme.panel_edge, edge_width=1)
        size = min(theme.font_px(16), self.row_px - 6)
        header = self.header_rect()
        for col, feature in enumerate(self.features):
            cell = self.cell_rect(0, col)
            image = fit_text(text, feature, cell.width - 4, size, theme.text_dim, "bold", 8)
            blit_centred(surface, image, (cell.centerx, header.centery))
        words_title = fit_text(text, "word", self.word_width() - 12, size, theme.text_dim, "bold")
        surface.blit(
            words_title, words_title.get_rect(midleft=(self.rect.left + 10, header.centery))
        )
        pygame.draw.line(
            surface, theme.panel_edge, (self.rect.left + 6, header.bottom),
            (self.rect.right - 6, header.bottom), theme.line_px(1),
        )  # fmt: skip
        last = min(len(self.words), self.scroll + self.visible_rows())
        for row in range(self.scroll, last):
            word = self.words[row]
            cell0 = self.cell_rect(row, 0)
            ink = theme.text if row != self.row or not self.focused else theme.focus
            image = fit_text(text, word, self.word_width() - 16, size, ink, min_size=8)
            surface.blit(image, image.get_rect(midleft=(self.rect.left + 10, cell0.centery)))
            has = self.on.get(word, set())
            for col, feature in enumerate(self.features):
                self._draw_cell(surface, theme, row, col, feature in has)
        if not self.words:
            note = fit_text(text, "Type a sentence to fill the grid.", self.rect.width - 20,
                            size, theme.text_dim)  # fmt: skip
            blit_centred(surface, note, self.rect.center)
        if len(self.words) > self.visible_rows():
            note = text.render(
                f"{self.scroll + 1}–{last} of {len(self.words)} words (wheel scrolls)",
                theme.font_px(12), theme.text_dim,
            )  # fmt: skip
            surface.blit(
                note, note.get_rect(bottomright=(self.rect.right - 8, self.rect.bottom - 2))
            )
        self.draw_focus(surface, theme)

    def _draw_cell(self, surface: pygame.Surface, theme: Theme, row: int, col: int, on: bool):
        cell = self.cell_rect(row, col)
        side = max(8, min(cell.width, cell.height) - 8)
        box = pygame.Rect(0, 0, side, side)
        box.center = cell.center
        cursor = self.focused and (row, col) == (self.row, self.col)
        fill = theme.accent if on else theme.background
        edge = theme.focus if cursor else (fill if on else theme.panel_edge)
        pygame.draw.rect(surface, fill, box, border_radius=4)
        pygame.draw.rect(surface, edge, box, theme.line_px(3 if cursor else 1), border_radius=4)


__all__ = ["FeatureGrid"]
