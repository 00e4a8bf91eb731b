"""What every widget shares: a logical-coordinate rect, enabled/focused/hovered flags,
and the drawing helpers (panel, focus outline, text that fits its box).

Widgets change state only in `handle(event)` (and the methods it calls); `draw`
reads state and the theme and never writes either, so a frame can be drawn any
number of times. Changes are reported through callbacks given at construction.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import pygame

from game.ui.engine.text import TextCache
from game.ui.engine.theme import Colour, Theme

ACTIVATE_KEYS = (pygame.K_RETURN, pygame.K_KP_ENTER, pygame.K_SPACE)
LEFT_BUTTON = 1


def mods(event: pygame.event.Event) -> int:
    """The modifier keys of a key event (events built by tests may lack `mod`)."""
    return event.dict.get("mod", 0)


def shift_held(event: pygame.event.Event) -> bool:
    return bool(mods(event) & pygame.KMOD_SHIFT)


class Widget:
    """Base class. Subclasses override `handle_mouse`, `handle_key`, `activate` and `draw`."""

    focusable = True

    def __init__(self, rect: pygame.Rect | tuple[int, int, int, int], *, enabled: bool = True):
        self.rect = pygame.Rect(rect)
        self.enabled = enabled
        self.focused = False
        self.hovered = False

    @property
    def can_focus(self) -> bool:
        return self.focusable and self.enabled

    def handle(self, event: pygame.event.Event) -> bool:
        """One logical-coordinate event; True when this widget consumed it."""
        if not self.enabled:
            self.hovered = False
            return False
        if event.type == pygame.MOUSEMOTION:
            self.hovered = self.rect.collidepoint(event.pos)
        if event.type in (pygame.MOUSEBUTTONDOWN, pygame.MOUSEBUTTONUP, pygame.MOUSEMOTION):
            return self.handle_mouse(event)
        if event.type == pygame.KEYDOWN and self.focused:
            return self.handle_key(event)
        return False

    def handle_mouse(self, event: pygame.event.Event) -> bool:
        return False

    def handle_key(self, event: pygame.event.Event) -> bool:
        if event.key in ACTIVATE_KEYS:
            self.activate()
            return True
        return False

    def activate(self) -> None:
        """What Enter/Space (or a click) does."""

    def handle_tab(self, direction: int) -> bool:
        """Tab (+1) or Shift+Tab (-1) inside a widget with parts of its own (sockets);
        True when it moved within the widget, False to let the focus leave it."""
        return False

    def enter_focus(self, direction: int) -> None:
        """Tab brought the focus here: +1 from before (start at the first part), -1 from
        after (start at the last)."""

    def draw(self, surface: pygame.Surface, theme: Theme, text: TextCache) -> None:
        """Draw the current state; must not change it."""

    def draw_focus(self, surface: pygame.Surface, theme: Theme) -> None:
        """The keyboard focus outline: outside the widget, in the theme's focus colour."""
        if self.focused:
            width = theme.line_px(3)
            ring = self.rect.inflate(2 * (width + 2), 2 * (width + 2))
            pygame.draw.rect(surface, theme.focus, ring, width, border_radius=radius(theme) + 4)


@contextmanager
def clipped(surface: pygame.Surface, rect: pygame.Rect) -> Iterator[None]:
    """Draw only inside `rect` (and inside any clip already set) for the `with` block;
    the clip before is put back however the block ends."""
    before = surface.get_clip()
    surface.set_clip(pygame.Rect(rect).clip(before))
    try:
        yield
    finally:
        surface.set_clip(before)


def radius(theme: Theme) -> int:
    return theme.line_px(6)


def draw_box(
    surface: pygame.Surface,
    rect: pygame.Rect,
    theme: Theme,
    *,
    fill: Colour,
    edge: Colour,
    edge_width: int = 2,
) -> None:
    """A rounded panel with an edge whose width follows the theme's line scale."""
    pygame.draw.rect(surface, fill, rect, border_radius=radius(theme))
    pygame.draw.rect(surface, edge, rect, theme.line_px(edge_width), border_radius=radius(theme))


def fit_text(
    text: TextCache,
    label: str,
    max_width: int,
    size: int,
    colour: Colour,
    weight: str = "regular",
    min_size: int = 10,
) -> pygame.Surface:
    """The label at `size` px, or smaller until it fits `max_width`; never clipped silently
    below `min_size` (then it is cut with an ellipsis)."""
    while size > min_size:
        surface = text.render(label, size, colour, weight)
        if surface.get_width() <= max_width:
            return surface
        size = max(min_size, int(size * 0.9))
    surface = text.render(label, size, colour, weight)
    cut = label
    while surface.get_width() > max_width and len(cut) > 1:
        cut = cut[:-1]
        surface = text.render(cut + "…", size, colour, weight)
    return surface


def blit_centred(surface: pygame.Surface, image: pygame.Surface, centre: tuple[int, int]) -> None:
    surface.blit(image, image.get_rect(center=centre))


def mix(a: Colour, b: Colour, t: float) -> Colour:
    """a blended toward b by t in [0, 1]."""
    return tuple(round(x + (y - x) * t) for x, y in zip(a, b, strict=True))  # type: ignore[return-value]
