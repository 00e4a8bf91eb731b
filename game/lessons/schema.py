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

import re
from typing import Annotated, Literal

from pydantic import Field, StringConstraints, model_validator

from game.levels.fields import LocatedModel, StrictModel, Word

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


HEAD_NAME = r"^L([1-9])\s*[·.]?\s*H([1-9])$"  # "L2H1", "L2·H1": layer 2's first head
HeadName = Annotated[str, StringConstraints(pattern=HEAD_NAME)]


def parse_head_name(name: str) -> tuple[int, int]:
    """(layer, head), both 1-based, of a head name such as "L2H1" or "L2·H1"."""
    match = re.match(HEAD_NAME, name)
    if match is None:
        raise ValueError(f'{name!r} is not a head name like "L2H1"')
    return int(match.group(1)), int(match.group(2))


def resolve_head(head: int | str | None, layer: int | None, per_layer: int) -> tuple[int, int]:
    """(layer, head in that layer), both 0-based, that a lesson step or quiz question names:
    a name ("L2H1"); `layer` (from 1) with `head` counted from 1 within it (None: its first);
    or a bare number counted from 0 across every layer (how files named heads before
    layers had names). Ranges are the caller's to check against the level."""
    if isinstance(head, str):
        named_layer, named_head = parse_head_name(head)
        return named_layer - 1, named_head - 1
    if layer is not None:
        return layer - 1, (head or 1) - 1
    head, per_layer = head or 0, max(1, per_layer)
    return head // per_layer, head % per_layer


class Prompt(StrictModel):
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


class Step(StrictModel):
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
    head: Annotated[int, Field(ge=0, le=31)] | HeadName | None = Field(
        default=None,
        description=(
            'the head shown: a name such as "L2H1" (layer 2, head 1, as the game shows it); '
            "with `layer`, the head of that layer counted from 1; alone, a number counts "
            "from 0 across every layer (the first head of layer 2 is `heads`). Default: the "
            "first head (of `layer`, when given)"
        ),
    )
    layer: int | None = Field(
        default=None, ge=1, le=4, description="the layer whose head is shown, counted from 1"
    )
    caption: Caption = Field(description="what the teacher says at this step")
    prompt: Prompt | None = None

    @model_validator(mode="after")
    def _layer_and_head(self) -> Step:
        if self.layer is not None and isinstance(self.head, str):
            raise ValueError(f'give the layer once: head = "{self.head}" already names it')
        if self.layer is not None and self.head == 0:
            raise ValueError("with `layer`, heads count from 1: head = 1 is its first head")
        return self

    def layer_and_head(self, heads_per_layer: int) -> tuple[int, int]:
        """(layer, head in that layer), both 0-based, of the head this step shows."""
        return resolve_head(self.head, self.layer, heads_per_layer)

    def head_index(self, heads_per_layer: int) -> int:
        """The head shown, 0-based across every layer (layer l's first head is l·heads)."""
        layer, head = self.layer_and_head(heads_per_layer)
        return layer * heads_per_layer + head


class Lesson(LocatedModel):
    """A whole lesson file. `source` and `path` say where it came from."""

    format_version: int = Field(default=1, ge=1, le=1)
    id: LessonId
    title: Annotated[str, StringConstraints(min_length=1, max_length=100)]
    minutes: int = Field(ge=1, le=MAX_MINUTES, description="how long the lesson takes in class")
    description: Annotated[str, StringConstraints(max_length=2000)] = ""
    steps: list[Step] = Field(min_length=1, max_length=MAX_STEPS)

    @property
    def level_ids(self) -> list[str]:
        """The levels the lesson visits, in order, each once."""
        return list(dict.fromkeys(step.level for step in self.steps))
