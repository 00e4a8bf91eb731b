"""The keyboard shortcut overlay: a translucent pop-up over whatever screen is open.

It is not opaque, so the screen below stays visible, dimmed. Esc, F1 or any
mouse click closes it; every other key is swallowed while it is open. The play
screen passes its own sections; the default lists the keys every screen shares.
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

    def _height(self, px: dict[str, int]) -> int:
        rows = sum(len(items) for _, items in self.sections)
        return (
            round(px["title"] * 1.6)
            + rows * round(px["body"] * 1.5)
            + len(self.sections) * round(px["head"] * 1.9)
            + round(px["hint"] * 2.5)
            + 24
        )

    def draw(self, surface: pygame.Surface) -> None:
        theme, text = self.look.theme, self.look.text
        surface.blit(self._veil, (0, 0))
        room_w, room_h = LOGICAL_SIZE[0] - 40, LOGICAL_SIZE[1] - 24
        factor = 1.0
        while True:  # big text sizes: shrink the whole card until it fits the screen
            px = self._sizes(factor)
            keys = [key for _, items in self.sections for key, _ in items]
            actions = [action for _, items in self.sections for _, action in items]
            key_w = max(text.render(k, px["body"], theme.text, "bold").get_width() for k in keys)
            action_w = max(text.render(a, px["body"], theme.text).get_width() for a in actions)
            width, height = key_w + action_w + 120, self._height(px)
            if (width <= room_w and height <= room_h) or factor <= 0.5:
                break
            factor -= 0.05
        line_h, head_h = round(px["body"] * 1.5), round(px["head"] * 1.9)
        panel = pygame.Rect(0, 0, min(room_w, width), min(room_h, height))
        panel.center = (LOGICAL_SIZE[0] // 2, LOGICAL_SIZE[1] // 2)
        draw_box(surface, panel, theme, fill=theme.panel, edge=theme.accent, edge_width=2)
        title_h = round(px["title"] * 1.6)
        title = text.render("Keyboard shortcuts", px["title"], theme.text, "bold")
        blit_centred(surface, title, (panel.centerx, panel.top + 12 + title_h // 2))
        y = panel.top + 12 + title_h
        key_right = panel.left + 40 + key_w
        for name, items in self.sections:
            head = text.render(name, px["head"], theme.accent, "bold")
            surface.blit(head, head.get_rect(midleft=(panel.left + 40, y + head_h // 2)))
            y += head_h
            for key, action in items:
                image = text.render(key, px["body"], theme.text, "bold")
                surface.blit(image, image.get_rect(midright=(key_right, y + line_h // 2)))
                label = text.render(action, px["body"], theme.text)
                surface.blit(label, label.get_rect(midleft=(key_right + 40, y + line_h // 2)))
                y += line_h
        hint = text.render("Esc, F1 or a click closes this", px["hint"], theme.text_dim)
        blit_centred(surface, hint, (panel.centerx, panel.bottom - round(px["hint"] * 1.25)))
