"""The play screen: one level's board, goals, heatmap, wire editor, inspector and step mode.

`PlayScene` (scene.py) owns the `Board` and sends it intents; the other modules
draw one region each and hit-test it. Nothing here computes attention: every
number comes from `board.evaluate(0)`.
"""

from game.ui.play.scene import PlayScene

__all__ = ["PlayScene"]
