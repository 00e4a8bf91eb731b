"""Whether a level's `positional_settings` fit the scheme functions they are handed to.

The board calls a scheme's functions with the level's settings as keywords
(`embed(positions, d_model, **settings)`, `rotate(x, positions, **settings)`,
`bias(q_positions, k_positions, n_heads, **settings)`, `slopes(n_heads, **settings)`).
A setting named like an argument the board already passes (`d_model`) or one a
function does not take would only fail when the board first runs, as a
TypeError far from the file; one that every function swallows with `**_` while
naming other settings (`bse` for `base`) would be silently ignored. Reading the
functions' signatures finds all three at load time, located at the setting's line.
"""

from __future__ import annotations

import difflib
import inspect
from collections.abc import Iterator, Mapping
from typing import Any

from game.levels.errors import Loc

# How many arguments the board passes by position to each scheme function.
POSITIONAL_ARGUMENTS = {"embed": 2, "rotate": 2, "bias": 3, "slopes": 1}


def _signatures(scheme: Any) -> dict[str, inspect.Signature]:
    """The scheme's functions the board calls, by name (one without a signature is skipped)."""
    found = {}
    for name in POSITIONAL_ARGUMENTS:
        function = getattr(scheme, name, None)
        if function is None:
            continue
        try:
            found[name] = inspect.signature(function)
        except (TypeError, ValueError):  # a builtin without one: nothing to check
            continue
    return found


def _passed(name: str, signature: inspect.Signature) -> list[inspect.Parameter]:
    """The parameters the board fills by position."""
    params = signature.parameters.values()
    by_position = [p for p in params if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD)]
    return by_position[: POSITIONAL_ARGUMENTS[name]]


def _named(name: str, signature: inspect.Signature) -> set[str]:
    """The settings a function names: keyword parameters the board does not fill."""
    passed = _passed(name, signature)
    return {
        p.name
        for p in signature.parameters.values()
        if p.kind in (p.POSITIONAL_OR_KEYWORD, p.KEYWORD_ONLY) and p not in passed
    }


def _problem(key: str, signatures: Mapping[str, inspect.Signature]) -> str | None:
    """Why the setting `key` cannot be handed to the scheme's functions (None: it can).

    A function without `**` must name the key; functions that all take `**` and
    name some settings are read as declaring them, so an unnamed key is a typo.
    """
    for name, signature in signatures.items():
        if any(
            p.name == key and p.kind is p.POSITIONAL_OR_KEYWORD for p in _passed(name, signature)
        ):
            return (
                f"{key!r} is an argument the game passes to the scheme's {name}() itself; "
                "a level setting cannot be named after it"
            )
    named = set().union(*(_named(n, s) for n, s in signatures.items()))
    if key in named:
        return None
    closed = [
        n
        for n, s in signatures.items()
        if not any(p.kind is p.VAR_KEYWORD for p in s.parameters.values())
    ]
    if not closed and not named:
        return None  # every function takes any keyword and names none: nothing to go by
    known = ", ".join(sorted(named)) or "none"
    close = difflib.get_close_matches(key, sorted(named), n=1)
    hint = f"; did you mean {close[0]!r}?" if close else ""
    where = f"{closed[0]}()" if closed else "functions"
    return f"the scheme's {where} takes no setting {key!r} (its settings: {known}){hint}"


def setting_problems(
    settings: Mapping[str, Mapping[str, Any]], schemes: Mapping[str, Any]
) -> Iterator[tuple[Loc, str]]:
    """(key path, message) for each setting that the installed scheme would refuse or ignore."""
    for name, values in settings.items():
        scheme = schemes.get(name)
        if scheme is None:
            continue
        signatures = _signatures(scheme)
        for key in values:
            message = _problem(key, signatures)
            if message:
                yield ("positional_settings", name, key), f'"{name}": {message}'
