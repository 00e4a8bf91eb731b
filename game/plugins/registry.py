"""What the plugins registered: the registry kinds, the `Registry`, and committing items.

Each registry hook (`switchyard_register_*`) is one `RegistryKind`: the type
its `register` callback accepts and the `Registry` field the items land in.
A plugin's items are checked as it hands them over (`check_item`) and added
all or none (`commit`); a name another plugin already has disables the later
plugin with a message naming both.
"""

from __future__ import annotations

import math
import os
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pluggy

from game.api import (
    Architecture,
    AttentionBackend,
    AttentionPattern,
    Concept,
    GoalType,
    MapFunction,
    PositionalScheme,
    Task,
)

if TYPE_CHECKING:
    from game.plugins.discovery import Candidate


@dataclass(frozen=True)
class RegistryKind:
    """One registry hook: what it registers and where it lands in the registry."""

    hook: str
    attribute: str  # the Registry field
    type: type | tuple[type, ...]
    noun: str  # for messages: "positional scheme"
    key: str = "name"  # the item's field that names it in the registry


KINDS: tuple[RegistryKind, ...] = (
    RegistryKind(
        "switchyard_register_positional_schemes",
        "positional",
        PositionalScheme,
        "positional scheme",
    ),
    RegistryKind(
        "switchyard_register_architectures", "architectures", Architecture, "architecture"
    ),
    RegistryKind("switchyard_register_goal_types", "goal_types", GoalType, "goal type"),
    RegistryKind("switchyard_register_backends", "backends", AttentionBackend, "attention backend"),
    RegistryKind("switchyard_register_concepts", "concepts", Concept, "concept", key="id"),
    RegistryKind(
        "switchyard_register_attention_patterns", "patterns", AttentionPattern, "attention pattern"
    ),
    RegistryKind("switchyard_register_tasks", "tasks", Task, "task"),
    RegistryKind("switchyard_register_maps", "maps", MapFunction, "map function"),
    RegistryKind("switchyard_register_levels", "level_sources", (str, os.PathLike), "level path"),
    RegistryKind(
        "switchyard_register_lessons", "lesson_sources", (str, os.PathLike), "lesson path"
    ),
)
PATH_KINDS = ("level_sources", "lesson_sources")  # kinds that register files, not named items

# A concept id must be one a level file can name (the schema's `concept` field).
CONCEPT_ID = re.compile(r"[A-Za-z0-9_.-]{1,40}")

# Fields of the registered dataclasses that hold the plugin's functions.
_CALLABLE_FIELDS = (
    "embed", "rotate", "bias", "slopes", "check", "validate", "target", "run", "usable",
    "mask", "feature_map", "generate", "fn",
)  # fmt: skip


@dataclass(frozen=True)
class PluginError:
    """Why a plugin was disabled: where (file:line) and what went wrong, in one line."""

    plugin: str
    location: str  # "path/to/plugin.py:12", or the entry point / folder when no line is known
    message: str

    def __str__(self) -> str:
        return f"{self.location}: plugin {self.plugin!r}: {self.message}"


@dataclass
class PluginInfo:
    """A plugin that loaded: where it came from and what it registered."""

    name: str
    source: str  # "built-in", "user folder", "entry point", "command line"
    location: str
    version: str
    registered: dict[str, list[str]] = field(default_factory=dict)  # kind noun -> names


@dataclass
class Registry:
    """Everything the plugins registered (the contract of DESIGN §4).

    `positional`, `architectures`, `goal_types`, `backends`, `patterns`, `tasks`, `maps` map
    names to the registered objects; `concepts` maps concept ids to `Concept`s in campaign
    order (by `order`, then id); `level_sources` lists `(plugin, path)` in load
    order; `levels` (id -> level) is read from those paths on first use, and
    the problems found there are in `level_problems`; `lesson_sources`,
    `lessons` and `lesson_problems` are the same for lessons (checked against
    `levels`).
    """

    positional: dict[str, PositionalScheme] = field(default_factory=dict)
    architectures: dict[str, Architecture] = field(default_factory=dict)
    goal_types: dict[str, GoalType] = field(default_factory=dict)
    backends: dict[str, AttentionBackend] = field(default_factory=dict)
    concepts: dict[str, Concept] = field(default_factory=dict)
    patterns: dict[str, AttentionPattern] = field(default_factory=dict)
    tasks: dict[str, Task] = field(default_factory=dict)
    maps: dict[str, MapFunction] = field(default_factory=dict)
    level_sources: list[tuple[str, Path]] = field(default_factory=list)
    lesson_sources: list[tuple[str, Path]] = field(default_factory=list)
    plugins: list[PluginInfo] = field(default_factory=list)
    errors: list[PluginError] = field(default_factory=list)
    blocked: list[str] = field(default_factory=list)  # found but turned off by name
    manager: pluggy.PluginManager | None = field(default=None, repr=False)

    @cached_property
    def _loaded_levels(self) -> tuple[dict[str, Any], list[Any]]:
        from game.levels.registry import load_registered_levels

        return load_registered_levels(self.level_sources, catalog=self)

    @property
    def levels(self) -> dict[str, Any]:
        """Level id -> level, from every registered level path (read once)."""
        return self._loaded_levels[0]

    @property
    def level_problems(self) -> list[Any]:
        """What was wrong with level files that did not load (file, line, field, message)."""
        return self._loaded_levels[1]

    @cached_property
    def _loaded_lessons(self) -> tuple[dict[str, Any], list[Any]]:
        from game.lessons.registry import load_registered_lessons

        return load_registered_lessons(self.lesson_sources, self.levels)

    @property
    def lessons(self) -> dict[str, Any]:
        """Lesson id -> lesson, from every registered lesson path (read once)."""
        return self._loaded_lessons[0]

    @property
    def lesson_problems(self) -> list[Any]:
        """What was wrong with lesson files that did not load (file, line, field, message)."""
        return self._loaded_lessons[1]


class PluginFailure(Exception):
    """Raised inside the loader to disable one plugin; carries its one-line reason."""

    def __init__(self, location: str, message: str) -> None:
        super().__init__(message)
        self.location = location
        self.message = message


# --- checking what a plugin hands over -------------------------------------------------


def name_problem(name: str) -> str | None:
    """Why `name` cannot name a plugin or what it registers (it would break every listing
    and message it is printed in), or None."""
    if not name or len(name) > 100:
        return f"{name!r:.60} must be 1 to 100 characters"
    if not name.isprintable() or name != name.strip():
        return f"{name!r:.60} holds a newline, a control character or outer spaces"
    return None


def check_item(kind: RegistryKind, item: Any) -> str:
    """The name `item` registers under, or raise TypeError/ValueError saying what is wrong."""
    if not isinstance(item, kind.type):
        expected = (
            "a path (str or pathlib.Path)"
            if kind.attribute in PATH_KINDS
            else f"a game.api.{kind.type.__name__}"  # type: ignore[union-attr]
        )
        raise TypeError(f"register() expects {expected}, got {type(item).__name__} {item!r:.60}")
    if kind.attribute in PATH_KINDS:
        return str(item)
    name = getattr(item, kind.key, None)
    if not isinstance(name, str) or not name.strip():
        raise ValueError(f"a {kind.noun} needs a non-empty {kind.key}, got {name!r}")
    problem = name_problem(name)
    if problem:
        raise ValueError(f"a {kind.noun}'s {kind.key} {problem}")
    for attr in _CALLABLE_FIELDS:
        value = getattr(item, attr, None)
        if value is not None and not callable(value):
            raise TypeError(f"{kind.noun} {name!r}: {attr} must be callable, got {value!r:.60}")
    if isinstance(item, Architecture):
        _check_architecture(item)
    if isinstance(item, Concept):
        _check_concept(item)
    if isinstance(item, Task) and not isinstance(item.settings, Mapping):
        raise TypeError(f"task {name!r}: settings must be a mapping, got {item.settings!r:.60}")
    if isinstance(item, AttentionPattern) and (item.mask is None) == (item.feature_map is None):
        raise ValueError(f"attention pattern {name!r} needs exactly one of mask and feature_map")
    return name


def _check_architecture(item: Architecture) -> None:
    for block in item.blocks:
        for sequence in (block.queries, block.keys):
            if sequence not in item.sequences:
                raise ValueError(
                    f"architecture {item.name!r}: block {block.name!r} uses sequence "
                    f"{sequence!r}, not one of {list(item.sequences)}"
                )


def _check_concept(item: Concept) -> None:
    """A concept a level file can name, with a title to show and a place in the campaign."""
    if not CONCEPT_ID.fullmatch(item.id):
        raise ValueError(
            f"concept id {item.id!r} is not one a level can name: "
            "use letters, digits, _, . and - (at most 40)"
        )
    if not isinstance(item.title, str) or not item.title.strip():
        raise ValueError(f"concept {item.id!r} needs a non-empty title, got {item.title!r}")
    order = item.order
    if isinstance(order, bool) or not isinstance(order, int | float) or not math.isfinite(order):
        raise TypeError(f"concept {item.id!r}: order must be a finite number, got {order!r:.60}")


# --- committing a plugin's items -------------------------------------------------------

Staged = dict[str, list[tuple[str, Any, str]]]  # Registry field -> (name, item, where)


def commit(
    registry: Registry,
    staged: Staged,
    owners: dict[tuple[str, str], str],
    candidate: Candidate,
) -> dict[str, list[str]]:
    """Add a plugin's items to the registry, all or none; a duplicate name fails the plugin.

    `owners` maps (Registry field, name) to the plugin that registered it, so the
    message names both plugins. Returns kind noun -> names, for `PluginInfo`.
    """
    _refuse_duplicates(staged, owners, candidate)
    registered: dict[str, list[str]] = {}
    for kind in KINDS:
        for name, item, _ in staged[kind.attribute]:
            if kind.attribute in PATH_KINDS:
                paths = getattr(registry, kind.attribute)
                paths.append((candidate.name, _level_path(item, candidate)))
            else:
                getattr(registry, kind.attribute)[name] = item
                owners[(kind.attribute, name)] = candidate.name
            registered.setdefault(kind.noun, []).append(name)
    if staged["concepts"]:
        registry.concepts = in_concept_order(registry.concepts.values())
    return registered


def _refuse_duplicates(
    staged: Staged, owners: dict[tuple[str, str], str], candidate: Candidate
) -> None:
    seen: set[tuple[str, str]] = set()
    for kind in KINDS:
        if kind.attribute in PATH_KINDS:
            continue
        for name, _, where in staged[kind.attribute]:
            key = (kind.attribute, name)
            if key in owners or key in seen:
                other = owners.get(key, candidate.name)
                raise PluginFailure(
                    where, f"{kind.noun} {name!r} is already registered by plugin {other!r}"
                )
            seen.add(key)


def _level_path(item: str | os.PathLike[str], candidate: Candidate) -> Path:
    """A registered level path; a relative one is read from the plugin's own folder."""
    path = Path(item)
    if not path.is_absolute() and candidate.root is not None:
        base = candidate.root if candidate.root.is_dir() else candidate.root.parent
        path = base / path
    return path


def in_concept_order(concepts: Iterable[Concept]) -> dict[str, Concept]:
    """Concept id -> concept, by `order` and then id: the order the campaign teaches them."""
    return {c.id: c for c in sorted(concepts, key=lambda c: (c.order, c.id))}
