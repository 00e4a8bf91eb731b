"""The play screen: one level's board, driven only through Board intents.

Three parts, one file each: `PlayController` (controller.py) holds the state
and sends the board its intents; `layout.py` says where everything goes for a
theme; `drawing.py` paints a frame. This scene joins them: it creates every
widget once, moves them when the layout changes, maps input onto the
controller, and after every event and every `update(dt)` compares
`board.revision` (and the selected head, and the theme) with what it last
showed; only when one moved does it read `board.evaluate(0)` once and hand the
numbers to the views (heatmap, board, editors, inspector, step mode). `draw`
reads that state and never changes it (nor the board).

Keys: Ctrl+Z undo, Ctrl+Y or Ctrl+Shift+Z redo, Alt+R reset, S step mode,
Ctrl+Enter (or Enter when nothing focused uses it) Check, F1 help, Esc closes
the inspector or step mode, else goes back to the level select.
"""

from __future__ import annotations

from collections.abc import Callable

import pygame

from game.levels.schema import Level
from game.model import Board, Catalog, Evaluation, Score
from game.model.peek import PeekReport
from game.ui.engine.look import Look
from game.ui.engine.scene_stack import Scene
from game.ui.engine.toast import Toasts
from game.ui.help.overlay import HelpOverlay
from game.ui.play.board_view import BoardView
from game.ui.play.controller import PlayController
from game.ui.play.dk_lab import DkLab
from game.ui.play.drawing import draw_play
from game.ui.play.first_move import FirstMoveGuide
from game.ui.play.goal_panel import GoalRoom
from game.ui.play.inspector import InspectorPanel, InspectorState
from game.ui.play.knob_panel import KnobPanel
from game.ui.play.layer_views import LayerViews
from game.ui.play.layout import NOWHERE, PlayLayout, editor_halves, hint_lines, hint_row
from game.ui.play.level_controls import LevelControls
from game.ui.play.live_task import LiveTaskScore
from game.ui.play.machinery import Machinery
from game.ui.play.pattern_panel import PatternStrip
from game.ui.play.refresh import refresh
from game.ui.play.shortcuts import PLAY_SHORTCUTS, play_shortcut
from game.ui.play.step_mode import StepMode, StepView
from game.ui.play.step_room import step_room, wide_steps
from game.ui.play.task_view import open_failures
from game.ui.play.watch import LearnWatch, WatchPanel
from game.ui.play.wire_editor import LinkEditor
from game.ui.presenter.lock import locked, refused
from game.ui.widgets import Button, FocusGroup
from game.ui.widgets.heatmap import Heatmap
from game.ui.widgets.scroll_text import ScrollText

OnScored = Callable[[Level, Board, Score, bool], None]  # … and `learned` (a kept machine head)
MOUSE_EVENTS = (pygame.MOUSEBUTTONDOWN, pygame.MOUSEBUTTONUP, pygame.MOUSEMOTION)
# The wires' flowing dots rest this many seconds after the last input, so a board
# left alone (a student reading, a laptop on a desk) stops costing a core.
FLOW_REST_AFTER = 20.0
INPUT_EVENTS = (pygame.KEYDOWN, pygame.TEXTINPUT, pygame.MOUSEWHEEL, *MOUSE_EVENTS)


class PlayScene(Scene):
    def __init__(
        self,
        look: Look,
        level: Level,
        catalog: Catalog,
        *,
        board: Board | None = None,
        on_scored: OnScored | None = None,
        on_back: Callable[[], None] | None = None,
        on_next: Callable[[], None] | None = None,
    ):
        self.look = look
        self.controller = PlayController(level, catalog, board, cue=self.cue)
        self.on_scored = on_scored
        self.on_back = on_back
        self.on_next = on_next
        self.shown_key: tuple | None = None  # (revision, head, theme, watch frame) last shown
        self.step_shown_key: tuple | None = None
        self._layout_key: tuple | None = None
        self.goal_room = GoalRoom()  # how many lines each goal message needs
        self._focus_before_watch = None
        self.learn_shown = False  # "Watch it learn" has its half of the hint row
        self.still_for = 0.0  # seconds since the last input (the flow rests after a while)
        self.top_inset = 0  # px at the top left to a layer over the screen (a lesson's captions)
        self.toast_avoid: list[pygame.Rect] = []  # what that layer draws: toasts keep clear
        # a task level scores a quick sample while the board changes, the full set when still
        self.live_task = LiveTaskScore(level.task is not None, self.board.revision)
        self.layout = PlayLayout.fit(look.theme, len(level.goals))
        self.outputs_rect = pygame.Rect(self.layout.outputs)  # the bars, after strip, knobs
        self.group = FocusGroup(focus=None)
        self._build_editors()
        self._build_buttons()
        self.level_controls = LevelControls(level, self.board, self.controller, self.select_head)
        self.knob_panel = KnobPanel(level, self.board, self.controller.set_knob)
        self.machinery = Machinery(level)
        self.layer_views = LayerViews(level, lambda: open_failures(self))  # stream, task, keys
        if self.machinery.active:  # the level's own views take the board's and heatmap's place
            self.hidden.append(self.heatmap)
            self.heatmap.enabled = False
        for widget in (
            *self.knob_panel.sliders, *self.machinery.widgets,
            self.wire_editor, self.value_editor, self.heatmap, *self.layer_views.widgets,
            self.check_button,
            self.hint_button, self.learn_button, self.explanation, *self.level_controls.shown,
            *self.right_buttons, self.back_button, self.board_view, *self.pattern_strip.widgets,
        ):  # fmt: skip
            self.group.add(widget)
        self.dk_lab = DkLab(level.head_dim) if level.d_k_lab else None
        if self.dk_lab is not None:  # in the value editor's place (the lab's levels fix values)
            self.group.add(self.dk_lab.slider)
        first = self.knob_panel.sliders[:1] or [self.heatmap]
        self.group.focus(self.wire_editor if level.controls.wires else first[0])
        self.peek: PeekReport | None = None  # while the causal mask is lifted
        self.guide = FirstMoveGuide.for_level(self.wire_editor, level)
        if self.guide is not None and self.board.wire_count > 0:
            self.guide = None  # the board already has wires: the first move is behind them
        if self.guide is not None:
            self.guide.place_cursor()
        self._relayout()
        refresh(self)

    # -- the controller's state, read by tests, tools and the drawing ----------------
    @property
    def board(self) -> Board:
        return self.controller.board

    @property
    def level(self) -> Level:
        return self.controller.level

    @property
    def catalog(self) -> Catalog:
        return self.controller.catalog

    @property
    def head(self) -> int:
        return self.controller.head

    @property
    def hints_shown(self) -> int:
        return self.controller.hints_shown

    @property
    def evaluation(self) -> Evaluation | None:
        return self.controller.evaluation

    @property
    def last_score(self) -> Score | None:
        return self.controller.last_score

    @property
    def watch(self) -> LearnWatch | None:
        return self.controller.watch

    @property
    def step_mode(self) -> StepMode:
        return self.controller.step_mode

    @property
    def toasts(self) -> Toasts:
        return self.controller.toasts

    @property
    def learn_available(self) -> bool:
        return self.controller.learn_available

    # -- building (once) ---------------------------------------------------------------
    def _build_editors(self) -> None:
        """The wire and value editors, the heatmap, and what shares the board's place."""
        play, controls = self.controller, self.level.controls
        self.wire_editor = LinkEditor(
            NOWHERE, "Wires: what each query looks for", "query feature", "key feature",
            on_add=play.add_wire, on_remove=play.remove_wire, on_strength=play.set_strength,
            enabled=controls.wires,
        )  # fmt: skip
        self.wire_editor.disabled_note = "The wires are fixed in this level."
        self.value_editor = LinkEditor(
            NOWHERE, "Values: what a key hands over", "key feature", "output feature",
            on_add=play.add_value_route, on_remove=play.remove_value_route,
            on_strength=play.set_value_strength, enabled=controls.values,
        )  # fmt: skip
        self.value_editor.disabled_note = "The value routes are fixed in this level."
        for editor in (self.wire_editor, self.value_editor):
            editor.set_features(list(self.level.features))
        # a fixed editor with nothing on it is not drawn: its room goes to the level's knobs
        heads = self.board.heads
        self.hidden = [
            editor for editor, fixed, empty in (
                (self.wire_editor, not controls.wires, not any(h.wires for h in heads)),
                (self.value_editor, not controls.values, not any(h.values for h in heads)),
            ) if fixed and empty and self.level.knobs
        ]  # fmt: skip
        self.heatmap = Heatmap(NOWHERE, on_select=self.open_inspector)
        self.heatmap.numbers = None  # numbers in the cells in the projector theme
        self.board_view = BoardView(NOWHERE, on_wire=self.open_inspector)
        self.inspector = InspectorPanel(pygame.Rect(NOWHERE))
        self.step_view = StepView(pygame.Rect(NOWHERE))
        self.watch_panel = WatchPanel(self.keep_learned, self.discard_learned)
        self.explanation = ScrollText(NOWHERE, self.level.explanation)
        pattern = getattr(self.catalog, "patterns", {}).get(self.level.pattern or "")
        self.pattern_strip = PatternStrip(pattern, on_change=self._show_again)

    def _show_again(self) -> None:
        self.shown_key = None

    def _build_buttons(self) -> None:
        play = self.controller
        self.check_button = Button(NOWHERE, "Check", self.check, enabled=False, primary=True)
        self.hint_button = Button(NOWHERE, play.hint_label, self.next_hint)
        self.learn_button = Button(NOWHERE, "Watch it learn", self.start_watch)
        self.back_button = Button(NOWHERE, "Back", self.back)
        self.undo_button = Button(NOWHERE, "Undo", play.undo)
        self.redo_button = Button(NOWHERE, "Redo", play.redo)
        self.reset_button = Button(NOWHERE, "Start over", play.reset)
        self.steps_button = Button(NOWHERE, "Steps", self.toggle_step_mode)
        self.help_button = Button(NOWHERE, "?", self.open_help)
        self.right_buttons = [self.undo_button, self.redo_button, self.reset_button,
                              self.steps_button, self.help_button]  # fmt: skip

    # -- layout: move the widgets where layout.py says -------------------------------------
    def _relayout(self) -> None:
        theme = self.look.theme
        learn = self.learn_shown = self.controller.learn_available
        self.learn_button.enabled = learn and self.watch is None and not locked(self.look)
        self.hint_button.enabled = not locked(self.look)  # presenter mode's follow-along lock
        text, controls = self.look.text, self.level_controls
        self.explanation.body = controls.scheme_note(self.catalog, self.board)  # follows a switch
        top_h, left_top = controls.strip_heights(theme, text)
        goal_lines = self.goal_room.lines(self.evaluation, theme, theme.font_px(15), text)
        steps = self.step_mode.active
        key = (theme, self.hints_shown, learn, goal_lines, top_h, left_top, self.explanation.body,
               steps, self.top_inset)  # fmt: skip
        if key == self._layout_key:
            return
        self._layout_key = key
        hint_h = hint_lines(self.controller.hint, theme, text)
        lay = self.layout = self.goal_room.fit(
            self.evaluation, theme, len(self.level.goals), hint_h, text, top_h, left_top,
            len(self.level.features), self.top_inset,
        )  # fmt: skip
        self.wire_editor.rect, self.value_editor.rect = editor_halves(lay.editor)
        hidden = (self.wire_editor in self.hidden, self.value_editor in self.hidden)
        self.pattern_strip.layout(lay.outputs, theme)  # the strip on top, then the bars
        self.outputs_rect = self.knob_panel.place(
            lay, hidden, (self.wire_editor.rect, self.value_editor.rect),
            self.pattern_strip.outputs, theme,
        )  # fmt: skip
        self.machinery.layout(lay, theme)
        self.layer_views.place(self.outputs_rect, theme)
        self.heatmap.set_rect(lay.heatmap.inflate(-8, -8))
        for view in (self.board_view, self.inspector, self.step_view):
            view.rect = pygame.Rect(lay.board)
        if self.step_mode.active:  # the computation takes the centre (and right) column
            self.step_view.rect = step_room(self)
        if wide_steps(self):  # under step mode's view: no clicks or focus for the heatmap
            self.heatmap.enabled = not steps
        self.check_button.rect = pygame.Rect(lay.check)
        if learn:  # the hint button shares its row with "Watch it learn"
            self.hint_button.rect, self.learn_button.rect = hint_row(lay.hint_button)
        else:
            self.hint_button.rect = pygame.Rect(lay.hint_button)
        self.watch_panel.layout(self.value_editor.rect, theme)
        if self.dk_lab is not None:
            self.dk_lab.layout(self.value_editor.rect, theme)
        self.explanation.rect = pygame.Rect(lay.explanation)
        self.explanation.relayout(theme, self.look.text)
        self.level_controls.place(lay.top, theme, text, self.back_button, self.right_buttons)
        self.shown_key = self.step_shown_key = None  # sizes changed: the views get data again

    # -- actions that touch the screen as well as the controller ------------------------
    def intent(self, action: Callable[..., None], *args: object) -> bool:
        """Send one intent to the board (see `PlayController.intent`)."""
        return self.controller.intent(action, *args)

    def cue(self, name: str) -> None:
        """A sound cue, when the app has sound (a bare look in tests has none)."""
        sounds = getattr(self.look, "sounds", None)
        if sounds is not None:
            sounds.play(name)

    def select_head(self, index: int) -> None:
        self.controller.select_head(index)

    def next_hint(self) -> None:
        if refused(self.look, self.toasts, "Hints"):
            return
        self.controller.next_hint()
        self.hint_button.label = self.controller.hint_label

    def start_watch(self) -> None:
        if refused(self.look, self.toasts, "Watch it learn") or not self.controller.start_watch():
            return
        self.inspector.state = None
        self._focus_before_watch = self.group.focused
        self.group.focus(None)  # one focus ring: the panel's
        self.watch_panel.group.focus(self.watch_panel.keep_button)
        self.shown_key = None

    def _restore_focus(self) -> None:
        before = self._focus_before_watch
        self.group.focus(before if before is not None and before.can_focus else None)

    def keep_learned(self) -> None:
        self._restore_focus()
        self.controller.keep_learned()
        self.shown_key = None

    def discard_learned(self) -> None:
        self.controller.discard_learned()
        self._restore_focus()
        self.shown_key = None

    def open_inspector(self, i: int, j: int) -> None:
        self.inspector.state = InspectorState(self.head, i, j)
        self.step_mode.active = False
        self.shown_key = None  # fill in the numbers on the next refresh

    def close_inspector(self) -> None:
        self.inspector.state = None
        self.shown_key = None

    def toggle_step_mode(self) -> None:
        self.controller.toggle_step_mode()
        if self.step_mode.active:
            self.inspector.state = None
            self.step_shown_key = None

    def open_help(self) -> None:
        self.stack.push(HelpOverlay(self.look, PLAY_SHORTCUTS))

    def back(self) -> None:
        if self.on_back is not None:
            self.on_back()
        elif self.stack.top is self:
            self.stack.pop()

    def check(self) -> None:
        """Score on every sentence (held-out ones too), report it, and open the results."""
        result = self.controller.score()
        if result is None:
            return
        learned = self.controller.machine_learned
        if self.on_scored is not None:
            self.on_scored(self.level, self.board, result, learned)
        from game.ui.results.scene import ResultsScene

        self.stack.push(
            ResultsScene(
                self.look, self.level, self.catalog, self.board, result,
                on_next=self.on_next, on_levels=self.on_back, learned=learned,
            )
        )  # fmt: skip

    # -- input ---------------------------------------------------------------------
    def handle(self, event: pygame.event.Event) -> None:
        if event.type in INPUT_EVENTS:
            self.still_for = 0.0  # the player is here: the wires flow again
        self._relayout()
        self._handle(event)
        self._relayout()
        refresh(self)

    def _handle(self, event: pygame.event.Event) -> None:
        if self.watch is not None:  # only the watch panel takes input while it runs
            if event.type == pygame.KEYDOWN and event.key == pygame.K_ESCAPE:
                self.discard_learned()
            elif event.type in (pygame.KEYDOWN, *MOUSE_EVENTS):
                self.watch_panel.group.handle(event)
            return
        if event.type == pygame.KEYDOWN:
            if play_shortcut(self, event):
                return
            if self.group.handle(event):
                return
            if event.key in (pygame.K_RETURN, pygame.K_KP_ENTER) and self.check_button.enabled:
                self.check()
            return
        if event.type == pygame.MOUSEWHEEL:
            if self.knob_panel.handle_wheel(event):
                return
            editors = () if self.step_mode.active else (self.wire_editor, self.value_editor)
            for widget in (*editors, *self.layer_views.scrollers, self.explanation):
                if widget.handle_wheel(event):
                    return
            return
        if event.type == pygame.MOUSEBUTTONDOWN:
            if self.inspector.handle_click(event):
                return
            if self.step_mode.active and self.step_view.handle_click(
                event, self.step_mode, self.look.theme
            ):
                return
        if event.type in MOUSE_EVENTS:
            self.group.handle(event)

    # -- the rest of the scene protocol -------------------------------------------------
    def exit(self) -> None:
        self.machinery.close()  # a real run going stops with the screen

    def resume(self) -> None:
        self.shown_key = self.step_shown_key = None
        self._relayout()
        refresh(self)

    def update(self, dt: float) -> None:
        if self.watch is not None:
            self.watch.update(dt)  # a few training steps, never more than a frame's worth
        self._relayout()
        self.still_for += dt
        if self.still_for < FLOW_REST_AFTER:
            self.board_view.update(dt)
        self.machinery.update(dt)
        self.step_mode.update(dt)
        self.toasts.update(dt)
        if self.guide is not None:
            self.guide.update(dt)
        self.live_task.update(self.board.revision, dt)
        refresh(self)

    def interactive_rects(self) -> list[pygame.Rect]:
        """Every control on screen (the watch panel's Keep/Discard while it runs)."""
        rects = [widget.rect for widget in self.group.widgets]
        if self.watch is not None:
            rects += [widget.rect for widget in self.watch_panel.group.widgets]
        return rects

    def animating(self) -> bool:
        """Training, step mode playing, a toast, the wires still flowing, or the
        FlashAttention schedule playing or its real run going."""
        return (
            self.watch is not None
            or self.machinery.animating
            or (self.step_mode.active and self.step_mode.playing)
            or bool(self.toasts.items)
            or self.still_for < FLOW_REST_AFTER
            or self.live_task.quick  # the full task score is still to come
        )

    def draw(self, surface: pygame.Surface) -> None:
        draw_play(surface, self)


__all__ = ["PlayScene"]
