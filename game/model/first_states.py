"""The board's first states: the level's start and its reference solution, as BoardStates.

A level has `layers · heads` head slots, layer by layer (global head h = layer·H + i);
each head table of `[start]` or `[solution]` fills the first free slot of its `layer`
and every other slot is an empty head in the architecture's first block. Split from
`game.model.board` so the board module stays about intents and history.
"""

from __future__ import annotations

from game.api import Architecture, Catalog, PositionalScheme
from game.levels.layer_checks import slot_of
from game.levels.schema import HeadTable, Level
from game.model.spec import BoardState, HeadSpec, Settings, ValueRoute, Wire


class BoardError(ValueError):
    """An intent the level does not allow, or that breaks a limit; the state is unchanged."""


def architecture_of(level: Level, catalog: Catalog) -> Architecture:
    arch = catalog.architectures.get(level.architecture)
    if arch is None:
        raise BoardError(f'architecture "{level.architecture}" is not installed')
    return arch


def scheme_of(catalog: Catalog, name: str) -> PositionalScheme:
    scheme = catalog.positional.get(name)
    if scheme is None:
        raise BoardError(f'positional scheme "{name}" is not installed')
    return scheme


def default_parameter(scheme: PositionalScheme) -> float | None:
    return scheme.parameters[0].default if scheme.parameters else None


def _heads(level: Level, tables: list[HeadTable], block: str) -> tuple[HeadSpec, ...]:
    """The L·H head slots, layer by layer: each table in the first free slot of its
    `layer`, every slot no table fills an empty head in `block`."""
    heads = level.heads
    specs = [HeadSpec(block=block, layer=slot // heads) for slot in range(level.layers * heads)]
    for slot, table in zip(slot_of(tables, heads), tables, strict=True):
        specs[slot] = HeadSpec(
            wires=tuple(Wire(w.query, w.key, w.strength) for w in table.wires),
            values=tuple(ValueRoute(v.key, v.out, v.strength) for v in table.values),
            block=table.block or block,
            mix=table.mix,
            layer=slot // heads,
        )
    return tuple(specs)


def start_state(level: Level, catalog: Catalog) -> BoardState:
    """The board as the level starts it: `[start]`, else empty heads in the first block."""
    block = architecture_of(level, catalog).blocks[0].name
    start = level.start
    tables = start.heads if start.heads is not None else []
    positional = start.positional or level.positional[0]
    parameter = start.parameter
    if parameter is None:
        parameter = default_parameter(scheme_of(catalog, positional))
    knobs = tuple((k.name, float(start.knobs.get(k.name, k.default))) for k in level.knobs)
    settings = Settings(start.scale, start.temperature, positional, parameter, knobs)
    return BoardState(_heads(level, tables, block), settings)


def solution_state(level: Level, catalog: Catalog) -> BoardState | None:
    """The level's reference solution as a board state (None when it has none)."""
    solution = level.solution
    if solution is None:
        return None
    start = start_state(level, catalog)
    block = architecture_of(level, catalog).blocks[0].name
    positional = solution.positional or start.settings.positional
    parameter = solution.parameter
    if parameter is None:
        parameter = (
            start.settings.parameter
            if positional == start.settings.positional
            else default_parameter(scheme_of(catalog, positional))
        )
    settings = Settings(
        scale=start.settings.scale if solution.scale is None else solution.scale,
        temperature=start.settings.temperature
        if solution.temperature is None
        else solution.temperature,
        positional=positional,
        parameter=parameter,
        knobs=tuple(
            (name, float(solution.knobs.get(name, value))) for name, value in start.settings.knobs
        ),
    )
    return BoardState(_heads(level, solution.heads, block), settings)
