"""The core (attention, model, levels, the plugin registry) stays free of pygame and cupy,
and the model and levels never import plugin modules (DESIGN §3)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_model_and_levels_import_no_pygame_cupy_or_plugins():
    code = (
        "import sys, game.attention, game.model, game.levels, game.model.board\n"
        "import game.model.learn, game.model.io_sim, game.levels.registry, game.plugins, game.cli\n"
        "bad = [m for m in sys.modules if m.startswith('game.builtin_plugins.')]\n"
        "assert not bad, bad  # the core imports no plugin; only load_plugins does\n"
        "game.plugins.load_plugins(no_plugins=True).levels  # every built-in plugin, every level\n"
        "bad = [m for m in sys.modules if m.split('.')[0] in ('pygame', 'cupy', 'plugins')]\n"
        "bad += [m for m in sys.modules if m.startswith('game.ui')]\n"
        "assert not bad, bad\n"
        f"assert game.model.board.__file__.startswith({str(ROOT)!r})\n"  # this checkout's code
    )
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    subprocess.run([sys.executable, "-c", code], check=True, cwd=ROOT, env=env)
