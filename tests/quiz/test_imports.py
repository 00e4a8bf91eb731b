"""game.quiz is core: it never imports pygame or the UI (an AST scan, lazy imports included),
and it imports with pygame absent."""

import subprocess
import sys
from pathlib import Path

from tests.levels.test_imports import forbidden_imports

QUIZ_DIR = Path(__file__).resolve().parents[2] / "game" / "quiz"


def test_game_quiz_imports_neither_the_ui_nor_pygame():
    files = sorted(QUIZ_DIR.rglob("*.py"))
    assert len(files) >= 8
    for path in files:
        found = [f for f in forbidden_imports(path.read_text(encoding="utf-8")) if "model" not in f]
        assert not found, f"{path.name} imports {found}"


def test_the_quiz_core_loads_a_pack_without_pygame():
    code = (
        "import sys; sys.modules['pygame'] = None\n"
        "from game.plugins import load_plugins\n"
        "from game.quiz.packs import load_pack\n"
        "from game.quiz.answers import AnswerStore\n"
        "from game.quiz.csv_export import csv_text\n"
        "r = load_plugins(use_user_dir=False, entry_points=False)\n"
        "print(len(load_pack(None, r).questions))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    assert int(out.stdout) >= 12
