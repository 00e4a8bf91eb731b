"""What is installed: the schemes, architectures and goal types a level may name.

The core knows no scheme by name (DESIGN §3); it is handed a catalog. The
plugin registry (`game.plugins`) satisfies the `Catalog` protocol by duck
typing; tests and tools build a `StaticCatalog`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Protocol

from game.api import Architecture, Concept, GoalType, PositionalScheme


class Catalog(Protocol):
    """Name → object mappings for everything a level file refers to by name.

    `concepts` maps concept ids to the registered `Concept`s in campaign order
    (by `order`, then id). An empty `concepts` means "no chapters declared":
    any concept id is accepted and such levels sort after every registered
    chapter, by concept id. A catalog with concepts accepts only those.
    """

    @property
    def positional(self) -> Mapping[str, PositionalScheme]: ...

    @property
    def architectures(self) -> Mapping[str, Architecture]: ...

    @property
    def goal_types(self) -> Mapping[str, GoalType]: ...

    @property
    def concepts(self) -> Mapping[str, Concept]: ...


@dataclass(frozen=True)
class StaticCatalog:
    """A fixed catalog; `from_items` keys each object by its `name` (a concept by its `id`).

    Built without concepts (as most tests build it), it accepts any concept id
    (see `Catalog`); `from_items` sorts the concepts it is given by order, then id.
    """

    positional: Mapping[str, PositionalScheme] = field(default_factory=dict)
    architectures: Mapping[str, Architecture] = field(default_factory=dict)
    goal_types: Mapping[str, GoalType] = field(default_factory=dict)
    concepts: Mapping[str, Concept] = field(default_factory=dict)

    @classmethod
    def from_items(
        cls,
        positional: tuple[PositionalScheme, ...] | list[PositionalScheme] = (),
        architectures: tuple[Architecture, ...] | list[Architecture] = (),
        goal_types: tuple[GoalType, ...] | list[GoalType] = (),
        concepts: tuple[Concept, ...] | list[Concept] = (),
    ) -> StaticCatalog:
        return cls(
            positional={p.name: p for p in positional},
            architectures={a.name: a for a in architectures},
            goal_types={g.name: g for g in goal_types},
            concepts={c.id: c for c in sorted(concepts, key=lambda c: (c.order, c.id))},
        )
