"""The `[[maps]]` tables of a stacked level: fixed per-token maps between layers.

In a real transformer an MLP follows every attention layer and computes a
function of each token's stream on its own. Here a level may give such a
step, fixed (the player does not wire it): after layer `after_layer`'s heads
have written into the stream, every token's `output` feature gains
`fn(input)`, with `fn` a registered `game.api.MapFunction` (built-ins: square,
reciprocal, count, log, step). Maps after one layer run in file order, so a
map may read what an earlier one wrote (docs/levels.md, "Maps").
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
from pydantic import Field

from game.levels.errors import Loc
from game.levels.fields import Name, RegistryName, StrictModel
from game.plugin_calls import PluginCodeError, call_for_array

MAX_MAPS = 8
DRY_RUN = np.linspace(-2.0, 20.0, 24).reshape(2, 12)  # (b, n): signs, 0-ish, counts


class MapTable(StrictModel):
    """One `[[maps]]` table: after which layer, which feature in, which out, which function."""

    after_layer: int = Field(ge=1, description="The 1-based layer whose heads the map follows.")
    input: Name
    output: Name
    fn: RegistryName


def map_problems(
    maps: Sequence[MapTable], layers: int, features: Sequence[str], installed: Mapping[str, object]
) -> list[tuple[Loc, str]]:
    """(key path, message) for maps that cannot run: after the last layer, unknown
    features or functions, or an output another map of the level also writes."""
    problems: list[tuple[Loc, str]] = []
    for i, table in enumerate(maps):
        if table.after_layer >= layers:
            problems.append(
                (
                    ("maps", i, "after_layer"),
                    f"is {table.after_layer}; a map goes between layers, and the level has "
                    f"layers = {layers}",
                )
            )
        for key in ("input", "output"):
            if getattr(table, key) not in features:
                problems.append(
                    (
                        ("maps", i, key),
                        f'"{getattr(table, key)}" is not one of the level\'s features',
                    )
                )
        if table.output == table.input:
            problems.append((("maps", i, "output"), "a map writes a feature other than its input"))
        if table.fn in installed:
            problem = dry_run_problem(installed[table.fn])
            if problem:
                problems.append((("maps", i, "fn"), problem))
        else:
            names = ", ".join(sorted(installed)) or "none"
            problems.append(
                (("maps", i, "fn"), f'"{table.fn}" is not installed; installed: {names}')
            )
        if any(other.output == table.output for other in maps[:i]):
            problems.append(
                (("maps", i, "output"), f'"{table.output}" is written by an earlier map')
            )
    return problems


def dry_run_problem(function: object) -> str | None:
    """Why a map function cannot run, found by running it once on a (2, 12) batch at load
    time (its file:line), so a bad plugin is reported with the level, never in a frame."""
    fn = getattr(function, "fn", None)
    name = getattr(function, "name", "?")
    try:
        call_for_array(f"map function {name!r}", fn, DRY_RUN.shape, (DRY_RUN.copy(),))
    except PluginCodeError as error:
        return f'the map function "{name}" failed: {error.message} (at {error.location})'
    return None


def installed_maps(catalog: object) -> dict[str, object]:
    """The catalog's map functions (none for a catalog that predates them)."""
    return dict(getattr(catalog, "maps", None) or {})
