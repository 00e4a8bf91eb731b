"""One answer button of a quiz question: its number badge, its wrapped text, and its state.

Before the reveal a choice is plain or picked; after it the right choice is
marked in the theme's good colour with the word "Right answer", and a wrong pick
in the bad colour with "Your answer", so the result never rests on colour alone.
Clicking (or Space when focused) picks the choice through `on_pick(number)`.
"""

from __future__ import annotations

from collections.abc import Callable

import pygame

from game.ui.engine.text import TextCache
from game.ui.engine.theme import Theme
from game.ui.widgets.base import LEFT_BUTTON, Widget, blit_centred, draw_box, mix

PLAIN, PICKED, RIGHT, WRONG, OTHER = "plain", "picked", "right", "wrong", "other"


class ChoiceButton(Widget):
    def __init__(self, number: int, label: str, on_pick: Callable[[int], None]):
        super().__init__((0, 0, 1, 1))
        self.number = number  # 1-based: the key that picks it
        self.label = label
        self.on_pick = on_pick
        self.state = PLAIN
        self.text_px = 20  # set by the scene's layout: every choice shares one size
        self.lines: tuple[str, ...] = (label,)

    def padding(self, theme: Theme) -> int:
        return max(10, round(self.text_px * 0.55))

    def badge_width(self) -> int:
        return round(self.text_px * 2.2)

    def text_width(self, width: int, theme: Theme) -> int:
        """Room for the choice's words in a button `width` px wide."""
        return width - self.badge_width() - 3 * self.padding(theme) - round(self.text_px * 6)

    def wrap(self, width: int, theme: Theme, text: TextCache) -> int:
        """Wrap the label for a button `width` px wide; returns the height it needs."""
        self.lines = text.wrap(self.label, self.text_width(width, theme), self.text_px) or ("",)
        line_h = round(self.text_px * 1.25)
        return max(self.badge_width(), len(self.lines) * line_h) + 2 * self.padding(theme)

    def handle_mouse(self, event: pygame.event.Event) -> bool:
        inside = self.rect.collidepoint(event.pos)
        if event.type == pygame.MOUSEBUTTONDOWN and event.button == LEFT_BUTTON and inside:
            self.activate()
            return True
        return False

    def activate(self) -> None:
        if self.enabled:
            self.on_pick(self.number)

    def colours(self, theme: Theme) -> tuple[tuple[int, int, int], tuple[int, int, int]]:
        """(fill, edge) for the current state."""
        if self.state == RIGHT:
            return mix(theme.panel, theme.good, 0.3), theme.good
        if self.state == WRONG:
            return mix(theme.panel, theme.bad, 0.3), theme.bad
        if self.state == PICKED:
            return mix(theme.panel, theme.accent, 0.35), theme.accent
        if self.hovered and self.enabled:
            return mix(theme.panel, theme.accent, 0.12), theme.accent
        return theme.panel, theme.panel_edge

    def draw(self, surface: pygame.Surface, theme: Theme, text: TextCache) -> None:
        fill, edge = self.colours(theme)
        width = 4 if self.state in (PICKED, RIGHT, WRONG) else 2
        draw_box(surface, self.rect, theme, fill=fill, edge=edge, edge_width=width)
        pad = self.padding(theme)
        ink = theme.text_dim if self.state == OTHER else theme.text
        badge = pygame.Rect(self.rect.left + pad, 0, self.badge_width(), self.badge_width())
        badge.centery = self.rect.centery
        pygame.draw.rect(surface, edge, badge, border_radius=badge.width // 2)
        ink_on_badge = max((theme.text, theme.background), key=lambda c: _contrast(c, edge))
        number = text.render(str(self.number), self.text_px, ink_on_badge, "bold")
        blit_centred(surface, number, badge.center)
        line_h = round(self.text_px * 1.25)
        top = self.rect.centery - len(self.lines) * line_h // 2
        for k, line in enumerate(self.lines):
            image = text.render(line, self.text_px, ink)
            surface.blit(
                image, (badge.right + pad, top + k * line_h + (line_h - image.get_height()) // 2)
            )
        tag = {RIGHT: "Right answer", WRONG: "Your answer", PICKED: "Picked"}.get(self.state)
        if tag:
            colour = {RIGHT: theme.good, WRONG: theme.bad}.get(self.state, theme.accent)
            image = text.render(tag, max(12, round(self.text_px * 0.8)), colour, "bold")
            surface.blit(image, image.get_rect(midright=(self.rect.right - pad, self.rect.centery)))
        self.draw_focus(surface, theme)


def _luminance(colour: tuple[int, int, int]) -> float:
    """WCAG relative luminance of an sRGB colour."""
    channels = [c / 255 for c in colour]
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def _contrast(a: tuple[int, int, int], b: tuple[int, int, int]) -> float:
    """WCAG contrast ratio of two colours (1 to 21)."""
    light, dark = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (light + 0.05) / (dark + 0.05)
