"""Widgets for menus and panels: logical-coordinate rects, `handle(event) -> bool`,
`draw(surface, theme, text)` that never changes state, callbacks for changes.

`base` (the Widget class and drawing helpers), `button`, `toggle`, `slider`,
`tabbar`, `text_field`, `scroll_text`, `focus` (keyboard focus over a group),
`heatmap` (the n×n attention grid, with `colormaps` its colour tables) and
`menu_scene` (a scene made of one focus group: the shared base of the title,
settings, results and sandbox screens).
"""

from game.ui.widgets.base import Widget
from game.ui.widgets.button import Button
from game.ui.widgets.focus import FocusGroup
from game.ui.widgets.slider import Slider
from game.ui.widgets.tabbar import TabBar
from game.ui.widgets.toggle import Toggle

__all__ = ["Button", "FocusGroup", "Slider", "TabBar", "Toggle", "Widget"]
