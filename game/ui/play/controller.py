"""The play screen's state, and the intents it sends to the board.

`PlayController` holds what the player is doing on one level: the `Board`,
the selected head, the hints shown, step mode, a "watch it learn" run, the
last evaluation and the last score. Its methods are the screen's intents
(`add_wire`, `set_scale`, `undo`, …, sent through `intent`); a refused intent
(`BoardError`) becomes a toast and a sound cue, never an exception. No widget
and no drawing here: the scene (scene.py) maps input onto these methods and
hands what they leave behind to the views.
"""

from __future__ import annotations

from collections.abc import Callable

from game.levels.schema import MAX_STRENGTH, Level
from game.model import Board, BoardError, Catalog, Evaluation, Score, score
from game.model.learn import has_target
from game.plugin_calls import PluginCodeError
from game.ui.engine.failure import describe_failure
from game.ui.engine.toast import Toasts
from game.ui.play.step_mode import StepMode, step_labels
from game.ui.play.watch import LearnWatch

Cue = Callable[[str], None]


class PlayController:
    """One level being played: the board and everything the screen remembers about it."""

    def __init__(self, level: Level, catalog: Catalog, board: Board | None, *, cue: Cue):
        self.level = level
        self.catalog = catalog
        self.board = board if board is not None else Board(level, catalog)
        self.cue = cue  # plays a sound cue by name ("wire", "refused", "goal", "stars")
        self.head = 0
        self.hints_shown = 0
        self.toasts = Toasts()
        self.evaluation: Evaluation | None = None
        self.last_score: Score | None = None
        self.step_mode = StepMode()
        self.watch: LearnWatch | None = None
        self.shown_wires = 0  # wires on the board shown (the scratch board's while watching)
        self.goals_met: bool | None = None  # unknown until the first evaluation
        self._learnable: dict[int, bool] = {}
        self.kept_wires: dict[int, tuple] = {}  # head -> the wires gradient descent gave it

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

    def add_wire(self, query: str, key: str) -> None:
        self.intent(self.board.add_wire, self.head, query, key, 1.0)

    def remove_wire(self, query: str, key: str) -> None:
        self.intent(self.board.remove_wire, self.head, query, key)

    def set_strength(self, query: str, key: str, strength: float) -> None:
        strength = max(-MAX_STRENGTH, min(MAX_STRENGTH, strength))
        self.intent(self.board.set_wire_strength, self.head, query, key, strength)

    def add_value_route(self, key: str, out: str) -> None:
        self.intent(self.board.add_value_route, self.head, key, out, 1.0)

    def remove_value_route(self, key: str, out: str) -> None:
        self.intent(self.board.remove_value_route, self.head, key, out)

    def set_value_strength(self, key: str, out: str, strength: float) -> None:
        strength = max(-MAX_STRENGTH, min(MAX_STRENGTH, strength))
        self.intent(self.board.set_value_strength, self.head, key, out, strength)

    def set_scale(self, on: bool) -> None:
        self.intent(self.board.set_scale, on)

    def set_mix(self, mix: float, gesture: int) -> None:
        """The selected head's weight in W_O; one drag of the slider is one undo step."""
        self.intent(lambda: self.board.set_mix(self.head, round(mix, 2), merge=gesture))

    def set_causal(self, on: bool) -> None:
        self.intent(self.board.set_causal, on)

    def set_temperature(self, temperature: float, gesture: int) -> None:
        """One drag of the slider (`gesture`) merges into one undo step."""
        self.intent(lambda: self.board.set_temperature(round(temperature, 3), merge=gesture))

    def choose_positional(self, name: str) -> None:
        self.intent(self.board.choose_positional, name)

    def set_positional_parameter(self, value: float, gesture: int) -> None:
        self.intent(
            lambda: self.board.set_positional_parameter(float(f"{value:.4g}"), merge=gesture)
        )

    def set_knob(self, name: str, value: float, gesture: int) -> None:
        """One of the level's knobs; one drag or key press (`gesture`) is one undo step."""
        self.intent(lambda: self.board.set_knob(name, value, merge=gesture))

    def undo(self) -> None:
        self.intent(self.board.undo)

    def redo(self) -> None:
        self.intent(self.board.redo)

    def select_head(self, index: int) -> None:
        self.head = index

    def reset(self) -> None:
        if self.intent(self.board.reset):
            self.toasts.show("Back to the start (Ctrl+Z brings your work back).")

    def next_hint(self) -> None:
        self.hints_shown = self.hints_shown % len(self.level.hints) + 1

    @property
    def hint_label(self) -> str:
        """What the hint button says: what pressing it shows next."""
        if not self.hints_shown:
            return "Show a hint"
        if self.hints_shown < len(self.level.hints):
            return f"Hint {self.hints_shown} of {len(self.level.hints)}: next"
        return "Hint 3 of 3: again"

    @property
    def hint(self) -> str | None:
        """The hint shown in the left column, if any."""
        return self.level.hints[self.hints_shown - 1] if self.hints_shown else None

    # -- the model's answers --------------------------------------------------------
    def evaluate(self, task_sample: int | None = None) -> Evaluation:
        """Evaluate the board shown (the scratch board while watching it learn) on sentence 0;
        `task_sample` scores a task level on only that many held-out inputs (while editing)."""
        board = self.shown_board
        self.head = min(self.head, len(board.heads) - 1)
        self.evaluation = board.evaluate(0, task_sample=task_sample)
        self.shown_wires = board.wire_count
        return self.evaluation

    @property
    def shown_board(self) -> Board:
        """The board on screen: the scratch board while watching it learn, else the player's."""
        watch = self.watch
        return watch.scratch if watch is not None and watch.scratch is not None else self.board

    def note_goals(self, met: bool) -> None:
        """Say so, once, when the player's own change turns every goal green."""
        if met and self.goals_met is False and self.watch is None:
            self.toasts.show("Every goal is met! Press Check (or Ctrl+Enter) to score it.", "good")
            self.cue("goal")
        self.goals_met = met

    def undo_failed_change(self, error: Exception) -> bool:
        """Plugin code (a scheme, a goal) failed on this board: take the change back.

        False when there is nothing to fall back to (the caller then reports it)."""
        if self.evaluation is None or not self.board.can_undo:
            return False
        self.board.undo()
        self.toasts.show(f"That change was undone: {describe_failure(error)}", "error")
        self.cue("refused")
        return True

    def score(self) -> Score | None:
        """Score on every sentence (held-out ones too); None, with a toast, when it cannot."""
        if self.evaluation is None or not self.evaluation.goals_met:
            self.toasts.show("Meet every goal first: the bars turn green.", "error")
            return None
        try:
            result = self.last_score = score(self.board)
        except BoardError:
            raise
        except Exception as error:  # plugin code failing on a held-out sentence
            self.toasts.show(f"Could not score this board: {describe_failure(error)}", "error")
            self.cue("refused")
            return None
        self.cue("stars" if result.stars else "refused")
        return result

    # -- step mode -------------------------------------------------------------------
    def toggle_step_mode(self) -> None:
        mode = self.step_mode
        mode.active = not mode.active
        mode.playing = False
        if mode.active and self.evaluation is not None:
            self.load_steps(self.evaluation)

    def load_steps(self, ev: Evaluation) -> None:
        """Hand step mode the selected head's arrays, step by step, with their labels."""
        head = ev.head(self.head)
        sharing = sum(
            1 for h in ev.heads if h.query_sequence == head.query_sequence and h.layer == head.layer
        )  # the heads concatenated in this head's layer
        self.step_mode.arrays = ev.steps(self.head).arrays()
        self.step_mode.linear = head.exact_weights is not None
        self.step_mode.layer = head.layer if ev.layers > 1 else None
        self.step_mode.labels = step_labels(
            ev.tokens[head.query_sequence], ev.tokens[head.key_sequence],
            ev.features, self.level.head_dim, sharing,
        )  # fmt: skip

    # -- watch it learn ----------------------------------------------------------------
    @property
    def learn_available(self) -> bool:
        """'Watch it learn' is offered when the wires may change and the goals give the
        selected head a pattern to learn (`has_target`)."""
        if not self.level.controls.wires:
            return False
        head = min(self.head, len(self.board.heads) - 1)
        if self.level.task is not None:  # cheap, and it depends on the heads above: uncached
            return has_target(self.board, head)
        if head not in self._learnable:
            try:
                self._learnable[head] = has_target(self.board, head)
            except (BoardError, ValueError, LookupError, PluginCodeError):  # not offered
                self._learnable[head] = False
        return self._learnable[head]

    def start_watch(self) -> bool:
        """Start training the selected head on a scratch board; False when it cannot."""
        if self.watch is not None or not self.learn_available:
            return False
        self.step_mode.active = False
        self.watch = LearnWatch(self.board, self.head)
        return True

    def keep_learned(self) -> None:
        """Put the learned wires on the real board (one undoable step) and stop watching."""
        watch, self.watch = self.watch, None
        if watch is not None and self.intent(watch.keep):
            self.kept_wires[watch.head] = self.board.state.heads[watch.head].wires
            self.toasts.show("Kept the learned wires (Ctrl+Z takes them back).", "good")

    @property
    def machine_learned(self) -> bool:
        """A head on the board has exactly the wires gradient descent gave it (the player
        kept them and has not changed them since): its stars are the machine's."""
        heads = self.board.state.heads
        return any(
            h < len(heads) and wires and heads[h].wires == wires
            for h, wires in self.kept_wires.items()
        )

    def discard_learned(self) -> None:
        if self.watch is not None:
            self.watch.finish()
        self.watch = None
