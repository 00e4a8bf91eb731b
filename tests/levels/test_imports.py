"""Levels are data the board reads, never the reverse: nothing in game/levels imports
game.model, game.ui or pygame (an AST scan, so a lazy import inside a function counts)."""

from __future__ import annotations

import ast
import os
import subprocess
import sys
from pathlib import Path

import pytest

LEVELS_DIR = Path(__file__).resolve().parents[2] / "game" / "levels"
FORBIDDEN = ("game.model", "game.ui", "pygame")


def forbidden_imports(source: str) -> list[str]:
    """The modules of FORBIDDEN that `source` imports, at any depth, with their lines."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0:
            names = [node.module or ""]
            if node.module == "game":  # from game import model
                names = [f"game.{alias.name}" for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level > 1:  # from ..model import x
            names = [f"game.{node.module or ''}".rstrip(".")]
            if not node.module:
                names = [f"game.{alias.name}" for alias in node.names]
        else:
            continue
        for name in names:
            if any(name == bad or name.startswith(bad + ".") for bad in FORBIDDEN):
                found.append(f"line {node.lineno}: {name}")
    return found


def test_game_levels_imports_neither_the_model_nor_the_ui_nor_pygame():
    files = sorted(LEVELS_DIR.rglob("*.py"))
    assert len(files) >= 8
    for path in files:
        found = forbidden_imports(path.read_text(encoding="utf-8"))
        assert not found, f"{path.name} imports {found}"


@pytest.mark.parametrize(
    "source",
    [
        "from game.model.catalog import Catalog",
        "import game.model",
        "from game import model",
        "from game.ui.engine.theme import themed",
        "import pygame",
        "def late():\n    from game.model import Board\n",
        "from ..model import Board",
        "from .. import ui",
    ],
)
def test_the_scan_catches_each_way_in(source):
    assert forbidden_imports(source), source


def test_the_scan_lets_the_contract_and_the_attention_math_through():
    source = "from game.api import Catalog\nimport game.attention\nfrom .schema import Level\n"
    assert forbidden_imports(source) == []


def test_importing_the_level_layer_loads_no_model_and_no_ui():
    code = (
        "import sys, game.levels, game.levels.views, game.levels.registry\n"
        "bad = [m for m in sys.modules if m.startswith(('game.model', 'game.ui', 'pygame'))]\n"
        "assert not bad, bad\n"
    )
    env = {**os.environ, "PYTHONPATH": str(LEVELS_DIR.parents[1])}
    subprocess.run([sys.executable, "-c", code], check=True, cwd=LEVELS_DIR.parents[1], env=env)
