"""Shared by the goal tests: the real registry, the goals plugin and small level texts.

Levels are small TOML texts loaded with the real loader and the real plugin
registry; the expected numbers (softmax weights, total variation, HBM traffic,
Chinchilla's loss) are computed in the tests with NumPy, independently of the board.
"""

from __future__ import annotations

import sys
from types import ModuleType

import numpy as np

from game.levels import load_level_text
from game.plugins import load_plugins
from tests.plugins.util import load_builtin

REGISTRY = load_plugins(no_plugins=True)
GOALS = load_builtin("goals")


def goals_module(family: str) -> ModuleType:
    """One family's module of the goals plugin ("pattern", "evaluation", …), for its helpers."""
    return sys.modules[f"{GOALS.__name__}.{family}"]


def goal_type(name: str):
    return REGISTRY.goal_types[name]


def load(text: str, name: str = "t.toml"):
    return load_level_text(text, name, REGISTRY)


def softmax(logits) -> np.ndarray:
    z = np.asarray(logits, dtype=np.float64)
    e = np.exp(z - z.max())
    return e / e.sum()


def line_of(text: str, marker: str) -> int:
    """The 1-based line of the one line of `text` that contains `marker`."""
    hits = [n for n, line in enumerate(text.splitlines(), 1) if marker in line]
    assert len(hits) == 1, f"{marker!r} is on lines {hits}"
    return hits[0]


def level_text(
    *,
    features: list[str],
    vocab: dict[str, dict[str, float]],
    sentences: list[str],
    goals: str,
    architecture: str = "encoder",
    heads: int = 1,
    extra: str = "",
) -> str:
    """A whole level: `sentences` are TOML tables' bodies, `goals` the [[goals]] tables."""
    vocab_lines = "\n".join(
        f"{word} = {{ {', '.join(f'{k} = {v}' for k, v in table.items())} }}"
        for word, table in vocab.items()
    )
    sentence_tables = "\n".join(f"[[sentences]]\n{body}\n" for body in sentences)
    return f"""\
format_version = 1
id = "test_level"
title = "A test level"
concept = "qkv"
explanation = "For the tests."
hints = ["one", "two", "three"]
architecture = "{architecture}"
positional = "none"
features = {features!r}
heads = {heads}
par = 3
{extra}
[vocab]
{vocab_lines}

{sentence_tables}
{goals}"""


AB_VOCAB = {"x": {"a": 1}, "y": {"b": 1}, "z": {}}


def attention_level(at_least: float | str = 0.5, heads: int = 1, head: int | None = None) -> str:
    head_line = f"head = {head}\n" if head is not None else ""
    return level_text(
        features=["a", "b"],
        vocab=AB_VOCAB,
        sentences=['tokens = ["x", "y", "z"]\nroles = { asker = 0, answer = 1 }'],
        heads=heads,
        goals=f"""[[goals]]
type = "attention"
query = "@asker"
key = "@answer"
at_least = {at_least}
{head_line}""",
    )


TRANSLATION = level_text(
    architecture="encoder-decoder",
    features=["det", "noun", "adj"],
    vocab={
        "the": {"det": 1},
        "red": {"adj": 1},
        "car": {"noun": 1},
        "la": {"det": 1},
        "voiture": {"noun": 1},
        "rouge": {"adj": 1},
    },
    heads=2,
    sentences=[
        'source = ["the", "red", "car"]\ntarget = ["la", "voiture", "rouge"]\n'
        'roles = { french_noun = "target:1", english_noun = "source:2" }\n'
        "alignment = [[0, 0], [1, 2], [2, 1]]"
    ],
    goals="""[[goals]]
type = "attention"
query = "@french_noun"
key = "@english_noun"
at_least = 0.8
""",
    extra="""
[[start.heads]]
block = "decoder self"

[[start.heads]]
block = "cross"
""",
)


COUNTING = {f"t{i}": {f"f{i}": 1} for i in range(4)}


def pattern_level(pattern: str, within: float, architecture: str = "encoder") -> str:
    return level_text(
        architecture=architecture,
        features=[f"f{i}" for i in range(4)],
        vocab=COUNTING,
        sentences=['tokens = ["t0", "t1", "t2", "t3"]'],
        goals=f'[[goals]]\ntype = "pattern"\npattern = "{pattern}"\nwithin = {within}\n',
    )


def alignment_level(within: float) -> str:
    """ "big" is aligned to both "grande" and "très"."""
    return level_text(
        architecture="encoder-decoder",
        features=["noun", "adj", "adv"],
        vocab={
            "big": {"adj": 1, "adv": 1},
            "car": {"noun": 1},
            "voiture": {"noun": 1},
            "tres": {"adv": 1},
            "grande": {"adj": 1},
        },
        sentences=[
            'source = ["voiture", "tres", "grande"]\ntarget = ["big", "car"]\n'
            "alignment = [[0, 1], [0, 2], [1, 0]]"
        ],
        goals=f'[[goals]]\ntype = "pattern"\npattern = "alignment"\nwithin = {within}\n',
        extra='\n[[start.heads]]\nblock = "cross"\n',
    )


def output_level(bound: str, heads: int = 1) -> str:
    return level_text(
        features=["a", "b", "c"],
        vocab={"x": {"a": 1}, "y": {"b": 2}, "z": {"c": 1}},
        sentences=['tokens = ["x", "y", "z"]\nroles = { here = 0 }'],
        heads=heads,
        goals=f'[[goals]]\ntype = "output"\nposition = "@here"\nfeature = "c"\n{bound}\n',
    )


def generation_level(architecture: str, at_least: str = "") -> str:
    return level_text(
        architecture=architecture,
        features=["one", "two", "three"],
        vocab={"one": {"one": 1}, "two": {"two": 1}, "three": {"three": 1}},
        sentences=['tokens = ["one", "two", "three", "one", "two"]'],
        goals=f'[[goals]]\ntype = "generation"\n{at_least}\n',
        extra="""
[[solution.heads]]
wires = [
  { query = "one", key = "one", strength = 6.0 },
  { query = "two", key = "two", strength = 6.0 },
  { query = "three", key = "three", strength = 6.0 },
]
values = [
  { key = "one", out = "two" },
  { key = "two", out = "three" },
  { key = "three", out = "one" },
]
""",
    )


def efficiency_level(n: int, d: int, sram: int, budget: int, extra_goal: str = "") -> str:
    return level_text(
        features=["word"],
        vocab={"tiles": {"word": 1}, "fit": {"word": 1}},
        sentences=['tokens = ["tiles", "fit"]'],
        goals=f"""[[goals]]
type = "efficiency"
n = {n}
d = {d}
sram = {sram}
budget = {budget}
{extra_goal}""",
        extra="""
[[knobs]]
name = "block_q"
title = "Query rows per tile"
low = 1
high = 256
default = 16
integer = true

[[knobs]]
name = "block_k"
title = "Key rows per tile"
low = 1
high = 512
default = 16
integer = true
""",
    )


def scaling_level(budget: str, loss: str) -> str:
    return level_text(
        features=["word"],
        vocab={"bigger": {"word": 1}, "models": {"word": 1}},
        sentences=['tokens = ["bigger", "models"]'],
        goals=f'[[goals]]\ntype = "scaling"\nbudget = {budget}\nloss = {loss}\n',
        extra="""
[[knobs]]
name = "params_log10"
title = "Parameters"
low = 6
high = 12
default = 9

[[knobs]]
name = "tokens_log10"
title = "Tokens"
low = 6
high = 13
default = 9
""",
    )


def bad(text: str, old: str, new: str) -> str:
    assert text.count(old) == 1, old
    return text.replace(old, new)
