"""Input for the screenshot tools: a key press and a pointer move sent through `App.step`,
positions in logical pixels sent as window pixels (the tests' twin is tests/ui/events.py)."""

from __future__ import annotations

import pygame

from game.ui.engine.app import App


def key(app: App, code: int, mod: int = 0, dt: float = 0.0) -> None:
    """One key press."""
    app.step(dt, [pygame.event.Event(pygame.KEYDOWN, key=code, mod=mod)])


def point(app: App, pos: tuple[int, int]) -> None:
    """The pointer moves to `pos`."""
    window = app.viewport.to_window(pos)
    motion = pygame.event.Event(pygame.MOUSEMOTION, pos=window, rel=(0, 0), buttons=(0, 0, 0))
    app.step(0.0, [motion])
