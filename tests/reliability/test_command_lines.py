"""Bad command lines end in one line on stderr and a non-zero code, never a traceback (issue 16)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from game.cli import main
from game.scaffold import check_name

ROOT = Path(__file__).resolve().parents[2]


def no_traceback(capsys, argv, code):
    with pytest.raises(SystemExit) if code == 2 else _nothing():
        status = main(argv)
        assert status == code
    err = capsys.readouterr().err
    assert "Traceback" not in err and err.strip(), err
    return err


class _nothing:
    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False


@pytest.fixture(autouse=True)
def isolated(tmp_path, monkeypatch):
    monkeypatch.setenv("SWITCHYARD_PLUGIN_DIR", str(tmp_path / "no-plugins"))
    monkeypatch.setenv("SWITCHYARD_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("SDL_VIDEODRIVER", "dummy")
    monkeypatch.setenv("SDL_AUDIODRIVER", "dummy")


@pytest.mark.parametrize("head", ["0", "-3", "99", "x"])
def test_solve_learn_with_a_head_out_of_range_is_a_usage_error(capsys, head):
    err = no_traceback(capsys, ["solve", "02_query_key_value", "--learn", "--head", head], 2)
    assert "--head" in err


@pytest.mark.parametrize("size", ["0", "-1", "99999999"])
def test_bench_sizes_out_of_range_is_a_usage_error(capsys, size):
    err = no_traceback(capsys, ["bench", "--only", "attention", "--sizes", size], 2)
    assert "--sizes" in err


def test_render_to_a_folder_or_an_unwritable_place_says_so(capsys, tmp_path):
    (tmp_path / "shot.png").mkdir()
    err = no_traceback(capsys, ["render", "01_trophy", "--out", str(tmp_path / "shot.png")], 1)
    assert "is a folder" in err
    err = no_traceback(capsys, ["render", "01_trophy", "--out", "/proc/shot.png"], 1)
    assert "/proc/shot.png" in err


@pytest.mark.parametrize("command", ["new-level", "new-plugin"])
def test_scaffolds_into_a_missing_or_unwritable_folder_say_so(capsys, tmp_path, command):
    missing = tmp_path / "no" / "such"
    err = no_traceback(capsys, [command, "thing", "--dir", str(missing)], 1)
    assert "there is no folder" in err and not missing.exists()
    err = no_traceback(capsys, [command, "thing", "--dir", "/proc"], 1)
    assert "/proc/thing" in err


@pytest.mark.parametrize("name", ["foo\n", "foo\nbar", "\nfoo", "foo\r"])
def test_a_name_with_a_newline_is_refused(capsys, name):
    assert check_name(name) is not None
    err = no_traceback(capsys, ["new-plugin", name, "--dir", "."], 1)
    assert "not a usable name" in err


def test_levels_json_into_a_pipe_closed_early_ends_quietly(tmp_path):
    env = {
        **os.environ,
        "SWITCHYARD_PLUGIN_DIR": str(tmp_path / "none"),
        "SWITCHYARD_DATA_DIR": str(tmp_path / "data"),
    }
    # the reader is gone long before the writer has loaded its plugins: the write meets EPIPE
    script = f"{sys.executable} {ROOT / 'main.py'} levels --json | true"
    result = subprocess.run(
        ["bash", "-o", "pipefail", "-c", script], capture_output=True, text=True, env=env
    )
    assert "Traceback" not in result.stderr and "BrokenPipe" not in result.stderr, result.stderr
    assert result.returncode == 0


def test_levels_leaves_a_newer_progress_file_alone(capsys, tmp_path):
    saved = tmp_path / "data" / "progress.json"
    saved.parent.mkdir()
    saved.write_text('{"format": 7, "stars": {"01_trophy": 3}}')
    assert main(["levels"]) == 0
    assert "newer Switchyard" in capsys.readouterr().err
    assert [p.name for p in saved.parent.iterdir()] == ["progress.json"]


def test_levels_json_into_a_broken_pipe_in_process(monkeypatch):
    class Closed:
        def write(self, text):
            raise BrokenPipeError(32, "Broken pipe")

        def flush(self):
            raise BrokenPipeError(32, "Broken pipe")

        def fileno(self):
            raise OSError("no descriptor")

    monkeypatch.setattr(sys, "stdout", Closed())
    assert main(["levels", "--json"]) == 0
