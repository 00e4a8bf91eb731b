"""Plugins see the core only through `game.api` (DESIGN §3): an AST scan of plugins/.

Any `import game.x`, `from game.x import …` or `from game import x` with x other
than `api` fails, as does any import outside NumPy and the standard library. A
plugin package may import its own modules relatively (`from .fields import …`),
never from above its folder.
"""

from __future__ import annotations

import ast
import sys
from pathlib import Path

import pytest

from tests.plugins.util import PLUGINS_DIR


def import_problems(source: str, in_package: bool) -> list[str]:
    """Why each import of a plugin file's `source` breaks the rule (empty: none does)."""
    problems = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level > 0:
            if not in_package or node.level > 1:
                problems.append(f"line {node.lineno}: a relative import outside its own package")
            continue
        elif isinstance(node, ast.ImportFrom):
            names = [node.module or ""]
            if node.module == "game":  # from game import api, model…
                names = [f"game.{alias.name}" for alias in node.names]
        else:
            continue
        for name in names:
            top = name.split(".")[0]
            if top == "game" and name != "game.api":
                problems.append(f"line {node.lineno}: imports {name}, not game.api")
            elif top not in ("game", "numpy") and top not in sys.stdlib_module_names:
                problems.append(f"line {node.lineno}: imports {name}")
    return problems


def _in_package(path: Path) -> bool:
    return path.parent != PLUGINS_DIR and (path.parent / "__init__.py").is_file()


def test_plugins_import_only_game_api_numpy_and_the_standard_library():
    files = sorted(PLUGINS_DIR.rglob("*.py"))
    assert len(files) >= 16
    for path in files:
        problems = import_problems(path.read_text(encoding="utf-8"), _in_package(path))
        assert not problems, f"{path.relative_to(PLUGINS_DIR)}: {problems}"


@pytest.mark.parametrize(
    "source",
    [
        "import game",
        "import game.model",
        "import game.model.evaluate as ev",
        "from game.model import Evaluation",
        "from game.levels.positions import resolve",
        "from game import model",
        "from game import api, plugins",
        "import pygame",
        "from ..other_plugin import x",
    ],
)
def test_the_scan_catches_every_way_to_reach_past_the_api(source):
    assert import_problems(source, in_package=True), source


@pytest.mark.parametrize(
    "source",
    ["from game.api import hookimpl", "from game import api", "import game.api", "import numpy"],
)
def test_the_scan_lets_the_api_through(source):
    assert import_problems(source, in_package=False) == []


def test_relative_imports_only_inside_a_plugin_package():
    assert import_problems("from .fields import number", in_package=True) == []
    assert import_problems("from .fields import number", in_package=False)
