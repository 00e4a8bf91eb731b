"""A scene made of widgets in one FocusGroup: the shared part of title and settings.

Widgets are created once (`build`); their rects come from `layout(theme)`,
which runs again whenever the theme changes (projector mode, a larger text
size), so a widget being dragged keeps its state while the screen re-flows.
Layout happens while handling input or updating, never while drawing.
"""

from __future__ import annotations

import pygame

from game.ui.engine.look import Look
from game.ui.engine.scene_stack import Scene, SceneStack
from game.ui.engine.theme import Theme
from game.ui.widgets import FocusGroup


class MenuScene(Scene):
    def __init__(self, look: Look):
        self.look = look
        self.group = FocusGroup()
        self._laid_out_for: Theme | None = None
        self.build()
        self._relayout()

    def build(self) -> None:
        """Create the widgets and add them to `self.group` (once)."""

    def layout(self, theme: Theme) -> None:
        """Give every widget its rect for `theme`."""

    def _relayout(self) -> None:
        theme = self.look.theme
        if theme != self._laid_out_for:
            self.layout(theme)
            self._laid_out_for = theme

    def enter(self, stack: SceneStack) -> None:
        super().enter(stack)
        self._relayout()

    def resume(self) -> None:
        self._relayout()

    def handle(self, event: pygame.event.Event) -> None:
        self.handle_event(event)
        self._relayout()  # a setting may have changed the theme just now

    def handle_event(self, event: pygame.event.Event) -> bool:
        """Scene keys first (subclasses), then the widgets."""
        return self.group.handle(event)

    def update(self, dt: float) -> None:
        self._relayout()

    def interactive_rects(self) -> list[pygame.Rect]:
        return [widget.rect for widget in self.group.widgets]

    def draw(self, surface: pygame.Surface) -> None:
        self.group.draw(surface, self.look.theme, self.look.text)
