"""The level file format of docs/levels.md as pydantic v2 models.

Every model forbids unknown keys (a typo is an error, not a silently ignored
setting) and is frozen, so a loaded `Level` is plain data the board can share.
Limits keep a hostile file from hanging the game. Checks that need more than
one field (words in the vocabulary, roles inside their sentence) live in
`cross_field_problems`, which returns located problems instead of raising, so
the loader can report all of them at once.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Annotated, Any

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    PrivateAttr,
    StringConstraints,
    WithJsonSchema,
)

FORMAT_VERSION = 1

MAX_TOKENS = 256  # per sentence (per sequence in encoder–decoder levels)
MAX_SENTENCES = 32
MAX_FEATURES = 16
MAX_HEADS = 8
MAX_WIRES = 64  # per head; also the most value routes per head
MAX_D_K = 512
MAX_VOCAB = 1024
MAX_GOALS = 16
MAX_STRENGTH = 10.0  # |strength| of a wire or value route
MIN_TEMPERATURE, MAX_TEMPERATURE = 0.05, 20.0
MAX_MIX = 4.0  # |mix| of a head in W_O

# The sequence names a level file can give a sentence, by architecture shape.
SEQUENCE_FIELDS = ("tokens", "source", "target")

Name = Annotated[str, StringConstraints(pattern=r"^[A-Za-z_][A-Za-z0-9_]*$", max_length=32)]
RegistryName = Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9_.-]+$", max_length=40)]
Word = Annotated[str, StringConstraints(pattern=r"^\S+$", max_length=40)]
BlockName = Annotated[str, StringConstraints(min_length=1, max_length=40)]  # "decoder self"
Text = Annotated[str, StringConstraints(max_length=500)]
Strength = Annotated[float, Field(ge=-MAX_STRENGTH, le=MAX_STRENGTH)]
Temperature = Annotated[float, Field(ge=MIN_TEMPERATURE, le=MAX_TEMPERATURE)]
Mix = Annotated[float, Field(ge=-MAX_MIX, le=MAX_MIX)]
Index = Annotated[int, Field(ge=0, le=MAX_TOKENS - 1)]


def _names_list(value: Any) -> Any:
    """`positional = "rope"` means the one-item list ["rope"]."""
    return [value] if isinstance(value, str) else value


def _role_text(value: Any) -> Any:
    """A role is an index (`9`) or `"sequence:index"`; keep both as text."""
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    if isinstance(value, str):
        return value
    raise ValueError('a role is a 0-based index or "sequence:index", e.g. 9 or "target:2"')


PositionalNames = Annotated[
    list[RegistryName],
    BeforeValidator(_names_list),
    Field(min_length=1, max_length=8),
    WithJsonSchema(
        {
            "anyOf": [
                {"type": "string"},
                {"type": "array", "items": {"type": "string"}, "minItems": 1, "maxItems": 8},
            ],
            "description": "a positional scheme name, or a list the player picks from "
            "(the first is the default)",
        }
    ),
]
Role = Annotated[
    str,
    BeforeValidator(_role_text),
    StringConstraints(pattern=r"^((tokens|source|target):)?[0-9]{1,4}$"),
    WithJsonSchema(
        {
            "anyOf": [
                {"type": "integer", "minimum": 0},
                {"type": "string", "pattern": r"^((tokens|source|target):)?[0-9]{1,4}$"},
            ]
        }
    ),
]


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, strict=True, allow_inf_nan=False)


class Controls(_Model):
    """What the player may change; wires, values and mix are on unless a level turns them off."""

    scale: bool = False
    temperature: bool = False
    positional: bool = False
    positional_parameter: bool = False
    wires: bool = True
    values: bool = True
    mix: bool = True


class WireTable(_Model):
    """A query feature wired to a key feature with a signed strength."""

    query: Name
    key: Name
    strength: Strength = 1.0


class ValueTable(_Model):
    """A key feature copied into an output feature (a W_V entry)."""

    key: Name
    out: Name
    strength: Strength = 1.0


class HeadTable(_Model):
    """One head of a start position or a reference solution."""

    wires: list[WireTable] = Field(default_factory=list, max_length=MAX_WIRES)
    values: list[ValueTable] = Field(default_factory=list, max_length=MAX_WIRES)
    block: BlockName | None = None  # default: the architecture's first block
    mix: Mix = 1.0


class Knob(_Model):
    """A number the player sets that is not a wire: tile sizes, model size, data size.

    Levels about the machinery around attention (FlashAttention's tiles, the
    scaling epilogue) give the player knobs; their goal types read them.
    """

    name: Name
    title: Text
    low: float
    high: float
    default: float
    log: bool = False  # the slider moves in powers (for sizes spanning decades)
    integer: bool = False  # only whole numbers (block sizes)


KnobValues = Annotated[dict[Name, float], Field(max_length=16)]
SettingValue = Annotated[Any, WithJsonSchema({"description": "a number or an array of numbers"})]


class Start(_Model):
    """How the board starts; heads default to empty ones in the first block."""

    scale: bool = True
    temperature: Temperature = 1.0
    positional: RegistryName | None = None  # default: the first of `positional`
    parameter: float | None = None  # default: the scheme's own default
    heads: list[HeadTable] | None = Field(default=None, max_length=MAX_HEADS)
    knobs: KnobValues = Field(default_factory=dict)  # default: each knob's own default


class Solution(_Model):
    """The reference solution: settings left out are taken from `start`."""

    heads: list[HeadTable] = Field(min_length=1, max_length=MAX_HEADS)
    scale: bool | None = None
    temperature: Temperature | None = None
    positional: RegistryName | None = None
    parameter: float | None = None
    knobs: KnobValues = Field(default_factory=dict)


class Sentence(_Model):
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


class Level(_Model):
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
    architecture: RegistryName
    positional: PositionalNames
    features: list[Name] = Field(min_length=1, max_length=MAX_FEATURES)
    d_k: int | None = Field(default=None, ge=1, le=MAX_D_K)
    heads: int = Field(default=1, ge=1, le=MAX_HEADS)
    par: int = Field(ge=0)
    controls: Controls = Field(default_factory=Controls)
    start: Start = Field(default_factory=Start)
    vocab: dict[Word, dict[Name, float]] = Field(max_length=MAX_VOCAB)
    sentences: list[Sentence] = Field(min_length=1, max_length=MAX_SENTENCES)
    goals: list[Goal] = Field(min_length=1, max_length=MAX_GOALS)
    solution: Solution | None = None
    positional_features: list[Name] | None = Field(default=None, min_length=1, max_length=16)
    positional_settings: dict[RegistryName, dict[Name, SettingValue]] = Field(
        default_factory=dict, max_length=8
    )
    knobs: list[Knob] = Field(default_factory=list, max_length=8)

    _source: str = PrivateAttr("")
    _path: str = PrivateAttr("")

    @property
    def source(self) -> str:
        """The plugin that registered the level ("" when loaded directly)."""
        return self._source

    @property
    def path(self) -> str:
        """The file the level was read from ("" for a level given as a table)."""
        return self._path

    def located(self, path: str, source: str = "") -> Level:
        """A copy that records where the level came from."""
        copy = self.model_copy()
        copy._path = path
        copy._source = source
        return copy

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


Loc = tuple[str | int, ...]


def role_position(role: str) -> tuple[str | None, int]:
    """ "target:2" -> ("target", 2); "9" -> (None, 9)."""
    sequence, _, index = role.rpartition(":")
    return (sequence or None), int(index)


def _head_problems(heads: list[HeadTable], where: Loc, features: set[str]) -> list[tuple[Loc, str]]:
    problems: list[tuple[Loc, str]] = []
    for h, head in enumerate(heads):
        seen: set[tuple[str, str]] = set()
        for w, wire in enumerate(head.wires):
            for end in ("query", "key"):
                name = getattr(wire, end)
                if name not in features:
                    problems.append(((*where, h, "wires", w, end), _unknown_feature(name)))
            if (wire.query, wire.key) in seen:
                problems.append(
                    (
                        (*where, h, "wires", w),
                        f"a second wire {wire.query} → {wire.key}; "
                        "give the first one the total strength",
                    )
                )
            seen.add((wire.query, wire.key))
        routes: set[tuple[str, str]] = set()
        for r, route in enumerate(head.values):
            for end in ("key", "out"):
                name = getattr(route, end)
                if name not in features:
                    problems.append(((*where, h, "values", r, end), _unknown_feature(name)))
            if (route.key, route.out) in routes:
                problems.append(
                    ((*where, h, "values", r), f"a second value route {route.key} → {route.out}")
                )
            routes.add((route.key, route.out))
    return problems


MAX_SETTING_NUMBERS = 65536


def _setting_size(value: Any) -> int | None:
    """How many numbers a scheme setting holds, or None when it is not numbers."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        return 1
    if isinstance(value, list):
        total = 0
        for item in value:
            size = _setting_size(item)
            if size is None:
                return None
            total += size
        return total
    return None


def _unknown_feature(name: str) -> str:
    return f'"{name}" is not one of the level\'s features'


def cross_field_problems(level: Level) -> list[tuple[Loc, str]]:
    """Checks that span fields, as (key path, message) pairs; empty when the level is sound."""
    problems: list[tuple[Loc, str]] = []
    features = set(level.features)
    for i, name in enumerate(level.features):
        if name in level.features[:i]:
            problems.append((("features", i), f'"{name}" is listed twice'))
    if level.d_k is not None and level.d_k % level.d_model:
        problems.append(
            (("d_k",), f"must be a multiple of d_model = {level.d_model} (the number of features)")
        )
    for i, name in enumerate(level.positional):
        if name in level.positional[:i]:
            problems.append((("positional", i), f'"{name}" is listed twice'))
    for i, name in enumerate(level.positional_features or ()):
        if name not in features:
            problems.append((("positional_features", i), _unknown_feature(name)))
        elif name in (level.positional_features or ())[:i]:
            problems.append((("positional_features", i), f'"{name}" is listed twice'))
    for scheme, settings in level.positional_settings.items():
        if scheme not in level.positional:
            problems.append(
                (
                    ("positional_settings", scheme),
                    f'"{scheme}" is not in the level\'s positional list {list(level.positional)}',
                )
            )
        for key, value in settings.items():
            size = _setting_size(value)
            if size is None:
                problems.append(
                    (("positional_settings", scheme, key), "must be a number or array of numbers")
                )
            elif size > MAX_SETTING_NUMBERS:
                problems.append(
                    (
                        ("positional_settings", scheme, key),
                        f"has {size} numbers; at most {MAX_SETTING_NUMBERS}",
                    )
                )
    knob_names = [knob.name for knob in level.knobs]
    for i, knob in enumerate(level.knobs):
        if knob.name in knob_names[:i]:
            problems.append((("knobs", i, "name"), f'"{knob.name}" is listed twice'))
        if not knob.low < knob.high:
            problems.append((("knobs", i, "high"), f"must be above low = {knob.low:g}"))
        elif not knob.low <= knob.default <= knob.high:
            problems.append((("knobs", i, "default"), f"must lie in {knob.low:g}..{knob.high:g}"))
        if knob.log and knob.low <= 0:
            problems.append((("knobs", i, "low"), "a log-scale knob needs low > 0"))
    for where, settings in (("start", level.start), ("solution", level.solution)):
        for name, value in (settings.knobs if settings is not None else {}).items():
            knob = level.knob(name)
            if knob is None:
                problems.append(((where, "knobs", name), f'there is no knob "{name}"'))
            elif not knob.low <= value <= knob.high:
                problems.append(
                    ((where, "knobs", name), f"must lie in {knob.low:g}..{knob.high:g}")
                )
    for word, table in level.vocab.items():
        for feature in table:
            if feature not in features:
                problems.append((("vocab", word, feature), _unknown_feature(feature)))

    kinds = set()
    for s, sentence in enumerate(level.sentences):
        problems.extend(_sentence_problems(level, s, sentence))
        kinds.add(tuple(sentence.sequences()))
    if len(kinds) > 1:
        problems.append((("sentences",), "every sentence must give the same sequences"))

    for where, settings in (("start", level.start), ("solution", level.solution)):
        if settings is None:
            continue
        if settings.positional is not None and settings.positional not in level.positional:
            problems.append(
                (
                    (where, "positional"),
                    f'"{settings.positional}" is not in the '
                    f"level's positional list {list(level.positional)}",
                )
            )
        if settings.heads is not None:
            if len(settings.heads) != level.heads:
                problems.append(
                    (
                        (where, "heads"),
                        f"gives {len(settings.heads)} heads; the level has heads = {level.heads}",
                    )
                )
            problems.extend(_head_problems(settings.heads, (where, "heads"), features))
    return problems


def _sentence_problems(level: Level, s: int, sentence: Sentence) -> list[tuple[Loc, str]]:
    problems: list[tuple[Loc, str]] = []
    sequences = sentence.sequences()
    if list(sequences) not in (["tokens"], ["source", "target"]):
        problems.append(
            (("sentences", s), "give `tokens`, or `source` and `target` (encoder–decoder)")
        )
    for name, words in sequences.items():
        for t, word in enumerate(words):
            if word not in level.vocab:
                problems.append((("sentences", s, name, t), f'word "{word}" is not in the vocab'))
    for role, text in sentence.roles.items():
        sequence, index = role_position(text)
        if sequence is None:
            if len(sequences) != 1:
                problems.append(
                    (("sentences", s, "roles", role), f'say which sequence, e.g. "target:{index}"')
                )
                continue
            sequence = next(iter(sequences))
        if sequence not in sequences:
            problems.append(
                (("sentences", s, "roles", role), f"this sentence has no {sequence} sequence")
            )
        elif index >= len(sequences[sequence]):
            problems.append(
                (
                    ("sentences", s, "roles", role),
                    f"position {index} is past the "
                    f"end of the {sequence} ({len(sequences[sequence])} tokens)",
                )
            )
    if sentence.alignment is not None:
        if "source" not in sequences or "target" not in sequences:
            problems.append((("sentences", s, "alignment"), "needs `source` and `target`"))
        else:
            for a, (t, src) in enumerate(sentence.alignment):
                if t >= len(sequences["target"]) or src >= len(sequences["source"]):
                    problems.append(
                        (
                            ("sentences", s, "alignment", a),
                            f"[{t}, {src}] is outside the target or the source",
                        )
                    )
    return problems


def json_schema() -> dict[str, Any]:
    """The JSON Schema of a level file, for editors (TOML language servers read it)."""
    schema = Level.model_json_schema()
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": "https://switchyard.invalid/level.schema.json",
        **schema,
    }


def json_schema_text() -> str:
    return json.dumps(json_schema(), indent=2, ensure_ascii=False, sort_keys=True) + "\n"


def write_json_schema(path: str | Path) -> None:
    """Write the schema to `path` (docs/level.schema.json in the repository)."""
    Path(path).write_text(json_schema_text(), encoding="utf-8")


_FIELD_PART = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")


def field_path(loc: Loc) -> str:
    """("goals", 0, "query") -> "goals[0].query"; odd keys are quoted (vocab."a b")."""
    text = ""
    for part in loc:
        if isinstance(part, int):
            text += f"[{part}]"
        else:
            name = part if _FIELD_PART.match(part) else json.dumps(part, ensure_ascii=False)
            text += f".{name}" if text else name
    return text
