"""Concepts are open: a plugin registers a chapter and levels use it, with no core change.

The plugins here are real folders written to a tmp path, importing only
`game.api`, loaded the way a teacher's level pack would be.
"""

from __future__ import annotations

import json
import textwrap
from pathlib import Path

from game.levels.registry import in_campaign_order
from game.plugins import load_plugins
from tests.plugins.plugin_files import error_for, write

SPARSE_PLUGIN = """
from pathlib import Path

from game.api import Concept, hookimpl


@hookimpl
def switchyard_register_concepts(register):
    register(Concept(id="dilated", title="Dilated attention", order={order}))


@hookimpl
def switchyard_register_levels(register):
    register(Path(__file__).parent / "levels")
"""

SPARSE_LEVEL = """
format_version = 1
id = "{level_id}"
title = "Only the start"
concept = "{concept}"
explanation = "A sparse head keeps one key per query: here, the start marker."
hints = ["Which feature does every word have?", "Only <s> has is_start.", "Wire word → is_start."]
architecture = "encoder"
positional = "none"
features = ["word", "is_start"]
par = 1

[vocab]
"<s>" = {{ is_start = 1, word = 1 }}
the = {{ word = 1 }}
cat = {{ word = 1 }}
sat = {{ word = 1 }}
a = {{ word = 1 }}
dog = {{ word = 1 }}

[[sentences]]
tokens = ["<s>", "the", "cat", "sat"]

[[sentences]]
tokens = ["<s>", "a", "dog", "sat"]

[[goals]]
type = "pattern"
pattern = "first"
within = 0.2

[[solution.heads]]
wires = [{{ query = "word", key = "is_start", strength = 8.0 }}]
values = []
"""


def sparse_pack(folder: Path, *, order: float = 140, concept: str = "dilated") -> Path:
    """A level pack plugin registering the "dilated" concept and one level that uses `concept`."""
    write(folder, "sparse_pack/__init__.py", SPARSE_PLUGIN.format(order=order))
    level = SPARSE_LEVEL.format(level_id="sparse_01_start", concept=concept)
    write(folder, "sparse_pack/levels/sparse_01_start.toml", level)
    return folder / "sparse_pack"


def test_a_plugin_concept_and_its_level_load_and_sort_after_the_campaign(tmp_path):
    from game.model.board import Board
    from game.model.stars import score

    pack = sparse_pack(tmp_path)
    source = (pack / "__init__.py").read_text(encoding="utf-8")
    assert "game." not in source.replace("game.api", "")  # nothing but the plugin API
    registry = load_plugins(no_plugins=True, extra=[pack])
    assert registry.errors == [] and [str(p) for p in registry.level_problems] == []
    assert registry.concepts["dilated"].title == "Dilated attention"
    assert list(registry.concepts)[-2:] == ["circuits", "dilated"]
    level = registry.levels["sparse_01_start"]
    assert level.concept == "dilated" and level.source == "sparse_pack"
    order = in_campaign_order(registry.levels.values(), registry.concepts)
    assert order[-1] is level and order[-2].concept == "circuits"
    assert score(Board.with_solution(level, registry)).stars == 3


def test_a_plugin_concept_can_slot_between_two_campaign_chapters(tmp_path):
    # 121: after FlashAttention (120), before the built-in sparse-attention chapter (124).
    registry = load_plugins(no_plugins=True, extra=[sparse_pack(tmp_path, order=121)])
    ids = list(registry.concepts)
    assert ids.index("flash") + 1 == ids.index("dilated") == ids.index("sparse") - 1
    order = [lv.concept for lv in in_campaign_order(registry.levels.values(), registry.concepts)]
    at = order.index("dilated")
    assert order[at - 1 : at + 2] == ["flash", "dilated", "sparse"]


def test_an_unregistered_concept_is_a_located_problem_with_a_did_you_mean(tmp_path):
    pack = sparse_pack(tmp_path, concept="qvk")
    registry = load_plugins(no_plugins=True, extra=[pack])
    assert "sparse_01_start" not in registry.levels
    path = pack / "levels" / "sparse_01_start.toml"
    line = path.read_text(encoding="utf-8").splitlines().index('concept = "qvk"') + 1
    assert [str(p) for p in registry.level_problems] == [
        f"{path}:{line}: concept: unknown concept 'qvk' (did you mean \"qkv\"?); known: "
        + ", ".join(registry.concepts)
    ]


def test_a_duplicate_concept_id_names_both_plugins(tmp_path):
    write(tmp_path, "a_first.py", SPARSE_PLUGIN.format(order=140))
    second = write(tmp_path, "b_second.py", SPARSE_PLUGIN.format(order=150))
    write(
        tmp_path,
        "takes_qkv.py",
        """
        from game.api import Concept, hookimpl

        @hookimpl
        def switchyard_register_concepts(register):
            register(Concept(id="qkv", title="Mine now", order=1))
        """,
    )
    registry = load_plugins(user_dir=tmp_path, entry_points=False)
    error = error_for(registry, "b_second")
    assert "concept 'dilated' is already registered by plugin 'a_first'" in error.message
    lines = second.read_text().splitlines()
    line = next(i for i, text in enumerate(lines, 1) if "register(Concept(" in text)
    assert error.location == f"{second}:{line}"
    assert registry.concepts["dilated"].order == 140
    taken = error_for(registry, "takes_qkv")
    assert "concept 'qkv' is already registered by plugin 'campaign'" in taken.message
    assert registry.concepts["qkv"].title == "Query, key, value"


def test_a_concept_a_level_could_not_name_is_refused(tmp_path):
    for name, fields in (
        ("spaced", 'id="two words", title="T", order=1'),
        ("untitled", 'id="fine", title=" ", order=1'),
        ("unordered", 'id="fine", title="T", order="first"'),
    ):
        body = f"""
        from game.api import Concept, hookimpl

        @hookimpl
        def switchyard_register_concepts(register):
            register(Concept({fields}))
        """
        write(tmp_path, f"{name}.py", textwrap.dedent(body))
    registry = load_plugins(user_dir=tmp_path, entry_points=False)
    assert "is not one a level can name" in error_for(registry, "spaced").message
    assert "non-empty title" in error_for(registry, "untitled").message
    assert "order must be a finite number" in error_for(registry, "unordered").message
    assert "fine" not in registry.concepts and "two words" not in registry.concepts


def test_levels_json_shows_the_plugin_concept_last(tmp_path, monkeypatch, capsys):
    from game.cli import main

    sparse_pack(tmp_path / "user")
    monkeypatch.setenv("SWITCHYARD_PLUGIN_DIR", str(tmp_path / "user"))
    monkeypatch.setenv("SWITCHYARD_DATA_DIR", str(tmp_path / "data"))
    assert main(["levels", "--json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert rows[-1]["id"] == "sparse_01_start" and rows[-1]["concept"] == "dilated"
