"""The keyboard shortcut overlay: a translucent pop-up over whatever screen is open.

It is not opaque, so the screen below stays visible, dimmed. Esc, F1 or any
mouse click closes it; every other key is swallowed while it is open. The play
screen passes its own sections; the default lists the keys every screen shares;
presenter mode adds its own to every sheet. The card takes the largest text that
fits, in two columns when one would be too tall.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import pygame

from game.ui.engine.display import LOGICAL_SIZE
from game.ui.engine.look import Look
from game.ui.engine.scene_stack import Scene
from game.ui.widgets.base import blit_centred, draw_box

Section = tuple[str, Sequence[tuple[str, str]]]

# The bundled font has no arrow glyphs, so keys are named in words.
COMMON_SHORTCUTS: tuple[Section, ...] = (
    (
        "Every screen",
        (
            ("Tab / Shift+Tab", "Move to the next / previous control"),
            ("Up / Down", "Move through a list of controls"),
            ("Enter or Space", "Press the focused button or switch"),
            ("Left / Right", "Change the focused slider or tabs"),
            ("Shift+Left / Right", "Change a slider in fine steps"),
            ("Home / End", "Slider or tabs to the first / last value"),
        ),
    ),
    (
        "Window",
        (
            ("F1", "Show or hide this help"),
            ("F11", "Full screen on / off"),
            ("Esc", "Back, or close this pop-up"),
        ),
    ),
)

CLOSE_KEYS = (pygame.K_ESCAPE, pygame.K_F1)
VEIL_ALPHA = 170
MIN_FACTOR = 0.3  # the card's text shrinks no further
COLUMN_GAP = 60


class HelpOverlay(Scene):
    opaque = False

    def __init__(self, look: Look, sections: Sequence[Section] = COMMON_SHORTCUTS):
        self.look = look
        # presenter mode adds its keys to every screen's sheet
        presenter = getattr(look, "presenter", None)
        self.sections = list(sections) + list(getattr(presenter, "shortcuts", ()))
        self._veil = pygame.Surface(LOGICAL_SIZE, pygame.SRCALPHA)
        self._veil.fill((0, 0, 0, VEIL_ALPHA))

    def close(self) -> None:
        if self.stack.top is self:
            self.stack.pop()

    def handle(self, event: pygame.event.Event) -> None:
        if event.type == pygame.KEYDOWN and event.key in CLOSE_KEYS:
            self.close()
        elif event.type == pygame.MOUSEBUTTONDOWN:
            self.close()

    def _sizes(self, factor: float) -> dict[str, int]:
        theme = self.look.theme
        return {
            "body": round(theme.font_px(20) * factor),
            "head": round(theme.font_px(24) * factor),
            "title": round(theme.font_px(34) * factor),
            "hint": round(theme.font_px(18) * factor),
        }

    def _columns(self, count: int) -> list[list[Section]]:
        """The sections in `count` columns (1 or 2), split where the rows balance best."""
        if count == 1 or len(self.sections) < 2:
            return [self.sections]
        rows = [len(items) + 2 for _, items in self.sections]  # a heading is about two rows
        split = min(range(1, len(rows)), key=lambda k: max(sum(rows[:k]), sum(rows[k:])))
        return [self.sections[:split], self.sections[split:]]

    def _measure(self, columns: list[list[Section]], factor: float) -> Card:
        text, px = self.look.text, self._sizes(factor)
        key_ws, col_ws, heights = [], [], []
        for column in columns:
            keys = [key for _, items in column for key, _ in items]
            actions = [action for _, items in column for _, action in items]
            key_ws.append(max(text.size(k, px["body"], "bold")[0] for k in keys))
            col_ws.append(key_ws[-1] + 40 + max(text.size(a, px["body"])[0] for a in actions))
            rows = sum(len(items) for _, items in column)
            heights.append(rows * round(px["body"] * 1.5) + len(column) * round(px["head"] * 1.9))
        width = sum(col_ws) + COLUMN_GAP * (len(columns) - 1) + 80
        height = round(px["title"] * 1.6) + max(heights) + round(px["hint"] * 2.5) + 24
        return Card(px, columns, key_ws, col_ws, width, height)

    def card(self) -> Card:
        """The card's text sizes, columns and size: the largest text at which the card fits
        the screen, in one column or (when that lets the text stay bigger) two, shrinking
        by 5% steps down to MIN_FACTOR."""
        room_w, room_h = LOGICAL_SIZE[0] - 40, LOGICAL_SIZE[1] - 24
        layouts = [self._columns(1), self._columns(2)]
        factor = 1.0
        while True:
            for columns in layouts:
                card = self._measure(columns, factor)
                if (card.width <= room_w and card.height <= room_h) or factor <= MIN_FACTOR:
                    return card
            factor = max(MIN_FACTOR, factor - 0.05)

    def draw(self, surface: pygame.Surface) -> None:
        theme, text = self.look.theme, self.look.text
        surface.blit(self._veil, (0, 0))
        room_w, room_h = LOGICAL_SIZE[0] - 40, LOGICAL_SIZE[1] - 24
        card = self.card()
        px = card.px
        panel = pygame.Rect(0, 0, min(room_w, card.width), min(room_h, card.height))
        panel.center = (LOGICAL_SIZE[0] // 2, LOGICAL_SIZE[1] // 2)
        draw_box(surface, panel, theme, fill=theme.panel, edge=theme.accent, edge_width=2)
        title_h = round(px["title"] * 1.6)
        title = text.render("Keyboard shortcuts", px["title"], theme.text, "bold")
        blit_centred(surface, title, (panel.centerx, panel.top + 12 + title_h // 2))
        left = panel.left + 40
        for column, key_w, col_w in zip(card.columns, card.key_ws, card.col_ws, strict=True):
            self._draw_column(surface, column, left, panel.top + 12 + title_h, key_w, px)
            left += col_w + COLUMN_GAP
        hint = text.render("Esc, F1 or a click closes this", px["hint"], theme.text_dim)
        blit_centred(surface, hint, (panel.centerx, panel.bottom - round(px["hint"] * 1.25)))

    def _draw_column(
        self, surface: pygame.Surface, column: list[Section], left: int, y: int, key_w: int,
        px: dict[str, int],
    ) -> None:  # fmt: skip
        theme, text = self.look.theme, self.look.text
        line_h, head_h = round(px["body"] * 1.5), round(px["head"] * 1.9)
        key_right = left + key_w
        for name, items in column:
            head = text.render(name, px["head"], theme.accent, "bold")
            surface.blit(head, head.get_rect(midleft=(left, y + head_h // 2)))
            y += head_h
            for key, action in items:
                image = text.render(key, px["body"], theme.text, "bold")
                surface.blit(image, image.get_rect(midright=(key_right, y + line_h // 2)))
                label = text.render(action, px["body"], theme.text)
                surface.blit(label, label.get_rect(midleft=(key_right + 40, y + line_h // 2)))
                y += line_h


@dataclass(frozen=True)
class Card:
    """The help card's measured layout (`HelpOverlay.card`)."""

    px: dict[str, int]  # text sizes: body, head, title, hint
    columns: list[list[Section]]
    key_ws: list[int]  # each column's key width
    col_ws: list[int]  # each column's width (keys, gap, actions)
    width: int
    height: int
