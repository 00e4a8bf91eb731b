"""Starting points for authors: `switchyard new-plugin NAME` and `switchyard new-level NAME`.

Each writes files that work as written — the plugin loads, its level earns
three stars, its test passes — so an author starts from something green and
changes one thing at a time.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

NAME_PATTERN = re.compile(r"^[a-z][a-z0-9_]{0,39}$")

PLUGIN_INIT = '''\
"""{title}: a positional scheme and a one-level pack (written by `switchyard new-plugin`).

The scheme gives every query a bonus for looking at the first token, the way
real models park spare attention on a start marker. Change `first_token_bias`
to try your own idea; `switchyard plugins --plugin PATH` shows whether it loads.
"""

from pathlib import Path

import numpy as np

from game.api import Parameter, PositionalScheme, hookimpl

__version__ = "0.1.0"


def first_token_bias(q_positions, k_positions, n_heads, *, bonus=1.0, **_):
    """(n_heads, n_q, n_k): `bonus` on every score whose key is position 0."""
    k_positions = np.asarray(k_positions)  # (n_k,)
    row = np.where(k_positions == 0, float(bonus), 0.0)  # (n_k,)
    return np.broadcast_to(row, (n_heads, len(q_positions), len(k_positions))).copy()


@hookimpl
def switchyard_register_positional_schemes(register):
    register(
        PositionalScheme(
            name="{name}",
            title="{title}",
            description=(
                "Every word gets a small bonus for looking at the first word of the "
                "sentence, a place to park attention when nothing else matters."
            ),
            bias=first_token_bias,
            parameters=(Parameter("bonus", "Bonus for the first word", 1.0, 0.0, 4.0),),
        )
    )


@hookimpl
def switchyard_register_levels(register):
    register(Path(__file__).parent / "levels")
'''

LEVEL = '''\
format_version = 1
id = "{level_id}"
title = "{title}"
concept = "{concept}"
explanation = """
Write what the player should learn here, in plain words. This starter level
asks the word "it" to find the thing it refers to.
"""
hints = [
  "A first, gentle hint.",
  "A closer hint.",
  "Almost the answer: wire pronoun → noun.",
]
architecture = "encoder"
positional = "{positional}"
features = ["noun", "pronoun"]
heads = 1
par = 1

[vocab]
the = {{}}
a = {{}}
lamp = {{ noun = 1 }}
kite = {{ noun = 1 }}
was = {{}}
on = {{}}
so = {{}}
it = {{ pronoun = 1 }}
glowed = {{}}
flew = {{}}
high = {{}}

[[sentences]]
tokens = ["the", "lamp", "was", "on", "so", "it", "glowed"]
roles = {{ pronoun = 5, referent = 1 }}

[[sentences]]
tokens = ["a", "kite", "flew", "so", "it", "was", "high"]
roles = {{ pronoun = 4, referent = 1 }}

[[goals]]
type = "attention"
query = "@pronoun"
key = "@referent"
at_least = 0.5

[[solution.heads]]
wires = [{{ query = "pronoun", key = "noun", strength = 6.0 }}]
values = [{{ key = "noun", out = "noun" }}]
'''

PLUGIN_TEST = '''\
"""The plugin loads, its scheme registers, and its level earns three stars.

Run with: python -m pytest {folder_name}  (from a Switchyard checkout's venv)
"""

from pathlib import Path

from game.model.board import Board
from game.model.stars import score
from game.plugins import load_plugins

HERE = Path(__file__).resolve().parent


def test_plugin_loads_alone():
    registry = load_plugins(no_plugins=True, extra=[HERE])
    assert registry.errors == [], registry.errors
    assert "{name}" in registry.positional


def test_level_loads_and_its_solution_earns_three_stars():
    registry = load_plugins(no_plugins=True, extra=[HERE])
    assert registry.level_problems == [], registry.level_problems
    level = registry.levels["{level_id}"]
    assert score(Board.with_solution(level, registry)).stars == 3
    assert score(Board(level, registry)).stars == 0
'''


@dataclass(frozen=True)
class Written:
    """What a scaffold wrote, for the command to print."""

    root: Path
    files: tuple[Path, ...]


def check_name(name: str) -> str | None:
    """Why `name` cannot name a plugin or level, or None when it can."""
    if not NAME_PATTERN.fullmatch(name):  # match() would let a trailing newline through
        return (
            f"{name!r} is not a usable name: use lower-case letters, digits and _, "
            "starting with a letter (at most 40 characters)"
        )
    return None


def _title(name: str) -> str:
    return name.replace("_", " ").capitalize()


def write_plugin(name: str, parent: Path) -> Written:
    """Write `parent/name/` with the plugin, its level pack and its test."""
    root = parent / name
    if root.exists():
        raise FileExistsError(f"{root} already exists; pick another name or remove it")
    level_id = f"{name}_01"
    files = {
        root / "__init__.py": PLUGIN_INIT.format(name=name, title=_title(name)),
        root / "levels" / f"{level_id}.toml": LEVEL.format(
            level_id=level_id, title=f"{_title(name)}: first level", concept="qkv", positional=name
        ),
        root / f"test_{name}.py": PLUGIN_TEST.format(
            name=name, level_id=level_id, folder_name=name
        ),
    }
    for path, text in files.items():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return Written(root, tuple(files))


def write_level(name: str, parent: Path) -> Written:
    """Write `parent/name.toml`, a level that validates and earns three stars as written."""
    path = parent / f"{name}.toml"
    if path.exists():
        raise FileExistsError(f"{path} already exists; pick another name or remove it")
    parent.mkdir(parents=True, exist_ok=True)
    text = LEVEL.format(level_id=name, title=_title(name), concept="qkv", positional="none")
    path.write_text(text, encoding="utf-8")
    return Written(path, (path,))
