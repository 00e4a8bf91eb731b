"""Real plugin files for the plugin-manager tests: write them, load them, read their errors."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

from game.plugins import load_plugins

GOOD = """
from game.api import hookimpl, PositionalScheme

@hookimpl
def switchyard_register_positional_schemes(register):
    register(PositionalScheme(name="{name}", title="T", description="a fine scheme"))
"""


def write(folder: Path, name: str, source: str) -> Path:
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(textwrap.dedent(source).lstrip(), encoding="utf-8")
    return path


def load(user_dir: Path, **kwargs):
    """Built-ins plus one user folder; no installed entry points unless asked."""
    kwargs.setdefault("entry_points", False)
    return load_plugins(user_dir=user_dir, **kwargs)


def error_for(registry, plugin: str):
    found = [e for e in registry.errors if e.plugin == plugin]
    assert len(found) == 1, registry.errors
    return found[0]


def make_distribution(site: Path, module_source: str, version: str = "2.5.1") -> None:
    """A real installed distribution on `site`: a module plus its dist-info with an entry point."""
    write(site, "sy_thirdparty.py", module_source)
    info = site / "sy_thirdparty-2.5.1.dist-info"
    info.mkdir(parents=True)
    (info / "METADATA").write_text(
        f"Metadata-Version: 2.1\nName: sy-thirdparty\nVersion: {version}\n", encoding="utf-8"
    )
    (info / "entry_points.txt").write_text(
        "[switchyard]\nthirdparty = sy_thirdparty\n", encoding="utf-8"
    )


def run_cli(*args, env_extra=None):
    env = {**os.environ, "SDL_VIDEODRIVER": "dummy", "SDL_AUDIODRIVER": "dummy"}
    env.update(env_extra or {})
    return subprocess.run(
        [sys.executable, "main.py", *args], capture_output=True, text=True, timeout=120, env=env
    )
