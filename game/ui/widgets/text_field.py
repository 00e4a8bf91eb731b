"""A one-line text field: typed text arrives as TEXTINPUT events at the caret.

The caret moves with ←/→ (a word at a time with Ctrl), Home and End, or a
click; Backspace and Delete remove the character before or after it (a word
with Ctrl). Text longer than the box scrolls so that the caret stays in view.
While focused the field swallows the key presses that make text (letters,
Space), so they never reach the scene's shortcuts; ↑/↓, Tab, Enter and Esc
are left to the focus group and the scene.
"""

from __future__ import annotations

from collections.abc import Callable

import pygame

from game.ui.engine.text import TextCache
from game.ui.engine.theme import Theme
from game.ui.widgets.base import LEFT_BUTTON, Widget, draw_box, fit_text, mix, mods

LABEL_PX = 16
TEXT_PX = 22
PASSED_KEYS = (
    pygame.K_TAB,
    pygame.K_UP,
    pygame.K_DOWN,
    pygame.K_RETURN,
    pygame.K_KP_ENTER,
    pygame.K_ESCAPE,
    pygame.K_F1,
    pygame.K_F11,
)


class TextField(Widget):
    def __init__(
        self,
        rect: pygame.Rect | tuple[int, int, int, int],
        label: str,
        value: str = "",
        on_change: Callable[[str], None] | None = None,
        *,
        max_length: int = 200,
        enabled: bool = True,
    ):
        super().__init__(rect, enabled=enabled)
        self.label = label
        self.max_length = max_length
        self.value = value[:max_length]
        self.caret = len(self.value)  # an index into value: the gap where typing goes
        self.on_change = on_change
        self._boundaries: list[tuple[int, int]] = []  # (index, x) of each drawn gap
        self.all_selected = False  # Ctrl+A: the next typing, Backspace or Delete replaces all

    def set_value(self, value: str, *, notify: bool = True) -> None:
        """Replace the text; the caret goes to its end."""
        self._replace(value, len(value), notify=notify)

    def _replace(self, value: str, caret: int, *, notify: bool = True) -> None:
        value = value[: self.max_length]
        self.caret = max(0, min(caret, len(value)))
        if value != self.value:
            self.value = value
            if notify and self.on_change is not None:
                self.on_change(value)

    def insert(self, typed: str) -> bool:
        """Typed text (a TEXTINPUT event's `text`) at the caret; control characters are dropped."""
        if not self.enabled:
            return False
        clean = "".join(ch for ch in typed if ch.isprintable())
        if clean and self.all_selected:  # typing over a Ctrl+A selection replaces it
            self.all_selected = False
            self._replace("", 0, notify=False)
        clean = clean[: max(0, self.max_length - len(self.value))]
        if clean:
            value = self.value[: self.caret] + clean + self.value[self.caret :]
            self._replace(value, self.caret + len(clean))
        return True

    def handle_text(self, event: pygame.event.Event) -> bool:
        """A TEXTINPUT event: the focus group does not route these, the scene does."""
        if not self.focused:
            return False
        return self.insert(event.dict.get("text", ""))

    def handle_mouse(self, event: pygame.event.Event) -> bool:
        if event.type == pygame.MOUSEBUTTONDOWN and event.button == LEFT_BUTTON:
            if not self.rect.collidepoint(event.pos):
                return False
            self.all_selected = False
            if self._boundaries:  # the caret goes to the nearest gap between characters
                x = event.pos[0]
                self.caret = min(self._boundaries, key=lambda gap: abs(gap[1] - x))[0]
            return True
        return False

    def word_left(self) -> int:
        """Where Ctrl+← lands: the start of the word before the caret."""
        i = self.caret
        while i > 0 and self.value[i - 1] == " ":
            i -= 1
        while i > 0 and self.value[i - 1] != " ":
            i -= 1
        return i

    def word_right(self) -> int:
        """Where Ctrl+→ lands: the end of the word after the caret."""
        i, n = self.caret, len(self.value)
        while i < n and self.value[i] == " ":
            i += 1
        while i < n and self.value[i] != " ":
            i += 1
        return i

    def handle_key(self, event: pygame.event.Event) -> bool:
        key = event.key
        if key in PASSED_KEYS:
            return False
        ctrl = bool(mods(event) & pygame.KMOD_CTRL)
        if ctrl and key == pygame.K_a:
            self.all_selected = bool(self.value)
            self.caret = len(self.value)
            return True
        selected, self.all_selected = self.all_selected, False
        if selected and key in (pygame.K_BACKSPACE, pygame.K_DELETE):
            self._replace("", 0)
            return True
        if selected and key == pygame.K_LEFT and not ctrl:
            self.caret = 0  # off the selection, to its start (as text boxes do)
            return True
        value, caret = self.value, self.caret
        if key == pygame.K_BACKSPACE:
            start = self.word_left() if ctrl else max(0, caret - 1)
            self._replace(value[:start] + value[caret:], start)
            return True
        if key == pygame.K_DELETE:
            end = self.word_right() if ctrl else min(len(value), caret + 1)
            self._replace(value[:caret] + value[end:], caret)
            return True
        moves = {
            pygame.K_LEFT: lambda: self.word_left() if ctrl else caret - 1,
            pygame.K_RIGHT: lambda: self.word_right() if ctrl else caret + 1,
            pygame.K_HOME: lambda: 0,
            pygame.K_END: lambda: len(value),
        }
        if key in moves:
            self.caret = max(0, min(moves[key](), len(value)))
            return True
        if mods(event) & (pygame.KMOD_CTRL | pygame.KMOD_ALT):
            return False  # shortcuts (Ctrl+Z…) go on to the scene
        unicode = event.dict.get("unicode", "")
        return bool(unicode) and unicode.isprintable()  # its TEXTINPUT event brings the text

    def visible_span(self, fits: Callable[[str], bool]) -> tuple[int, int]:
        """(start, end) of the longest stretch of text around the caret that `fits` the box.

        Grows to the left of the caret first (typing at the end shows what came
        before), then to the right.
        """
        start = end = self.caret
        while start > 0 and fits(self.value[start - 1 : end]):
            start -= 1
        while end < len(self.value) and fits(self.value[start : end + 1]):
            end += 1
        return start, end

    def draw(self, surface: pygame.Surface, theme: Theme, text: TextCache) -> None:
        label_px = theme.font_px(LABEL_PX)
        ink = theme.text if self.enabled else theme.text_dim
        label = fit_text(text, self.label, self.rect.width, label_px, theme.text_dim)
        surface.blit(label, (self.rect.left + 2, self.rect.top))
        box = self.box_rect(theme)
        fill = mix(theme.background, theme.accent, 0.08) if self.focused else theme.background
        edge = theme.accent if self.focused else theme.panel_edge
        draw_box(surface, box, theme, fill=fill, edge=edge, edge_width=2)
        size = min(theme.font_px(TEXT_PX), box.height - 8)
        room = box.width - 20 - 2 * text.size("…", size)[0]  # room for an ellipsis either side

        def width(part: str) -> int:
            return text.size(part, size)[0]

        start, end = self.visible_span(lambda part: width(part) <= room)
        left = box.left + 12
        if start > 0:  # more text to the left
            dots = text.render("…", size, theme.text_dim)
            surface.blit(dots, dots.get_rect(midleft=(left, box.centery)))
            left += dots.get_width()
        shown = self.value[start:end]
        if shown and self.all_selected:
            band = pygame.Rect(left - 2, box.top + 6, width(shown) + 4, box.height - 12)
            pygame.draw.rect(surface, mix(theme.background, theme.accent, 0.45), band)
        if shown:
            image = text.render(shown, size, ink)
            surface.blit(image, image.get_rect(midleft=(left, box.centery)))
        if end < len(self.value):
            dots = text.render("…", size, theme.text_dim)
            surface.blit(dots, dots.get_rect(midleft=(left + width(shown), box.centery)))
        # Where each visible gap between characters is, for clicks: (index, x).
        self._boundaries = [(i, left + width(self.value[start:i])) for i in range(start, end + 1)]
        if self.focused:
            x = left + width(self.value[start : self.caret])
            pygame.draw.line(
                surface,
                theme.focus,
                (x - 1, box.top + 6),
                (x - 1, box.bottom - 6),
                theme.line_px(2),
            )
        self.draw_focus(surface, theme)

    def box_rect(self, theme: Theme) -> pygame.Rect:
        """The box the text sits in, under the label."""
        top = self.rect.top + round(theme.font_px(LABEL_PX) * 1.3)
        return pygame.Rect(self.rect.left, top, self.rect.width, self.rect.bottom - top)
