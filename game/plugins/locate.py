"""Where a plugin went wrong: the file:line of the plugin's own code, and a one-line why.

Every failure a player or teacher sees names a line in the plugin, not in
the game: the frame of the traceback nearest the error that lies inside the
plugin's file or folder, the `register(...)` call that handed over a bad
item, or the definition of a misnamed hook function.
"""

from __future__ import annotations

import inspect
import traceback
from pathlib import Path
from types import ModuleType
from typing import Any

from game.plugins.discovery import Candidate
from game.plugins.registry import PluginFailure

HOOK_PREFIX = "switchyard_"


def _inside(filename: str, root: Path | None) -> bool:
    """True when `filename` is the plugin's file or lies in the plugin's folder."""
    if root is None:
        return False
    path, root = Path(filename).resolve(), root.resolve()
    return path == root or (root.is_dir() and root in path.parents)


def locate(error: BaseException, candidate: Candidate, module: ModuleType | None) -> str:
    """file:line of the plugin's own code nearest to where `error` happened."""
    if isinstance(error, PluginFailure):
        return error.location
    if isinstance(error, SyntaxError) and error.filename:
        return f"{error.filename}:{error.lineno}"
    root = candidate.root
    if root is None and module is not None and getattr(module, "__file__", None):
        module_file = Path(module.__file__)
        root = module_file.parent if module_file.name == "__init__.py" else module_file
    frames = traceback.extract_tb(error.__traceback__)
    for frame in reversed(frames):
        if _inside(frame.filename, root):
            return f"{frame.filename}:{frame.lineno}"
    if frames:
        frame = frames[-1]
        return f"{frame.filename}:{frame.lineno}"
    return candidate.location


def one_line(error: BaseException) -> str:
    """The error as "TypeName: first line of its message"."""
    if isinstance(error, PluginFailure):
        return error.message
    text = str(error).strip().splitlines()
    message = text[0] if text else ""
    if isinstance(error, SystemExit | KeyboardInterrupt):  # say what it tried to do
        action = "called sys.exit" if isinstance(error, SystemExit) else "raised KeyboardInterrupt"
        return f"{action}({message}) while loading; a plugin must not end the game"
    return f"{type(error).__name__}: {message}" if message else type(error).__name__


def caller_location() -> str:
    """file:line of the plugin code that called `register` (two frames up)."""
    frame = inspect.currentframe()
    try:
        caller = frame.f_back.f_back if frame and frame.f_back else None
        if caller is None:
            return "?"
        return f"{caller.f_code.co_filename}:{caller.f_lineno}"
    finally:
        del frame


def where_defined(function: Any) -> str | None:
    """file:line where a plugin function's definition starts (its decorator), if known."""
    try:
        return f"{inspect.getsourcefile(function)}:{inspect.getsourcelines(function)[1]}"
    except (OSError, TypeError):
        return None


def definition_line(module: Any, problem: str) -> str:
    """file:line of the first misnamed hook function mentioned in `problem`."""
    for attr in dir(module):
        if attr.startswith(HOOK_PREFIX) and repr(attr) in problem:
            where = where_defined(getattr(module, attr))
            if where is not None:
                return where
            break
    return getattr(module, "__file__", None) or "?"
