"""The quiz pack format (docs/quiz.md) as pydantic v2 models.

Like level files, every model forbids unknown keys and is frozen. A question is
either worded (its choices are text) or computed (`[questions.compute]`): then its
choices are numbers and the loader checks the marked answer against what the
model computes (`game.quiz.compute`), so a pack can never mark as right a number
the attention code disagrees with.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field, StringConstraints, model_validator

from game.lessons.schema import HeadName, resolve_head
from game.levels.fields import RegistryName, StrictModel

FORMAT_VERSION = 1
PHASES = ("pre", "post")
MAX_QUESTIONS = 100
MAX_CHOICES = 4  # the keys 1–4 answer
MAX_VECTORS = 16  # rows of q or k in a computed question
MAX_WIDTH = 16  # numbers in one q or k row
MAX_ENTRY = 1000.0  # |a number in q, k or a bias|

Id = Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9_-]{1,64}$")]
Short = Annotated[str, StringConstraints(min_length=1, max_length=200)]
Long = Annotated[str, StringConstraints(min_length=1, max_length=1000)]
Entry = Annotated[float, Field(ge=-MAX_ENTRY, le=MAX_ENTRY)]
Row = Annotated[list[Entry], Field(min_length=1, max_length=MAX_WIDTH)]
Rows = Annotated[list[Row], Field(min_length=1, max_length=MAX_VECTORS)]
Phase = Literal["pre", "post"]
TokenRef = Annotated[int, Field(ge=0, le=255)] | Annotated[str, StringConstraints(max_length=40)]


class WeightsCompute(StrictModel):
    """One attention weight of explicit q and k rows, by `game.attention.attention_weights`.

    `ask = "weight"`: the weight query `query` puts on key `key`;
    `ask = "keys_seen"`: how many keys query `query` gives a non-zero weight.
    """

    kind: Literal["weights"]
    q: Rows  # (n_q, d)
    k: Rows  # (n_k, d)
    scale: bool = True  # divide the scores by √d_k
    causal: bool = False
    alibi_slope: Annotated[float, Field(ge=0, le=16)] | None = None
    query: Annotated[int, Field(ge=0, lt=MAX_VECTORS)] = 0
    key: Annotated[int, Field(ge=0, lt=MAX_VECTORS)] = 0
    ask: Literal["weight", "keys_seen"] = "weight"


class LevelCompute(StrictModel):
    """One attention weight on a campaign level's board (its start or reference solution).

    `query` and `key` are words of the sentence (or 0-based indices); `sentence` is
    0-based. The head is named as in lessons: `head = "L2H1"` (layer 2's first head),
    `layer = 2` with `head = 1` (from 1 within the layer), or a bare `head = N`
    counted from 0 across every layer (default: the first head).
    """

    kind: Literal["level"]
    level: RegistryName
    board: Literal["start", "solution"] = "solution"
    sentence: Annotated[int, Field(ge=0, le=31)] = 0
    head: Annotated[int, Field(ge=0, le=31)] | HeadName | None = None
    layer: Annotated[int, Field(ge=1, le=4)] | None = None
    query: TokenRef
    key: TokenRef

    @model_validator(mode="after")
    def _layer_and_head(self) -> LevelCompute:
        if self.layer is not None and isinstance(self.head, str):
            raise ValueError(f'give the layer once: head = "{self.head}" already names it')
        if self.layer is not None and self.head == 0:
            raise ValueError("with `layer`, heads count from 1: head = 1 is its first head")
        return self

    def layer_and_head(self, per_layer: int) -> tuple[int, int]:
        """(layer, head in that layer), both 0-based."""
        return resolve_head(self.head, self.layer, per_layer)


class TrafficCompute(StrictModel):
    """HBM traffic from the FlashAttention IO simulator (`game.model.io_sim.count_io`).

    `ask = "ratio"`: how many times more elements naive attention moves than the
    tiled schedule; `ask = "naive"` / `"tiled"`: that schedule's total in millions.
    """

    kind: Literal["traffic"]
    n: Annotated[int, Field(ge=1, le=1_000_000)]
    d: Annotated[int, Field(ge=1, le=1024)]
    sram: Annotated[int, Field(ge=16, le=1 << 30)]
    ask: Literal["ratio", "naive", "tiled"] = "ratio"


Compute = Annotated[WeightsCompute | LevelCompute | TrafficCompute, Field(discriminator="kind")]


class Question(StrictModel):
    """One multiple-choice question, tied to a concept of the campaign (and maybe a level)."""

    id: Id
    concept: RegistryName
    level: RegistryName | None = None  # a level teaching the concept; its concept must match
    prompt: Long
    choices: (
        Annotated[list[Short], Field(min_length=2, max_length=MAX_CHOICES)]
        | Annotated[list[float], Field(min_length=2, max_length=MAX_CHOICES)]
    )
    answer: Annotated[int, Field(ge=1, le=MAX_CHOICES)]  # 1-based, as the keys 1–4
    explanation: Long  # shown after answering, in plain words
    phases: Annotated[list[Phase], Field(min_length=1, max_length=2)] = ["pre", "post"]
    compute: Compute | None = None
    decimals: Annotated[int, Field(ge=0, le=4)] = 2  # computed choices are shown and checked
    unit: Annotated[str, StringConstraints(max_length=20)] = ""  # shown after a computed number

    def choice_text(self, index: int) -> str:
        """Choice `index` (0-based) as the screen and the CSV show it."""
        value = self.choices[index]
        if isinstance(value, str):
            return value
        number = f"{value:,.{self.decimals}f}"
        return f"{number} {self.unit}".strip()

    def is_right(self, choice: int) -> bool:
        """`choice` is 1-based, as in `answer`."""
        return choice == self.answer


class QuizPack(StrictModel):
    """A quiz: questions a student answers before (pre) and after (post) the lessons."""

    format_version: Literal[1] = FORMAT_VERSION
    id: Id
    title: Short
    description: Annotated[str, StringConstraints(max_length=1000)] = ""
    questions: Annotated[list[Question], Field(min_length=1, max_length=MAX_QUESTIONS)]

    def for_phase(self, phase: str) -> list[Question]:
        """The questions asked in `phase` ("pre" or "post"), in file order."""
        return [question for question in self.questions if phase in question.phases]
