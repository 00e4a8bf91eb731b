"""The level commands: levels, validate, solve, new-level and new-plugin, as an author uses them."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from game.cli import main

ROOT = Path(__file__).resolve().parents[2]


def run(*args, cwd=ROOT, env_extra=None):
    env = {**os.environ, "SDL_VIDEODRIVER": "dummy", "SDL_AUDIODRIVER": "dummy"}
    env.update(env_extra or {})
    return subprocess.run(
        [sys.executable, str(ROOT / "main.py"), *args],
        capture_output=True,
        text=True,
        timeout=300,
        cwd=cwd,
        env=env,
    )


def isolated(tmp_path):
    """No user plugins, no saved progress from the machine running the tests."""
    return {
        "SWITCHYARD_PLUGIN_DIR": str(tmp_path / "no-plugins"),
        "SWITCHYARD_DATA_DIR": str(tmp_path / "data"),
    }


def test_levels_json_lists_the_contract_fields(tmp_path):
    result = run("levels", "--json", env_extra=isolated(tmp_path))
    assert result.returncode == 0, result.stderr
    rows = json.loads(result.stdout)
    assert len(rows) >= 16
    trophy = next(r for r in rows if r["id"] == "01_trophy")
    assert {"id", "title", "concept", "architecture", "positional", "source"} <= set(trophy)
    assert trophy["architecture"] == "encoder" and trophy["source"] == "campaign"
    concepts = [r["concept"] for r in rows]
    assert concepts.index("why-attention") < concepts.index("flash"), "campaign order"


def test_levels_table_shows_stars_from_progress(tmp_path, monkeypatch, capsys):
    from game.progress import Progress, save_progress

    monkeypatch.setenv("SWITCHYARD_DATA_DIR", str(tmp_path))
    monkeypatch.setenv("SWITCHYARD_PLUGIN_DIR", str(tmp_path / "none"))
    progress = Progress()
    progress.record_stars("01_trophy", 2)
    save_progress(progress)
    assert main(["levels"]) == 0
    line = next(x for x in capsys.readouterr().out.splitlines() if x.startswith("01_trophy"))
    assert line.rstrip().endswith("**.")


BROKEN = """format_version = 1
id = "broken"
title = "Broken"
concept = "qkv"
explanation = "x"
hints = ["a", "b", "c"]
architecture = "encoder"
positional = "rotary"
features = ["noun", "pronoun"]
par = 1

[vocab]
it = { pronoun = 1 }
lamp = { noun = 1 }

[[sentences]]
tokens = ["it", "lamp"]

[[goals]]
type = "attention"
query = "it"
key = "trophee"
at_least = 0.5
"""


def test_validate_reports_every_problem_with_file_and_line(tmp_path):
    bad = tmp_path / "bad.toml"
    bad.write_text(BROKEN, encoding="utf-8")
    good = ROOT / "game" / "campaign" / "01_trophy.toml"
    result = run("validate", str(good), str(bad), env_extra=isolated(tmp_path))
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert f"{good}: ok" in result.stdout
    assert f"{bad}:8: positional" in result.stderr and "did you mean" in result.stderr
    assert f"{bad}:22: goals[0].key" in result.stderr and "trophee" in result.stderr
    assert "1 of 2 file(s) have problems" in result.stderr


def test_validate_the_whole_campaign_folder(tmp_path):
    result = run("validate", "game/campaign", "game/builtin_plugins", env_extra=isolated(tmp_path))
    assert result.returncode == 0, result.stderr
    assert result.stdout.count(": ok (") >= 12


def test_solve_prints_the_score_and_exits_by_stars(tmp_path):
    ok = run("solve", "01_trophy", env_extra=isolated(tmp_path))
    assert ok.returncode == 0 and "stars: 3/3" in ok.stdout
    missing = run("solve", "01_trophi", env_extra=isolated(tmp_path))
    assert missing.returncode == 1 and "did you mean '01_trophy'" in missing.stderr


def test_solve_learn_trains_a_head(tmp_path):
    result = run("solve", "09_rope", "--learn", env_extra=isolated(tmp_path))
    assert result.returncode == 0, result.stdout + result.stderr
    assert "trained head 1" in result.stdout and "stars: 3/3" in result.stdout


def test_new_level_writes_a_level_that_solves(tmp_path):
    result = run("new-level", "my_level", "--dir", str(tmp_path), env_extra=isolated(tmp_path))
    assert result.returncode == 0, result.stderr
    path = tmp_path / "my_level.toml"
    assert run("validate", str(path), env_extra=isolated(tmp_path)).returncode == 0
    solved = run("solve", str(path), env_extra=isolated(tmp_path))
    assert solved.returncode == 0 and "stars: 3/3" in solved.stdout
    again = run("new-level", "my_level", "--dir", str(tmp_path), env_extra=isolated(tmp_path))
    assert again.returncode == 1 and "already exists" in again.stderr
    bad = run("new-level", "My Level!", env_extra=isolated(tmp_path))
    assert bad.returncode == 1 and "not a usable name" in bad.stderr


def test_new_plugin_writes_a_plugin_that_loads_and_passes_its_own_test(tmp_path):
    env = isolated(tmp_path)
    result = run("new-plugin", "glow", "--dir", str(tmp_path), env_extra=env)
    assert result.returncode == 0, result.stderr
    folder = tmp_path / "glow"
    listed = run("plugins", "--json", "--plugin", str(folder), env_extra=env)
    data = json.loads(listed.stdout)
    assert data["failed"] == []
    glow = next(row for row in data["loaded"] if row["name"] == "glow")
    assert "positional scheme: glow" in glow["registered"]
    solved = run("solve", "glow_01", "--plugin", str(folder), env_extra=env)
    assert solved.returncode == 0 and "stars: 3/3" in solved.stdout
    tests = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", str(folder)],
        capture_output=True,
        text=True,
        timeout=300,
        cwd=tmp_path,
        env={**os.environ, **env, "PYTHONPATH": str(ROOT)},
    )
    assert tests.returncode == 0, tests.stdout + tests.stderr
    assert "2 passed" in tests.stdout


def test_new_plugin_goes_to_the_current_folder_by_default(tmp_path):
    env = isolated(tmp_path)
    work = tmp_path / "work"
    work.mkdir()
    result = run("new-plugin", "breeze", cwd=work, env_extra=env)
    assert result.returncode == 0, result.stderr
    assert (work / "breeze" / "__init__.py").is_file()
    assert not (Path(env["SWITCHYARD_PLUGIN_DIR"]) / "breeze").exists()
