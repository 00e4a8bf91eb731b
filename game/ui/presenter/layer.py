"""Presenter mode's layer: keys a teacher uses at a projector, over whatever screen is open.

`App` hands every event to `Presenter.handle` before the scene stack (True: the
presenter took it) and calls `Presenter.draw` after the scenes and toasts. The
keys (also on the F1 sheet, shortcuts.py):
- → / Page Down, ← / Page Up: the navigator's next / previous stop (a level on its
  start board). Page Up / Down (what clickers send) work on every screen; the
  arrows on the title, play and results screens, and not in step mode, where they
  step the computation. Shift+arrows still set a wire's strength finely.
- B blanks the screen; any key or click brings it back (and does nothing else).
- H shows or hides the hints; L locks hints, Watch it learn and the solution (a
  lock badge shows it); A shows the reference solution, only when asked.
- Z magnifies the area under the pointer (the wheel zooms in and out; Z or Esc
  leaves); a ring follows the pointer so the room sees where it is.
Keys with Ctrl or Alt are left to the screen, and so are the letters on a screen with a
text field (the sandbox's sentence, the quiz's name); Page Up / Down still move on.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

import pygame

from game.model import Board, BoardError
from game.ui.engine.scene_stack import Scene
from game.ui.presenter.lens import (
    Lens,
    draw_blank,
    draw_lock_badge,
    draw_pointer_ring,
    lock_badge_rect,
)
from game.ui.presenter.navigator import LevelPlaylist, Navigator, Stop
from game.ui.presenter.shortcuts import PRESENTER_SHORTCUTS
from game.ui.widgets.base import mods
from game.ui.widgets.text_field import TextField

if TYPE_CHECKING:
    from game.ui.flow.game_flow import GameFlow

NEXT_KEYS = (pygame.K_RIGHT, pygame.K_PAGEDOWN)
PREVIOUS_KEYS = (pygame.K_LEFT, pygame.K_PAGEUP)
CLICKER_KEYS = (pygame.K_PAGEDOWN, pygame.K_PAGEUP)
LETTER_KEYS = (pygame.K_a, pygame.K_b, pygame.K_h, pygame.K_l, pygame.K_z)
WELCOME = "Presenter mode: Page Down opens the first level. F1 lists the presenter's keys."
INPUT_EVENTS = (
    pygame.KEYDOWN, pygame.KEYUP, pygame.TEXTINPUT, pygame.MOUSEWHEEL,
    pygame.MOUSEBUTTONDOWN, pygame.MOUSEBUTTONUP, pygame.MOUSEMOTION,
)  # fmt: skip


class Presenter:
    """The presenter's state for one run (blank, lock, lens, pointer) and its keys.

    `flow` is the run's `GameFlow` (its levels, stack and how a level opens);
    `navigator` is what → / ← walk (default: every level in campaign order);
    `show` opens a stop (default: its level, fresh, on its start board), so a
    lesson can pass its own (a caption, a prompt) without changing this class."""

    shortcuts = PRESENTER_SHORTCUTS

    def __init__(
        self,
        flow: GameFlow,
        navigator: Navigator | None = None,
        show: Callable[[Stop], None] | None = None,
    ):
        self.flow = flow
        self.app = flow.app
        if navigator is None:
            titles = {level_id: flow.levels[level_id].title for level_id in flow.order}
            navigator = LevelPlaylist(flow.order, titles)
        self.navigator = navigator
        self.show = show if show is not None else self.open_stop
        self.blanked = False
        self.locked = False
        self.lens = Lens()
        self.pointer: tuple[int, int] | None = None
        self.ring = True  # the pointer highlight, on in presenter mode
        self._announced = ""  # the last "3 of 15: …" toast, replaced by the next
        self._woken_by_key = False  # the key that ended a blank may still send its text
        self.app.toasts.show(WELCOME, "info", 6.0)

    # -- input -----------------------------------------------------------------------
    def handle(self, event: pygame.event.Event) -> bool:
        """True when the presenter took the event (the screen then never sees it)."""
        if event.type == pygame.MOUSEMOTION:
            self.pointer = (round(event.pos[0]), round(event.pos[1]))
        if event.type == pygame.TEXTINPUT and self._woken_by_key:
            self._woken_by_key = False  # the text of the key that brought the screen back
            return True
        self._woken_by_key = False
        if self.blanked:
            if event.type in (pygame.KEYDOWN, pygame.MOUSEBUTTONDOWN):
                self.blanked = False  # back; the key or click itself does nothing else
                self._woken_by_key = event.type == pygame.KEYDOWN
            return event.type in INPUT_EVENTS
        if event.type == pygame.MOUSEWHEEL and self.lens.on:
            self.lens.zoom_by(event.y)
            return True
        if event.type != pygame.KEYDOWN or mods(event) & (pygame.KMOD_CTRL | pygame.KMOD_ALT):
            return False
        top = self.app.scenes.top
        if event.key in LETTER_KEYS and _takes_text(top):
            return False  # a screen with a text field (a name, a sentence): letters are text
        return self._key(event, top)

    def _key(self, event: pygame.event.Event, top: Scene | None) -> bool:
        """The presenter's own keys; False for every other key (the screen's)."""
        key, shift = event.key, mods(event) & pygame.KMOD_SHIFT
        if key == pygame.K_ESCAPE and self.lens.on:
            self.lens.on = False
        elif key in NEXT_KEYS + PREVIOUS_KEYS and not shift and self._navigates(key, top):
            self.go(+1 if key in NEXT_KEYS else -1)
        elif key == pygame.K_b:
            self.blanked = True
            self.lens.on = False
        elif key == pygame.K_z:
            self.lens.on = not self.lens.on
        elif key == pygame.K_l:
            self.toggle_lock()
        elif key == pygame.K_h:
            self.toggle_hints(top)
        elif key == pygame.K_a:
            self.show_solution(top)
        else:
            return False
        return True

    def _navigates(self, key: int, top: Scene | None) -> bool:
        """Page Up / Down everywhere; the arrows where they have no other use."""
        if key in CLICKER_KEYS:
            return True
        kind = type(top).__name__
        if kind == "PlayScene":
            return not top.step_mode.active  # step mode's arrows step the computation
        return kind in ("TitleScene", "ResultsScene")

    # -- actions -------------------------------------------------------------------------
    def go(self, direction: int) -> None:
        """The navigator's next (+1) or previous (-1) stop, shown; a toast at either end."""
        self._follow_screen()
        stop = self.navigator.next() if direction > 0 else self.navigator.previous()
        if stop is None:
            end = "the last" if direction > 0 else "the first"
            self.app.toasts.show(f"This is {end} stop.", "info", 2.0)
            return
        self.show(stop)

    def _follow_screen(self) -> None:
        """A level opened from the level select: the navigator goes on from there."""
        level = getattr(self.app.scenes.top, "level", None)
        level_id = getattr(level, "id", None)
        current = self.navigator.current()
        if level_id in self.flow.levels and (current is None or current.level_id != level_id):
            self.navigator.follow(level_id)

    def open_stop(self, stop: Stop) -> None:
        """The default `show`: the stop's level, fresh on its start board, named in a toast."""
        self.flow.go_next(stop.level_id)
        self.announce(stop.label)

    def announce(self, message: str) -> None:
        """A toast saying where the presentation is; it replaces the last one it said."""
        toasts = self.app.toasts
        toasts.items = [toast for toast in toasts.items if toast.message != self._announced]
        toasts.show(message, "info", 2.5)
        self._announced = message

    def toggle_lock(self) -> None:
        self.locked = not self.locked
        if self.locked:
            self.app.toasts.show("Locked: hints, Watch it learn and the solution.", "info", 3.0)
        else:
            self.app.toasts.show("Unlocked.", "info", 2.0)

    def toggle_hints(self, top: Scene | None) -> None:
        """On the play screen: the first hint, or none (the hint button walks the rest)."""
        play = getattr(top, "controller", None)
        if play is None:
            return
        if self.locked:
            self.app.toasts.show("Hints are locked by the presenter (L unlocks).", "error")
        elif not play.level.hints:
            self.app.toasts.show("This level has no hints.", "info", 2.0)
        else:
            play.hints_shown = 0 if play.hints_shown else 1
            top.hint_button.label = play.hint_label

    def show_solution(self, top: Scene | None) -> None:
        """A: the reference solution, only because the presenter asked. On the play screen
        the level opens again holding it (Alt+R goes back to its start); on the results
        screen the hidden reference is shown."""
        if self.locked:
            self.app.toasts.show("The solution is locked by the presenter (L unlocks).", "error")
        elif type(top).__name__ == "ResultsScene":
            top.reveal_reference()
        elif type(top).__name__ == "PlayScene":
            try:
                board = Board.with_solution(top.level, self.flow.registry)
            except BoardError:
                self.app.toasts.show("This level has no reference solution.", "info", 2.5)
                return
            self.app.scenes.replace(self.flow.play_scene(top.level.id, board=board))
            self.app.toasts.show("The reference solution. Alt+R goes back to the start.")

    # -- drawing -------------------------------------------------------------------------
    def draw(self, canvas: pygame.Surface) -> None:
        """Over everything: the lens, the lock badge, the pointer ring; black when blanked."""
        if self.blanked:
            draw_blank(canvas)
            return
        theme, text = self.app.theme, self.app.text
        if self.lens.on:  # keyboard only, no pointer yet: the middle of the screen
            self.lens.draw(canvas, self.pointer or canvas.get_rect().center, theme)
        if self.locked:
            draw_lock_badge(canvas, theme, text, self._badge_top())
        if self.ring and self.pointer is not None:
            draw_pointer_ring(canvas, self.pointer, theme)

    def _badge_top(self) -> int:
        """How far down the screen's own top layer reaches (a lesson's caption bar)."""
        return int(getattr(self.app.scenes.top, "overlay_top", 0))

    def overlays(self, canvas: pygame.Surface) -> list[pygame.Rect]:
        """What this layer draws over the screen, for toasts to keep clear of."""
        if not self.locked or self.blanked:
            return []
        return [lock_badge_rect(canvas, self.app.theme, self.app.text, self._badge_top())]


def _takes_text(top: Scene | None) -> bool:
    """The screen has a text field (the sandbox's sentence, the quiz's name): whichever
    control has the keyboard, its letters are typed there, never taken as presenter keys."""
    group = getattr(top, "group", None)
    return any(isinstance(widget, TextField) for widget in getattr(group, "widgets", ()))
