"""The command line at its edges (issue 15): a level given as a file is that file, new-plugin
writes where the author stands and prints commands that work, and no user mistake
prints a traceback."""

from __future__ import annotations

import os
import shlex
import subprocess
import sys
from pathlib import Path

import pytest

from game.cli import main

ROOT = Path(__file__).resolve().parents[2]
TROPHY = (ROOT / "game" / "campaign" / "01_trophy.toml").read_text(encoding="utf-8")


@pytest.fixture(autouse=True)
def _isolated(tmp_path, monkeypatch):
    monkeypatch.setenv("SWITCHYARD_PLUGIN_DIR", str(tmp_path / "no-user-plugins"))
    monkeypatch.setenv("SWITCHYARD_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("SDL_VIDEODRIVER", "dummy")
    monkeypatch.setenv("SDL_AUDIODRIVER", "dummy")


def shell(command: str, cwd: Path) -> subprocess.CompletedProcess:
    """Run a printed command line, with this venv's bin first on PATH as an activated venv."""
    env = {**os.environ, "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}"}
    return subprocess.run(
        shlex.split(command), cwd=cwd, env=env, capture_output=True, text=True, timeout=300
    )


def test_play_level_file_plays_that_file_even_over_an_installed_id(tmp_path, monkeypatch):
    import game.ui.flow.game_flow as game_flow

    path = tmp_path / "mine.toml"
    path.write_text(TROPHY.replace("It was too big", "My own trophy"), encoding="utf-8")
    seen = {}
    monkeypatch.setattr(game_flow, "run_game", lambda level, **kw: seen.update(kw, level=level))
    assert main(["play", "--level", str(path)]) in (0, None)
    assert seen["level"].title == "My own trophy" and seen["level"].path == str(path)
    assert seen["reload"] is None
    assert main(["demo", "--watch", "--level", "01_trophy"]) in (0, None)
    assert seen["level"].title == "It was too big" and seen["theme"] == "projector"
    assert callable(seen["reload"]["registry"])


def test_render_a_file_draws_that_file(tmp_path, capsys):
    mine = tmp_path / "mine.toml"  # a new id: used to be a KeyError traceback
    mine.write_text(TROPHY.replace('id = "01_trophy"', 'id = "mine_01"'), encoding="utf-8")
    assert (
        main(["render", str(mine), "--out", str(tmp_path / "mine.png"), "--size", "640x360"]) == 0
    )
    shadow = tmp_path / "shadow.toml"  # the installed id, other words: the file is drawn
    shadow.write_text(TROPHY.replace('"the", "trophy", "did"', '"the", "piano", "did"'))
    same = tmp_path / "same.toml"  # the installed id and words: drawn exactly as installed
    same.write_text(TROPHY, encoding="utf-8")
    for name, ref in (("shadow", shadow), ("same", same), ("installed", "01_trophy")):
        out = ["--out", str(tmp_path / f"{name}.png"), "--size", "640x360"]
        assert main(["render", str(ref), *out]) == 0
    images = {n: (tmp_path / f"{n}.png").read_bytes() for n in ("shadow", "same", "installed")}
    assert images["same"] == images["installed"]
    assert images["shadow"] != images["installed"]


def test_new_plugin_refuses_the_name_of_a_loaded_plugin_or_scheme(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    assert main(["new-plugin", "rope"]) == 1
    assert "positional scheme 'rope' is already registered" in capsys.readouterr().err
    assert main(["new-plugin", "campaign"]) == 1
    assert "a plugin named 'campaign' is already loaded" in capsys.readouterr().err
    assert not (tmp_path / "rope").exists() and not (tmp_path / "campaign").exists()
    assert main(["new-level", "encoder_01_bank"]) == 1
    assert "'encoder_01_bank' is already used by" in capsys.readouterr().err
    assert not (tmp_path / "encoder_01_bank.toml").exists()


@pytest.mark.slow
def test_new_plugin_next_commands_work_as_printed(tmp_path):
    work = tmp_path / "work"
    work.mkdir()
    made = shell(f"{shlex.quote(sys.executable)} {ROOT / 'main.py'} new-plugin glow", work)
    assert made.returncode == 0, made.stderr
    assert (work / "glow" / "__init__.py").is_file()
    lines = made.stdout.split("Next:", 1)[1].strip().splitlines()
    assert len(lines) == 3
    results = [shell(line.strip(), work) for line in lines]
    for line, result in zip(lines, results, strict=True):
        assert result.returncode == 0, f"{line}\n{result.stdout}\n{result.stderr}"
    assert "glow" in results[0].stdout and "failed" not in results[0].stdout.lower()
    assert "2 passed" in results[1].stdout
    assert "stars: 3/3" in results[2].stdout


def test_new_plugin_in_the_user_folder_prints_commands_without_plugin(tmp_path):
    user = tmp_path / "no-user-plugins"
    made = shell(
        f"{shlex.quote(sys.executable)} {ROOT / 'main.py'} new-plugin breeze --dir {user}", tmp_path
    )
    assert made.returncode == 0, made.stderr
    first = made.stdout.split("Next:", 1)[1].strip().splitlines()[0]
    assert "--plugin" not in first
    listed = shell(first, tmp_path)
    assert "breeze" in listed.stdout and "already loaded" not in listed.stdout


@pytest.mark.parametrize(
    "args",
    [
        ["render", "missing.toml", "--out", "x.png"],
        ["render", "01_trophy", "--out", "no/such/folder/x.png"],
        ["play", "--level", "missing.toml"],
        ["play", "--level", "nosuchlevel"],
        ["solve", "broken.toml"],
        ["solve", "crash.toml"],
        ["render", "crash.toml", "--out", "x.png"],
        ["validate", "missing.toml"],
        ["new-plugin", "Bad Name"],
        ["new-plugin", "x", "--dir", "a-file/inside"],
        ["new-level", "x", "--dir", "a-file/inside"],
    ],
)
def test_no_user_mistake_prints_a_traceback(tmp_path, args):
    (tmp_path / "broken.toml").write_text("id = [", encoding="utf-8")
    crash = (ROOT / "game" / "campaign" / "07_word_order.toml").read_text(encoding="utf-8")
    crash = crash.replace('positional = ["none", "learned"]', 'positional = ["learned", "none"]')
    (tmp_path / "crash.toml").write_text(crash.replace("table = [[1.0], [0.0], [0.0], [0.0]]", ""))
    (tmp_path / "a-file").write_text("not a folder", encoding="utf-8")
    result = subprocess.run(
        [sys.executable, str(ROOT / "main.py"), *args],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode != 0
    assert "Traceback" not in result.stderr, result.stderr
    assert result.stderr.strip(), "a mistake is explained"
    if "crash.toml" in args:  # located at the settings the scheme could not take
        lines = (tmp_path / "crash.toml").read_text(encoding="utf-8").splitlines()
        line = lines.index("[positional_settings.learned]") + 1
        assert f"crash.toml:{line}: positional_settings.learned: " in result.stderr
