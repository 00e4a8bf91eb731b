"""What presenter mode draws over a frame: the blank screen, the magnifier, the pointer
ring and the lock badge. Drawing only: the state lives in the `Presenter` (layer.py).

Everything is drawn on the logical canvas after the scenes, so it scales with the
window like the rest of the frame. The magnifier copies the canvas under the pointer
and blows it up in a bordered window around the pointer (kept on screen), so that
the pointer stays over the same thing, enlarged.
"""

from __future__ import annotations

from dataclasses import dataclass

import pygame

from game.ui.engine.text import TextCache
from game.ui.engine.theme import Theme
from game.ui.widgets.base import draw_box

LENS_SIZE = (640, 400)  # logical px of the magnifier window: 960×600 on a 1920×1080 projector
ZOOMS = (1.5, 2.0, 2.5, 3.0, 4.0)  # the wheel steps through these
FRAME_ROOM = 10  # px kept free around the magnifier for its frame
RING_RADIUS = 22
RING_COLOUR = (255, 196, 0)  # amber: reads on the dark and the light theme
RING_EDGE = (20, 20, 20)


@dataclass
class Lens:
    """The magnifier: on or off, and how much it enlarges."""

    on: bool = False
    zoom: float = 2.0

    def zoom_by(self, steps: int) -> None:
        """The wheel: one step up enlarges more, one down less (within ZOOMS)."""
        k = min(range(len(ZOOMS)), key=lambda i: abs(ZOOMS[i] - self.zoom))
        self.zoom = ZOOMS[max(0, min(len(ZOOMS) - 1, k + (1 if steps > 0 else -1)))]

    def source_rect(self, window: pygame.Rect, pointer: tuple[int, int]) -> pygame.Rect:
        """The part of the canvas shown enlarged in `window`: chosen so that what is under
        the pointer stays under it (a click lands where it seems to), even where the
        window is pushed off-centre at an edge of the screen; always inside `window`."""
        x, y = pointer
        left = x - (x - window.left) / self.zoom
        top = y - (y - window.top) / self.zoom
        width, height = window.width / self.zoom, window.height / self.zoom
        return pygame.Rect(round(left), round(top), round(width), round(height)).clip(window)

    def window_rect(self, canvas: pygame.Rect, pointer: tuple[int, int]) -> pygame.Rect:
        """Where the enlarged picture goes: centred on the pointer, inside the canvas with
        room for its frame."""
        window = pygame.Rect(0, 0, *LENS_SIZE)
        window.center = pointer
        return window.clamp(canvas.inflate(-2 * FRAME_ROOM, -2 * FRAME_ROOM))

    def draw(self, canvas: pygame.Surface, pointer: tuple[int, int], theme: Theme) -> None:
        window = self.window_rect(canvas.get_rect(), pointer)
        source = self.source_rect(window, pointer)
        picture = pygame.transform.smoothscale(canvas.subsurface(source).copy(), window.size)
        canvas.blit(picture, window)
        edge = theme.line_px(3)
        pygame.draw.rect(canvas, RING_EDGE, window.inflate(2 * edge, 2 * edge), edge)
        pygame.draw.rect(canvas, RING_COLOUR, window, edge)


def draw_blank(canvas: pygame.Surface) -> None:
    """B: nothing on the projector but black."""
    canvas.fill((0, 0, 0))


def draw_pointer_ring(canvas: pygame.Surface, pointer: tuple[int, int], theme: Theme) -> None:
    """A thick amber ring with a dark edge around the pointer, visible from the back row."""
    width = theme.line_px(4)
    pygame.draw.circle(canvas, RING_EDGE, pointer, RING_RADIUS + width, width + 2)
    pygame.draw.circle(canvas, RING_COLOUR, pointer, RING_RADIUS + width - 1, width)


def lock_badge_rect(
    canvas: pygame.Surface, theme: Theme, text: TextCache, top: int = 0
) -> pygame.Rect:
    """Where the lock badge goes: the top centre, `top` px down (under a lesson's caption
    bar, so it never covers the teacher's caption)."""
    px = theme.font_px(16)
    label = text.render("Locked", px, theme.text, "bold")
    icon = round(px * 1.1)
    badge = pygame.Rect(0, 0, icon + label.get_width() + 30, max(icon, label.get_height()) + 14)
    badge.midtop = (canvas.get_width() // 2, top + 6)
    return badge


def draw_lock_badge(canvas: pygame.Surface, theme: Theme, text: TextCache, top: int = 0) -> None:
    """A padlock and "Locked" at the top centre (between Back and the right-hand buttons,
    clear of the board) while the follow-along lock is on."""
    px = theme.font_px(16)
    label = text.render("Locked", px, theme.text, "bold")
    icon = round(px * 1.1)
    badge = lock_badge_rect(canvas, theme, text, top)
    draw_box(canvas, badge, theme, fill=theme.panel, edge=theme.focus, edge_width=2)
    body = pygame.Rect(badge.left + 10, 0, icon, round(icon * 0.6))
    body.bottom = badge.bottom - 8
    shackle = pygame.Rect(0, 0, round(icon * 0.66), round(icon * 0.8))
    shackle.midtop = (body.centerx, body.top - round(icon * 0.4))
    pygame.draw.ellipse(canvas, theme.focus, shackle, max(2, icon // 7))
    pygame.draw.rect(canvas, theme.focus, body, border_radius=2)
    canvas.blit(label, label.get_rect(midleft=(body.right + 10, badge.centery)))
