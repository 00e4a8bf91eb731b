"""The plugin manager: finds plugins, calls their hooks, and isolates failures.

Plugins come from three places, in this order (DESIGN §3, §5):
1. the built-in modules and packages in `plugins/` beside `game/`;
2. `.py` files and packages in the user plugin folder
   (`platformdirs.user_data_dir("switchyard")/plugins`, or `SWITCHYARD_PLUGIN_DIR`);
3. installed packages' entry points in the group `switchyard`;
plus any path given with `--plugin PATH`.

`load_plugins()` returns a `Registry`. A plugin that fails to import, raises in
a hook, hands `register` the wrong thing, returns a value from a registry hook,
misspells a hook name or registers a name another plugin already has is
disabled as a whole, with a one-line reason naming its file and line in
`registry.errors`; every other plugin keeps working. Nothing a plugin does can
stop the game from starting. `SWITCHYARD_STRICT_PLUGINS=1` re-raises instead,
for plugin authors; `SWITCHYARD_DISABLE_PLUGINS=a,b` blocks plugins by name.
"""

from __future__ import annotations

import difflib
import importlib.metadata
import importlib.util
import inspect
import os
import sys
import traceback
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from types import ModuleType
from typing import Any

import pluggy

from game import __version__, hookspecs
from game.api import (
    PLUGIN_API,
    PROJECT_NAME,
    Architecture,
    AttentionBackend,
    GoalType,
    PositionalScheme,
)

BUILTIN_DIR = Path(__file__).resolve().parent.parent / "plugins"
ENTRY_POINT_GROUP = PROJECT_NAME
HOOK_PREFIX = "switchyard_"


@dataclass(frozen=True)
class RegistryKind:
    """One registry hook: what it registers and where it lands in the registry."""

    hook: str
    attribute: str  # the Registry field
    type: type | tuple[type, ...]
    noun: str  # for messages: "positional scheme"


KINDS: tuple[RegistryKind, ...] = (
    RegistryKind(
        "switchyard_register_positional_schemes",
        "positional",
        PositionalScheme,
        "positional scheme",
    ),
    RegistryKind(
        "switchyard_register_architectures", "architectures", Architecture, "architecture"
    ),
    RegistryKind("switchyard_register_goal_types", "goal_types", GoalType, "goal type"),
    RegistryKind("switchyard_register_backends", "backends", AttentionBackend, "attention backend"),
    RegistryKind("switchyard_register_levels", "level_sources", (str, os.PathLike), "level path"),
)


@dataclass(frozen=True)
class PluginError:
    """Why a plugin was disabled: where (file:line) and what went wrong, in one line."""

    plugin: str
    location: str  # "path/to/plugin.py:12", or the entry point / folder when no line is known
    message: str

    def __str__(self) -> str:
        return f"{self.location}: plugin {self.plugin!r}: {self.message}"


@dataclass
class PluginInfo:
    """A plugin that loaded: where it came from and what it registered."""

    name: str
    source: str  # "built-in", "user folder", "entry point", "command line"
    location: str
    version: str
    registered: dict[str, list[str]] = field(default_factory=dict)  # kind noun -> names


@dataclass
class Registry:
    """Everything the plugins registered (the contract of DESIGN §4).

    `positional`, `architectures`, `goal_types` and `backends` map names to the
    registered objects; `level_sources` lists `(plugin, path)` in load order;
    `levels` (id -> level) is read from those paths on first use, and the
    problems found there are in `level_problems`.
    """

    positional: dict[str, PositionalScheme] = field(default_factory=dict)
    architectures: dict[str, Architecture] = field(default_factory=dict)
    goal_types: dict[str, GoalType] = field(default_factory=dict)
    backends: dict[str, AttentionBackend] = field(default_factory=dict)
    level_sources: list[tuple[str, Path]] = field(default_factory=list)
    plugins: list[PluginInfo] = field(default_factory=list)
    errors: list[PluginError] = field(default_factory=list)
    blocked: list[str] = field(default_factory=list)  # found but turned off by name
    manager: pluggy.PluginManager | None = field(default=None, repr=False)

    @cached_property
    def _loaded_levels(self) -> tuple[dict[str, Any], list[Any]]:
        from game.levels.registry import load_registered_levels

        return load_registered_levels(self.level_sources, catalog=self)

    @property
    def levels(self) -> dict[str, Any]:
        """Level id -> level, from every registered level path (read once)."""
        return self._loaded_levels[0]

    @property
    def level_problems(self) -> list[Any]:
        """What was wrong with level files that did not load (file, line, field, message)."""
        return self._loaded_levels[1]


class PluginFailure(Exception):
    """Raised inside the loader to disable one plugin; carries its one-line reason."""

    def __init__(self, location: str, message: str) -> None:
        super().__init__(message)
        self.location = location
        self.message = message


@dataclass
class _Candidate:
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


def _strict() -> bool:
    return os.environ.get("SWITCHYARD_STRICT_PLUGINS", "") not in ("", "0")


def _blocked_names() -> set[str]:
    raw = os.environ.get("SWITCHYARD_DISABLE_PLUGINS", "")
    return {name.strip() for name in raw.split(",") if name.strip()}


# --- finding plugins -------------------------------------------------------------------


def _module_from_path(path: Path, module_name: str) -> ModuleType:
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


def _folder_candidates(folder: Path, source: str, prefix: str) -> Iterator[_Candidate]:
    for path in _plugin_paths(folder):
        name = _path_name(path)
        yield _Candidate(
            name=name,
            source=source,
            location=str(path),
            load=lambda path=path, name=name: _module_from_path(path, f"{prefix}.{name}"),
            root=path,
        )


def _entry_point_candidates() -> Iterator[_Candidate]:
    for entry_point in importlib.metadata.entry_points(group=ENTRY_POINT_GROUP):
        dist = getattr(entry_point, "dist", None)
        yield _Candidate(
            name=entry_point.name,
            source="entry point",
            location=f"entry point {entry_point.name} = {entry_point.value}",
            load=entry_point.load,
            version=dist.version if dist is not None else None,
        )


def _extra_candidates(paths: Iterable[str | os.PathLike[str]]) -> Iterator[_Candidate]:
    for raw in paths:
        path = Path(raw).expanduser().resolve()
        name = _path_name(path)
        yield _Candidate(
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
    return _module_from_path(path, f"switchyard_extra.{name}")


def find_plugins(
    *,
    builtin_dir: Path | None = None,
    user_dir: Path | None = None,
    entry_points: bool = True,
    extra: Sequence[str | os.PathLike[str]] = (),
) -> list[_Candidate]:
    """Every plugin candidate in load order: built-ins, user folder, entry points, extras."""
    candidates = list(
        _folder_candidates(builtin_dir or BUILTIN_DIR, "built-in", "switchyard_builtin")
    )
    if user_dir is not None:
        candidates += _folder_candidates(user_dir, "user folder", "switchyard_user")
    if entry_points:
        candidates += _entry_point_candidates()
    candidates += _extra_candidates(extra)
    return candidates


# --- locating errors -------------------------------------------------------------------


def _inside(filename: str, root: Path | None) -> bool:
    """True when `filename` is the plugin's file or lies in the plugin's folder."""
    if root is None:
        return False
    path, root = Path(filename).resolve(), root.resolve()
    return path == root or (root.is_dir() and root in path.parents)


def _locate(error: BaseException, candidate: _Candidate, module: ModuleType | None) -> str:
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


def _one_line(error: BaseException) -> str:
    text = str(error).strip().splitlines()
    message = text[0] if text else ""
    return f"{type(error).__name__}: {message}" if message else type(error).__name__


def _caller_location() -> str:
    """file:line of the plugin code that called `register` (two frames up)."""
    frame = inspect.currentframe()
    try:
        caller = frame.f_back.f_back if frame and frame.f_back else None
        if caller is None:
            return "?"
        return f"{caller.f_code.co_filename}:{caller.f_lineno}"
    finally:
        del frame


# --- checking what a plugin hands over -------------------------------------------------


def _check_item(kind: RegistryKind, item: Any) -> str:
    """The name `item` registers under, or raise TypeError/ValueError saying what is wrong."""
    if not isinstance(item, kind.type):
        expected = (
            "a path (str or pathlib.Path)"
            if kind.attribute == "level_sources"
            else f"a game.api.{kind.type.__name__}"  # type: ignore[union-attr]
        )
        raise TypeError(f"register() expects {expected}, got {type(item).__name__} {item!r:.60}")
    if kind.attribute == "level_sources":
        return str(item)
    name = getattr(item, "name", None)
    if not isinstance(name, str) or not name.strip():
        raise ValueError(f"a {kind.noun} needs a non-empty name, got {name!r}")
    for attr in (
        "embed",
        "rotate",
        "bias",
        "slopes",
        "check",
        "validate",
        "target",
        "run",
        "usable",
    ):
        value = getattr(item, attr, None)
        if value is not None and not callable(value):
            raise TypeError(f"{kind.noun} {name!r}: {attr} must be callable, got {value!r:.60}")
    if isinstance(item, Architecture):
        for block in item.blocks:
            for sequence in (block.queries, block.keys):
                if sequence not in item.sequences:
                    raise ValueError(
                        f"architecture {name!r}: block {block.name!r} uses sequence "
                        f"{sequence!r}, not one of {list(item.sequences)}"
                    )
    return name


def _hook_arguments(manager: pluggy.PluginManager, name: str) -> tuple[str, ...]:
    spec = getattr(manager.hook, name).spec
    return tuple(spec.argnames) if spec is not None else ()


def _unknown_arguments(manager: pluggy.PluginManager, module: Any, spec_names: set[str]) -> str:
    """What pluggy would refuse: a hook function asking for arguments the hook does not offer."""
    for attr in sorted(spec_names):
        function = getattr(module, attr, None)
        if function is None or not hasattr(function, f"{PROJECT_NAME}_impl"):
            continue
        wanted = [
            p.name
            for p in inspect.signature(function).parameters.values()
            if p.default is inspect.Parameter.empty
            and p.kind not in (p.VAR_POSITIONAL, p.VAR_KEYWORD)
        ]
        offered = _hook_arguments(manager, attr)
        unknown = [arg for arg in wanted if arg not in offered]
        if unknown:
            return (
                f"{attr!r} asks for {', '.join(map(repr, unknown))}, "
                f"but the hook only offers {', '.join(map(repr, offered))}"
            )
    return ""


def _misspelled_hooks(module: Any, spec_names: set[str]) -> list[str]:
    """Functions named like hooks that pluggy would ignore: unknown names and unmarked ones."""
    problems = []
    for attr in dir(module):
        if not attr.startswith(HOOK_PREFIX):
            continue
        function = getattr(module, attr)
        if not callable(function):
            continue
        marked = hasattr(function, f"{PROJECT_NAME}_impl")
        if attr not in spec_names:
            close = difflib.get_close_matches(attr, sorted(spec_names), n=1)
            hint = f"; did you mean {close[0]!r}?" if close else ""
            problems.append(f"unknown hook {attr!r}{hint}")
        elif not marked:
            problems.append(f"{attr!r} is not marked with @hookimpl, so it would never be called")
    return problems


# --- loading ---------------------------------------------------------------------------


def _new_manager() -> pluggy.PluginManager:
    manager = pluggy.PluginManager(PROJECT_NAME)
    manager.add_hookspecs(hookspecs)
    return manager


def _spec_names(manager: pluggy.PluginManager) -> set[str]:
    return {name for name in dir(manager.hook) if name.startswith(HOOK_PREFIX)}


def _version_of(module: Any, candidate: _Candidate) -> str:
    if candidate.version:
        return candidate.version
    version = getattr(module, "__version__", None)
    if isinstance(version, str):
        return version
    return __version__ if candidate.source == "built-in" else "-"


def _collect(
    manager: pluggy.PluginManager, module: Any, candidate: _Candidate
) -> dict[str, list[tuple[str, Any, str]]]:
    """Call each registry hook this plugin implements; (name, item, where) per kind."""
    staged: dict[str, list[tuple[str, Any, str]]] = {kind.attribute: [] for kind in KINDS}
    for kind in KINDS:
        hook = getattr(manager.hook, kind.hook)
        for impl in hook.get_hookimpls():
            if impl.plugin is not module:
                continue

            def register(item: Any, *, _kind: RegistryKind = kind) -> None:
                where = _caller_location()
                try:
                    name = _check_item(_kind, item)
                except (TypeError, ValueError) as error:
                    raise PluginFailure(where, str(error)) from None
                staged[_kind.attribute].append((name, item, where))

            available = {"register": register}
            result = impl.function(**{arg: available[arg] for arg in impl.argnames})
            if result is not None:
                raise PluginFailure(
                    _where_defined(impl.function) or candidate.location,
                    f"{kind.hook} returned {type(result).__name__} {result!r:.60}; "
                    "call register(...) for each item instead of returning them",
                )
    return staged


def _commit(
    registry: Registry,
    staged: dict[str, list[tuple[str, Any, str]]],
    owners: dict[tuple[str, str], str],
    candidate: _Candidate,
) -> dict[str, list[str]]:
    """Add a plugin's items to the registry, all or none; a duplicate name fails the plugin."""
    seen: set[tuple[str, str]] = set()
    for kind in KINDS:
        if kind.attribute == "level_sources":
            continue
        for name, _, where in staged[kind.attribute]:
            key = (kind.attribute, name)
            if key in owners or key in seen:
                other = owners.get(key, candidate.name)
                raise PluginFailure(
                    where, f"{kind.noun} {name!r} is already registered by plugin {other!r}"
                )
            seen.add(key)
    registered: dict[str, list[str]] = {}
    for kind in KINDS:
        for name, item, _ in staged[kind.attribute]:
            if kind.attribute == "level_sources":
                path = Path(item)
                if not path.is_absolute() and candidate.root is not None:
                    base = candidate.root if candidate.root.is_dir() else candidate.root.parent
                    path = base / path
                registry.level_sources.append((candidate.name, path))
            else:
                getattr(registry, kind.attribute)[name] = item
                owners[(kind.attribute, name)] = candidate.name
            registered.setdefault(kind.noun, []).append(name)
    return registered


def load_plugins(
    *,
    builtin_dir: Path | None = None,
    user_dir: Path | None = None,
    use_user_dir: bool = True,
    entry_points: bool = True,
    extra: Sequence[str | os.PathLike[str]] = (),
    no_plugins: bool = False,
    blocked: Iterable[str] = (),
    strict: bool | None = None,
) -> Registry:
    """Find, load and call every plugin; return what they registered and what failed.

    `no_plugins` keeps only the built-ins (and `extra`, so an author can try
    one plugin alone). `blocked` adds to `SWITCHYARD_DISABLE_PLUGINS`.
    `strict` (default: `SWITCHYARD_STRICT_PLUGINS`) re-raises the first failure.
    """
    strict = _strict() if strict is None else strict
    manager = _new_manager()
    spec_names = _spec_names(manager)
    for name in {*_blocked_names(), *blocked}:
        manager.set_blocked(name)
    registry = Registry(manager=manager)
    owners: dict[tuple[str, str], str] = {}

    if no_plugins:
        use_user_dir, entry_points = False, False
    user_folder = (user_dir or user_plugin_dir()) if use_user_dir else None
    candidates = find_plugins(
        builtin_dir=builtin_dir, user_dir=user_folder, entry_points=entry_points, extra=extra
    )
    for candidate in candidates:
        if manager.is_blocked(candidate.name):
            registry.blocked.append(candidate.name)
            continue
        module = None
        try:
            if manager.has_plugin(candidate.name):
                other = next(p for p in registry.plugins if p.name == candidate.name)
                raise PluginFailure(
                    candidate.location,
                    f"a plugin named {candidate.name!r} is already loaded from {other.location}",
                )
            module = candidate.load()
            required = getattr(module, "SWITCHYARD_PLUGIN_API", PLUGIN_API)
            if isinstance(required, int) and required > PLUGIN_API:
                raise PluginFailure(
                    candidate.location,
                    f"needs plugin API {required}, this Switchyard has {PLUGIN_API}; "
                    "update the game",
                )
            problems = _misspelled_hooks(module, spec_names)
            unknown = _unknown_arguments(manager, module, spec_names)
            if unknown:
                problems.append(unknown)
            if problems:
                raise PluginFailure(_definition_line(module, problems[0]), "; ".join(problems))
            manager.register(module, name=candidate.name)
            staged = _collect(manager, module, candidate)
            registered = _commit(registry, staged, owners, candidate)
        except Exception as error:
            if strict:
                raise
            if module is not None and manager.is_registered(module):
                manager.unregister(module)
            registry.errors.append(
                PluginError(
                    plugin=candidate.name,
                    location=_locate(error, candidate, module),
                    message=error.message if isinstance(error, PluginFailure) else _one_line(error),
                )
            )
            continue
        registry.plugins.append(
            PluginInfo(
                name=candidate.name,
                source=candidate.source,
                location=candidate.location,
                version=_version_of(module, candidate),
                registered=registered,
            )
        )
    # Every plugin with an unknown hook was refused above, so pluggy's own check holds;
    # it stays as the safety net DESIGN §5 asks for.
    manager.check_pending()
    return registry


def _definition_line(module: Any, problem: str) -> str:
    """file:line of the first misnamed hook function mentioned in `problem`."""
    for attr in dir(module):
        if attr.startswith(HOOK_PREFIX) and repr(attr) in problem:
            where = _where_defined(getattr(module, attr))
            if where is not None:
                return where
            break
    return getattr(module, "__file__", None) or "?"


def _where_defined(function: Any) -> str | None:
    """file:line where a plugin function's definition starts (its decorator), if known."""
    try:
        return f"{inspect.getsourcefile(function)}:{inspect.getsourcelines(function)[1]}"
    except (OSError, TypeError):
        return None


def summary_rows(registry: Registry) -> list[Mapping[str, str]]:
    """One row per loaded plugin for `switchyard plugins`: name, source, version, registered."""
    rows = []
    for info in registry.plugins:
        what = "; ".join(
            f"{noun}: {', '.join(Path(n).name if noun == 'level path' else n for n in names)}"
            for noun, names in info.registered.items()
        )
        rows.append(
            {
                "name": info.name,
                "source": info.source,
                "version": info.version,
                "registered": what or "nothing",
                "location": info.location,
            }
        )
    return rows
