"""A one-line text field: typed text arrives as TEXTINPUT events, Backspace deletes.

The caret is always at the end (enough for typing a sentence). Ctrl+Backspace
deletes the last word. While focused the field swallows the key presses that
make text (letters, Space), so they never reach the scene's shortcuts; ↑/↓,
Tab, Enter and Esc are left to the focus group and the scene.
"""

from __future__ import annotations

from collections.abc import Callable

import pygame

from game.ui.text import TextCache
from game.ui.theme import Theme
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
        self.on_change = on_change

    def set_value(self, value: str, *, notify: bool = True) -> None:
        value = value[: self.max_length]
        if value != self.value:
            self.value = value
            if notify and self.on_change is not None:
                self.on_change(value)

    def insert(self, typed: str) -> bool:
        """Typed text (a TEXTINPUT event's `text`); control characters are dropped."""
        if not self.enabled:
            return False
        clean = "".join(ch for ch in typed if ch.isprintable())
        if clean:
            self.set_value(self.value + clean)
        return True

    def handle_text(self, event: pygame.event.Event) -> bool:
        """A TEXTINPUT event: the focus group does not route these, the scene does."""
        if not self.focused:
            return False
        return self.insert(event.dict.get("text", ""))

    def handle_mouse(self, event: pygame.event.Event) -> bool:
        if event.type == pygame.MOUSEBUTTONDOWN and event.button == LEFT_BUTTON:
            return self.rect.collidepoint(event.pos)
        return False

    def handle_key(self, event: pygame.event.Event) -> bool:
        key = event.key
        if key in PASSED_KEYS:
            return False
        if key == pygame.K_BACKSPACE:
            if mods(event) & pygame.KMOD_CTRL:
                stripped = self.value.rstrip()
                self.set_value(stripped[: stripped.rfind(" ") + 1])
            else:
                self.set_value(self.value[:-1])
            return True
        if mods(event) & (pygame.KMOD_CTRL | pygame.KMOD_ALT):
            return False  # shortcuts (Ctrl+Z…) go on to the scene
        unicode = event.dict.get("unicode", "")
        return bool(unicode) and unicode.isprintable()  # its TEXTINPUT event brings the text

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
        room = box.width - 24
        shown = self.value
        image = text.render(shown, size, ink) if shown else None
        while image is not None and image.get_width() > room and len(shown) > 1:
            shown = shown[max(1, len(shown) // 10) :]  # long text: show its end, where typing is
            image = text.render("…" + shown, size, ink)
        x = box.left + 10
        if image is not None:
            surface.blit(image, image.get_rect(midleft=(x, box.centery)))
            x += image.get_width()
        if self.focused:  # the caret, always at the end
            pygame.draw.line(
                surface,
                theme.focus,
                (x + 2, box.top + 6),
                (x + 2, box.bottom - 6),
                theme.line_px(2),
            )
        self.draw_focus(surface, theme)

    def box_rect(self, theme: Theme) -> pygame.Rect:
        """The box the text sits in, under the label."""
        top = self.rect.top + round(theme.font_px(LABEL_PX) * 1.3)
        return pygame.Rect(self.rect.left, top, self.rect.width, self.rect.bottom - top)
