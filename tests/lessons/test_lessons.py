"""Lesson files: the shipped ones, located errors, the JSON Schema, the plugin hook, the CLI."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from game.cli import main
from game.lessons import LessonError, load_lesson_text
from game.lessons.checks import STEP_NAMES
from game.lessons.schema_export import json_schema, json_schema_text
from game.levels.registry import in_campaign_order
from game.plugins import load_plugins

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def registry():
    return load_plugins(no_plugins=True)


def test_the_shipped_lessons_load_and_the_tour_walks_the_whole_campaign(registry):
    assert registry.lesson_problems == []
    tour, intro = registry.lessons["campaign-tour"], registry.lessons["what-is-attention"]
    assert (tour.minutes, intro.minutes) == (45, 10)
    campaign = [
        level.id for level in in_campaign_order(registry.levels.values(), registry.concepts)
    ]
    assert tour.level_ids == campaign  # every level, in the campaign's order
    for lesson in (tour, intro):
        assert any(step.prompt and step.prompt.kind == "choice" for step in lesson.steps)
        assert any(step.prompt and step.prompt.kind == "cell" for step in lesson.steps)
        assert all(len(step.caption.split()) >= 8 for step in lesson.steps)  # real captions


BAD = """\
id = "bad"
title = "Bad"
minutes = 5
colour = "red"

[[steps]]
level = "01_trophi"
caption = "typo in the id"

[[steps]]
level = "01_trophy"
step = "softmaks"
head = 3
caption = "a step that is not one"

[steps.prompt]
kind = "choice"
question = "Where?"
query = "ti"
choices = ["trophy", "suitcase", "trophy"]
"""


def test_every_problem_is_located_at_its_file_line_and_key(registry):
    with pytest.raises(LessonError) as caught:
        load_lesson_text(BAD, "bad.toml", registry.levels)
    lines = [str(problem) for problem in caught.value.problems]
    assert "bad.toml:4: colour: unknown key" in lines
    assert any(
        line.startswith("bad.toml:7: steps[0].level: no installed level has the id '01_trophi'")
        and 'did you mean "01_trophy"' in line
        for line in lines
    ), lines
    assert any(
        line.startswith("bad.toml:12: steps[1].step: unknown step 'softmaks'") for line in lines
    )
    assert any(
        line.startswith("bad.toml:13: steps[1].head: level '01_trophy' has 1 head")
        for line in lines
    )
    assert any(
        line.startswith("bad.toml:19: steps[1].prompt.query:") and '"ti"' in line for line in lines
    )
    assert "bad.toml:20: steps[1].prompt.choices: the same choice is given twice" in lines
    assert len(lines) == 6


def test_a_syntax_error_and_a_missing_key_are_located(registry):
    with pytest.raises(LessonError) as caught:
        load_lesson_text('id = "x"\ntitle = \n', "x.toml", registry.levels)
    assert str(caught.value).startswith("x.toml:2: TOML syntax:")
    with pytest.raises(LessonError) as caught:
        load_lesson_text('id = "x"\ntitle = "X"\n', "x.toml", registry.levels)
    assert "x.toml:1: minutes: missing (required)" in str(caught.value)
    assert "x.toml:1: steps: missing (required)" in str(caught.value)


def test_the_cli_checks_lesson_files_with_exit_1_and_no_traceback(tmp_path, capsys):
    bad = tmp_path / "bad.toml"
    bad.write_text(BAD, encoding="utf-8")
    assert main(["lessons", str(bad), "--no-plugins"]) == 1
    err = capsys.readouterr().err
    assert f"{bad}:7: steps[0].level:" in err and "Traceback" not in err
    process = subprocess.run(
        [sys.executable, "main.py", "demo", "--lesson", str(bad), "--no-plugins"],
        cwd=ROOT, capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert process.returncode == 1 and "Traceback" not in process.stderr
    assert f"{bad}:12: steps[1].step: unknown step" in process.stderr


def test_lessons_json_lists_id_title_minutes_and_levels(capsys):
    assert main(["lessons", "--json", "--no-plugins"]) == 0
    rows = {row["id"]: row for row in json.loads(capsys.readouterr().out)}
    intro = rows["what-is-attention"]
    assert intro["title"] == "What is attention?" and intro["minutes"] == 10
    assert intro["levels"] == ["01_trophy", "02_query_key_value", "06_two_heads", "07_word_order"]


def test_an_unknown_lesson_name_gets_a_did_you_mean(capsys):
    assert main(["render", "--lesson", "what-is-atention", "--out", "x", "--no-plugins"]) == 1
    assert "did you mean 'what-is-attention'?" in capsys.readouterr().err


def test_a_plugin_registers_lessons_through_its_hook(tmp_path, capsys):
    plugin = tmp_path / "teacher_pack"
    (plugin / "lessons").mkdir(parents=True)
    (plugin / "__init__.py").write_text(
        textwrap.dedent(
            """\
            from pathlib import Path

            from game.api import hookimpl


            @hookimpl
            def switchyard_register_lessons(register):
                register(Path(__file__).parent / "lessons")
            """
        ),
        encoding="utf-8",
    )
    (plugin / "lessons" / "mine.toml").write_text(
        'id = "mine"\ntitle = "Mine"\nminutes = 3\n\n[[steps]]\nlevel = "03_first_word"\n'
        'caption = "Every word rests on the start marker."\n',
        encoding="utf-8",
    )
    assert main(["lessons", "--json", "--no-plugins", "--plugin", str(plugin)]) == 0
    rows = {row["id"]: row for row in json.loads(capsys.readouterr().out)}
    assert rows["mine"]["levels"] == ["03_first_word"]
    assert rows["mine"]["source"] == "teacher_pack"
    assert "what-is-attention" in rows  # the built-in lessons are still there


def test_the_json_schema_file_is_up_to_date_and_forbids_unknown_keys():
    assert (ROOT / "docs" / "lesson.schema.json").read_text(
        encoding="utf-8"
    ) == json_schema_text(), (
        "docs/lesson.schema.json is stale: python -m game.lessons.schema_export"
    )
    schema = json_schema()
    assert schema["additionalProperties"] is False
    assert schema["$defs"]["Step"]["additionalProperties"] is False
    assert set(schema["required"]) == {"id", "title", "minutes", "steps"}


def test_the_step_names_are_step_modes():
    from game.model import STEP_NAMES as MODEL_STEPS

    assert STEP_NAMES == MODEL_STEPS


def test_the_lesson_layer_imports_no_ui_and_no_pygame():
    from tests.levels.test_imports import forbidden_imports

    for path in sorted((ROOT / "game" / "lessons").glob("*.py")):
        found = [f for f in forbidden_imports(path.read_text(encoding="utf-8")) if "model" not in f]
        assert not found, f"{path.name} imports {found}"


@pytest.mark.skipif(not hasattr(__import__("os"), "mkfifo"), reason="needs FIFOs")
def test_a_fifo_named_like_a_lesson_is_refused_not_waited_on(tmp_path, registry):
    import os

    from game.lessons.loader import is_lesson_file, load_lesson_file

    fifo = tmp_path / "lesson.toml"
    os.mkfifo(fifo)
    assert is_lesson_file(fifo) is False  # returns at once instead of blocking on open()
    with pytest.raises(LessonError) as caught:
        load_lesson_file(fifo, registry.levels)
    assert "a FIFO (named pipe), not a lesson file" in str(caught.value)


def test_a_cell_question_needs_a_query_by_key_grid(registry):
    text = (
        'id = "x"\ntitle = "X"\nminutes = 2\n[[steps]]\nlevel = "01_trophy"\nshow = "solution"\n'
        'step = "V"\ncaption = "The values, one row per word of the sentence."\n'
        '[steps.prompt]\nkind = "cell"\nquestion = "Where?"\nquery = "it"\n'
    )
    with pytest.raises(LessonError) as caught:
        load_lesson_text(text, "x.toml", registry.levels)
    assert "x.toml:10: steps[0].prompt.kind: a cell question needs" in str(caught.value)
    load_lesson_text(text.replace('step = "V"', 'step = "softmax"'), "x.toml", registry.levels)
