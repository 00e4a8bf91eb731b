"""All the levels plugins registered, loaded together, with every problem kept.

A broken level file disables only itself: its problems are returned beside
the levels that loaded, for `switchyard plugins` and the in-game panel.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping
from pathlib import Path

from game.api import Catalog, Concept
from game.levels.errors import LevelError, Problem
from game.levels.loader import load_level_file
from game.levels.locate import key_lines
from game.levels.schema import Level


def level_files(path: str | os.PathLike[str]) -> list[Path]:
    """`path` itself, or the *.toml files of a folder in name order."""
    path = Path(path)
    if path.is_dir():
        return sorted(p for p in path.glob("*.toml") if p.is_file())
    return [path]


def load_registered_levels(
    sources: Iterable[tuple[str, str | os.PathLike[str]]], *, catalog: Catalog
) -> tuple[dict[str, Level], list[Problem]]:
    """Load every level the (plugin name, file or folder) pairs name.

    Returns (id → level, problems). A duplicate id is a problem naming both
    files; the first one loaded keeps the id.
    """
    levels: dict[str, Level] = {}
    problems: list[Problem] = []
    for plugin, root in sources:
        if not Path(root).exists():
            problems.append(
                Problem(
                    str(root), None, "", f"no such file or folder (registered by plugin {plugin})"
                )
            )
            continue
        for path in level_files(root):
            try:
                level = load_level_file(path, catalog, source=plugin)
            except LevelError as error:
                problems.extend(error.problems)
                continue
            first = levels.get(level.id)
            if first is not None:
                problems.append(
                    Problem(
                        str(path),
                        id_line(path),
                        "id",
                        f'level id "{level.id}" '
                        f"is already used by {first.path} (plugin {first.source})",
                    )
                )
                continue
            levels[level.id] = level
    return levels, problems


def id_line(path: Path) -> int | None:
    """The line of the file's `id` key, for the duplicate-id problem."""
    try:
        lines = key_lines(path.read_text(encoding="utf-8-sig"))
    except (OSError, UnicodeDecodeError):
        return None
    return lines.get(("id",), 1)


def in_campaign_order(levels: Iterable[Level], concepts: Mapping[str, Concept]) -> list[Level]:
    """Levels in the order the campaign teaches them: by concept order, then id.

    `concepts` is the catalog's registered concepts. A level whose concept is
    not registered (only possible with a catalog that declares none) comes
    after every registered chapter, grouped by concept id.
    """

    def key(level: Level) -> tuple[int, float, str, str]:
        concept = concepts.get(level.concept)
        if concept is None:
            return (1, 0.0, level.concept, level.id)
        return (0, concept.order, concept.id, level.id)

    return sorted(levels, key=key)


def concept_title(concepts: Mapping[str, Concept], concept: str) -> str:
    """The chapter name the level list and the play screen show for a level's concept."""
    found = concepts.get(concept)
    return found.title if found is not None else concept
