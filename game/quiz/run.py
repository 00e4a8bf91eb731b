"""One student taking one quiz: the question shown, the choice made, the time it took.

Plain state the quiz screen draws and sends intents to (`select`, `confirm`,
`advance`). The time an answer took is read from `timer` (seconds, e.g.
`time.monotonic`) when one is given: the game's loop sleeps while nothing moves
and caps each frame's `dt`, so summed frame times would undercount a student
thinking in front of a still screen. Without a timer it is the sum of
`tick(dt)`, so tests can pass `dt`. A confirmed answer becomes an `Answer` at
once, for saving.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from game.quiz.answers import Answer, now_stamp
from game.quiz.schema import Question, QuizPack


@dataclass
class QuizRun:
    pack: QuizPack
    phase: str  # "pre" or "post"
    name: str
    clock: Callable[[], str] = now_stamp  # the timestamp an answer gets
    index: int = 0  # the question shown (0-based)
    selected: int | None = None  # the choice picked but not yet confirmed (1-based)
    revealed: bool = False  # the answer is confirmed: right or wrong and the explanation show
    elapsed: float = 0.0  # seconds on the question shown, until it is confirmed
    answers: list[Answer] = field(default_factory=list)
    timer: Callable[[], float] | None = None  # seconds; None: the sum of tick(dt)

    def __post_init__(self) -> None:
        self.questions: list[Question] = self.pack.for_phase(self.phase)
        if not self.questions:
            raise ValueError(f"the quiz {self.pack.id!r} has no {self.phase} questions")
        self.shown_at = self.timer() if self.timer is not None else 0.0

    def seconds_taken(self) -> float:
        """How long the question shown has been waiting for its answer."""
        if self.timer is None:
            return self.elapsed
        return max(0.0, self.timer() - self.shown_at)

    @property
    def question(self) -> Question:
        return self.questions[self.index]

    @property
    def finished(self) -> bool:
        return self.index >= len(self.questions)

    @property
    def score(self) -> int:
        return sum(answer.correct for answer in self.answers)

    def tick(self, dt: float) -> None:
        if not self.revealed and not self.finished:
            self.elapsed += max(0.0, dt)

    def select(self, choice: int) -> bool:
        """Pick choice `choice` (1-based); False when it is not one of this question's."""
        if self.revealed or self.finished or not 1 <= choice <= len(self.question.choices):
            return False
        self.selected = choice
        return True

    def confirm(self) -> Answer | None:
        """Lock the picked choice in: the answer to save, or None when nothing is picked."""
        if self.revealed or self.finished or self.selected is None:
            return None
        question = self.question
        answer = Answer(
            name=self.name,
            quiz_id=self.pack.id,
            phase=self.phase,
            question_id=question.id,
            choice=self.selected,
            choice_text=question.choice_text(self.selected - 1),
            correct=question.is_right(self.selected),
            seconds=round(self.seconds_taken(), 2),
            timestamp=self.clock(),
        )
        self.answers.append(answer)
        self.revealed = True
        return answer

    def advance(self) -> bool:
        """On to the next question after the reveal; True when that was the last one."""
        if self.revealed:
            self.index += 1
            self.selected, self.revealed, self.elapsed = None, False, 0.0
            self.shown_at = self.timer() if self.timer is not None else 0.0
        return self.finished


def latest_score(
    answers: list[Answer], name: str, quiz_id: str, phase: str
) -> tuple[int, int] | None:
    """(right, asked) over each question's latest answer by `name` (any case) in `phase`;
    None when that student has not answered that phase of the quiz on this computer."""
    latest: dict[str, Answer] = {}
    for answer in answers:  # the file keeps the order answers were given
        same = answer.name.casefold() == name.casefold()
        if same and answer.quiz_id == quiz_id and answer.phase == phase:
            latest[answer.question_id] = answer
    if not latest:
        return None
    return sum(answer.correct for answer in latest.values()), len(latest)


def class_scores(answers: list[Answer]) -> dict[tuple[str, str], list[tuple[str, int, int]]]:
    """(quiz id, phase) → [(name, right, asked)] per student, over each question's latest
    answer; names are matched in any case and listed as first written."""
    latest: dict[tuple[str, str, str], dict[str, Answer]] = {}
    names: dict[str, str] = {}
    for answer in answers:
        key = answer.name.casefold()
        names.setdefault(key, answer.name)
        latest.setdefault((answer.quiz_id, answer.phase, key), {})[answer.question_id] = answer
    scores: dict[tuple[str, str], list[tuple[str, int, int]]] = {}
    for (quiz_id, phase, key), given in latest.items():
        right = sum(answer.correct for answer in given.values())
        scores.setdefault((quiz_id, phase), []).append((names[key], right, len(given)))
    return scores
