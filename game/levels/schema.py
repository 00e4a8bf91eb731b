"""The level file format of docs/levels.md as pydantic v2 models.

Every model forbids unknown keys (a typo is an error, not a silently ignored
setting) and is frozen, so a loaded `Level` is plain data the board can share.
The limits and field types the models are made of live in `game.levels.fields`
(re-exported here: the board and the UI clamp to the same limits). Checks that
need more than one field (words in the vocabulary, roles inside their sentence)
live in `game.levels.checks`, which returns located problems instead of
raising, so the loader can report all of them at once; the JSON Schema for
editors is exported by `game.levels.schema_export`.
"""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from game.levels.fields import (
    MAX_D_K,
    MAX_FEATURES,
    MAX_GOALS,
    MAX_HEADS,
    MAX_LAYERS,
    MAX_MIX,
    MAX_SENTENCES,
    MAX_STRENGTH,
    MAX_TEMPERATURE,
    MAX_TOKENS,
    MAX_VOCAB,
    MAX_WIRES,
    MIN_TEMPERATURE,
    SEQUENCE_FIELDS,
    BlockName,
    FeatureValue,
    Index,
    KnobValues,
    LocatedModel,
    Mix,
    Name,
    Number,
    PositionalNames,
    RegistryName,
    Role,
    SettingValue,
    Strength,
    StrictModel,
    Temperature,
    Text,
    Word,
)
from game.levels.map_schema import MAX_MAPS, MapTable
from game.levels.task_schema import Readout, TaskTable

__all__ = [
    "FORMAT_VERSION",
    "MAX_D_K",
    "MAX_FEATURES",
    "MAX_GOALS",
    "MAX_HEADS",
    "MAX_LAYERS",
    "MAX_MIX",
    "MAX_SENTENCES",
    "MAX_STRENGTH",
    "MAX_TEMPERATURE",
    "MAX_TOKENS",
    "MAX_VOCAB",
    "MAX_WIRES",
    "MIN_TEMPERATURE",
    "SEQUENCE_FIELDS",
    "Controls",
    "FirstMove",
    "Goal",
    "HeadTable",
    "Knob",
    "Level",
    "Sentence",
    "Solution",
    "Start",
    "ValueTable",
    "WireTable",
]

FORMAT_VERSION = 1


class Controls(StrictModel):
    """What the player may change; wires, values and mix are on unless a level turns them off."""

    scale: bool = False
    temperature: bool = False
    positional: bool = False
    positional_parameter: bool = False
    wires: bool = True
    values: bool = True
    mix: bool = True
    mask: bool = False  # lift the causal mask of causal blocks ("peeking"), and put it back


class WireTable(StrictModel):
    """A query feature wired to a key feature with a signed strength."""

    query: Name
    key: Name
    strength: Strength = 1.0


class ValueTable(StrictModel):
    """A key feature copied into an output feature (a W_V entry)."""

    key: Name
    out: Name
    strength: Strength = 1.0


class FirstMove(StrictModel):
    """The guided first move of a tutorial level: the wire the play screen shows how to lay."""

    query: Name
    key: Name


class HeadTable(StrictModel):
    """One head of a start position or a reference solution."""

    wires: list[WireTable] = Field(default_factory=list, max_length=MAX_WIRES)
    values: list[ValueTable] = Field(default_factory=list, max_length=MAX_WIRES)
    block: BlockName | None = None  # default: the architecture's first block
    mix: Mix = 1.0
    layer: int = Field(
        default=1, ge=1, le=MAX_LAYERS
    )  # 1-based in files; fills its first free slot


class Knob(StrictModel):
    """A number the player sets that is not a wire: tile sizes, model size, data size.

    Levels about the machinery around attention (FlashAttention's tiles, the
    scaling epilogue) give the player knobs; their goal types read them.
    """

    name: Name
    title: Text
    low: Number
    high: Number
    default: Number
    log: bool = False  # the slider moves in powers (for sizes spanning decades)
    integer: bool = False  # only whole numbers (block sizes)
    unit: Annotated[str, StringConstraints(max_length=40)] = ""  # shown after the value
    # held back until the goals are met: a held-out question answered again without hints
    after_goals: bool = False


class Start(StrictModel):
    """How the board starts; heads default to empty ones in the first block."""

    scale: bool = True
    temperature: Temperature = 1.0
    positional: RegistryName | None = None  # default: the first of `positional`
    parameter: Number | None = None  # default: the scheme's own default
    heads: list[HeadTable] | None = Field(default=None, max_length=MAX_HEADS * MAX_LAYERS)
    knobs: KnobValues = Field(default_factory=dict)  # default: each knob's own default


class Solution(StrictModel):
    """The reference solution: settings left out are taken from `start`."""

    heads: list[HeadTable] = Field(min_length=1, max_length=MAX_HEADS * MAX_LAYERS)
    scale: bool | None = None
    temperature: Temperature | None = None
    positional: RegistryName | None = None
    parameter: Number | None = None
    knobs: KnobValues = Field(default_factory=dict)


class Sentence(StrictModel):
    """One sentence: `tokens`, or `source` and `target` for encoder–decoder levels."""

    tokens: list[Word] | None = Field(default=None, min_length=1, max_length=MAX_TOKENS)
    source: list[Word] | None = Field(default=None, min_length=1, max_length=MAX_TOKENS)
    target: list[Word] | None = Field(default=None, min_length=1, max_length=MAX_TOKENS)
    roles: dict[Name, Role] = Field(default_factory=dict, max_length=64)
    alignment: list[Annotated[list[Index], Field(min_length=2, max_length=2)]] | None = Field(
        default=None, max_length=MAX_TOKENS * 4
    )

    def sequences(self) -> dict[str, list[str]]:
        """The sentence's sequences by name, in SEQUENCE_FIELDS order."""
        return {
            name: getattr(self, name) for name in SEQUENCE_FIELDS if getattr(self, name) is not None
        }


class Goal(BaseModel):
    """A goal: `type` names a registered goal type, which checks the other keys.

    The only model that allows extra keys: they belong to the goal type, whose
    `validate(params, level)` reports the ones it does not know.
    """

    model_config = ConfigDict(extra="allow", frozen=True, strict=True)

    type: RegistryName

    @property
    def params(self) -> dict[str, Any]:
        """The goal's whole table, as the goal type's `check` and `validate` receive it."""
        return {"type": self.type, **(self.model_extra or {})}


class Level(LocatedModel):
    """A whole level file (docs/levels.md). `source` and `path` say where it came from."""

    format_version: int = Field(ge=1)
    id: Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9_-]{1,64}$")]
    title: Annotated[str, StringConstraints(min_length=1, max_length=100)]
    concept: RegistryName = Field(
        description=(
            'The campaign chapter: a registered concept id such as "why-attention" or "qkv" '
            "(plugins may register more; `switchyard levels` lists the levels by chapter)."
        )
    )
    explanation: Annotated[str, StringConstraints(max_length=4000)]
    hints: list[Text] = Field(min_length=3, max_length=3)
    takeaways: list[Text] = Field(
        default_factory=list,
        max_length=3,
        description=(
            "Optional: up to three short lines on what the level taught, shown at the end "
            "of the results screen."
        ),
    )
    architecture: RegistryName
    positional: PositionalNames
    features: list[Name] = Field(min_length=1, max_length=MAX_FEATURES)
    d_k: int | None = Field(default=None, ge=1, le=MAX_D_K)
    heads: int = Field(default=1, ge=1, le=MAX_HEADS)
    layers: int = Field(
        default=1,
        ge=1,
        le=MAX_LAYERS,
        description=(
            "Optional: stacked attention layers, each with `heads` heads. Layer l+1 reads the "
            "residual stream x + Σ mix·head of the layers below it (docs/levels.md)."
        ),
    )
    par: int = Field(ge=0)
    par_layers: int | None = Field(
        default=None,
        ge=1,
        le=MAX_LAYERS,
        description="Optional: the third star also needs at most this many layers in use.",
    )
    par_heads: int | None = Field(
        default=None,
        ge=1,
        le=MAX_HEADS * MAX_LAYERS,
        description="Optional: the third star also needs at most this many heads in use.",
    )
    rotate_features: list[Name] | None = Field(
        default=None,
        min_length=2,
        max_length=MAX_FEATURES,
        description=(
            "Optional: the query/key feature columns a rotating positional scheme turns, in "
            "pairs in the order listed (partial rotary); default: all of them."
        ),
    )
    controls: Controls = Field(default_factory=Controls)
    start: Start = Field(default_factory=Start)
    vocab: dict[Word, dict[Name, FeatureValue]] = Field(max_length=MAX_VOCAB)
    sentences: list[Sentence] = Field(
        default_factory=list,
        max_length=MAX_SENTENCES,
        description="At least one, unless a [task] draws them (its first examples).",
    )
    goals: list[Goal] = Field(min_length=1, max_length=MAX_GOALS)
    solution: Solution | None = None
    positional_features: list[Name] | None = Field(default=None, min_length=1, max_length=16)
    positional_settings: dict[RegistryName, dict[Name, SettingValue]] = Field(
        default_factory=dict, max_length=8
    )
    knobs: list[Knob] = Field(default_factory=list, max_length=8)
    pattern: RegistryName | None = Field(
        default=None,
        description=(
            'A registered attention pattern: a sparsity mask such as "local", or linear '
            'attention such as "linear-elu". Default: dense softmax attention.'
        ),
    )
    pattern_settings: dict[Name, SettingValue] = Field(default_factory=dict, max_length=8)
    d_k_lab: bool = Field(
        default=False,
        description=(
            "Optional: the √d_k lab in place of the value editor (for a level whose values "
            "are fixed): a d_k slider over random q and k, with the board's scale switch."
        ),
    )
    task: TaskTable | None = Field(
        default=None,
        description=(
            "Optional: a registered task the board is scored on over held-out random inputs "
            '(`name = "induction"`, `seed`, `lengths`, `held_out`, and the task\'s settings).'
        ),
    )
    readout: Readout | None = Field(
        default=None,
        description="With a [task]: how an answer is read from the final residual stream.",
    )
    maps: list[MapTable] = Field(
        default_factory=list,
        max_length=MAX_MAPS,
        description=(
            "Optional, stacked levels: fixed per-token maps between layers (the MLP step): "
            "after layer `after_layer`, `output` += fn(`input`) at every token."
        ),
    )
    first_move: FirstMove | None = Field(
        default=None,
        description=(
            "Optional: a query feature and a key feature; while the board has no wires the "
            "play screen highlights the two sockets and shows a ghost drag between them."
        ),
    )

    @property
    def d_model(self) -> int:
        return len(self.features)

    @property
    def head_dim(self) -> int:
        """d_k: the level's own, or d_model."""
        return self.d_k if self.d_k is not None else self.d_model

    def position_problem(self, ref: object, sequence: str | None = None) -> str | None:
        """Why goal reference `ref` fails in some sentence, or None (for goal types' validate)."""
        from game.levels.positions import position_problem

        return position_problem(self, ref, sequence)

    def knob(self, name: str) -> Knob | None:
        return next((knob for knob in self.knobs if knob.name == name), None)

    @property
    def positional_choices(self) -> tuple[str, ...]:
        return tuple(self.positional)
