"""The play screen: one level's board, driven only through Board intents.

The scene owns the `Board` and a `FocusGroup` of widgets. Input turns into
intents (`add_wire`, `set_scale`, `undo`, …); a refused intent (`BoardError`)
becomes a toast. After every event and every `update(dt)` the scene compares
`board.revision` (and the selected head, and the theme) with what it last
showed and, only when one moved, reads `board.evaluate(0)` once and hands the
numbers to the views: heatmap, board, output bars, editors, inspector, step
mode. `draw` reads that state and never changes it (nor the board).

Keys: Ctrl+Z undo, Ctrl+Y or Ctrl+Shift+Z redo, Alt+R reset, S step mode,
Ctrl+Enter (or Enter when nothing focused uses it) Check, F1 help, Esc closes
the inspector or step mode, else goes back to the level select.
"""

from __future__ import annotations

from collections.abc import Callable

import pygame

from game.levels.schema import MAX_STRENGTH, MAX_TEMPERATURE, MIN_TEMPERATURE, Level
from game.model import Board, BoardError, Catalog, Evaluation, Score, score
from game.model.learn import has_target
from game.ui.engine.failure import describe_failure
from game.ui.engine.look import Look
from game.ui.engine.scene_stack import Scene
from game.ui.engine.theme import Theme
from game.ui.engine.toast import Toasts
from game.ui.help.overlay import COMMON_SHORTCUTS, HelpOverlay
from game.ui.play.board_view import BoardView
from game.ui.play.goal_panel import StarPreview, draw_goals, draw_star_preview
from game.ui.play.inspector import InspectorPanel, InspectorState
from game.ui.play.layout import HINT_MAX_LINES, LEFT_W, PlayLayout
from game.ui.play.output_bars import draw_output_bars
from game.ui.play.step_mode import StepMode, StepView, step_labels
from game.ui.play.watch import LearnWatch, WatchPanel
from game.ui.play.wire_editor import Link, LinkEditor
from game.ui.title.scene import head_colours
from game.ui.widgets import Button, FocusGroup, Slider, TabBar, Toggle
from game.ui.widgets.base import draw_box, fit_text, mods
from game.ui.widgets.heatmap import Heatmap
from game.ui.widgets.scroll_text import ScrollText

PLAY_SHORTCUTS = (
    (
        "Building a head",
        (
            ("Drag socket to socket", "Add a wire (or a value route)"),
            ("Enter, Enter", "Pick a socket, then one in the other column"),
            ("Left / Right on a wire or route", "Change its strength (Shift: finer)"),
            ("Wheel on a wire or route", "Change its strength"),
            ("Right-click or Delete", "Remove a wire"),
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
    COMMON_SHORTCUTS[1],
)

OnScored = Callable[[Level, Board, Score], None]
MOUSE_EVENTS = (pygame.MOUSEBUTTONDOWN, pygame.MOUSEBUTTONUP, pygame.MOUSEMOTION)


def concept_title(concept: str) -> str:
    return concept.replace("-", " ").capitalize()


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
        self.level = level
        self.catalog = catalog
        self.board = board if board is not None else Board(level, catalog)
        self.on_scored = on_scored
        self.on_back = on_back
        self.on_next = on_next
        self.head = 0
        self.hints_shown = 0
        self.toasts = Toasts()
        self.evaluation: Evaluation | None = None
        self.last_score: Score | None = None
        self.step_mode = StepMode()
        self._shown: tuple | None = None  # (revision, head, theme) last handed to the views
        self._step_shown: tuple | None = None
        self._goals_met: bool | None = None  # unknown until the first evaluation
        self.layout = PlayLayout.fit(look.theme, len(level.goals))
        self.watch: LearnWatch | None = None
        self.watch_panel = WatchPanel(self.keep_learned, self.discard_learned)
        self._learnable: dict[int, bool] = {}
        self._learn_shown = False
        self._shown_wires = 0
        self._layout_key: tuple | None = None
        self.group = FocusGroup(focus=None)
        self._build()
        self._relayout()
        self._refresh()

    # -- building ------------------------------------------------------------------
    def _build(self) -> None:
        level, controls = self.level, self.level.controls
        features = list(level.features)
        self.wire_editor = LinkEditor(
            (0, 0, 1, 1), "Wires: what each query looks for", "query feature", "key feature",
            on_add=lambda q, k: self.intent(self.board.add_wire, self.head, q, k, 1.0),
            on_remove=lambda q, k: self.intent(self.board.remove_wire, self.head, q, k),
            on_strength=self.set_strength,
            enabled=controls.wires,
        )  # fmt: skip
        self.wire_editor.disabled_note = "The wires are fixed in this level."
        self.value_editor = LinkEditor(
            (0, 0, 1, 1), "Values: what a key hands over", "key feature", "output feature",
            on_add=lambda k, o: self.intent(self.board.add_value_route, self.head, k, o, 1.0),
            on_remove=lambda k, o: self.intent(self.board.remove_value_route, self.head, k, o),
            on_strength=self.set_value_strength,
            enabled=controls.values,
        )  # fmt: skip
        self.value_editor.disabled_note = "The value routes are fixed in this level."
        for editor in (self.wire_editor, self.value_editor):
            editor.set_features(features)
        self.heatmap = Heatmap((0, 0, 1, 1), on_select=self.open_inspector)
        self.board_view = BoardView((0, 0, 1, 1), on_wire=self.open_inspector)
        self.check_button = Button((0, 0, 1, 1), "Check", self.check, enabled=False, primary=True)
        self.hint_button = Button((0, 0, 1, 1), "Show a hint", self.next_hint)
        self.learn_button = Button((0, 0, 1, 1), "Watch it learn", self.start_watch)
        self.explanation = ScrollText((0, 0, 1, 1), level.explanation)
        self.back_button = Button((0, 0, 1, 1), "Back", self.back)
        self.undo_button = Button((0, 0, 1, 1), "Undo", lambda: self.intent(self.board.undo))
        self.redo_button = Button((0, 0, 1, 1), "Redo", lambda: self.intent(self.board.redo))
        self.reset_button = Button((0, 0, 1, 1), "Start over", self.reset)
        self.steps_button = Button((0, 0, 1, 1), "Steps", self.toggle_step_mode)
        self.help_button = Button((0, 0, 1, 1), "?", self.open_help)
        self.head_tabs = TabBar(
            (0, 0, 1, 1), [f"Head {h + 1}" for h in range(len(self.board.heads))], 0,
            self.select_head,
        )  # fmt: skip
        self.scale_toggle = Toggle(
            (0, 0, 1, 1), "1/√d_k scale", self.board.settings.scale,
            lambda on: self.intent(self.board.set_scale, on),
        )  # fmt: skip
        self.temperature_slider = Slider(
            (0, 0, 1, 1), "Temperature", MIN_TEMPERATURE, MAX_TEMPERATURE,
            self.board.settings.temperature,
            lambda t: self.intent(
                lambda: self.board.set_temperature(
                    round(t, 3), merge=self.temperature_slider.gesture
                )
            ),
            log=True, steps=24, format=lambda v: f"{v:.2g}",
        )  # fmt: skip
        self.schemes = list(level.positional)
        self.scheme_tabs = TabBar(
            (0, 0, 1, 1), self.schemes, self._scheme_index(),
            lambda k: self.intent(self.board.choose_positional, self.schemes[k]),
        )  # fmt: skip
        self.parameter_slider = Slider(
            (0, 0, 1, 1), "Parameter", 1.0, 2.0, 1.0,
            lambda v: self.intent(
                lambda: self.board.set_positional_parameter(
                    float(f"{v:.4g}"), merge=self.parameter_slider.gesture
                )
            ),
            format=lambda v: f"{v:.3g}",
        )  # fmt: skip
        self.top_widgets: list = []
        if len(self.board.heads) > 1:
            self.top_widgets.append(self.head_tabs)
        if controls.scale:
            self.top_widgets.append(self.scale_toggle)
        if controls.temperature:
            self.top_widgets.append(self.temperature_slider)
        if controls.positional and len(self.schemes) > 1:
            self.top_widgets.append(self.scheme_tabs)
        if controls.positional_parameter:
            self.top_widgets.append(self.parameter_slider)
        self.right_buttons = [self.undo_button, self.redo_button, self.reset_button,
                              self.steps_button, self.help_button]  # fmt: skip
        for widget in (
            self.wire_editor, self.value_editor, self.heatmap, self.check_button,
            self.hint_button, self.learn_button, self.explanation, *self.top_widgets,
            *self.right_buttons, self.back_button, self.board_view,
        ):  # fmt: skip
            self.group.add(widget)
        first = self.wire_editor if controls.wires else self.heatmap
        self.group.focus(first)

    def _scheme_index(self) -> int:
        name = self.board.settings.positional
        return self.schemes.index(name) if name in self.schemes else 0

    # -- layout --------------------------------------------------------------------
    def hint_lines(self, theme: Theme) -> int:
        """How many lines the shown hint takes in the left column (0: none shown)."""
        if not self.hints_shown:
            return 0
        hint = self.level.hints[self.hints_shown - 1]
        width = LEFT_W - 16 - 8
        return min(HINT_MAX_LINES, len(self.look.text.wrap(hint, width, theme.font_px(15))))

    def _relayout(self) -> None:
        theme = self.look.theme
        learn = self._learn_shown = self.learn_available
        self.learn_button.enabled = learn and self.watch is None
        key = (theme, self.hints_shown, learn)
        if key == self._layout_key:
            return
        self._layout_key = key
        lay = self.layout = PlayLayout.fit(theme, len(self.level.goals), self.hint_lines(theme))
        half = lay.editor.width // 2
        self.wire_editor.rect = pygame.Rect(
            lay.editor.left, lay.editor.top, half - 4, lay.editor.height
        )
        self.value_editor.rect = pygame.Rect(
            lay.editor.left + half + 4,
            lay.editor.top,
            lay.editor.width - half - 4,
            lay.editor.height,
        )
        self.heatmap.set_rect(lay.heatmap.inflate(-8, -8))
        self.board_view.rect = pygame.Rect(lay.board)
        self.inspector = getattr(self, "inspector", InspectorPanel(lay.board))
        self.inspector.rect = pygame.Rect(lay.board)
        self.step_view = getattr(self, "step_view", StepView(lay.board))
        self.step_view.rect = pygame.Rect(lay.board)
        self.check_button.rect = pygame.Rect(lay.check)
        self.hint_button.rect = pygame.Rect(lay.hint_button)
        if learn:  # the hint button shares its row with "Watch it learn"
            half = lay.hint_button.width // 2
            self.hint_button.rect.width = half - 3
            self.learn_button.rect = pygame.Rect(
                lay.hint_button.left + half + 3, lay.hint_button.top,
                lay.hint_button.width - half - 3, lay.hint_button.height,
            )  # fmt: skip
        self.watch_panel.layout(self.value_editor.rect, theme)
        self.explanation.rect = pygame.Rect(lay.explanation)
        self.explanation.relayout(theme, self.look.text)
        self._layout_top(theme)
        self._shown = self._step_shown = None  # sizes changed: hand the views their data again

    def _layout_top(self, theme: Theme) -> None:
        top = self.layout.top
        h = min(44, theme.font_px(22) + 18)
        y = top.centery - h // 2
        self.back_button.rect = pygame.Rect(10, y, max(90, theme.font_px(20) * 4), h)
        right = top.right - 10
        widths = {self.help_button: h, self.steps_button: 96, self.reset_button: 124,
                  self.undo_button: 84, self.redo_button: 84}  # fmt: skip
        for button in reversed(self.right_buttons):
            w = widths[button]
            button.rect = pygame.Rect(right - w, y, w, h)
            right -= w + 6
        wanted = {
            self.head_tabs: min(420, 92 * len(self.board.heads)),
            self.scale_toggle: 200,
            self.temperature_slider: 230,
            self.scheme_tabs: min(420, 96 * len(self.schemes)),
            self.parameter_slider: 240,
        }
        left = self.back_button.rect.right + 14
        room = right - 8 - left - 8 * max(0, len(self.top_widgets) - 1)
        need = sum(wanted[w] for w in self.top_widgets) or 1
        factor = min(1.0, room / need)
        x = left
        for widget in self.top_widgets:
            w = int(wanted[widget] * factor)
            tall = isinstance(widget, Slider)
            widget.rect = pygame.Rect(
                x, top.top + 3 if tall else y, w, top.height - 6 if tall else h
            )
            x += w + 8

    # -- the model → the views -----------------------------------------------------
    def _refresh(self) -> None:
        theme = self.look.theme
        watching = None if self.watch is None else (id(self.watch), self.watch.frame)
        key = (self.board.revision, self.head, theme, watching)
        if key != self._shown:
            try:
                self._show_evaluation(theme)
            except BoardError:
                raise
            except Exception as error:  # plugin code (a scheme, a goal) failed on this board
                if self.evaluation is None or not self.board.can_undo:
                    raise  # nothing to fall back to: the caller reports it
                self.board.undo()
                self.toasts.show(f"That change was undone: {describe_failure(error)}", "error")
                self.cue("refused")
                key = (self.board.revision, self.head, theme, watching)
                self._show_evaluation(theme)
            self._shown = key
        step_key = (self.board.revision, self.head, self.step_mode.index, theme)
        if self.step_mode.active and step_key != self._step_shown:
            self._step_shown = step_key
            self.step_view.set_step(self.step_mode, step_key[:3], theme)

    def _show_evaluation(self, theme: Theme) -> None:
        watch = self.watch
        board = watch.scratch if watch is not None and watch.scratch is not None else self.board
        self.head = min(self.head, len(board.heads) - 1)
        ev = self.evaluation = board.evaluate(0)
        self._shown_wires = board.wire_count  # the scratch board's while watching
        head = ev.head(self.head)
        q_words = list(ev.tokens[head.query_sequence])
        k_words = list(ev.tokens[head.key_sequence])
        mask = ~head.allowed
        self.heatmap.set_data(
            head.weights,
            revision=(self.board.revision, self.head, None if watch is None else watch.frame),
            mask=mask if mask.any() else None,
            row_labels=q_words,
            col_labels=k_words,
        )
        two_rows = head.query_sequence != head.key_sequence
        labels = (
            (f"Keys ({head.key_sequence})", f"Queries ({head.query_sequence})")
            if two_rows
            else ("Keys: who answers", "Queries: who asks")
        )
        colours = head_colours(theme)
        self.board_view.set_data(
            weights=head.weights, query_words=q_words, key_words=k_words,
            query_x=ev.x[head.query_sequence], key_x=ev.x[head.key_sequence],
            values=head.v, features=ev.features, labels=labels,
            colour=colours[self.head % len(colours)], theme=theme,
        )  # fmt: skip
        spec = board.heads[self.head]
        self.wire_editor.set_links([Link(w.query, w.key, w.strength) for w in spec.wires])
        self.value_editor.set_links([Link(r.key, r.out, r.strength) for r in spec.values])
        self._sync_controls()
        self.undo_button.enabled = self.board.can_undo
        self.redo_button.enabled = self.board.can_redo
        met = ev.goals_met
        self.check_button.enabled = met and watch is None
        if met and self._goals_met is False and watch is None:  # turned green now, by the player
            self.toasts.show("Every goal is met! Press Check (or Ctrl+Enter) to score it.", "good")
            self.cue("goal")
        self._goals_met = met
        state = self.inspector.state
        if state is not None:
            try:
                state.inspection = ev.inspect(state.head, state.i, state.j)
                hq = ev.head(state.head)
                state.query_word = ev.tokens[hq.query_sequence][state.i]
                state.key_word = ev.tokens[hq.key_sequence][state.j]
            except (IndexError, LookupError, ValueError):
                self.inspector.state = None
        self.board_view.highlight = (
            (state.i, state.j) if state is not None and state.head == self.head else None
        )
        if self.step_mode.active:
            self._load_steps(ev)

    def _load_steps(self, ev: Evaluation) -> None:
        head = ev.head(self.head)
        sharing = sum(1 for h in ev.heads if h.query_sequence == head.query_sequence)
        self.step_mode.arrays = ev.steps(self.head).arrays()
        self.step_mode.labels = step_labels(
            ev.tokens[head.query_sequence], ev.tokens[head.key_sequence],
            ev.features, self.level.head_dim, sharing,
        )  # fmt: skip

    def _sync_controls(self) -> None:
        settings = self.board.settings
        self.scale_toggle.set(settings.scale, notify=False)
        self.temperature_slider.set_value(settings.temperature, notify=False)
        self.scheme_tabs.select(self._scheme_index(), notify=False)
        self.head_tabs.select(self.head, notify=False)
        scheme = self.catalog.positional.get(settings.positional)
        slider = self.parameter_slider
        if scheme is not None and scheme.parameters:
            p = scheme.parameters[0]
            slider.label, slider.low, slider.high, slider.log = p.title, p.low, p.high, p.log_scale
            slider.enabled = self.level.controls.positional_parameter
            if settings.parameter is not None:
                slider._value = slider.clamp(settings.parameter)  # noqa: SLF001 (range changed too)
        else:
            slider.enabled = False

    # -- intents -------------------------------------------------------------------
    def intent(self, action: Callable[..., None], *args: object) -> bool:
        """Send one intent to the board; a refusal becomes a toast. True when it went through."""
        try:
            action(*args)
        except BoardError as error:
            self.toasts.show(str(error), "error")
            self.cue("refused")
            return False
        if getattr(action, "__name__", "") in ("add_wire", "add_value_route"):
            self.cue("wire")
        return True

    def cue(self, name: str) -> None:
        """A sound cue, when the app has sound (a bare look in tests has none)."""
        sounds = getattr(self.look, "sounds", None)
        if sounds is not None:
            sounds.play(name)

    # -- watch it learn ---------------------------------------------------------------
    @property
    def learn_available(self) -> bool:
        """'Watch it learn' is offered when the wires may change and the goals give the
        selected head a pattern to learn (`has_target`)."""
        if not self.level.controls.wires:
            return False
        head = min(self.head, len(self.board.heads) - 1)
        if head not in self._learnable:
            try:
                self._learnable[head] = has_target(self.board, head)
            except (BoardError, ValueError, LookupError):
                self._learnable[head] = False
        return self._learnable[head]

    def start_watch(self) -> None:
        if self.watch is not None or not self.learn_available:
            return
        self.inspector.state = None
        self.step_mode.active = False
        self.watch = LearnWatch(self.board, self.head)
        self._focus_before_watch = self.group.focused
        self.group.focus(None)  # one focus ring: the panel's
        self.watch_panel.group.focus(self.watch_panel.keep_button)
        self._shown = None

    def _end_watch(self) -> None:
        self.watch = None
        before = getattr(self, "_focus_before_watch", None)
        self.group.focus(before if before is not None and before.can_focus else None)

    def keep_learned(self) -> None:
        watch = self.watch
        self._end_watch()
        if watch is not None and self.intent(watch.keep):
            self.toasts.show("Kept the learned wires (Ctrl+Z takes them back).", "good")
        self._shown = None

    def discard_learned(self) -> None:
        if self.watch is not None:
            self.watch.finish()
        self._end_watch()
        self._shown = None

    def set_value_strength(self, key: str, out: str, strength: float) -> None:
        strength = max(-MAX_STRENGTH, min(MAX_STRENGTH, strength))
        self.intent(self.board.set_value_strength, self.head, key, out, strength)

    def set_strength(self, query: str, key: str, strength: float) -> None:
        strength = max(-MAX_STRENGTH, min(MAX_STRENGTH, strength))
        self.intent(self.board.set_wire_strength, self.head, query, key, strength)

    def select_head(self, index: int) -> None:
        self.head = index

    def reset(self) -> None:
        if self.intent(self.board.reset):
            self.toasts.show("Back to the start (Ctrl+Z brings your work back).")

    def next_hint(self) -> None:
        self.hints_shown = self.hints_shown % len(self.level.hints) + 1
        self.hint_button.label = (
            f"Hint {self.hints_shown} of {len(self.level.hints)}: next"
            if self.hints_shown < len(self.level.hints)
            else "Hint 3 of 3: again"
        )

    def open_inspector(self, i: int, j: int) -> None:
        self.inspector.state = InspectorState(self.head, i, j)
        self.step_mode.active = False
        self._shown = None  # fill in the numbers on the next refresh

    def toggle_step_mode(self) -> None:
        mode = self.step_mode
        mode.active = not mode.active
        mode.playing = False
        if mode.active:
            self.inspector.state = None
            if self.evaluation is not None:
                self._load_steps(self.evaluation)
            self._step_shown = None

    def open_help(self) -> None:
        self.stack.push(HelpOverlay(self.look, PLAY_SHORTCUTS))

    def back(self) -> None:
        if self.on_back is not None:
            self.on_back()
        elif self.stack.top is self:
            self.stack.pop()

    def check(self) -> None:
        """Score on every sentence (held-out ones too), report it, and open the results."""
        if self.evaluation is None or not self.evaluation.goals_met:
            self.toasts.show("Meet every goal first: the bars turn green.", "error")
            return
        try:
            result = self.last_score = score(self.board)
        except BoardError:
            raise
        except Exception as error:  # plugin code failing on a held-out sentence
            self.toasts.show(f"Could not score this board: {describe_failure(error)}", "error")
            self.cue("refused")
            return
        self.cue("stars" if result.stars else "refused")
        if self.on_scored is not None:
            self.on_scored(self.level, self.board, result)
        from game.ui.results.scene import ResultsScene

        self.stack.push(
            ResultsScene(
                self.look, self.level, self.catalog, self.board, result,
                on_next=self.on_next, on_levels=self.on_back,
            )
        )  # fmt: skip

    # -- scene protocol ------------------------------------------------------------
    def handle(self, event: pygame.event.Event) -> None:
        self._relayout()
        self._handle(event)
        self._relayout()
        self._refresh()

    def _handle(self, event: pygame.event.Event) -> None:
        if self.watch is not None:  # only the watch panel takes input while it runs
            if event.type == pygame.KEYDOWN and event.key == pygame.K_ESCAPE:
                self.discard_learned()
            elif event.type in (pygame.KEYDOWN, *MOUSE_EVENTS):
                self.watch_panel.group.handle(event)
            return
        if event.type == pygame.KEYDOWN:
            if self._shortcut(event):
                return
            if self.group.handle(event):
                return
            if event.key in (pygame.K_RETURN, pygame.K_KP_ENTER) and self.check_button.enabled:
                self.check()
            return
        if event.type == pygame.MOUSEWHEEL:
            for widget in (self.wire_editor, self.value_editor, self.explanation):
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
        if event.type in (pygame.MOUSEBUTTONDOWN, pygame.MOUSEBUTTONUP, pygame.MOUSEMOTION):
            self.group.handle(event)

    def _shortcut(self, event: pygame.event.Event) -> bool:
        key, mod = event.key, mods(event)
        ctrl, shift, alt = mod & pygame.KMOD_CTRL, mod & pygame.KMOD_SHIFT, mod & pygame.KMOD_ALT
        if ctrl and key == pygame.K_z:
            self.intent(self.board.redo if shift else self.board.undo)
        elif ctrl and key == pygame.K_y:
            self.intent(self.board.redo)
        elif alt and key == pygame.K_r:
            self.reset()
        elif ctrl and key in (pygame.K_RETURN, pygame.K_KP_ENTER):
            self.check()
        elif key == pygame.K_F1:
            self.open_help()
        elif key == pygame.K_ESCAPE:
            if self.inspector.open:
                self.inspector.state = None
                self._shown = None
            elif self.step_mode.active:
                self.toggle_step_mode()
            else:
                self.back()
        elif self.step_mode.active and key == pygame.K_SPACE:
            self.step_mode.toggle_play()
        elif self.step_mode.active and key in (pygame.K_LEFT, pygame.K_RIGHT):
            self.step_mode.step(1 if key == pygame.K_RIGHT else -1)
        elif key == pygame.K_s and not (ctrl or alt):
            self.toggle_step_mode()
        else:
            return False
        return True

    def resume(self) -> None:
        self._shown = self._step_shown = None
        self._relayout()
        self._refresh()

    def update(self, dt: float) -> None:
        if self.watch is not None:
            self.watch.update(dt)  # a few training steps, never more than a frame's worth
        self._relayout()
        self.board_view.update(dt)
        self.step_mode.update(dt)
        self.toasts.update(dt)
        self._refresh()

    # -- drawing -------------------------------------------------------------------
    def draw(self, surface: pygame.Surface) -> None:
        theme, text, lay = self.look.theme, self.look.text, self.layout
        ev = self.evaluation
        pygame.draw.rect(surface, theme.panel, lay.top)
        pygame.draw.line(
            surface, theme.panel_edge, lay.top.bottomleft, lay.top.bottomright, theme.line_px(1)
        )
        self._draw_left(surface, theme, text)
        draw_box(surface, lay.heatmap, theme, fill=theme.panel, edge=theme.panel_edge, edge_width=1)
        if self.step_mode.active:
            self.step_view.draw(surface, self.step_mode, theme, text)
        elif self.inspector.open:
            self.inspector.draw(surface, theme, text)
        else:
            self.board_view.draw(surface, theme, text)
        for widget in self.group.widgets:
            if widget is self.learn_button and not self._learn_shown:
                continue
            if widget is not self.board_view:
                widget.draw(surface, theme, text)
        if self.watch is not None:
            self.watch_panel.draw(surface, self.watch, theme, text)
        if ev is not None:
            head = ev.head(self.head)
            draw_output_bars(
                surface, lay.outputs, ev.outputs[head.query_sequence],
                ev.tokens[head.query_sequence], ev.features, theme, text,
            )  # fmt: skip
        self.toasts.draw(
            surface,
            pygame.Rect(lay.editor.left, 0, lay.editor.width, lay.editor.bottom),
            theme,
            text,
        )

    def _draw_left(self, surface: pygame.Surface, theme: Theme, text) -> None:
        lay, ev = self.layout, self.evaluation
        draw_box(surface, lay.left, theme, fill=theme.panel, edge=theme.panel_edge, edge_width=1)
        title = fit_text(
            text, self.level.title, lay.title.width, theme.font_px(24), theme.text, "bold"
        )
        surface.blit(title, lay.title.topleft)
        concept = f"{concept_title(self.level.concept)}  ·  {self.level.id}"
        sub = fit_text(text, concept, lay.title.width, theme.font_px(15), theme.accent)
        surface.blit(sub, (lay.title.left, lay.title.top + round(theme.font_px(24) * 1.3)))
        if self.hints_shown:
            self._draw_hint(surface, theme, text, self.level.hints[self.hints_shown - 1])
        if ev is not None:
            draw_goals(surface, lay.goals, ev.goal_results, theme, text, lay.goal_lines)
            preview = StarPreview(ev.goals_met, self._shown_wires, self.level.par)
            draw_star_preview(surface, lay.stars, preview, theme, text)

    def _draw_hint(self, surface: pygame.Surface, theme: Theme, text, hint: str) -> None:
        rect = self.layout.hint_text
        size = theme.font_px(15)
        line = round(size * 1.25)
        lines = text.wrap(hint, rect.width - 8, size)
        if len(lines) > HINT_MAX_LINES:  # a very long hint: shrink it into the lines there are
            lines = text.wrap(hint, round((rect.width - 8) * len(lines) / HINT_MAX_LINES), size)
        for k, part in enumerate(lines[:HINT_MAX_LINES]):
            image = fit_text(text, part, rect.width - 8, size, theme.text, min_size=9)
            surface.blit(image, (rect.left + 4, rect.top + k * line))


__all__ = ["PlayScene"]
