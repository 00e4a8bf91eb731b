"""The model and level packages stay free of pygame, cupy and plugin modules (DESIGN §3)."""

from __future__ import annotations

import subprocess
import sys


def test_model_and_levels_import_no_pygame_cupy_or_plugins():
    code = (
        "import sys, game.model, game.levels\n"
        "bad = [m for m in sys.modules if m.split('.')[0] in ('pygame', 'cupy', 'plugins')]\n"
        "assert not bad, bad\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True)
