"""Attention backends that plugins register, found through the plugin registry.

A plugin adds a backend with the `switchyard_register_backends` hook (a
`game.api.AttentionBackend`). This module keeps no list of its own: the
loaded plugin registry (`game.plugins.Registry.backends`) is the one place
that knows them, and there are two ways to ask it.

- With a registry in hand (the game, a test, a tool that loaded its own
  plugins): `registered_backends(registry)` and
  `game.attention.resolve_backend(name, registry)` turn a name into a
  `PluginBackend`, which `attention(backend=...)` runs like any backend object.
- With a plain name (`attention(q, k, v, backend="naive")`, `backends()`,
  the Settings screen): the *default registry*, the plugins as `switchyard
  play` loads them (built-ins, user folder, entry points), loaded on first use
  and kept. That plugin manager is the only state; it is keyed by the
  `SWITCHYARD_*` plugin switches, so changing them gives a fresh one.

`game.attention` imports `game.plugins` only inside `default_registry`, never
at module level, and nothing here imports pygame.

A plugin backend is held to the contract as it runs (`run_checked`): an
exception, an output of the wrong shape, or NaN/infinity from finite inputs
raises `BackendFailure`, naming the backend and the plugin that registered it.
The board catches that and falls back to the reference backend (logged once).
"""

from __future__ import annotations

import functools
import os
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np

from game.plugin_calls import CAUGHT

if TYPE_CHECKING:
    from game.api import AttentionBackend
    from game.attention.inputs import AttentionInputs

# The switches of game.plugins.load_plugins() that change which plugins load.
PLUGIN_SWITCHES = (
    "SWITCHYARD_PLUGIN_DIR",
    "SWITCHYARD_DISABLE_PLUGINS",
    "SWITCHYARD_STRICT_PLUGINS",
)
# The kind noun game.plugins files a registered backend under in PluginInfo.registered.
BACKEND_NOUN = "attention backend"


class BackendFailure(RuntimeError):
    """A plugin's backend raised, or returned the wrong shape, NaN or infinity."""


@dataclass(frozen=True)
class PluginBackend:
    """A registered backend and the plugin that registered it: what a name resolves to."""

    backend: AttentionBackend
    plugin: str

    @property
    def name(self) -> str:
        return self.backend.name

    @property
    def title(self) -> str:
        return self.backend.title

    def usable(self) -> bool:
        return is_usable(self.backend)

    def run(self, inputs: AttentionInputs) -> np.ndarray:
        return self.backend.run(inputs)


def default_registry() -> Any:
    """The plugin registry plain backend names are looked up in (see the module docstring)."""
    return _load_default(tuple(os.environ.get(name, "") for name in PLUGIN_SWITCHES))


@functools.lru_cache(maxsize=4)
def _load_default(switches: tuple[str, ...]) -> Any:
    """load_plugins(), once per value of the switches (`switches` is only the cache key)."""
    from game.plugins import load_plugins  # lazily: game.attention stands alone

    return load_plugins()


def registered_backends(registry: Any = None) -> dict[str, PluginBackend]:
    """Name -> backend for every backend the plugins in `registry` registered, in load order.

    `registry` defaults to `default_registry()`. Usable or not: ask `is_usable`.
    """
    registry = default_registry() if registry is None else registry
    owners = {
        name: info.name
        for info in getattr(registry, "plugins", ())
        for name in info.registered.get(BACKEND_NOUN, ())
    }
    backends: Mapping[str, AttentionBackend] = registry.backends
    return {
        name: PluginBackend(backend, owners.get(name) or _module_of(backend))
        for name, backend in backends.items()
    }


def is_usable(backend: object) -> bool:
    """What the backend's `usable()` says; a `usable()` that raises counts as "no"."""
    usable = getattr(backend, "usable", None)
    if usable is None:
        return True
    try:
        return bool(usable())
    except CAUGHT:
        return False


def describe(backend: object) -> str:
    """The backend and its plugin in words, for messages: attention backend 'x' (plugin 'p')."""
    name = getattr(backend, "name", None) or repr(backend)
    plugin = getattr(backend, "plugin", None) or _module_of(backend)
    return f"attention backend {name!r} (plugin {plugin!r})"


def _module_of(backend: object) -> str:
    """The module a backend's `run` comes from: the plugin, when no registry says it."""
    run = getattr(backend, "run", None)
    return getattr(run, "__module__", None) or type(backend).__module__


def run_checked(backend: object, inputs: AttentionInputs) -> np.ndarray:
    """`backend.run(inputs)`, held to the contract of DESIGN §4 before anyone sees it.

    The answer must be a real (*lead, n_q, d_v) array, finite wherever the
    inputs are (a fully masked row gives zeros, not NaN). Anything else, or an
    exception inside `run`, raises `BackendFailure` naming the plugin.
    """
    try:
        out = np.asarray(backend.run(inputs))  # type: ignore[attr-defined]
    except CAUGHT as exc:  # sys.exit in a backend must not end the game either
        reason = f"{type(exc).__name__}: {exc}".splitlines()[0]
        raise BackendFailure(f"{describe(backend)} failed: {reason}") from exc
    expected = (*inputs.lead, inputs.n_q, inputs.d_v)
    if out.shape != expected:
        raise BackendFailure(
            f"{describe(backend)} returned shape {out.shape}; expected (*lead, n_q, d_v) = "
            f"{expected}"
        )
    if out.dtype.kind not in "fiu":
        raise BackendFailure(f"{describe(backend)} returned dtype {out.dtype}, not real numbers")
    if not np.isfinite(out).all() and inputs.finite():
        raise BackendFailure(f"{describe(backend)} returned NaN or infinity from finite inputs")
    return out
