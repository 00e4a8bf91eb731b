"""A board saved as JSON-able data, and read back for a level as it is now.

The player's best board for each level is kept in the progress file
(`Progress.best[level_id]`) as the plain data of its `BoardState`:

    {"heads": [{"wires": [{"query", "key", "strength"}…],
                "values": [{"key", "out", "strength"}…], "block", "mix", "layer"}…],
     "settings": {"scale", "temperature", "positional", "parameter", "knobs": [[name, value]…]}}

`state_to_dict` writes it; `restore_state` reads it back and says why when it
cannot (a level file edited since, a damaged or hand-edited save);
`state_from_dict` is the same as a BoardState or None, which is all the game
needs: without a saved board the player starts from the level's own start.
Reading never raises anything but `SavedBoardError`, whatever the data. No pygame here.
"""

from __future__ import annotations

import dataclasses
from typing import TYPE_CHECKING, Any

from game.levels.schema import Level
from game.model.board import Board, BoardError
from game.model.spec import BoardState, HeadSpec, Settings, ValueRoute, Wire

if TYPE_CHECKING:
    from game.api import Catalog


class SavedBoardError(ValueError):
    """A saved board does not fit the level: the message says what is wrong."""


def state_to_dict(state: BoardState) -> dict[str, Any]:
    """A board state as JSON-able data, for the player's best solution in Progress."""
    data = json_ready(dataclasses.asdict(state))
    if state.settings.causal:  # the default: left out, so older saves and newer ones agree
        del data["settings"]["causal"]
    for head in data["heads"]:
        if head["layer"] == 0:  # likewise: a one-layer board saves as it always has
            del head["layer"]
    return data


def json_ready(value: Any) -> Any:
    """`value` with every tuple turned into a list, so `json.dumps` writes it as it reads back."""
    if isinstance(value, dict):
        return {k: json_ready(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [json_ready(v) for v in value]
    return value


def _parse_head(head: Any) -> HeadSpec:
    return HeadSpec(
        wires=tuple(
            Wire(str(w["query"]), str(w["key"]), float(w["strength"]))
            for w in head.get("wires", ())
        ),
        values=tuple(
            ValueRoute(str(v["key"]), str(v["out"]), float(v["strength"]))
            for v in head.get("values", ())
        ),
        block=str(head["block"]),
        mix=float(head.get("mix", 1.0)),
        layer=_layer(head.get("layer", 0)),
    )


def _layer(value: Any) -> int:
    """A saved head's 0-based layer: a whole number (saves before layers have none: 0)."""
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError(f"a head's layer is a whole number, not {value!r}")
    return value


def _parse_settings(raw: Any) -> Settings:
    parameter = raw.get("parameter")
    return Settings(
        scale=bool(raw["scale"]),
        temperature=float(raw["temperature"]),
        positional=str(raw["positional"]),
        parameter=None if parameter is None else float(parameter),
        knobs=tuple((str(name), float(value)) for name, value in raw.get("knobs", ())),
        causal=bool(raw.get("causal", True)),
    )


def _parse(data: Any) -> BoardState:
    """The data as a BoardState, without checking it against a level (KeyError, TypeError…)."""
    if not isinstance(data, dict):
        raise TypeError(f"a saved board is an object, not {type(data).__name__}")
    heads = data["heads"]
    if not isinstance(heads, list):
        raise TypeError(f"'heads' is a list, not {type(heads).__name__}")
    return BoardState(tuple(_parse_head(head) for head in heads), _parse_settings(data["settings"]))


def _replay(state: BoardState, level: Level, catalog: Catalog) -> None:
    """Put `state` through the board's own checks: the same intents a player would make.

    Features, limits, one wire per pair, the level's controls and ranges; raises BoardError.
    """
    check = Board(level, catalog)
    start = check.initial_state
    if [h.block for h in state.heads] != [h.block for h in start.heads]:
        blocks = [h.block for h in start.heads]
        raise BoardError(f"its heads are {[h.block for h in state.heads]}, the level's {blocks}")
    if [h.layer for h in state.heads] != [h.layer for h in start.heads]:
        layers = [h.layer for h in start.heads]
        raise BoardError(f"its heads' layers are {[h.layer for h in state.heads]}, not {layers}")
    if [name for name, _ in state.settings.knobs] != [name for name, _ in start.settings.knobs]:
        raise BoardError("its knobs are not the level's knobs")
    if state.settings.positional not in level.positional:
        raise BoardError(f'the level has no positional scheme "{state.settings.positional}"')
    for h, head in enumerate(state.heads):
        if head.mix != start.heads[h].mix:
            check.set_mix(h, head.mix)
        check.replace_head(h, dataclasses.replace(head, mix=check.heads[h].mix))
    settings, first = state.settings, start.settings
    if settings.positional != first.positional:
        check.choose_positional(settings.positional)
    if settings.parameter is not None and settings.parameter != check.settings.parameter:
        check.set_positional_parameter(settings.parameter)
    if settings.scale != first.scale:
        check.set_scale(settings.scale)
    if settings.temperature != first.temperature:
        check.set_temperature(settings.temperature)
    if settings.causal != first.causal:
        check.set_causal(settings.causal)
    for (name, value), (_, was) in zip(settings.knobs, first.knobs, strict=True):
        if value != was:
            check.set_knob(name, value)


def restore_state(data: Any, level: Level, catalog: Catalog) -> BoardState:
    """The inverse of `state_to_dict`: a saved board back as a BoardState for `level`.

    Raises SavedBoardError, saying why, when the data does not fit the level as it
    is now: not a board at all, wrong head count or blocks, unknown features or
    schemes, numbers out of range or not numbers, controls the level keeps fixed.
    """
    try:
        state = _parse(data)
    except (KeyError, TypeError, ValueError, AttributeError) as error:
        raise SavedBoardError(f"not a saved board: {type(error).__name__}: {error}") from None
    try:
        _replay(state, level, catalog)
        Board(level, catalog, state).evaluate(0)
    except (BoardError, KeyError, TypeError, ValueError, LookupError, ArithmeticError) as error:
        raise SavedBoardError(f"does not fit level {level.id!r}: {error}") from None
    return state


def state_from_dict(data: Any, level: Level, catalog: Catalog) -> BoardState | None:
    """`restore_state`, or None when the saved board does not fit (the player then simply
    starts from the level's own start)."""
    try:
        return restore_state(data, level, catalog)
    except SavedBoardError:
        return None


__all__ = ["SavedBoardError", "json_ready", "restore_state", "state_from_dict", "state_to_dict"]
