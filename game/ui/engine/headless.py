"""An App that draws to files, not to a screen: `render` and `render --lesson` use it."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager

import pygame

from game.ui.engine.app import App
from game.ui.engine.theme import themed


@contextmanager
def headless_app(size: tuple[int, int], theme: str) -> Iterator[App]:
    """An App of `size` in `theme` on SDL's dummy video driver (unless a display is
    already up); afterwards the display is closed and the driver setting restored, so a
    render from a test or a script leaves the process as it found it."""
    driver = os.environ.get("SDL_VIDEODRIVER")
    if not pygame.display.get_init():
        os.environ["SDL_VIDEODRIVER"] = "dummy"
    try:
        app = App(tuple(size))
        app.theme = themed(theme)
        yield app
    finally:
        pygame.display.quit()
        if driver is None:
            os.environ.pop("SDL_VIDEODRIVER", None)
        else:
            os.environ["SDL_VIDEODRIVER"] = driver
