"""`play --level ID --board FILE.json` (DESIGN §4: `play --level` also takes a saved board):
the game opens on that board, not the player's best or the start; a bad file is one line
naming it (and the line, for broken JSON), exit 1, before any window opens."""

from __future__ import annotations

import pytest

from game.cli import main
from game.export import write_export
from game.model import Board
from game.model.saved_board import state_to_dict
from game.progress import Progress
from game.ui.flow.game_flow import GameFlow


@pytest.fixture
def seen(tmp_path, monkeypatch):
    import game.ui.flow.game_flow as game_flow

    monkeypatch.setenv("SWITCHYARD_PLUGIN_DIR", str(tmp_path / "no-user-plugins"))
    monkeypatch.setenv("SWITCHYARD_DATA_DIR", str(tmp_path / "data"))
    calls: dict = {}
    monkeypatch.setattr(game_flow, "run_game", lambda level, **kw: calls.update(kw, level=level))
    return calls


def edited_induction(registry) -> Board:
    """The induction solution with layer 2's wire for "a" removed: no level's own board."""
    board = Board.with_solution(registry.levels["18_induction"], registry)
    board.remove_wire(1, "a", "prev_a")
    return board


def test_play_and_demo_open_on_a_saved_board(registry, seen, tmp_path):
    board = edited_induction(registry)
    assert board.state != Board.with_solution(board.level, registry).state
    write_export(board, tmp_path / "ex")
    path = str(tmp_path / "ex" / "board.json")
    assert main(["play", "--level", "18_induction", "--board", path]) in (0, None)
    assert seen["level"].id == "18_induction" and seen["state"] == board.state
    assert main(["demo", "--level", "18_induction", "--board", "solution"]) in (0, None)
    assert seen["state"] == Board.with_solution(board.level, registry).state
    assert seen["presenter"] is True


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ('{"heads": \n', "bad.json:2: not valid JSON"),
        ("[1, 2]", "bad.json: "),
    ],
)
def test_a_bad_board_file_is_one_line_and_exit_1(seen, tmp_path, capsys, content, message):
    bad = tmp_path / "bad.json"
    bad.write_text(content, encoding="utf-8")
    assert main(["play", "--level", "18_induction", "--board", str(bad)]) == 1
    err = capsys.readouterr().err
    assert message in err and "Traceback" not in err and len(err.strip().splitlines()) == 1
    assert seen == {}  # no window


def test_another_levels_board_and_a_board_without_a_level_are_refused(
    registry, seen, tmp_path, capsys
):
    write_export(Board.with_solution(registry.levels["18_induction"], registry), tmp_path)
    assert main(["play", "--level", "06_two_heads", "--board", str(tmp_path / "board.json")]) == 1
    assert "does not fit level '06_two_heads'" in capsys.readouterr().err
    assert main(["play", "--board", str(tmp_path / "board.json")]) == 1
    assert "give the level it is for with --level ID" in capsys.readouterr().err
    assert seen == {}


def test_the_flow_opens_the_level_on_that_board_not_the_best_one(app, registry):
    board = edited_induction(registry)
    progress = Progress()
    solution = Board.with_solution(board.level, registry)
    progress.best["18_induction"] = state_to_dict(solution.state)  # a saved best board
    flow = GameFlow(app, registry, progress, save=False)
    flow.start("18_induction", board.state)
    assert app.scenes.top.board.state == board.state
    app.scenes.pop()
    flow.open_level("18_induction")
    assert app.scenes.top.board.state == solution.state  # without --board: the best is back
