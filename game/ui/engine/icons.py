"""Small vector icons drawn as polygons: stars and a padlock.

The bundled font has no ★ or lock glyph, so these are drawn with
`pygame.draw.polygon`; they scale with any size and read in both themes.
"""

from __future__ import annotations

import math

import pygame

from game.ui.engine.theme import Colour, Theme


def star_points(centre: tuple[float, float], radius: float) -> list[tuple[float, float]]:
    """The ten corners of a five-pointed star, point up."""
    cx, cy = centre
    inner = radius * 0.45
    points = []
    for k in range(10):
        r = radius if k % 2 == 0 else inner
        angle = -math.pi / 2 + k * math.pi / 5
        points.append((cx + r * math.cos(angle), cy + r * math.sin(angle)))
    return points


def draw_star(
    surface: pygame.Surface,
    centre: tuple[float, float],
    radius: float,
    theme: Theme,
    *,
    filled: bool,
    colour: Colour | None = None,
) -> None:
    """A gold star when earned, an outline when not (never colour alone: the shape differs)."""
    points = star_points(centre, radius)
    gold = colour or theme.categories[0]
    if filled:
        pygame.draw.polygon(surface, gold, points)
        pygame.draw.polygon(surface, theme.text_dim, points, max(1, theme.line_px(1)))
    else:
        pygame.draw.polygon(surface, theme.text_dim, points, max(1, theme.line_px(2)))


def draw_stars(
    surface: pygame.Surface,
    left_centre: tuple[float, float],
    radius: float,
    earned: int,
    theme: Theme,
    total: int = 3,
) -> int:
    """`total` stars in a row starting at `left_centre`, the first `earned` filled.

    Returns the x just past the last star.
    """
    x, y = left_centre
    step = radius * 2.3
    for k in range(total):
        draw_star(surface, (x + radius + k * step, y), radius, theme, filled=k < earned)
    return round(x + total * step)


def draw_lock(surface: pygame.Surface, centre: tuple[int, int], size: int, theme: Theme) -> None:
    """A padlock: a shackle arc over a body, `size` px tall."""
    cx, cy = centre
    body = pygame.Rect(0, 0, round(size * 0.8), round(size * 0.55))
    body.midbottom = (cx, cy + size // 2)
    shackle = pygame.Rect(0, 0, round(size * 0.55), round(size * 0.7))
    shackle.midtop = (cx, cy - size // 2)
    pygame.draw.arc(surface, theme.text_dim, shackle, 0, math.pi, max(2, theme.line_px(3)))
    pygame.draw.line(
        surface,
        theme.text_dim,
        (shackle.left + 1, shackle.centery),
        (shackle.left + 1, body.top),
        max(2, theme.line_px(3)),
    )
    pygame.draw.line(
        surface,
        theme.text_dim,
        (shackle.right - 2, shackle.centery),
        (shackle.right - 2, body.top),
        max(2, theme.line_px(3)),
    )
    pygame.draw.rect(surface, theme.text_dim, body, border_radius=max(2, size // 10))
