"""The plugin manager: finds plugins, calls their hooks, and isolates failures.

- `discovery`: where plugins come from (built-in `plugins/`, the user folder or
  `SWITCHYARD_PLUGIN_DIR`, entry points, `--plugin PATH`), in load order;
- `loading`: importing each one and calling its registry hooks one plugin at a
  time, so a broken plugin disables only itself; strict mode, blocked names;
- `locate`: the file:line of the plugin's own code that failed;
- `registry`: the `Registry` the hooks fill, its kinds, and duplicate names;
- `listing`: what `switchyard plugins` prints.

`load_plugins()` returns a `Registry` (DESIGN §4). Everything importable from
`game.plugins` before it became a package still is.
"""

from game.plugins.discovery import (
    BUILTIN_DIR,
    ENTRY_POINT_GROUP,
    Candidate,
    find_plugins,
    user_plugin_dir,
)
from game.plugins.listing import listing_json, listing_text, summary_rows
from game.plugins.loading import load_plugins
from game.plugins.locate import HOOK_PREFIX
from game.plugins.registry import (
    KINDS,
    PluginError,
    PluginFailure,
    PluginInfo,
    Registry,
    RegistryKind,
)

__all__ = [
    "BUILTIN_DIR",
    "ENTRY_POINT_GROUP",
    "HOOK_PREFIX",
    "KINDS",
    "Candidate",
    "PluginError",
    "PluginFailure",
    "PluginInfo",
    "Registry",
    "RegistryKind",
    "find_plugins",
    "listing_json",
    "listing_text",
    "load_plugins",
    "summary_rows",
    "user_plugin_dir",
]
