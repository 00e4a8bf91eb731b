"""The lesson file format (docs/lessons.md) as pydantic v2 models.

A lesson is a teacher's playlist: levels in an order, each step with what the
teacher says (`caption`), which board to show (the level's start or its
reference solution, a step of step mode, a head) and optionally a question for
the class (`[steps.prompt]`) asked before the board's real numbers are revealed.
Like the level models these forbid unknown keys and are frozen; checks that
need the installed levels (ids, words of a sentence, head numbers) live in
`game.lessons.checks`.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, PrivateAttr, StringConstraints

from game.levels.fields import Word

MAX_STEPS = 100
MAX_CHOICES = 4
MAX_MINUTES = 240

LessonId = Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9_-]{1,64}$")]
LevelId = Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9_-]{1,64}$")]
Caption = Annotated[str, StringConstraints(min_length=1, max_length=600)]
Position = Annotated[
    int | Word,
    Field(description='a word of the sentence ("it"), a role ("@pronoun") or a 0-based index'),
]


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, strict=True, allow_inf_nan=False)


class Prompt(_Model):
    """A question for the class, answered before the reveal.

    `kind = "choice"`: up to four `choices`, each a key word of the sentence;
    the right one is the choice `query` puts the most (`ask = "most"`) or the
    least (`ask = "least"`) attention on in the board shown. `kind = "cell"`:
    the class picks the heatmap cell they think `query` looks at most. Either
    way the answer is read from the board's real weights at the reveal.
    """

    kind: Literal["choice", "cell"]
    question: Annotated[str, StringConstraints(min_length=1, max_length=300)]
    query: Position
    choices: list[Position] | None = Field(default=None, min_length=2, max_length=MAX_CHOICES)
    ask: Literal["most", "least"] = "most"


class Step(_Model):
    """One step of a lesson: a level, the board to show, the teacher's caption."""

    level: LevelId = Field(description="an installed level id (`switchyard levels`)")
    show: Literal["start", "solution"] = Field(
        default="start",
        description='the board shown: the level\'s "start" or its reference "solution"',
    )
    step: str | None = Field(
        default=None,
        description=(
            'open step mode at this step: "Q", "K", "QK", "scaled", "bias", "masked", '
            '"softmax", "V", "concat" or "W_O"'
        ),
    )
    head: int = Field(default=0, ge=0, le=7, description="the head shown (0-based)")
    caption: Caption = Field(description="what the teacher says at this step")
    prompt: Prompt | None = None


class Lesson(_Model):
    """A whole lesson file. `source` and `path` say where it came from."""

    format_version: int = Field(default=1, ge=1, le=1)
    id: LessonId
    title: Annotated[str, StringConstraints(min_length=1, max_length=100)]
    minutes: int = Field(ge=1, le=MAX_MINUTES, description="how long the lesson takes in class")
    description: Annotated[str, StringConstraints(max_length=2000)] = ""
    steps: list[Step] = Field(min_length=1, max_length=MAX_STEPS)

    _source: str = PrivateAttr("")
    _path: str = PrivateAttr("")

    @property
    def source(self) -> str:
        """The plugin that registered the lesson ("" when read directly)."""
        return self._source

    @property
    def path(self) -> str:
        """The file the lesson was read from."""
        return self._path

    def located(self, path: str, source: str = "") -> Lesson:
        copy = self.model_copy()
        copy._path = path
        copy._source = source
        return copy

    @property
    def level_ids(self) -> list[str]:
        """The levels the lesson visits, in order, each once."""
        return list(dict.fromkeys(step.level for step in self.steps))
