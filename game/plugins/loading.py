"""Loading plugins one at a time, so that a broken one disables only itself.

For each candidate (see `discovery`) the loader imports it, checks its hook
functions (a misspelled name gets a "did you mean", an unmarked one or one
asking for arguments the hook does not offer is refused), registers it with
pluggy, calls its registry hooks one implementation at a time (pluggy would
stop a hook call at the first exception, DESIGN §5) and commits what it
registered all or none. Any failure, from an import error to a hook that
returns its items instead of calling `register`, disables that plugin with a
one-line reason at its file and line in `registry.errors`; every other plugin
keeps working. `SWITCHYARD_STRICT_PLUGINS=1` re-raises instead, for plugin
authors; `SWITCHYARD_DISABLE_PLUGINS=a,b` blocks plugins by name (pluggy's
`set_blocked`).
"""

from __future__ import annotations

import difflib
import inspect
import os
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pluggy

from game import __version__, hookspecs
from game.api import PLUGIN_API, PROJECT_NAME
from game.plugins.discovery import Candidate, find_plugins, user_plugin_dir
from game.plugins.locate import (
    HOOK_PREFIX,
    caller_location,
    definition_line,
    locate,
    one_line,
    where_defined,
)
from game.plugins.registry import (
    KINDS,
    PluginError,
    PluginFailure,
    PluginInfo,
    Registry,
    RegistryKind,
    Staged,
    check_item,
    commit,
    name_problem,
)


def _strict() -> bool:
    return os.environ.get("SWITCHYARD_STRICT_PLUGINS", "") not in ("", "0")


def _blocked_names() -> set[str]:
    raw = os.environ.get("SWITCHYARD_DISABLE_PLUGINS", "")
    return {name.strip() for name in raw.split(",") if name.strip()}


# --- checking a plugin's hook functions before pluggy sees them -------------------------


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


def _check_module(manager: pluggy.PluginManager, module: Any, candidate: Candidate) -> None:
    """Refuse a plugin that needs a newer API or whose hook functions pluggy would misread."""
    required = getattr(module, "SWITCHYARD_PLUGIN_API", PLUGIN_API)
    if isinstance(required, int) and required > PLUGIN_API:
        raise PluginFailure(
            candidate.location,
            f"needs plugin API {required}, this Switchyard has {PLUGIN_API}; update the game",
        )
    spec_names = _spec_names(manager)
    problems = _misspelled_hooks(module, spec_names)
    unknown = _unknown_arguments(manager, module, spec_names)
    if unknown:
        problems.append(unknown)
    if problems:
        raise PluginFailure(definition_line(module, problems[0]), "; ".join(problems))


# --- calling a plugin's registry hooks --------------------------------------------------


def _new_manager() -> pluggy.PluginManager:
    manager = pluggy.PluginManager(PROJECT_NAME)
    manager.add_hookspecs(hookspecs)
    return manager


def _spec_names(manager: pluggy.PluginManager) -> set[str]:
    return {name for name in dir(manager.hook) if name.startswith(HOOK_PREFIX)}


def _version_of(module: Any, candidate: Candidate) -> str:
    if candidate.version:
        return candidate.version
    version = getattr(module, "__version__", None)
    if isinstance(version, str):
        return version
    return __version__ if candidate.source == "built-in" else "-"


def _collect(manager: pluggy.PluginManager, module: Any, candidate: Candidate) -> Staged:
    """Call each registry hook this plugin implements; (name, item, where) per kind."""
    staged: Staged = {kind.attribute: [] for kind in KINDS}
    for kind in KINDS:
        hook = getattr(manager.hook, kind.hook)
        for impl in hook.get_hookimpls():
            if impl.plugin is not module:
                continue

            def register(item: Any, *, _kind: RegistryKind = kind) -> None:
                where = caller_location()
                try:
                    name = check_item(_kind, item)
                except (TypeError, ValueError) as error:
                    raise PluginFailure(where, str(error)) from None
                staged[_kind.attribute].append((name, item, where))

            available = {"register": register}
            result = impl.function(**{arg: available[arg] for arg in impl.argnames})
            if result is not None:
                raise PluginFailure(
                    where_defined(impl.function) or candidate.location,
                    f"{kind.hook} returned {type(result).__name__} {result!r:.60}; "
                    "call register(...) for each item instead of returning them",
                )
    return staged


# --- loading ---------------------------------------------------------------------------


@dataclass
class _Loading:
    """One `load_plugins` run: the pluggy manager, the registry it fills, who owns which name."""

    manager: pluggy.PluginManager
    registry: Registry
    strict: bool
    owners: dict[tuple[str, str], str] = field(default_factory=dict)

    def load(self, candidate: Candidate) -> None:
        """Load one plugin; on any failure unregister it and record why (or re-raise if strict)."""
        manager, registry = self.manager, self.registry
        module = None
        try:
            problem = name_problem(candidate.name)
            if problem:
                raise PluginFailure(candidate.location, f"the plugin name {problem}")
            if manager.has_plugin(candidate.name):
                other = next(p for p in registry.plugins if p.name == candidate.name)
                raise PluginFailure(
                    candidate.location,
                    f"a plugin named {candidate.name!r} is already loaded from {other.location}",
                )
            module = candidate.load()
            _check_module(manager, module, candidate)
            manager.register(module, name=candidate.name)
            staged = _collect(manager, module, candidate)
            registered = commit(registry, staged, self.owners, candidate)
        except BaseException as error:  # sys.exit or Ctrl+C at import disables only the plugin
            if self.strict:
                raise
            if module is not None and manager.is_registered(module):
                manager.unregister(module)
            where = locate(error, candidate, module)
            registry.errors.append(PluginError(candidate.name, where, one_line(error)))
            return
        registry.plugins.append(
            PluginInfo(
                name=candidate.name,
                source=candidate.source,
                location=candidate.location,
                version=_version_of(module, candidate),
                registered=registered,
            )
        )


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
    manager = _new_manager()
    for name in {*_blocked_names(), *blocked}:
        manager.set_blocked(name)
    loading = _Loading(manager, Registry(manager=manager), _strict() if strict is None else strict)
    if no_plugins:
        use_user_dir, entry_points = False, False
    user_folder = (user_dir or user_plugin_dir()) if use_user_dir else None
    candidates = find_plugins(
        builtin_dir=builtin_dir, user_dir=user_folder, entry_points=entry_points, extra=extra
    )
    for candidate in candidates:
        if manager.is_blocked(candidate.name):
            loading.registry.blocked.append(candidate.name)
        else:
            loading.load(candidate)
    # Every plugin with an unknown hook was refused above, so pluggy's own check holds;
    # it stays as the safety net DESIGN §5 asks for.
    manager.check_pending()
    return loading.registry
