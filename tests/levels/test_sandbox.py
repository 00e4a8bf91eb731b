"""The sandbox's level table: every installed architecture, scheme and head count loads, and
what the sandbox offers comes from the catalog, never from plugin names in the core."""

from __future__ import annotations

import ast
import dataclasses
import itertools
from pathlib import Path

import numpy as np

from game.api import Architecture, AttentionBlock, Concept, PositionalScheme
from game.levels import sandbox
from game.levels.sandbox import (
    DEFAULT_SENTENCE,
    architecture_names,
    concept_ids,
    distinct_words,
    guess_features,
    head_blocks,
    load_sandbox,
    needs_target,
    sandbox_concept,
    sandbox_table,
    scheme_names,
)
from game.model import Board, StaticCatalog
from game.plugins import load_plugins

REGISTRY = load_plugins(no_plugins=True)
WORDS = DEFAULT_SENTENCE.split()


def table(catalog, **overrides):
    options = dict(
        words=WORDS, target=["le", "trophée"], architecture="encoder", positional="none",
        heads=1, features={w: guess_features(w) for w in WORDS},
    )  # fmt: skip
    return sandbox_table(catalog, **{**options, **overrides})


def test_every_architecture_scheme_and_head_count_loads():
    for arch, scheme in itertools.product(REGISTRY.architectures, REGISTRY.positional):
        for heads in (1, 4):
            level = load_sandbox(
                table(REGISTRY, architecture=arch, positional=scheme, heads=heads), REGISTRY
            )
            assert level.id == "sandbox" and len(level.sentences) == 1
            assert all(vars(level.controls).values())
            # every scheme, in teaching order (the top bar's tabs keep one order), and the
            # board starts on the chosen one (issue 14, item 9: the tabs were reordered)
            assert list(level.positional) == scheme_names(REGISTRY)
            board = Board(level, REGISTRY)
            assert board.settings.positional == scheme
            assert len(board.heads) == heads
            assert board.evaluate(0).goals_met  # the trivial goal: something to Check


def test_the_built_ins_come_in_teaching_order():
    assert scheme_names(REGISTRY) == ["none", "sinusoidal", "learned", "rope", "alibi"]
    assert architecture_names(REGISTRY) == ["encoder", "decoder", "encoder-decoder"]
    assert head_blocks(REGISTRY, "encoder-decoder", 4) == [
        "cross", "decoder self", "encoder self", "cross",
    ]  # fmt: skip
    assert needs_target(REGISTRY, "encoder-decoder") and not needs_target(REGISTRY, "decoder")
    assert table(REGISTRY, architecture="decoder")["concept"] == "decoder"


def _renamed(catalog):
    """The built-ins under other names, in reverse registration order, plus a scheme and an
    architecture no built-in resembles: what a set of third-party plugins could offer."""
    positional = {
        f"p-{name}": dataclasses.replace(scheme, name=f"p-{name}")
        for name, scheme in reversed(catalog.positional.items())
    }
    t5 = PositionalScheme(
        "t5", "T5 buckets", "A bias per distance bucket.",
        bias=lambda q, k, n_heads, **_: np.zeros((n_heads, len(q), len(k))),
    )  # fmt: skip
    positional["t5"] = t5
    archs = {
        f"a-{name}": dataclasses.replace(arch, name=f"a-{name}")
        for name, arch in reversed(catalog.architectures.items())
    }
    archs["qa"] = Architecture(
        "qa", "Question–answer", "An answer reads itself and the question.",
        sequences=("source", "target"),  # the sentence keys a level file has
        blocks=(
            AttentionBlock("answer self", "target", "target", causal=True),
            AttentionBlock("question self", "source", "source"),
            AttentionBlock("answer reads question", "target", "source"),
        ),
        layout="two-rows",
    )  # fmt: skip
    goals = catalog.goal_types
    return StaticCatalog(positional, archs, goals, catalog.concepts)


def test_plugins_under_any_names_are_offered_by_what_they_are():
    catalog = _renamed(REGISTRY)
    schemes = ["p-none", "p-sinusoidal", "p-learned", "p-rope", "p-alibi", "t5"]
    assert scheme_names(catalog) == schemes
    assert architecture_names(catalog) == ["a-encoder", "a-decoder", "a-encoder-decoder", "qa"]
    blocks = ["answer reads question", "answer self", "question self"]
    assert head_blocks(catalog, "qa", 4) == [*blocks, blocks[0]]
    qa = table(catalog, architecture="qa", positional="t5", heads=2)
    assert qa["sentences"] == [{"source": WORDS, "target": ["le", "trophée"]}]
    assert qa["positional"] == schemes and qa["start"]["positional"] == "t5"  # teaching order
    first_word = [[1.0]] + [[0.0]] * (len(WORDS) - 1)
    assert qa["positional_settings"] == {"p-learned": {"table": first_word}}
    for arch in catalog.architectures:
        level = load_sandbox(table(catalog, architecture=arch, positional="p-learned"), catalog)
        assert Board(level, catalog).evaluate(0).goals_met


def test_the_concept_comes_from_what_the_catalog_registers():
    assert concept_ids(REGISTRY)[:2] == ["why-attention", "qkv"]  # the campaign's first two
    concepts = (Concept("sparse", "Sparse", 20), Concept("basics", "Basics", 10))
    registered = StaticCatalog.from_items(
        list(REGISTRY.positional.values()), list(REGISTRY.architectures.values()),
        list(REGISTRY.goal_types.values()), concepts,
    )  # fmt: skip
    assert concept_ids(registered) == ["basics", "sparse"]
    assert sandbox_concept("sparse", ["basics", "sparse"]) == "sparse"
    assert sandbox_concept("qa", ["basics", "sparse"]) == "basics"
    assert table(registered, architecture="encoder")["concept"] == "basics"
    unregistered = StaticCatalog(REGISTRY.positional, REGISTRY.architectures)
    assert table(unregistered, architecture="encoder")["concept"] == "encoder"  # any concept goes


def test_the_lexicon_and_the_words():
    assert guess_features("Trophy") == {"noun"} and guess_features("zorp") == set()
    assert distinct_words(["a", "b", "a"], ["b", "c"]) == ["a", "b", "c"]


def test_the_sandbox_level_module_imports_no_model_ui_or_pygame():
    """Levels are data, below the board and the screens (DESIGN §3)."""
    tree = ast.parse(Path(sandbox.__file__).read_text(encoding="utf-8"))
    imported = [
        node.module if isinstance(node, ast.ImportFrom) else alias.name
        for node in ast.walk(tree)
        if isinstance(node, ast.Import | ast.ImportFrom)
        for alias in node.names
    ]
    below = ("pygame", "plugins", "game.builtin_plugins", "game.model", "game.ui")
    bad = [m for m in imported if m and (m == below[0] or m.startswith(below))]
    assert imported and not bad, bad
