"""A non-editable install carries everything: the campaign, every built-in plugin and the fonts.

The test builds the wheel from a copy of the tracked tree (so no stale `build/`
leaks in), installs it with `--no-deps` into a fresh venv that borrows this
venv's third-party packages (fast and offline), and runs `switchyard` from
another folder, where neither the checkout nor its `game/` is on the path.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import sysconfig
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SKIP = shutil.ignore_patterns(".*", "build", "dist", "*.egg-info", "__pycache__", "out")


def _sh(*args: str | Path, cwd: Path, env: dict[str, str] | None = None) -> str:
    result = subprocess.run(
        [str(a) for a in args], cwd=cwd, env=env, capture_output=True, text=True, timeout=300
    )
    assert result.returncode == 0, f"{args}:\n{result.stdout}\n{result.stderr}"
    return result.stdout


def _fresh_venv(folder: Path) -> Path:
    """A venv whose only switchyard is the wheel; numpy, pygame… come from this venv."""
    _sh(sys.executable, "-m", "venv", "--without-pip", folder, cwd=folder.parent)
    python = folder / "bin" / "python"
    site = _sh(
        python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])", cwd=folder
    )
    # A plain path line: this venv's site-packages is searched after the fresh one, and its
    # .pth files (our editable install's finder among them) are not run.
    ours = sysconfig.get_paths()["purelib"]
    Path(site.strip(), "borrowed.pth").write_text(ours + "\n", encoding="utf-8")
    return python


@pytest.mark.slow
def test_the_wheel_installed_elsewhere_has_the_campaign_plugins_and_fonts(tmp_path):
    source = tmp_path / "src"
    shutil.copytree(ROOT, source, ignore=SKIP)
    wheels = tmp_path / "wheels"
    _sh(sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "-w", wheels, source, cwd=tmp_path)
    (wheel,) = wheels.glob("switchyard-*.whl")
    python = _fresh_venv(tmp_path / "venv")
    pip = [sys.executable, "-m", "pip", "--python", python]
    _sh(*pip, "install", "-q", "--no-deps", "--no-index", wheel, cwd=tmp_path)

    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    env = {
        **os.environ,
        "HOME": str(tmp_path / "home"),
        "PYTHONPATH": "",
        "SDL_VIDEODRIVER": "dummy",
    }
    env["SWITCHYARD_PLUGIN_DIR"] = str(tmp_path / "no-user-plugins")
    switchyard = tmp_path / "venv" / "bin" / "switchyard"
    levels = json.loads(_sh(switchyard, "levels", "--json", cwd=elsewhere, env=env))
    ids = {level["id"] for level in levels}
    campaign = {p.stem for p in (ROOT / "game" / "campaign").glob("*.toml")}
    packs = {p.stem for p in (ROOT / "game" / "builtin_plugins").glob("*/levels/*.toml")}
    assert campaign and packs and campaign | packs <= ids

    quiz = _sh(switchyard, "quiz", "--check", cwd=elsewhere, env=env)
    assert quiz.startswith("attention-basics: "), quiz  # the quiz pack is in the wheel

    plugins = json.loads(_sh(switchyard, "plugins", "--json", cwd=elsewhere, env=env))
    builtins = {p.name for p in (ROOT / "game" / "builtin_plugins").iterdir()}
    loaded = {p["name"] for p in plugins["loaded"] if p["source"] == "built-in"}
    assert {Path(n).stem for n in builtins if not n.startswith(("_", "."))} <= loaded
    assert not plugins["failed"], plugins["failed"]

    lessons = json.loads(_sh(switchyard, "lessons", "--json", cwd=elsewhere, env=env))
    shipped = list((ROOT / "game" / "campaign" / "lessons").glob("*.toml"))
    assert len(shipped) >= 2 and len(lessons) == len(shipped), lessons

    where = _sh(
        python,
        "-c",
        "import game, game.ui.engine.text as t; print(game.__file__); "
        "print(sorted(p.name for p in t.FONT_DIR.glob('*.ttf')))",
        cwd=elsewhere,
        env=env,
    ).splitlines()
    assert where[0].startswith(str(tmp_path / "venv")), where  # the wheel, not the checkout
    assert "AtkinsonHyperlegible-Regular.ttf" in where[1]
