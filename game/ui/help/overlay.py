"""The keyboard shortcut overlay: a translucent pop-up over whatever screen is open.

It is not opaque, so the screen below stays visible, dimmed. Esc, F1 or any
mouse click closes it; every other key is swallowed while it is open. The play
screen passes its own sections; the default lists the keys every screen shares;
presenter mode adds its own to every sheet. The card takes the largest text that
fits, in two columns when one would be too tall.
"""

from __future__ import annotations

from collections.abc import Sequence

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
MIN_BODY_PX = 12  # the smallest text the card shrinks to (logical px) before it overflows


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
        """The sections in `count` columns, in order, split where the rows even out."""
        if count == 1 or len(self.sections) < 2:
            return [self.sections]
        weights = [len(items) + 2 for _, items in self.sections]  # a heading is ~2 rows
        best = min(
            range(1, len(self.sections)),
            key=lambda k: max(sum(weights[:k]), sum(weights[k:])),
        )
        return [self.sections[:best], self.sections[best:]]

    def _measure(self, column: list[Section], px: dict[str, int]) -> tuple[int, int, int]:
        """(key width, action width, height) of one column of sections."""
        theme, text = self.look.theme, self.look.text
        items = [item for _, section in column for item in section]
        key_w = max(text.render(k, px["body"], theme.text, "bold").get_width() for k, _ in items)
        action_w = max(text.render(a, px["body"], theme.text).get_width() for _, a in items)
        height = len(items) * round(px["body"] * 1.5) + len(column) * round(px["head"] * 1.9)
        return key_w, action_w, height

    def _fit(self) -> tuple[dict[str, int], list[list[Section]], list[tuple[int, int, int]]]:
        """The largest text (down to MIN_BODY_PX) at which the card fits the screen, in one
        column or, when the sections are too many for one (presenter mode), two."""
        room_w, room_h = LOGICAL_SIZE[0] - 40, LOGICAL_SIZE[1] - 24
        factor = 1.0
        while True:
            px = self._sizes(factor)
            for count in (1, 2):
                columns = self._columns(count)
                sizes = [self._measure(column, px) for column in columns]
                if self._card(px, sizes)[0] <= room_w and self._card(px, sizes)[1] <= room_h:
                    return px, columns, sizes
            if px["body"] <= MIN_BODY_PX or factor <= 0.3:
                return px, columns, sizes
            factor -= 0.05

    @staticmethod
    def _card(px: dict[str, int], sizes: list[tuple[int, int, int]]) -> tuple[int, int]:
        width = sum(key_w + action_w + 120 for key_w, action_w, _ in sizes)
        chrome = round(px["title"] * 1.6) + round(px["hint"] * 2.5) + 24
        return width, chrome + max(height for _, _, height in sizes)

    def draw(self, surface: pygame.Surface) -> None:
        theme, text = self.look.theme, self.look.text
        surface.blit(self._veil, (0, 0))
        room_w, room_h = LOGICAL_SIZE[0] - 40, LOGICAL_SIZE[1] - 24
        px, columns, sizes = self._fit()
        width, height = self._card(px, sizes)
        panel = pygame.Rect(0, 0, min(room_w, width), min(room_h, height))
        panel.center = (LOGICAL_SIZE[0] // 2, LOGICAL_SIZE[1] // 2)
        draw_box(surface, panel, theme, fill=theme.panel, edge=theme.accent, edge_width=2)
        title_h = round(px["title"] * 1.6)
        title = text.render("Keyboard shortcuts", px["title"], theme.text, "bold")
        blit_centred(surface, title, (panel.centerx, panel.top + 12 + title_h // 2))
        left = panel.left
        for column, (key_w, action_w, _) in zip(columns, sizes, strict=True):
            self._draw_column(surface, column, px, left + 40, panel.top + 12 + title_h, key_w)
            left += key_w + action_w + 120
        hint = text.render("Esc, F1 or a click closes this", px["hint"], theme.text_dim)
        blit_centred(surface, hint, (panel.centerx, panel.bottom - round(px["hint"] * 1.25)))

    def _draw_column(
        self,
        surface: pygame.Surface,
        column: list[Section],
        px: dict[str, int],
        left: int,
        y: int,
        key_w: int,
    ) -> None:
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
