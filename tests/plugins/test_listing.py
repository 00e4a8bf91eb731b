"""`switchyard plugins`: what loaded, what failed (at its file and line), as text or JSON."""

from __future__ import annotations

import json

from tests.plugins.plugin_files import GOOD, run_cli, write


def test_cli_lists_loaded_and_failed_plugins_without_crashing(tmp_path):
    write(tmp_path, "mine.py", GOOD.format(name="mine"))
    write(tmp_path, "broken.py", "def oops(:\n")
    result = run_cli("plugins", env_extra={"SWITCHYARD_PLUGIN_DIR": str(tmp_path)})
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stdout + result.stderr
    assert "mine" in result.stdout and "user folder" in result.stdout
    assert f"{tmp_path / 'broken.py'}:1" in result.stdout and "SyntaxError" in result.stdout


def test_cli_json_and_the_plugin_flag(tmp_path):
    extra = write(tmp_path / "x", "solo.py", GOOD.format(name="solo"))
    empty_user = tmp_path / "user"
    result = run_cli(
        "plugins", "--json", "--no-plugins", "--plugin", str(extra),
        env_extra={"SWITCHYARD_PLUGIN_DIR": str(empty_user)},
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    solo = next(row for row in data["loaded"] if row["name"] == "solo")
    assert solo["source"] == "command line" and "solo" in solo["registered"]
    assert data["failed"] == []
