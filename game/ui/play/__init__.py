"""The play screen: one level's board, goals, heatmap, wire editor, inspector and step mode.

`PlayScene` (scene.py) joins three parts: `PlayController` (controller.py:
the state, and the intents it sends to the `Board`), the layout (layout.py:
rects for a theme) and the drawing (drawing.py). The other modules are the
screen's own views and controls, one region each: board_view, wire_editor,
level_controls, inspector, step_mode, goal_panel, output_bars, watch ("watch it
learn"), and shortcuts (its keys). Nothing here computes attention: every
number comes from `board.evaluate(0)`.
"""

from game.ui.play.scene import PlayScene

__all__ = ["PlayScene"]
