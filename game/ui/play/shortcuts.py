"""The play screen's keys: what the help overlay (F1) lists, and what each key does.

`play_shortcut` runs the screen-wide keys before the focused widget sees the
event: Ctrl+Z undo, Ctrl+Y or Ctrl+Shift+Z redo, Alt+R reset, Ctrl+Enter
Check, F1 help, Esc (closes the inspector or step mode, else goes back), S step
mode, Space, Left and Right while step mode is open, and P (a picture of the
screen) and E (the board's numbers as files; export_keys.py).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import pygame

from game.ui.help.overlay import COMMON_SHORTCUTS, Section
from game.ui.play.export_keys import EXPORT_KEYS, EXPORT_SHORTCUTS, export_key
from game.ui.widgets.base import mods

if TYPE_CHECKING:
    from game.ui.play.scene import PlayScene

PLAY_SHORTCUTS: tuple[Section, ...] = (
    (
        "Building a head",
        (
            ("Drag socket to socket", "Add a wire (or a value route)"),
            ("Enter, Enter", "Pick a socket, then one in the other column"),
            ("Left / Right on a wire or route", "Change its strength (Shift: finer)"),
            ("Wheel on a wire or route", "Change its strength"),
            ("Right-click or Delete", "Remove a wire"),
            ("Left / Right, Page Up / Down on a slider", "Step a level's knob; jump ten"),
            ("Ctrl+Z / Ctrl+Y", "Undo / redo"),
            ("Alt+R", "Start over (undoable)"),
        ),
    ),
    (
        "Looking closer",
        (
            ("Click a cell or a wire", "Open the math inspector"),
            ("Watch it learn", "Train the head step by step; keep or discard"),
            ("S", "Step mode: Space plays, Left/Right step"),
            ("Ctrl+Enter", "Check (when every goal is met)"),
        ),
    ),
    EXPORT_SHORTCUTS,
    COMMON_SHORTCUTS[1],
)


def play_shortcut(scene: PlayScene, event: pygame.event.Event) -> bool:
    """Run the key's action if it is one of the screen's shortcuts; True when it was."""
    key, mod = event.key, mods(event)
    ctrl, shift, alt = mod & pygame.KMOD_CTRL, mod & pygame.KMOD_SHIFT, mod & pygame.KMOD_ALT
    play, mode = scene.controller, scene.step_mode
    if ctrl and (key == pygame.K_y or (shift and key == pygame.K_z)):
        play.redo()
    elif ctrl and key == pygame.K_z:
        play.undo()
    elif alt and key == pygame.K_r:
        play.reset()
    elif ctrl and key in (pygame.K_RETURN, pygame.K_KP_ENTER):
        scene.check()
    elif key == pygame.K_F1:
        scene.open_help()
    elif key == pygame.K_ESCAPE:
        if scene.inspector.open:
            scene.close_inspector()
        elif mode.active:
            scene.toggle_step_mode()
        else:
            scene.back()
    elif mode.active and key == pygame.K_SPACE:
        mode.toggle_play()
    elif mode.active and key in (pygame.K_LEFT, pygame.K_RIGHT):
        mode.step(1 if key == pygame.K_RIGHT else -1)
    elif key == pygame.K_s and not (ctrl or alt):
        scene.toggle_step_mode()
    elif key in EXPORT_KEYS and not (ctrl or alt):
        export_key(scene, key)
    else:
        return False
    return True
