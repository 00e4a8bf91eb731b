"""The one boundary every call into plugin code goes through, and the checks on what comes back.

Plugins are trusted code run with the player's rights (docs/plugins.md), but
a bug in one must never take the game down. So the board calls a scheme's
`embed`/`rotate`/`bias`/`slopes`, a goal's `check`/`target` and a backend's
`run` only through `call`, and holds every array that comes back to its shape
and to finite numbers (`checked_array`). Whatever goes wrong there, an
exception, `sys.exit`, a wrong shape, a NaN, comes out as one
`PluginCodeError` that names the plugin function and the file:line of the
plugin's own code, which the play screen, the sandbox and the command line
report in one line. `KeyboardInterrupt` is left alone here: during a frame it
is the player's Ctrl+C, not the plugin's. No pygame here.
"""

from __future__ import annotations

import inspect
import traceback
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import numpy as np

# What a call into plugin code may raise and the game survives: every Exception, and
# SystemExit (a plugin calling sys.exit must not quit the game).
CAUGHT: tuple[type[BaseException], ...] = (Exception, SystemExit)


class PluginCodeError(RuntimeError):
    """Plugin code failed or handed back a bad value: which function, where, and why."""

    def __init__(self, what: str, location: str, message: str) -> None:
        self.what = what  # 'positional scheme "rope" rotate'
        self.location = location  # "path/to/plugin.py:12"
        self.message = message
        super().__init__(f"{what} failed at {location}: {message}")


def defined_at(function: Any) -> str:
    """file:line where a plugin function is defined, or its module when that is unknown."""
    target = inspect.unwrap(function) if callable(function) else function
    try:
        return f"{inspect.getsourcefile(target)}:{inspect.getsourcelines(target)[1]}"
    except (OSError, TypeError):
        return getattr(target, "__module__", None) or repr(target)[:60]


def _plugin_file(function: Any) -> Path | None:
    try:
        source = inspect.getsourcefile(inspect.unwrap(function))
    except (OSError, TypeError):
        return None
    return Path(source).resolve() if source else None


def failure_location(error: BaseException, function: Any) -> str:
    """file:line of the plugin's own frame nearest the error (its folder counts as its own)."""
    frames = traceback.extract_tb(error.__traceback__)
    own = _plugin_file(function)
    if own is not None:
        for frame in reversed(frames):
            path = Path(frame.filename).resolve()
            if path == own or path.parent == own.parent:
                return f"{frame.filename}:{frame.lineno}"
    if len(frames) > 1:  # frames[0] is `call` itself
        return f"{frames[-1].filename}:{frames[-1].lineno}"
    return defined_at(function)


def one_line(error: BaseException) -> str:
    """The error as "TypeName: first line of its message"."""
    text = str(error).strip().splitlines()
    return f"{type(error).__name__}: {text[0]}" if text else type(error).__name__


def call(what: str, function: Callable[..., Any], /, *args: Any, **kwargs: Any) -> Any:
    """`function(*args, **kwargs)`; anything it raises comes out as a located PluginCodeError.

    Positional-only, so a level setting may be called "what" or "function"."""
    try:
        return function(*args, **kwargs)
    except PluginCodeError:
        raise
    except CAUGHT as error:
        raise PluginCodeError(what, failure_location(error, function), one_line(error)) from error


def checked_array(
    what: str, function: Any, value: Any, shape: Sequence[int], *, finite: bool = True
) -> np.ndarray:
    """`value` as a float64 array of exactly `shape`, every number finite, or PluginCodeError.

    `finite=False` lets −inf through (a bias may mask with −inf) but never NaN or +inf.
    The plugin's file:line is looked up only on a failure: reading source on every call
    cost 9 ms of each edit on a 4-head board.
    """
    try:
        array = np.asarray(value, dtype=np.float64)
    except (TypeError, ValueError, OverflowError) as error:
        problem = f"returned {type(value).__name__}, not an array of numbers ({error})"
        raise PluginCodeError(what, defined_at(function), problem) from None
    if array.shape != tuple(shape):
        problem = f"returned shape {array.shape}; expected {tuple(int(n) for n in shape)}"
        raise PluginCodeError(what, defined_at(function), problem)
    bad = ~np.isfinite(array) if finite else (np.isnan(array) | (array == np.inf))
    if bad.any():
        index = tuple(int(i) for i in np.argwhere(bad)[0])
        problem = f"returned {array[index]} at index {index}; every number must be finite"
        raise PluginCodeError(what, defined_at(function), problem)
    return array


def call_for_array(
    what: str,
    function: Callable[..., Any],
    shape: Sequence[int],
    args: Sequence[Any],
    kwargs: dict[str, Any] | None = None,
    *,
    finite: bool = True,
) -> np.ndarray:
    """`call` then `checked_array`: the one way the board gets an array from plugin code."""
    value = call(what, function, *args, **(kwargs or {}))
    return checked_array(what, function, value, shape, finite=finite)
