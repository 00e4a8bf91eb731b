"""The command line shows tasks: `switchyard levels` names each level's task, `plugins`
lists the task plugins, and `solve` prints the held-out accuracy of a task level."""

from __future__ import annotations

import json

from game.cli import main


def isolate(monkeypatch, tmp_path):
    monkeypatch.setenv("SWITCHYARD_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("SWITCHYARD_PLUGIN_DIR", str(tmp_path / "none"))


def test_levels_names_each_levels_task(monkeypatch, tmp_path, capsys):
    isolate(monkeypatch, tmp_path)
    assert main(["levels", "--json"]) == 0
    rows = {row["id"]: row for row in json.loads(capsys.readouterr().out)}
    assert rows["18_induction"]["task"] == "induction" and rows["01_trophy"]["task"] == ""
    assert main(["levels"]) == 0
    line = next(x for x in capsys.readouterr().out.splitlines() if x.startswith("14_histogram"))
    assert "histogram" in line.split("Count by sharing", 1)[1]


def test_plugins_lists_the_builtin_tasks(monkeypatch, tmp_path, capsys):
    isolate(monkeypatch, tmp_path)
    assert main(["plugins"]) == 0
    out = capsys.readouterr().out
    assert "task: induction" in out and "task: copy-previous, histogram" in out


def test_solve_prints_the_held_out_accuracy(monkeypatch, tmp_path, capsys):
    isolate(monkeypatch, tmp_path)
    assert main(["solve", "18_induction"]) == 0
    out = capsys.readouterr().out
    assert "100.0% of" in out and "on 200 inputs you never saw" in out and "stars: 3/3" in out


def test_solve_prints_the_task_line_and_failing_tokens_of_a_board(capsys):
    from game.cli.levels import _print_task
    from game.model.board import Board
    from game.plugins import load_plugins

    registry = load_plugins(no_plugins=True)
    level = registry.levels["17_balanced"]
    board = Board(level, registry)  # the start board reads "balanced" everywhere
    _print_task(board)
    lines = capsys.readouterr().out.splitlines()
    task = board.evaluate(0).task
    assert lines[0].startswith(f"  task: {task.accuracy:.1%} of {task.positions} tokens right")
    failing = [line for line in lines if line.startswith("  failing: bos ")]
    assert len(failing) == 3 and all("expected open, read balanced" in x for x in failing)
