"""`switchyard validate` runs each level the way the game will (issue 15).

Each broken file here once passed validate and then crashed `solve`, scored
0/3 with its own reference solution, or started solved; each must now be a
located `FILE:LINE: field: message`. Non-regular files are refused at once and
duplicate ids in a folder are flagged; `--json` gives editors the same.
"""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

import pytest

from game.cli import main
from game.levels.errors import LevelError
from game.levels.loader import load_level_file
from game.model.level_check import check_level
from game.plugins import load_plugins

CAMPAIGN = Path(__file__).resolve().parents[2] / "game" / "campaign"
WORD_ORDER = (CAMPAIGN / "07_word_order.toml").read_text(encoding="utf-8")
SINUSOIDAL = (CAMPAIGN / "08_sinusoidal.toml").read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def registry():
    return load_plugins(no_plugins=True)


@pytest.fixture(autouse=True)
def _isolated(tmp_path, monkeypatch):
    monkeypatch.setenv("SWITCHYARD_PLUGIN_DIR", str(tmp_path / "no-plugins"))
    monkeypatch.setenv("SWITCHYARD_DATA_DIR", str(tmp_path / "data"))


def write(tmp_path: Path, text: str, name: str = "mine.toml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def line_of(text: str, needle: str) -> int:
    return text.splitlines().index(needle) + 1


def validate(capsys, *paths) -> tuple[int, str, str]:
    code = main(["validate", *map(str, paths)])
    out = capsys.readouterr()
    return code, out.out, out.err


def test_a_setting_named_like_the_schemes_own_argument_is_located(tmp_path, registry):
    path = write(tmp_path, SINUSOIDAL + "\n[positional_settings.sinusoidal]\nd_model = 4\n")
    with pytest.raises(LevelError) as caught:
        load_level_file(path, registry)
    (problem,) = caught.value.problems
    assert problem.field == "positional_settings.sinusoidal.d_model"
    assert problem.line == len(path.read_text(encoding="utf-8").splitlines())
    assert "'d_model'" in problem.message and "embed()" in problem.message


def test_a_setting_no_scheme_function_takes_is_located(tmp_path, registry):
    path = write(tmp_path, SINUSOIDAL + "\n[positional_settings.sinusoidal]\nwobble = 2\n")
    with pytest.raises(LevelError) as caught:
        load_level_file(path, registry)
    assert any(
        "wobble" in p.field and "takes no setting" in p.message for p in caught.value.problems
    )


@pytest.mark.parametrize(
    ("table", "why"),
    [
        ("", "needs a table"),
        ("table = [[1.0, 0.0], [0.0, 1.0], [0.0, 0.0], [0.0, 0.0]]", "columns"),
    ],
)
def test_a_learned_scheme_without_a_fitting_table_is_a_located_error(
    tmp_path, registry, capsys, table, why
):
    text = WORD_ORDER.replace("table = [[1.0], [0.0], [0.0], [0.0]]", table)
    path = write(tmp_path, text)
    level = load_level_file(path, registry)  # its shape is fine: only running it fails
    problems = check_level(level, registry)
    assert problems, "the learned scheme cannot run without a table that fits"
    assert problems[0].field == "positional_settings.learned"
    assert problems[0].line == line_of(text, "[positional_settings.learned]")
    assert (
        '"learned" positional scheme failed' in problems[0].message and why in problems[0].message
    )
    code, _, err = validate(capsys, path)
    assert code == 1 and "Traceback" not in err
    assert f"{path}:{problems[0].line}: positional_settings.learned:" in err


def test_a_reference_solution_that_no_longer_earns_three_stars_says_which_goal(
    tmp_path, registry, capsys
):
    text = WORD_ORDER.replace(
        '[solution]\npositional = "learned"', '[solution]\npositional = "none"'
    )
    path = write(tmp_path, text)
    code, _, err = validate(capsys, path)
    assert code == 1
    goal_line = line_of(text, "[[goals]]")
    assert re.search(
        rf"{re.escape(str(path))}:{goal_line}: goals\[0\]: the reference solution earns 0/3 stars: "
        r"goal 1 \(attention\) is not met on the visible sentence",
        err,
    ), err


def test_a_held_out_miss_names_the_sentence(tmp_path, registry):
    # Only the visible sentence starts with the subject; the held-out ones put it last.
    text = WORD_ORDER.replace(
        'tokens = ["man", "bites", "dog"]\nroles = { verb = 1, subject = 0 }',
        'tokens = ["man", "bites", "dog"]\nroles = { verb = 1, subject = 2 }',
    )
    level = load_level_file(write(tmp_path, text), registry)
    messages = [p.message for p in check_level(level, registry)]
    assert any("earns 2/3" in m and "held-out sentence 1" in m for m in messages), messages


def test_a_start_board_that_already_earns_stars_is_flagged(tmp_path, registry):
    text = WORD_ORDER.replace(
        "[controls]",
        '[start]\npositional = "learned"\n\n[[start.heads]]\n'
        'wires = [{ query = "verb", key = "first", strength = 6.0 }]\n'
        'values = [{ key = "noun", out = "noun" }]\n\n[controls]',
    )
    path = write(tmp_path, text)
    problems = check_level(load_level_file(path, registry), registry)
    assert [p.field for p in problems] == ["start"]
    assert problems[0].line == line_of(text, "[start]")
    assert "start board already earns 3/3" in problems[0].message


def test_the_campaign_runs_clean(registry):
    for level in registry.levels.values():
        assert check_level(level, registry) == [], level.id


def test_duplicate_ids_in_a_folder_are_flagged(tmp_path, capsys):
    folder = tmp_path / "pack"
    folder.mkdir()
    text = WORD_ORDER.replace('id = "07_word_order"', 'id = "mine_01"')
    write(folder, text, "a.toml")
    write(folder, text, "b.toml")
    code, out, err = validate(capsys, folder)
    assert code == 1
    assert f"{folder / 'a.toml'}: ok" in out
    assert (
        f'{folder / "b.toml"}:2: id: level id "mine_01" is already used by {folder / "a.toml"}'
        in err
    )


def test_a_file_whose_id_an_installed_level_holds_is_flagged(tmp_path, capsys):
    path = write(tmp_path, WORD_ORDER)
    code, _, err = validate(capsys, path)
    assert code == 1 and f"{path}:2: id:" in err and "07_word_order.toml" in err


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs FIFOs")
def test_a_fifo_named_like_a_level_is_refused_at_once(tmp_path, capsys):
    fifo = tmp_path / "x.toml"
    os.mkfifo(fifo)
    code, _, err = validate(capsys, fifo)  # would block forever if it were opened
    assert code == 1 and f"{fifo}: cannot read: a FIFO (named pipe), not a level file" in err
    code, _, err = validate(capsys, tmp_path)  # found in a folder, too
    assert code == 1 and "FIFO" in err


def test_json_output_for_editors(tmp_path, capsys):
    good = CAMPAIGN / "01_trophy.toml"
    bad = write(tmp_path, WORD_ORDER.replace("table = [[1.0], [0.0], [0.0], [0.0]]", ""))
    assert main(["validate", "--json", str(good), str(bad)]) == 1
    reports = json.loads(capsys.readouterr().out)
    assert [r["ok"] for r in reports] == [True, False]
    assert reports[0]["id"] == "01_trophy" and reports[0]["problems"] == []
    (problem,) = [p for p in reports[1]["problems"] if p["field"] == "positional_settings.learned"]
    assert problem["file"] == str(bad) and isinstance(problem["line"], int)
    assert "needs a table" in problem["message"]


def test_solve_on_a_level_that_cannot_run_gives_the_located_problem(tmp_path, capsys):
    text = WORD_ORDER.replace("table = [[1.0], [0.0], [0.0], [0.0]]", "")
    path = write(tmp_path, text.replace('id = "07_word_order"', 'id = "mine_02"'))
    assert main(["solve", str(path)]) == 1
    err = capsys.readouterr().err
    assert f"{path}:{line_of(text, '[positional_settings.learned]')}: positional_settings" in err
    assert "needs a table" in err


GOAL_PLUGIN = """
from game.api import GoalType, hookimpl


def check(params, evaluation):
    raise RuntimeError("the check exploded")


@hookimpl
def switchyard_register_goal_types(register):
    register(GoalType(name="exploding", title="Exploding", description="d", check=check))
"""


def test_a_goal_plugin_that_raises_is_located_at_its_goal(tmp_path):
    plugin = write(tmp_path, GOAL_PLUGIN, "exploding_goal.py")
    registry = load_plugins(no_plugins=True, extra=[plugin])
    assert registry.errors == []
    text = WORD_ORDER.replace('id = "07_word_order"', 'id = "mine_03"')
    text += '\n[[goals]]\ntype = "exploding"\n'
    path = write(tmp_path, text)
    problems = check_level(load_level_file(path, registry), registry)
    assert problems and {p.field for p in problems} == {"goals[1]"}
    assert problems[0].line == len(text.splitlines()) - 1
    assert 'the "exploding" goal failed on the start board' in problems[0].message
    assert "RuntimeError: the check exploded" in problems[0].message
