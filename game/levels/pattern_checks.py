"""A level's attention pattern against what is installed ("did you mean"), and its settings.

Kept apart from the loader's other checks: a pattern is looked up in the
catalog's `patterns` (a catalog without that mapping has none installed),
its settings must be numbers, a linear (feature-map) pattern cannot take a
positional bias, and a dry run on the level's longest sentence must give a
mask of the right shape, so a broken plugin or setting is reported with the
level's file and line instead of failing on the board.
"""

from __future__ import annotations

import difflib
from collections.abc import Callable, Mapping
from typing import Any

import numpy as np

from game.api import AttentionPattern, Catalog
from game.levels.errors import Loc
from game.levels.schema import Level
from game.plugin_calls import PluginCodeError, call

Add = Callable[[Loc, str], None]


def installed_patterns(catalog: Catalog) -> Mapping[str, AttentionPattern]:
    """The catalog's attention patterns (none for a catalog that predates them)."""
    return getattr(catalog, "patterns", None) or {}


def pattern_reference_problem(table: Mapping[str, Any], catalog: Catalog) -> str | None:
    """Why the raw table's `pattern` names nothing installed, or None."""
    name = table.get("pattern")
    known = installed_patterns(catalog)
    if not isinstance(name, str) or name in known:
        return None
    close = difflib.get_close_matches(name, list(known), n=1, cutoff=0.6)
    hint = f' (did you mean "{close[0]}"?)' if close else ""
    return (
        f'unknown attention pattern "{name}"{hint}; installed: {", ".join(sorted(known)) or "none"}'
    )


def pattern_problems(level: Level, catalog: Catalog, add: Add) -> None:
    """Settings that are not numbers, a bias with linear attention, a mask failing its dry run."""
    if level.pattern is None:
        if level.pattern_settings:
            add(("pattern_settings",), "is given but the level names no `pattern`")
        return
    pattern = installed_patterns(catalog).get(level.pattern)
    if pattern is None:
        return
    for key, value in level.pattern_settings.items():
        if not _numbers(value):
            add(("pattern_settings", key), "must be a number or array of numbers")
            return
    n = max(len(words) for s in level.sentences for words in s.sequences().values())
    if pattern.feature_map is not None:
        _feature_map_problems(level, pattern, n, add)
        for name in level.positional:
            scheme = catalog.positional.get(name)
            if scheme is not None and (scheme.bias is not None or scheme.slopes is not None):
                add(
                    ("pattern",),
                    f'linear attention has no score matrix to add the "{name}" '
                    "scheme's bias to; pick a scheme without a bias",
                )
        return
    for loc, settings in _settings_to_try(level):
        try:
            mask = np.asarray(call("mask", pattern.mask, np.arange(n), np.arange(n), **settings))
        except PluginCodeError as error:  # a plugin's bug or a bad setting must not crash loading
            problem = f"{error.message} (at {error.location})"
            add(loc, f'the "{pattern.name}" pattern failed: {problem}')
            return
        if mask.shape != (n, n) or mask.dtype != bool:
            add(
                ("pattern",),
                f'the "{pattern.name}" pattern gave a {mask.dtype} {mask.shape} mask; '
                f"expected bool ({n}, {n})",
            )
            return


def _settings_to_try(level: Level) -> list[tuple[Loc, dict[str, Any]]]:
    """The level's settings, then each knob that overrides one at its low and high ends."""
    where: Loc = ("pattern_settings",) if level.pattern_settings else ("pattern",)
    tries = [(where, dict(level.pattern_settings))]
    for i, knob in enumerate(level.knobs):
        if knob.name in level.pattern_settings:
            for end in (knob.low, knob.high):
                tries.append((("knobs", i), {**level.pattern_settings, knob.name: end}))
    return tries


def _feature_map_problems(level: Level, pattern: AttentionPattern, n: int, add: Add) -> None:
    """A dry run of the feature map on (1, n, d_k) inputs of both signs: shape and sign."""
    x = np.linspace(-2.0, 2.0, n * level.head_dim).reshape(1, n, level.head_dim)  # (1, n, d_k)
    try:
        phi = call("feature_map", pattern.feature_map, x, **level.pattern_settings)
        phi = np.asarray(phi, dtype=np.float64)
    except PluginCodeError as error:  # a plugin's bug or a bad setting must not crash loading
        problem = f"{error.message} (at {error.location})"
        add(("pattern",), f'the "{pattern.name}" feature map failed: {problem}')
        return
    except (TypeError, ValueError) as error:  # not an array of numbers
        add(("pattern",), f'the "{pattern.name}" feature map failed: {error}')
        return
    if phi.ndim != 3 or phi.shape[:2] != (1, n) or phi.shape[2] < 1:
        add(("pattern",), f'the "{pattern.name}" feature map gave shape {phi.shape} for {x.shape}')
    elif not np.all(np.isfinite(phi)) or np.any(phi < 0):
        add(("pattern",), f'the "{pattern.name}" feature map gave a negative or non-finite value')


def _numbers(value: Any) -> bool:
    if isinstance(value, bool):
        return False
    if isinstance(value, int | float):
        return True
    return isinstance(value, list) and len(value) <= 256 and all(_numbers(v) for v in value)
