"""Checks of a level's layers: head tables in their layer's slots, partial rotary, par.

A level with `layers = L` and `heads = H` has L·H head slots, layer by layer
(docs/levels.md, "Layers and the residual stream"). A head table's `layer`
(1-based) puts it in the first free slot of that layer; a table whose layer is
past L, or whose layer is full, is a located problem. Like `game.levels.checks`,
each check returns `(key path, message)` pairs for the loader to locate.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from game.levels.errors import Loc

if TYPE_CHECKING:
    from game.levels.schema import HeadTable, Level


def layer_problems(level: Level) -> list[tuple[Loc, str]]:
    """Every layer problem of `level`, in file order: head tables, rotate_features, par."""
    problems: list[tuple[Loc, str]] = []
    for where in ("start", "solution"):
        tables = getattr(getattr(level, where), "heads", None) if getattr(level, where) else None
        if tables is not None:
            problems.extend(slot_problems(tables, (where, "heads"), level.layers, level.heads))
    problems.extend(_rotate_problems(level))
    if level.par_layers is not None and level.par_layers > level.layers:
        problems.append(
            (("par_layers",), f"is {level.par_layers}; the level has layers = {level.layers}")
        )
    slots = level.layers * level.heads
    if level.par_heads is not None and level.par_heads > slots:
        problems.append(
            (("par_heads",), f"is {level.par_heads}; the level has {slots} head slots in all")
        )
    return problems


def slot_problems(
    tables: list[HeadTable], where: Loc, layers: int, heads: int
) -> list[tuple[Loc, str]]:
    """Head tables whose layer is past `layers`, or already holds `heads` tables."""
    problems: list[tuple[Loc, str]] = []
    filled = [0] * layers
    for h, table in enumerate(tables):
        if table.layer > layers:
            problems.append(
                ((*where, h, "layer"), f"is {table.layer}; the level has layers = {layers}")
            )
        elif layers > 1 and filled[table.layer - 1] >= heads:  # one layer: checks counts
            problems.append(
                (
                    (*where, h, "layer"),
                    f"layer {table.layer} has no free slot left: it holds heads = {heads} "
                    "head(s) already",
                )
            )
        else:
            filled[table.layer - 1] += 1
    return problems


def slot_of(tables: list[HeadTable], heads: int) -> list[int]:
    """The global slot (layer·H + i) each table fills, for tables `slot_problems` accepts."""
    filled: dict[int, int] = {}
    slots = []
    for table in tables:
        layer = table.layer - 1
        slots.append(layer * heads + filled.get(layer, 0))
        filled[layer] = filled.get(layer, 0) + 1
    return slots


def _rotate_problems(level: Level) -> list[tuple[Loc, str]]:
    """rotate_features: known features, none twice, and whole pairs."""
    names = level.rotate_features
    if names is None:
        return []
    problems: list[tuple[Loc, str]] = []
    for i, name in enumerate(names):
        if name not in level.features:
            problems.append(
                (("rotate_features", i), f'"{name}" is not one of the level\'s features')
            )
        elif name in names[:i]:
            problems.append((("rotate_features", i), f'"{name}" is listed twice'))
    if len(names) % 2:
        problems.append(
            (("rotate_features",), f"lists {len(names)} features; a rotation turns them in pairs")
        )
    return problems
