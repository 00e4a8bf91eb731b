"""Load built-in plugins the way the plugin manager does: by file path, not by import."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

PLUGINS_DIR = Path(__file__).resolve().parents[2] / "game" / "builtin_plugins"


def load_plugin_module(path: Path | str) -> ModuleType:
    """Import the plugin module (a .py file or a package folder) at `path`."""
    path = Path(path)
    name = path.stem if path.suffix == ".py" else path.name
    target = path / "__init__.py" if path.is_dir() else path
    module_name = f"switchyard_builtin.{name}"
    spec = importlib.util.spec_from_file_location(module_name, target)
    assert spec is not None and spec.loader is not None, f"cannot load {target}"
    module = importlib.util.module_from_spec(spec)
    sys.modules[module_name] = module
    spec.loader.exec_module(module)
    return module


def load_builtin(name: str) -> ModuleType:
    """A built-in plugin by name: `positional_rope` or `arch_decoder`."""
    path = PLUGINS_DIR / f"{name}.py"
    return load_plugin_module(path if path.exists() else PLUGINS_DIR / name)


def collect(module: ModuleType, hook: str) -> list:
    """Everything `module` registers through the registry hook `hook`."""
    collected: list = []
    getattr(module, hook)(register=collected.append)
    return collected
