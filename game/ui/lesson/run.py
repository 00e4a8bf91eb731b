"""Where a lesson is, and what the class predicted: plain state, no drawing.

`LessonRun` is the lesson's navigator (game.ui.presenter: next / previous /
current, what the presenter's → / ← and Page Down / Up walk); `PromptState` is
one prompt's answer: the option the class picked (a choice number or a heatmap
column) and whether the real answer has been revealed.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from game.lessons.answers import Reveal
from game.lessons.schema import Lesson, Step
from game.ui.presenter.navigator import Stop


@dataclass(frozen=True)
class LessonStop(Stop):
    """A lesson's step as the presenter's navigator hands it over."""

    step: Step | None = None


@dataclass
class LessonRun:
    """The lesson's navigator (game.ui.presenter.Navigator): its steps and which one shows.

    It starts on the first step (a lesson opens on it); `next` / `previous` return
    the new stop, or None (the cursor stays) past either end."""

    lesson: Lesson
    index: int = 0

    @property
    def step(self) -> Step:
        return self.lesson.steps[self.index]

    @property
    def count(self) -> int:
        return len(self.lesson.steps)

    @property
    def position(self) -> str:
        """ "step 3 of 12", as the caption bar shows it."""
        return f"step {self.index + 1} of {self.count}"

    def current(self) -> LessonStop:
        step = self.step
        return LessonStop(step.level, self.lesson.title, step.caption, self.index, self.count, step)

    def next(self) -> LessonStop | None:
        if self.index + 1 >= self.count:
            return None
        self.index += 1
        return self.current()

    def previous(self) -> LessonStop | None:
        if self.index == 0:
            return None
        self.index -= 1
        return self.current()

    def follow(self, level_id: str) -> None:
        """Opened some other way: go to the first step on `level_id`, if the lesson has one."""
        if self.step.level != level_id:
            found = [k for k, step in enumerate(self.lesson.steps) if step.level == level_id]
            if found:
                self.index = found[0]

    def go(self, index: int) -> None:
        self.index = min(max(0, index), self.count - 1)


@dataclass
class PromptState:
    """The class's answer to one prompt: picked option (a key column), and revealed or not."""

    options: tuple[int, ...]  # the key columns the class may pick
    picked: int | None = None
    cursor: int = 0  # the option the keyboard is on (an index into `options`)
    revealed: bool = False
    reveal: Reveal | None = field(default=None, repr=False)

    def pick(self, column: int) -> bool:
        """Pick a key column (before the reveal only); False when it is not an option."""
        if self.revealed or column not in self.options:
            return False
        self.picked = column
        self.cursor = self.options.index(column)
        return True

    def pick_number(self, number: int) -> bool:
        """Choice `number` (1-based, keys 1–4)."""
        if not 1 <= number <= len(self.options):
            return False
        return self.pick(self.options[number - 1])

    def move(self, direction: int) -> None:
        if not self.revealed:
            self.cursor = (self.cursor + direction) % len(self.options)

    def confirm(self) -> None:
        """Enter: pick the option under the keyboard's cursor."""
        self.pick(self.options[self.cursor])

    def show(self, reveal: Reveal) -> bool:
        """Space: reveal the real answer (once the class has answered). False when not yet."""
        if self.picked is None or self.revealed:
            return False
        self.reveal, self.revealed = reveal, True
        return True
