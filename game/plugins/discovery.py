"""Finding plugins: every candidate, in load order, with a way to import it.

Plugins come from these places, in this order (DESIGN §3, §5):
1. the built-in modules and packages in `game/builtin_plugins/` (`BUILTIN_DIR`), loaded
   through the same `switchyard` entry points as third-party plugins (pyproject.toml
   declares one per built-in, so a wheel carries them); a built-in the installed metadata
   does not name yet (a source checkout never installed, a stale editable install) is
   imported from the folder under the same module name, so it is never lost;
2. `.py` files and packages in the user plugin folder
   (`platformdirs.user_data_dir("switchyard")/plugins`, or `SWITCHYARD_PLUGIN_DIR`);
3. installed packages' entry points in the group `switchyard`;
4. any path given with `--plugin PATH`.

Nothing is imported here: a `Candidate` carries a `load` function that the
loader calls inside its try/except, so a plugin that fails to import is
isolated like any other failure.
"""

from __future__ import annotations

import functools
import importlib
import importlib.metadata
import importlib.util
import os
import sys
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType
from typing import Any

from game.api import PROJECT_NAME
from game.plugins.registry import PluginFailure

# game/builtin_plugins: this file is game/plugins/discovery.py.
BUILTIN_DIR = Path(__file__).resolve().parents[1] / "builtin_plugins"
BUILTIN_PACKAGE = "game.builtin_plugins"
ENTRY_POINT_GROUP = PROJECT_NAME


@dataclass
class Candidate:
    """A plugin found but not yet loaded: how to import it, and where it came from."""

    name: str
    source: str
    location: str  # file or folder path, or "entry point NAME = module:attr"
    load: Callable[[], Any]
    root: Path | None = None  # the file or folder whose lines count as "the plugin's"
    version: str | None = None


def user_plugin_dir() -> Path:
    """Where players and teachers drop plugins: `SWITCHYARD_PLUGIN_DIR` or the user data folder."""
    override = os.environ.get("SWITCHYARD_PLUGIN_DIR")
    if override:
        return Path(override).expanduser()
    import platformdirs

    return Path(platformdirs.user_data_dir(PROJECT_NAME)) / "plugins"


def module_from_path(path: Path, module_name: str) -> ModuleType:
    """Import a plugin file or package folder under `module_name`, without touching sys.path."""
    if path.is_dir():
        init = path / "__init__.py"
        spec = importlib.util.spec_from_file_location(
            module_name, init, submodule_search_locations=[str(path)]
        )
    else:
        spec = importlib.util.spec_from_file_location(module_name, path)
    if spec is None or spec.loader is None:
        raise ImportError(f"cannot import {path}")
    module = importlib.util.module_from_spec(spec)
    sys.modules[module_name] = module  # packages need this for their relative imports
    try:
        spec.loader.exec_module(module)
    except BaseException:
        sys.modules.pop(module_name, None)
        raise
    return module


def _plugin_paths(folder: Path) -> Iterator[Path]:
    """The plugin files (`*.py`) and packages (folders with `__init__.py`) in a folder."""
    if not folder.is_dir():
        return
    for path in sorted(folder.iterdir()):
        if path.name.startswith(("_", ".")):
            continue
        if path.is_file() and path.suffix == ".py" and not path.name.startswith("test_"):
            yield path
        elif path.is_dir() and (path / "__init__.py").is_file():
            yield path


def _path_name(path: Path) -> str:
    return path.stem if path.suffix == ".py" else path.name


def _folder_candidates(folder: Path, source: str, prefix: str) -> Iterator[Candidate]:
    for path in _plugin_paths(folder):
        name = _path_name(path)
        yield Candidate(
            name=name,
            source=source,
            location=str(path),
            load=lambda path=path, name=name: module_from_path(path, f"{prefix}.{name}"),
            root=path,
        )


def _is_builtin(entry_point: importlib.metadata.EntryPoint) -> bool:
    return entry_point.value.startswith(f"{BUILTIN_PACKAGE}.")


def _import_builtin(name: str) -> ModuleType:
    return importlib.import_module(f"{BUILTIN_PACKAGE}.{name}")


def _builtin_candidates(folder: Path) -> Iterator[Candidate]:
    """The built-ins, by name: each through its entry point, or imported from the folder.

    Either way the module is `game.builtin_plugins.NAME`, imported normally, so a
    built-in is the same module whichever way it was found. Another `folder` (tests)
    is read like a plugin folder.
    """
    if folder != BUILTIN_DIR:
        yield from _folder_candidates(folder, "built-in", "switchyard_builtin")
        return
    declared = {
        ep.name: ep
        for ep in importlib.metadata.entry_points(group=ENTRY_POINT_GROUP)
        if _is_builtin(ep)
    }
    found = {_path_name(path): path for path in _plugin_paths(folder)}
    for name in sorted({*declared, *found}):
        entry_point, path = declared.get(name), found.get(name)
        if entry_point is not None:
            location, load = f"entry point {name} = {entry_point.value}", entry_point.load
        else:
            location, load = str(path), functools.partial(_import_builtin, name)
        yield Candidate(name=name, source="built-in", location=location, load=load, root=path)


def _entry_point_candidates() -> Iterator[Candidate]:
    for entry_point in importlib.metadata.entry_points(group=ENTRY_POINT_GROUP):
        if _is_builtin(entry_point):
            continue  # loaded first, as a built-in
        dist = getattr(entry_point, "dist", None)
        yield Candidate(
            name=entry_point.name,
            source="entry point",
            location=f"entry point {entry_point.name} = {entry_point.value}",
            load=entry_point.load,
            version=dist.version if dist is not None else None,
        )


def _extra_candidates(paths: Iterable[str | os.PathLike[str]]) -> Iterator[Candidate]:
    for raw in paths:
        path = Path(raw).expanduser().resolve()
        name = _path_name(path)
        yield Candidate(
            name=name,
            source="command line",
            location=str(path),
            load=lambda path=path, name=name: _load_extra(path, name),
            root=path,
        )


def _load_extra(path: Path, name: str) -> ModuleType:
    if not path.exists():
        raise PluginFailure(str(path), "no such file or folder")
    if path.is_dir() and not (path / "__init__.py").is_file():
        raise PluginFailure(str(path), "a plugin folder needs an __init__.py")
    return module_from_path(path, f"switchyard_extra.{name}")


def find_plugins(
    *,
    builtin_dir: Path | None = None,
    user_dir: Path | None = None,
    entry_points: bool = True,
    extra: Sequence[str | os.PathLike[str]] = (),
) -> list[Candidate]:
    """Every plugin candidate in load order: built-ins, user folder, entry points, extras.

    `entry_points=False` drops third-party entry points only: the built-ins always load.
    """
    candidates = list(_builtin_candidates(builtin_dir or BUILTIN_DIR))
    if user_dir is not None:
        candidates += _folder_candidates(user_dir, "user folder", "switchyard_user")
    if entry_points:
        candidates += _entry_point_candidates()
    candidates += _extra_candidates(extra)
    return candidates
