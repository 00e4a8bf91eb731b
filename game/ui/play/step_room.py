"""Where step mode draws its matrices: as big as the screen allows.

Step mode takes the centre column (board and editors). In the projector theme it
takes the right column too, when that column holds only what step mode already
shows (the heatmap is the softmax step, the output bars the ·V and W_O steps):
on a 1920×1080 projector a 13×13 score matrix then gets cells half again as wide
and numbers the back row can read. A level with knobs, a pattern panel or its own
machinery keeps its right column.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import pygame

if TYPE_CHECKING:
    from game.ui.play.scene import PlayScene


def wide_steps(scene: PlayScene) -> bool:
    """Step mode may take the right column as well (projector theme, nothing else there)."""
    return (
        scene.look.theme.name == "projector"
        and not scene.knob_panel.sliders
        and getattr(scene.pattern_strip, "pattern", None) is None
        and not scene.machinery.active
        and scene.dk_lab is None
    )


def step_room(scene: PlayScene) -> pygame.Rect:
    """The rect step mode's view takes, for the scene's current layout and theme."""
    lay = scene.layout
    room = lay.board.union(lay.editor)
    return room.union(lay.heatmap).union(lay.outputs) if wide_steps(scene) else room


def covers_right_column(scene: PlayScene) -> bool:
    """Step mode is open over the right column: its heatmap and bars are not drawn."""
    return scene.step_mode.active and wide_steps(scene)
