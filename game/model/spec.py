"""The board's plain data: wires, value routes, heads, settings and the whole state.

All frozen, so a state can be kept in the undo history as it is and compared
with `==`; the board changes by replacing its state, never by mutating it.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Wire:
    """Query feature → key feature: adds `strength · x_i[query] · x_j[key]` to score(i, j)."""

    query: str
    key: str
    strength: float


@dataclass(frozen=True)
class ValueRoute:
    """Key feature → output feature: W_V[key, out] = strength."""

    key: str
    out: str
    strength: float = 1.0


@dataclass(frozen=True)
class HeadSpec:
    """One head: its wires (W_Q W_Kᵀ), value routes (W_V), block, weight in W_O and layer."""

    wires: tuple[Wire, ...] = ()
    values: tuple[ValueRoute, ...] = ()
    block: str = "self"
    mix: float = 1.0
    layer: int = 0  # 0-based; it reads the residual stream x^layer (docs/levels.md)

    @property
    def used(self) -> bool:
        """A head is in use when it has a wire or a value route."""
        return bool(self.wires or self.values)

    def wire(self, query: str, key: str) -> Wire | None:
        """The wire from `query` to `key`, if there is one (there is at most one)."""
        return next((w for w in self.wires if (w.query, w.key) == (query, key)), None)


@dataclass(frozen=True)
class Settings:
    """Board-wide switches: the 1/√d_k scale, softmax temperature, positional scheme."""

    scale: bool = True
    temperature: float = 1.0
    positional: str = "none"
    parameter: float | None = None  # the scheme's first Parameter; None when it has none
    knobs: tuple[tuple[str, float], ...] = ()  # (name, value) for the level's knobs, in order
    causal: bool = True  # causal blocks mask later keys; a level may let the player lift it

    def knob(self, name: str) -> float:
        for knob, value in self.knobs:
            if knob == name:
                return value
        raise KeyError(f'there is no knob "{name}"')


@dataclass(frozen=True)
class BoardState:
    """Everything the player has built: one snapshot in the undo history."""

    heads: tuple[HeadSpec, ...]  # layer by layer: global head h = layer·H + i
    settings: Settings

    @property
    def wire_count(self) -> int:
        return sum(len(head.wires) for head in self.heads)

    @property
    def layers(self) -> int:
        """How many layers the heads make (1 for a board without stacked layers)."""
        return 1 + max((head.layer for head in self.heads), default=0)
