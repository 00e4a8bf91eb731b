"""The fixed per-token maps between layers: the game's MLP step (docs/levels.md, "Maps").

A real transformer follows every attention layer with an MLP that acts on each
token's residual stream alone. A level may give such steps, fixed: after layer
l's heads,

    x^{l+1}[:, :, out] += fn(x^{l+1}[:, :, in])        (b, n) -> (b, n), map by map

in file order, so a map may read an earlier map's output. `fn` is a registered
`game.api.MapFunction`; what it returns is checked at the boundary
(`game.plugin_calls`): shape (b, n) and every number finite, or a located
PluginCodeError. A level without `[[maps]]` runs exactly as before.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from game.api import Catalog, MapFunction
from game.levels.map_schema import installed_maps
from game.levels.schema import Level
from game.plugin_calls import call_for_array


@dataclass(frozen=True)
class BoundMap:
    """One `[[maps]]` table resolved against the board: its layer and stream columns."""

    after: int  # 0-based: runs after this layer's heads
    source: int  # the column of `input` in the stream
    target: int  # the column of `output`
    function: MapFunction
    label: str  # "share → count (count)", for messages and the board


def bind(level: Level, catalog: Catalog, features: Sequence[str]) -> tuple[BoundMap, ...]:
    """The level's maps against the stream's columns (`features`); ValueError for a map
    the loader would have refused (a function not installed, a feature not there)."""
    installed = installed_maps(catalog)
    columns = list(features)
    bound = []
    for table in level.maps:
        function = installed.get(table.fn)
        if not isinstance(function, MapFunction):
            raise ValueError(f'the map function "{table.fn}" is not installed')
        if table.input not in columns or table.output not in columns:
            raise ValueError(f"the map {table.input} → {table.output} names a missing feature")
        bound.append(
            BoundMap(
                after=table.after_layer - 1,
                source=columns.index(table.input),
                target=columns.index(table.output),
                function=function,
                label=f"{table.input} → {table.output} ({table.fn})",
            )
        )
    return tuple(bound)


def apply(x: np.ndarray, maps: Sequence[BoundMap], layer: int) -> np.ndarray:
    """The stream `x` (b, n, d_model) after `layer`'s maps; `x` itself when it has none."""
    mine = [m for m in maps if m.after == layer]
    if not mine:
        return x
    x = x.copy()  # (b, n, d_model): the stream before the maps stays as it was
    for m in mine:
        values = x[:, :, m.source]  # (b, n)
        what = f"map function {m.function.name!r} ({m.label})"
        added = call_for_array(what, m.function.fn, values.shape, (values.copy(),))  # (b, n)
        x[:, :, m.target] += added  # (b, n, d_model) x[out] += fn(x[in])
    return x
