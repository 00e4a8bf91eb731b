"""'Watch it learn': gradient descent trains one head while the board shows each step.

`LearnWatch` drives the model's `HeadLearner` (the same training, stopping rule
and par cut as `switchyard solve --learn`) from `update(dt)`: steps accumulate at
a paced rate, never more than MAX_STEPS_PER_FRAME in one frame, so training
never stalls a frame; the watch decides only how many steps run per frame.
The pace is for the eye, not the maths (the one stopping rule stays in
game/model/learn.py): START_RATE steps a second for the first RAMP_AFTER
seconds, so the first steps and the loss curve's fall can be followed, then
doubling every DOUBLING_SECONDS up to STEPS_PER_SECOND, so a long run still
ends within seconds. Every campaign level's run lasts about 2 to 10 seconds. A
scratch board of the latest step is what the play screen shows meanwhile; when
training stops it shows the best step, cut to the level's par, as `learn_head`
returns it. The real board is untouched until the player keeps the wires (one
undoable `replace_head`). `WatchPanel` draws the step, the loss curve and the two
buttons; it reads the watch and never changes it while drawing.

On a task level (`[task]` + `[readout]`) the head learns its wires and value
routes on the readout (game/model/task_loss.py), and the watch shows the real
held-out accuracy (the level's own score, on inputs training never sees) every
ACCURACY_SECONDS and at the end; when one head cannot reach the goal from this
board, the status says so in plain words (`task_learn.shortfall`). The shown
board follows training at that rescoring pace (scoring it is what costs), and
the learner's setup (measuring the logits' basis, 60–260 ms in BENCHMARKS.md)
runs once, on the watch's first frame.
"""

from __future__ import annotations

import math
from collections.abc import Callable

import pygame

from game.model import Board, BoardError
from game.model.learn import HeadLearner, Learned, scratch_board, wires_from
from game.model.task_learn import held_out_accuracy, shortfall
from game.model.train import TrainStep
from game.plugin_calls import PluginCodeError
from game.ui.engine.text import TextCache
from game.ui.engine.theme import Theme
from game.ui.play.head_names import head_name
from game.ui.widgets import Button, FocusGroup
from game.ui.widgets.base import draw_box, fit_text, mix

START_RATE = 12.0  # steps a second at first: each step can be seen
RAMP_AFTER = 2.5  # seconds at START_RATE before the pace picks up
DOUBLING_SECONDS = 1.5  # then the rate doubles this often…
STEPS_PER_SECOND = 240.0  # …up to this
MAX_STEPS_PER_FRAME = 4
MAX_CURVE = 300  # loss points kept for the curve (evenly thinned)
MAX_STATUS_LINES = 3  # the status wraps to this many lines; the curve gives up the room
ACCURACY_SECONDS = 0.5  # a task level's held-out accuracy is rescored this often while learning
# A level training cannot handle, or a goal's `target` (plugin code) that failed.
TRAINING_ERRORS = (BoardError, ValueError, LookupError, PluginCodeError)


def pace(elapsed: float) -> float:
    """Training steps a second shown `elapsed` seconds into a watch."""
    if elapsed <= RAMP_AFTER:
        return START_RATE
    return min(STEPS_PER_SECOND, START_RATE * 2 ** ((elapsed - RAMP_AFTER) / DOUBLING_SECONDS))


class LearnWatch:
    """One run of training shown on the board; `done` once it stops by itself or is stopped.

    `seed` picks the starting strengths, as `learn_head`'s does: the same seed gives
    the same wires here and from `switchyard solve --learn`.
    """

    def __init__(self, board: Board, head: int, *, seed: int = 0):
        self.board = board
        self.head = head
        self.seed = seed
        self._learner: HeadLearner | None = None  # made on the first update, not on the click
        self.step: TrainStep | None = None  # the latest step
        self.kept: TrainStep | None = None  # once done: the best step, the one on offer
        self.learned: Learned | None = None  # once stopped by itself: the best head, cut to par
        self.scratch: Board | None = None
        self.losses: list[float] = []
        self.done = False
        self.converged = False
        self.error: str | None = None
        self.trimmed = False  # the shown head was cut down to the level's par at the end
        self._owed = 0.0  # fractional steps carried to the next frame
        self.elapsed = 0.0  # seconds watched so far (the pace follows it)
        self.accuracy: float | None = None  # a task level's held-out accuracy of the shown head
        self._scored_at = -ACCURACY_SECONDS  # `elapsed` when it was last scored

    @property
    def frame(self) -> int:
        """The latest step (-1 before the first): the play screen redraws when it moves."""
        return -1 if self.step is None else self.step.step

    @property
    def shown(self) -> TrainStep | None:
        """The step whose wires are on the scratch board: the latest, or the best once done."""
        return self.kept if self.kept is not None else self.step

    def update(self, dt: float) -> int:
        """Advance by dt seconds' worth of steps (at most MAX_STEPS_PER_FRAME); how many ran."""
        if self.done:
            return 0
        self.elapsed += dt
        self._owed = min(self._owed + dt * pace(self.elapsed), MAX_STEPS_PER_FRAME)
        count = max(1, int(self._owed)) if self.step is None else int(self._owed)
        self._owed = max(0.0, self._owed - count)  # the first step, shown at once, owes nothing
        ran = 0
        try:
            if self._learner is None:
                self._learner = HeadLearner(self.board, self.head, seed=self.seed)
            learner = self._learner
            while ran < count and not learner.done:
                self.step = learner.advance()
                ran += 1
                self._record(self.step.loss)
            if learner.done:
                self._settle(learner)
            elif ran and not learner.task:
                self.scratch = scratch_board(self.board, self.head, self.step.strengths)
            elif ran and self.elapsed - self._scored_at >= ACCURACY_SECONDS:
                # A task board shown is scored on 200 held-out inputs (tens of ms): the board
                # follows training at the rescoring pace, the step and the curve every frame.
                self.scratch = scratch_board(self.board, self.head, self.step.strengths)
                self._score(self.step.strengths)
        except TRAINING_ERRORS as error:
            self.error = str(error) or "training stopped"
            self.finish()
            return 0
        return ran

    def _score(self, strengths) -> None:
        """The held-out accuracy of a task head with `strengths` (the level's real score)."""
        self._scored_at = self.elapsed
        self.accuracy = held_out_accuracy(self.board, self.head, strengths)

    @property
    def task(self) -> bool:
        return self.board.level.task is not None

    def _record(self, loss: float) -> None:
        self.losses.append(loss)
        if len(self.losses) > MAX_CURVE:
            self.losses = self.losses[::2]  # thin evenly; the curve keeps its shape

    def _settle(self, learner: HeadLearner) -> None:
        """Training stopped by itself: offer the best step, cut to par as `learn_head` cuts it."""
        self.converged = learner.converged
        self.kept = learner.best
        assert self.kept is not None
        try:
            self.learned = learner.learned()
        except TRAINING_ERRORS:  # the cut failed: offer the best head as it is
            self.scratch = scratch_board(self.board, self.head, self.kept.strengths)
        else:
            before = len(wires_from(self.kept.strengths, self.board.level.features))
            self.scratch = scratch_board(self.board, self.head, self.learned.strengths)
            self.trimmed = len(self.learned.wires) < before
        if learner.task:
            offered = self.kept.strengths if self.learned is None else self.learned.strengths
            self._score(offered)
        self.finish()

    @property
    def wires(self) -> int:
        """Wires on the shown head."""
        if self.scratch is None:
            return 0
        return len(self.scratch.state.heads[self.head].wires)

    def finish(self) -> None:
        """Stop training (the shown board stays on screen); the learner is released."""
        self.done = True
        self._learner = None

    def keep(self) -> None:
        """Put the offered wires on the real board: one undoable change.

        Stopped early (Keep while learning), that is the best step so far, as
        `train` keeps the best when its step budget runs out."""
        learner = self._learner
        if not self.done and learner is not None and learner.best is not None:
            self.kept = learner.best
            self.scratch = scratch_board(self.board, self.head, self.kept.strengths)
        self.finish()
        if self.scratch is None:
            raise BoardError("nothing learned yet")
        self.board.replace_head(self.head, self.scratch.state.heads[self.head])

    def status(self) -> str:
        if self.error is not None:
            return f"Stopped: {self.error}"
        if not self.done:
            return "Learning, slowed down to watch (Keep stops here)"
        if self.task and self.accuracy is not None:
            short = shortfall(self.board, self.head, self.accuracy)
            if short is not None:
                return short
            trim = f", trimmed to par ({self.wires} wire(s))" if self.trimmed else ""
            return f"Done{trim}: {self.accuracy:.0%} of held-out tokens right."
        if self.converged and self.trimmed:
            return f"Done, and trimmed to par: {self.wires} wire(s)."
        if self.converged:
            return "Done: the loss stopped falling."
        return "Stopped. Keep these wires, or discard them."


def watch_title(learn: LearnWatch) -> str:
    """The panel's title: which head learns (on a stacked board, that the rest stay put:
    `HeadLearner` trains only this head's wires, every other head's are frozen)."""
    level = learn.board.level
    if level.layers <= 1:
        return f"Watching head {learn.head + 1} learn"
    name = head_name(learn.head, level.heads, level.layers)
    return f"Watching {name} learn; every other head stays frozen"


class WatchPanel:
    """The watch's box: step, loss, the loss curve (log scale), and Keep / Discard."""

    def __init__(self, on_keep: Callable[[], None], on_discard: Callable[[], None]):
        self.rect = pygame.Rect(0, 0, 1, 1)
        self.keep_button = Button((0, 0, 1, 1), "Keep these wires", on_keep, primary=True)
        self.discard_button = Button((0, 0, 1, 1), "Discard", on_discard)
        self.group = FocusGroup([self.keep_button, self.discard_button])

    def layout(self, rect: pygame.Rect, theme: Theme) -> None:
        self.rect = pygame.Rect(rect)
        inner = self.rect.inflate(-16, -12)
        h = theme.font_px(18) + 14
        keep_w = round(inner.width * 0.6)
        self.keep_button.rect = pygame.Rect(inner.left, inner.bottom - h, keep_w - 4, h)
        self.discard_button.rect = pygame.Rect(
            inner.left + keep_w + 4, inner.bottom - h, inner.width - keep_w - 4, h
        )

    def curve_rect(self, theme: Theme) -> pygame.Rect:
        inner = self.rect.inflate(-16, -12)
        top = inner.top + round(theme.font_px(16) * 1.3) + round(theme.font_px(14) * 1.3) * 2 + 4
        bottom = self.keep_button.rect.top - 8
        return pygame.Rect(inner.left, top, inner.width, max(8, bottom - top))

    def draw(
        self, surface: pygame.Surface, learn: LearnWatch, theme: Theme, text: TextCache
    ) -> None:
        draw_box(surface, self.rect, theme, fill=theme.panel, edge=theme.accent, edge_width=2)
        inner = self.rect.inflate(-16, -12)
        title = fit_text(
            text, watch_title(learn), inner.width, theme.font_px(16),
            theme.text, "bold",
        )  # fmt: skip
        surface.blit(title, inner.topleft)
        y = inner.top + round(theme.font_px(16) * 1.3)
        small = theme.font_px(14)
        step = learn.shown
        wires = 0 if learn.scratch is None else len(learn.scratch.heads[learn.head].wires)
        plural = "s" if wires != 1 else ""
        best = "best: " if step is not None and step is not learn.step else ""
        numbers = (
            "Starting…"
            if step is None
            else f"{best}step {step.step}  ·  loss {step.loss:.4f}  ·  {wires} wire{plural}"
        )
        if learn.accuracy is not None:
            numbers += f"  ·  held-out {learn.accuracy:.0%}"
        lines = [(numbers, theme.text)]
        # The status may say why one head cannot reach the goal: wrap it, never cut it.
        lines += [(line, theme.text_dim) for line in self.status_lines(learn, theme, text)]
        for line, ink in lines:
            image = fit_text(text, line, inner.width, small, ink)
            surface.blit(image, (inner.left, y))
            y += round(small * 1.3)
        last_step = 0 if learn.step is None else learn.step.step
        curve = self.curve_rect(theme)
        top = max(curve.top, y + 4)  # below a status that wrapped
        curve = pygame.Rect(curve.left, top, curve.width, max(8, curve.bottom - top))
        self._draw_curve(surface, learn.losses, last_step, curve, theme, text)
        for button in (self.keep_button, self.discard_button):
            button.draw(surface, theme, text)

    def status_lines(self, learn: LearnWatch, theme: Theme, text: TextCache) -> tuple[str, ...]:
        """The status wrapped to the panel (at most MAX_STATUS_LINES)."""
        width = self.rect.inflate(-16, -12).width
        return text.wrap(learn.status(), width, theme.font_px(14))[:MAX_STATUS_LINES]

    @staticmethod
    def _draw_curve(
        surface: pygame.Surface,
        losses: list[float],
        last_step: int,
        rect: pygame.Rect,
        theme: Theme,
        text: TextCache,
    ) -> None:
        """The loss against the step, on a log axis (so the tail shows), with both axes labelled."""
        pygame.draw.rect(surface, mix(theme.panel, theme.background, 0.5), rect, border_radius=4)
        if len(losses) < 2 or rect.height < 12:
            return
        logs = [math.log10(max(value, 1e-6)) for value in losses]
        top, low = max(logs), min(logs)
        size, ink = theme.font_px(12), theme.text_dim
        high_label = text.render(f"{10**top:.3g}", size, ink)
        low_label = text.render(f"{10**low:.3g}", size, ink)
        gutter = max(high_label.get_width(), low_label.get_width()) + 8
        # Room first for the curve: the step axis goes when the box is short (big text),
        # the loss labels too when it is shorter still.
        axis_h = round(size * 1.3) if rect.height >= 4 * size else 0
        plot = pygame.Rect(rect.left + gutter, rect.top, rect.width - gutter, rect.height - axis_h)
        if plot.height < round(2.5 * size) or plot.width < 40:
            plot = rect
        else:
            surface.blit(high_label, high_label.get_rect(topright=(plot.left - 4, plot.top + 2)))
            surface.blit(low_label, low_label.get_rect(bottomright=(plot.left - 4, plot.bottom)))
            caption = fit_text(text, "loss, log scale", plot.width - 8, size, ink)
            surface.blit(caption, caption.get_rect(topright=(plot.right - 4, plot.top + 2)))
        if axis_h and plot is not rect:
            first = text.render("step 0", size, ink)
            last = text.render(f"step {last_step}", size, ink)
            axis_y = plot.bottom + axis_h // 2
            surface.blit(first, first.get_rect(midleft=(plot.left + 4, axis_y)))
            surface.blit(last, last.get_rect(midright=(plot.right - 4, axis_y)))
        span = top - low or 1.0
        n = len(logs)
        points = [
            (
                plot.left + 4 + (plot.width - 8) * k / (n - 1),
                plot.bottom - 4 - (plot.height - 8) * (value - low) / span,
            )
            for k, value in enumerate(logs)
        ]
        pygame.draw.lines(surface, theme.accent, False, points, theme.line_px(2))


__all__ = ["LearnWatch", "WatchPanel", "pace"]
