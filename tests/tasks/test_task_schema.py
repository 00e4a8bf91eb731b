"""`[task]` and `[readout]` at load time: every mistake located at its line, and a plugin
generator's bad output reported with the plugin's file and line, never reaching a frame."""

from __future__ import annotations

import numpy as np
import pytest

from game.api import StaticCatalog, Task, TaskExample
from game.levels import LevelError, load_level_text
from game.levels.task_schema import Readout
from game.plugins import load_plugins

LEVEL = """format_version = 1
id = "t"
title = "T"
concept = "circuits"
explanation = "x"
hints = ["a", "b", "c"]
architecture = "decoder"
positional = "none"
features = ["one", "a", "b", "prev_a", "prev_b"]
heads = 1
par = 1

[task]
name = "copy-previous"
seed = 3
lengths = [5, 9]
symbols = ["a", "b"]

[readout]
how = "argmax"
features = { prev_a = "a", prev_b = "b" }

[vocab]
bos = { one = 1 }
a = { one = 1, a = 1 }
b = { one = 1, b = 1 }

[[goals]]
type = "task"
at_least = 0.9
"""


@pytest.fixture(scope="module")
def registry():
    return load_plugins(no_plugins=True)


def catalog_with(registry, *tasks: Task) -> StaticCatalog:
    return StaticCatalog(
        positional=registry.positional, architectures=registry.architectures,
        goal_types=registry.goal_types, concepts=registry.concepts,
        tasks={**registry.tasks, **{t.name: t for t in tasks}},
    )  # fmt: skip


def problems(text: str, catalog) -> list[str]:
    with pytest.raises(LevelError) as caught:
        load_level_text(text, "bad.toml", catalog)
    return [str(p) for p in caught.value.problems]


def line_of(text: str, snippet: str) -> int:
    return next(i for i, line in enumerate(text.splitlines(), 1) if snippet in line)


def test_a_task_level_without_sentences_shows_its_first_examples(registry):
    level = load_level_text(LEVEL, "t.toml", registry)
    assert len(level.sentences) == level.task.shown == 3
    assert all(s.tokens[0] == "bos" and 5 <= len(s.tokens) <= 9 for s in level.sentences)
    assert level.task.settings == {"symbols": ["a", "b"]}


@pytest.mark.parametrize(
    ("old", "new", "snippet", "expected"),
    [
        ('name = "copy-previous"', 'name = "copy-prev"', "copy-prev", 'unknown task "copy-prev"'),
        ('symbols = ["a", "b"]', 'symbolz = ["a", "b"]', "symbolz", 'has no setting "symbolz"'),
        ("lengths = [5, 9]", "lengths = [9, 5]", "lengths", "is above the longest"),
        ("seed = 3", "held_out = 20", "held_out", "greater than or equal to 200"),
        ('prev_b = "b" }', 'prev_c = "b" }', "prev_c", '"prev_c" is not one of the level'),
        ('how = "argmax"', 'how = "vote"', "vote", "argmax"),
        ('symbols = ["a", "b"]', 'symbols = ["a", "zz"]', "[task]", "'zz', which is not in"),
        ('"decoder"', '"encoder-decoder"', "[task]", "the encoder-decoder architecture reads"),
    ],
)
def test_each_task_mistake_is_located(registry, old, new, snippet, expected):
    text = LEVEL.replace(old, new)
    found = problems(text, registry)
    assert any(f"bad.toml:{line_of(text, snippet)}:" in p and expected in p for p in found), found


def test_a_task_needs_a_readout_and_a_readout_a_task(registry):
    no_readout = LEVEL.split("[readout]")[0] + "[vocab]" + LEVEL.split("[vocab]")[1]
    assert any("needs a [readout]" in p for p in problems(no_readout, registry))
    no_task = (
        LEVEL.replace("[task]", "[other]").split("[other]")[0]
        + "[readout]"
        + (LEVEL.split("[readout]")[1])
    )
    found = problems(no_task, registry)
    assert any("needs a [task]" in p for p in found)
    assert any("sentences: missing" in p for p in found)
    assert any("task goal needs the level to have a [task]" in p for p in found)


def test_threshold_readouts_are_checked_and_read():
    readout = Readout(how="threshold", feature="s", at_least=[0.2, 0.4], labels=["lo", "mid", "hi"])
    assert readout.problems(["s"]) == []
    stream = np.array([[0.1], [0.2], [0.39], [0.5]])  # (n, 1)
    assert readout.read(stream, ["s"]) == ["lo", "mid", "mid", "hi"]
    bad = Readout(how="threshold", feature="s", at_least=[0.4, 0.2], labels=["x", "y"])
    messages = [m for _, m in bad.problems(["s"])]
    assert any("must rise" in m for m in messages) and any("need 3 labels" in m for m in messages)


def broken(rng, *, length, **_):
    return TaskExample(("bos",) * length, ("a",) * (length - 1))  # one answer short


def crashing(rng, *, length, **_):
    raise RuntimeError("generator bug")


def wrong_label(rng, *, length, **_):
    return TaskExample(("bos",) * length, ("nope",) * length)


@pytest.mark.parametrize(
    ("generate", "expected"),
    [
        (broken, "gave 5 tokens and 4 answers"),
        (crashing, "RuntimeError: generator bug"),
        (wrong_label, "answer 'nope'; the readout's labels are a, b"),
    ],
)
def test_a_bad_generator_is_reported_with_its_file_and_line(registry, generate, expected):
    task = Task("copy-previous", "Copy", "…", generate, {"symbols": ()})
    text = LEVEL.replace("lengths = [5, 9]", "lengths = [5, 5]")
    found = problems(text, catalog_with(registry, task))
    here = f"{__file__}:"
    assert any(expected in p and here in p for p in found), found
    assert any(f"bad.toml:{line_of(text, '[task]')}:" in p for p in found), found


def test_the_registry_refuses_a_task_without_a_generate_function(tmp_path):
    plugin = tmp_path / "bad_task.py"
    plugin.write_text(
        "from game.api import Task, hookimpl\n\n\n"
        "@hookimpl\n"
        "def switchyard_register_tasks(register):\n"
        '    register(Task("t", "T", "…", generate="not a function"))\n',
        encoding="utf-8",
    )
    registry = load_plugins(no_plugins=True, extra=[plugin])
    assert "t" not in registry.tasks
    assert any("generate must be callable" in e.message for e in registry.errors)


def test_the_registry_refuses_task_settings_that_are_not_a_mapping(tmp_path):
    plugin = tmp_path / "bad_settings.py"
    plugin.write_text(
        "from game.api import Task, TaskExample, hookimpl\n\n\n"
        "def gen(rng, *, length, **_):\n"
        '    return TaskExample(("bos",) * length, (None,) * length)\n\n\n'
        "@hookimpl\n"
        "def switchyard_register_tasks(register):\n"
        '    register(Task("t2", "T", "…", gen, settings=["symbols"]))\n',
        encoding="utf-8",
    )
    registry = load_plugins(no_plugins=True, extra=[plugin])
    assert "t2" not in registry.tasks
    assert any("settings must be a mapping" in e.message for e in registry.errors)
    assert any("bad_settings.py:" in e.location for e in registry.errors)
