"""`switchyard export` and `switchyard render --board`: the same files as the game's E key,
headless; a saved board round-trips; a broken board file is one line naming it, exit 1."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from game.cli import main
from game.export import BoardFileError, choose_state
from game.model import Board
from tests.export.loading import assert_export_matches, read_board_json

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(autouse=True)
def _isolated(tmp_path, monkeypatch):
    monkeypatch.setenv("SWITCHYARD_PLUGIN_DIR", str(tmp_path / "no-user-plugins"))
    monkeypatch.setenv("SWITCHYARD_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("SDL_VIDEODRIVER", "dummy")
    monkeypatch.setenv("SDL_AUDIODRIVER", "dummy")


@pytest.mark.parametrize("level_id", ["translate_01_red_car", "06_two_heads", "18_induction"])
def test_export_writes_the_solution_and_a_saved_board_round_trips(
    level_id, registry, tmp_path, capsys
):
    out = tmp_path / "made" / "here"  # created, parents too
    assert main(["export", level_id, "--board", "solution", "--out", str(out)]) == 0
    assert str(out) in capsys.readouterr().out
    solution = Board.with_solution(registry.levels[level_id], registry)
    assert_export_matches(out, solution)
    again = tmp_path / "again"
    assert main(["export", level_id, "--board", str(out / "board.json"), "--out", str(again)]) == 0
    assert_export_matches(again, solution)
    assert read_board_json(again) == read_board_json(out)


def test_export_defaults_to_the_start_board(registry, tmp_path):
    assert main(["export", "01_trophy", "--out", str(tmp_path)]) == 0
    assert_export_matches(tmp_path, Board(registry.levels["01_trophy"], registry))
    assert "the level's start" in (tmp_path / "README.txt").read_text(encoding="utf-8")


def bad_boards(tmp_path: Path, registry) -> list[tuple[Path, str]]:
    """(a board file, what the error must say) for each way a board file can be wrong."""
    broken = tmp_path / "broken.json"
    broken.write_text('{\n  "heads": [\n', encoding="utf-8")
    other = tmp_path / "other_level.json"  # a real saved board, of a two-head level
    state = Board.with_solution(registry.levels["06_two_heads"], registry).state
    from game.model.saved_board import state_to_dict

    other.write_text(json.dumps(state_to_dict(state)), encoding="utf-8")
    latin = tmp_path / "latin.json"
    latin.write_bytes(b'{"heads": "\xe9"}')
    listed = tmp_path / "list.json"
    listed.write_text("[1, 2]", encoding="utf-8")
    return [
        (broken, f"{broken}:3: not valid JSON"),
        (other, f"{other}: does not fit level '01_trophy'"),
        (latin, f"{latin}: not UTF-8"),
        (listed, f"{listed}: not a saved board"),
        (tmp_path / "missing.json", "missing.json: no such file"),
        (tmp_path, f"{tmp_path}: is a folder"),
    ]


def test_a_bad_board_file_is_one_line_naming_it_and_exit_1(registry, tmp_path, capsys):
    for path, message in bad_boards(tmp_path, registry):
        for command in ("export", "render"):
            out = tmp_path / ("out" if command == "export" else "out.png")
            assert main([command, "01_trophy", "--board", str(path), "--out", str(out)]) == 1
            err = capsys.readouterr().err
            assert message in err and "Traceback" not in err, (command, err)
            assert len(err.strip().splitlines()) == 1
            assert not out.exists()  # nothing written for a board that does not load


def test_a_bad_board_file_has_no_traceback_from_the_real_command(tmp_path):
    broken = tmp_path / "broken.json"
    broken.write_text("{oops", encoding="utf-8")
    result = subprocess.run(
        [sys.executable, "main.py", "export", "01_trophy", "--board", str(broken),
         "--out", str(tmp_path / "out")],
        cwd=ROOT, capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert result.returncode == 1
    assert f"{broken}:1: not valid JSON" in result.stderr and "Traceback" not in result.stderr


def test_export_refuses_an_out_that_is_a_file_and_a_missing_solution(registry, tmp_path, capsys):
    a_file = tmp_path / "taken"
    a_file.write_text("")
    assert main(["export", "01_trophy", "--out", str(a_file)]) == 1
    assert "is a file" in capsys.readouterr().err
    level = registry.levels["01_trophy"].model_copy(update={"solution": None})
    with pytest.raises(BoardFileError, match="no reference solution"):
        choose_state(level, registry, "solution")


def test_render_draws_a_saved_board(tmp_path, capsys):
    import pygame

    assert main(["export", "06_two_heads", "--board", "solution", "--out", str(tmp_path)]) == 0
    pictures = {}
    for name, board in (
        ("saved", ["--board", str(tmp_path / "board.json")]),
        ("solution", ["--solution"]),
        ("start", ["--board", "start"]),
    ):
        out = tmp_path / f"{name}.png"
        assert main(["render", "06_two_heads", *board, "--out", str(out), "--size", "640x360"]) == 0
        pictures[name] = pygame.image.tobytes(pygame.image.load(str(out)), "RGB")
    assert pictures["saved"] == pictures["solution"]
    assert pictures["saved"] != pictures["start"]
    capsys.readouterr()
    both = ["--solution", "--board", "start", "--out", str(tmp_path / "x.png")]
    assert main(["render", "06_two_heads", *both]) == 1
    assert "give one of them" in capsys.readouterr().err
