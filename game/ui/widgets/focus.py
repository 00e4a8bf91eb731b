"""Keyboard-only navigation over a screen's widgets.

The group owns which widget has focus: Tab / Shift+Tab cycle through the
enabled, focusable widgets in order (a widget with parts, like the wire editor's
sockets, is walked part by part first); Enter/Space and arrows go to the focused
widget first; ↑/↓ that the widget does not use move the focus (so a vertical
menu works with arrows alone). A mouse press on a widget focuses it. Mouse
events go to every widget (hover needs them); keys only to the focused one.
"""

from __future__ import annotations

from collections.abc import Sequence

import pygame

from game.ui.engine.text import TextCache
from game.ui.engine.theme import Theme
from game.ui.widgets.base import Widget, shift_held


class FocusGroup:
    def __init__(self, widgets: Sequence[Widget] = (), *, focus: int | None = 0):
        self.widgets: list[Widget] = list(widgets)
        self._index: int | None = None
        if focus is not None:
            self.focus_index(focus)

    @property
    def focused(self) -> Widget | None:
        return self.widgets[self._index] if self._index is not None else None

    def add(self, widget: Widget) -> Widget:
        self.widgets.append(widget)
        if self._index is None and widget.can_focus:
            self.focus(widget)
        return widget

    def focus(self, widget: Widget | None) -> None:
        """Move the focus to `widget` (or nowhere with None)."""
        for other in self.widgets:
            other.focused = other is widget
        self._index = self.widgets.index(widget) if widget is not None else None

    def focus_index(self, index: int) -> None:
        """Focus the first focusable widget from `index` on, wrapping around."""
        n = len(self.widgets)
        for offset in range(n):
            candidate = self.widgets[(index + offset) % n]
            if candidate.can_focus:
                self.focus(candidate)
                return
        self.focus(None)

    def move(self, direction: int) -> None:
        """Next (+1) or previous (-1) focusable widget, wrapping around."""
        n = len(self.widgets)
        if not n:
            return
        start = self._index if self._index is not None else (-1 if direction > 0 else 0)
        for offset in range(1, n + 1):
            candidate = self.widgets[(start + direction * offset) % n]
            if candidate.can_focus:
                self.focus(candidate)
                return

    def handle(self, event: pygame.event.Event) -> bool:
        """Route one event; True when a widget or the focus movement consumed it."""
        if event.type == pygame.KEYDOWN:
            if event.key == pygame.K_TAB:
                direction = -1 if shift_held(event) else +1
                current = self.focused
                if current is not None and current.can_focus and current.handle_tab(direction):
                    return True  # moved between the parts of one widget (sockets)
                self.move(direction)
                if self.focused is not None and self.focused is not current:
                    self.focused.enter_focus(direction)
                return True
            current = self.focused
            if current is not None and not current.can_focus:
                self.move(+1)  # the focused widget was disabled meanwhile
                current = self.focused
            if current is not None and current.handle(event):
                return True
            if event.key == pygame.K_DOWN:
                self.move(+1)
                return True
            if event.key == pygame.K_UP:
                self.move(-1)
                return True
            return False
        if event.type in (pygame.MOUSEBUTTONDOWN, pygame.MOUSEBUTTONUP, pygame.MOUSEMOTION):
            if event.type == pygame.MOUSEBUTTONDOWN:
                for widget in self.widgets:
                    if widget.can_focus and widget.rect.collidepoint(event.pos):
                        self.focus(widget)
                        break
            consumed = False
            for widget in self.widgets:
                # every widget sees the event (hover, ending a drag); stop nobody early
                consumed = widget.handle(event) or consumed
            return consumed
        return False

    def draw(self, surface: pygame.Surface, theme: Theme, text: TextCache) -> None:
        for widget in self.widgets:
            widget.draw(surface, theme, text)
