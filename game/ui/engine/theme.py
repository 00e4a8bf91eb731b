"""Colours and sizes for the desktop (normal) and classroom projector themes.

The projector theme is for a washed-out image seen from the back of a room:
a light background, darker and thicker lines, larger text, and the cividis
heatmap. Categories (heads, tokens) use the Okabe–Ito palette, which stays
distinguishable with every common colour-vision deficiency.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

Colour = tuple[int, int, int]

# Okabe & Ito 2008, "Color Universal Design": orange, sky blue, bluish green,
# yellow, blue, vermillion, reddish purple (black is left out: it is text).
OKABE_ITO: tuple[Colour, ...] = (
    (230, 159, 0),
    (86, 180, 233),
    (0, 158, 115),
    (240, 228, 66),
    (0, 114, 178),
    (213, 94, 0),
    (204, 121, 167),
)


@dataclass(frozen=True)
class Theme:
    name: str
    background: Colour
    panel: Colour
    panel_edge: Colour
    text: Colour
    text_dim: Colour
    accent: Colour
    focus: Colour  # the keyboard focus ring
    good: Colour  # a goal met
    bad: Colour  # a goal not met
    heatmap: str  # colour map name for game.ui.widgets.colormaps
    font_scale: float
    line_scale: float
    categories: tuple[Colour, ...] = OKABE_ITO

    def font_px(self, size: int) -> int:
        return max(8, round(size * self.font_scale))

    def line_px(self, width: int) -> int:
        return max(1, round(width * self.line_scale))


NORMAL = Theme(
    name="normal",
    background=(22, 25, 33),
    panel=(34, 38, 50),
    panel_edge=(64, 70, 90),
    text=(236, 238, 244),
    text_dim=(160, 166, 184),
    accent=(86, 180, 233),
    focus=(240, 228, 66),
    good=(0, 158, 115),
    bad=(213, 94, 0),
    heatmap="viridis",
    font_scale=1.0,
    line_scale=1.0,
)

PROJECTOR = Theme(
    name="projector",
    background=(250, 250, 246),
    panel=(236, 236, 230),
    panel_edge=(120, 120, 120),
    text=(10, 10, 10),
    text_dim=(60, 60, 60),
    accent=(0, 114, 178),
    focus=(213, 94, 0),
    good=(0, 120, 88),
    bad=(190, 70, 0),
    heatmap="cividis",
    font_scale=1.3,
    line_scale=1.6,
)

THEMES = {theme.name: theme for theme in (NORMAL, PROJECTOR)}

FONT_SCALE_RANGE = (0.8, 1.5)  # the player's text size, on top of the theme's own


def themed(name: str, font_scale: float = 1.0) -> Theme:
    """The named theme (normal when unknown) with the player's text size applied on top."""
    base = THEMES.get(name, NORMAL)
    low, high = FONT_SCALE_RANGE
    factor = min(high, max(low, font_scale)) if font_scale == font_scale else 1.0  # NaN -> 1
    return replace(base, font_scale=base.font_scale * factor)


def head_colours(theme: Theme) -> list[tuple[int, int, int]]:
    """Four category colours that read on both a dark and a light background (one per head)."""
    return [theme.categories[k] for k in (0, 2, 4, 5)]
