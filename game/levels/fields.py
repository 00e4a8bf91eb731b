"""The limits a level file is held to, and the constrained field types built on them.

Limits keep a hostile file from hanging the game; the board and the UI clamp
the player's edits to the same numbers. The field types (`Name`, `Word`,
`Role`, …) are what the models in `game.levels.schema` are made of.
"""

from __future__ import annotations

from typing import Annotated, Any, Self

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    PrivateAttr,
    StringConstraints,
    WithJsonSchema,
)

MAX_TOKENS = 256  # per sentence (per sequence in encoder–decoder levels)
MAX_SENTENCES = 32
MAX_FEATURES = 16
MAX_HEADS = 8  # per layer
MAX_LAYERS = 4  # stacked attention layers (docs/levels.md "Layers and the residual stream")
MAX_WIRES = 64  # per head; also the most value routes per head
MAX_D_K = 512
MAX_VOCAB = 1024
MAX_GOALS = 16
MAX_STRENGTH = 10.0  # |strength| of a wire or value route
MIN_TEMPERATURE, MAX_TEMPERATURE = 0.05, 20.0
MAX_MIX = 4.0  # |mix| of a head in W_O
MAX_SETTING_NUMBERS = 65536  # numbers in one positional scheme setting
# Every other number in a level file is finite (pydantic's allow_inf_nan=False) and
# inside one of these, so no sum or product the board makes can overflow a float.
MAX_FEATURE_VALUE = 100.0  # |a word's feature value| in the vocabulary
MAX_NUMBER = 1e9  # |knob bounds and values, scheme parameters and settings|
MAX_GOAL_NUMBER = 1e30  # |a number in a goal table| (compute budgets run to 1e21 FLOPs)


class StrictModel(BaseModel):
    """The base of every table read from a TOML file (levels, lessons, quiz packs): no
    unknown keys, no type coercion, frozen, and no NaN or infinity."""

    model_config = ConfigDict(extra="forbid", frozen=True, strict=True, allow_inf_nan=False)


class LocatedModel(StrictModel):
    """A whole file's model that remembers where it came from, for messages and reloads."""

    _source: str = PrivateAttr("")
    _path: str = PrivateAttr("")

    @property
    def source(self) -> str:
        """The plugin that registered it ("" when read directly)."""
        return self._source

    @property
    def path(self) -> str:
        """The file it was read from ("" for one given as a table)."""
        return self._path

    def located(self, path: str, source: str = "") -> Self:
        """A copy that records where it came from."""
        copy = self.model_copy()
        copy._path = path
        copy._source = source
        return copy


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
FeatureValue = Annotated[float, Field(ge=-MAX_FEATURE_VALUE, le=MAX_FEATURE_VALUE)]
Number = Annotated[float, Field(ge=-MAX_NUMBER, le=MAX_NUMBER)]


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


def role_position(role: str) -> tuple[str | None, int]:
    """ "target:2" -> ("target", 2); "9" -> (None, 9)."""
    sequence, _, index = role.rpartition(":")
    return (sequence or None), int(index)


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
KnobValues = Annotated[dict[Name, Number], Field(max_length=16)]
SettingValue = Annotated[Any, WithJsonSchema({"description": "a number or an array of numbers"})]
