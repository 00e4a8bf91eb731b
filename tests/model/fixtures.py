"""Test stand-ins for what plugins provide: schemes, architectures, goal types, a level.

The real ones live in plugins the lead writes; these are small and exact, so
tests can compare the board with hand-computed numbers.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np

from game.api import (
    Architecture,
    AttentionBlock,
    Concept,
    EvaluationView,
    GoalResult,
    GoalType,
    LevelView,
    Parameter,
    PositionalScheme,
    StaticCatalog,
)
from game.levels import PositionError, load_level_text

# -- positional schemes ------------------------------------------------------------


def wave_embed(positions: np.ndarray, d_model: int) -> np.ndarray:
    """(n, d_model) sin(p·(f+1)/2): a simple, exact stand-in for sinusoidal."""
    return np.sin(positions[:, None] * (np.arange(d_model)[None, :] + 1) * 0.5)  # (n, d)


def rope_angles(positions: np.ndarray, d: int, base: float) -> np.ndarray:
    """(n, d//2) angle of each pair (2i, 2i+1) at each position."""
    return positions[:, None] * base ** (-2 * np.arange(d // 2) / d)  # (n, d//2)


def rope_rotate(x: np.ndarray, positions: np.ndarray, base: float = 100.0) -> np.ndarray:
    """Rotate each pair of dims (2i, 2i+1) by the position's angle; an odd last dim stays."""
    x = np.array(x, dtype=np.float64)  # (..., n, d)
    angle = rope_angles(positions, x.shape[-1], base)  # (n, d//2)
    even = x[..., 0 : 2 * angle.shape[1] : 2].copy()  # (..., n, d//2)
    odd = x[..., 1 : 2 * angle.shape[1] : 2].copy()  # (..., n, d//2)
    x[..., 0 : 2 * angle.shape[1] : 2] = even * np.cos(angle) - odd * np.sin(angle)
    x[..., 1 : 2 * angle.shape[1] : 2] = even * np.sin(angle) + odd * np.cos(angle)
    return x  # (..., n, d)


def distance_bias(q_pos: np.ndarray, k_pos: np.ndarray, n_heads: int) -> np.ndarray:
    """(h, n_q, n_k) −(h+1)·|i−j|/2."""
    distance = np.abs(q_pos[:, None] - k_pos[None, :])  # (n_q, n_k)
    return -(np.arange(n_heads)[:, None, None] + 1) * distance[None] / 2  # (h, n_q, n_k)


def alibi_slopes(n_heads: int, strength: float = 1.0) -> np.ndarray:
    """(h,) strength · 2^-(h+1)."""
    return strength * 2.0 ** -(np.arange(n_heads) + 1.0)  # (h,)


SCHEMES = (
    PositionalScheme("none", "None", "no position"),
    PositionalScheme("wave", "Wave", "added embedding", embed=wave_embed),
    PositionalScheme(
        "rope",
        "Rotary",
        "rotates q and k",
        rotate=rope_rotate,
        parameters=(Parameter("base", "Base", 100.0, 2.0, 10000.0, log_scale=True),),
    ),
    PositionalScheme("distance", "Distance", "a bias", bias=distance_bias),
    PositionalScheme(
        "alibi",
        "ALiBi",
        "linear bias by slope",
        slopes=alibi_slopes,
        parameters=(Parameter("strength", "Slope scale", 1.0, 0.0, 8.0),),
    ),
)

# -- architectures -------------------------------------------------------------------

ENCODER = Architecture(
    "encoder", "Encoder", "sees both ways", ("tokens",),
    (AttentionBlock("self", "tokens", "tokens"),), padding_masks=True,
)  # fmt: skip
DECODER = Architecture(
    "decoder", "Decoder", "no peeking", ("tokens",),
    (AttentionBlock("self", "tokens", "tokens", causal=True),), padding_masks=True,
)  # fmt: skip
ENCODER_DECODER = Architecture(
    "encoder-decoder", "Encoder–decoder", "translation", ("source", "target"),
    (
        AttentionBlock("encoder self", "source", "source"),
        AttentionBlock("decoder self", "target", "target", causal=True),
        AttentionBlock("cross", "target", "source"),
        AttentionBlock("causal cross", "target", "source", causal=True),
    ),
    layout="two-rows", padding_masks=True,
)  # fmt: skip
PLAIN = Architecture(
    "plain", "Unpadded encoder", "one sentence at a time", ("tokens",),
    (AttentionBlock("self", "tokens", "tokens"),),
)  # fmt: skip

# -- goal types ----------------------------------------------------------------------


def check_attention(params: Mapping[str, Any], evaluation: EvaluationView) -> GoalResult:
    """Some head (or the given one) puts at least `at_least` on key from query."""
    heads = [params["head"]] if "head" in params else range(len(evaluation.heads))
    best = 0.0
    for h in heads:
        try:  # heads whose sequences the positions are not in cannot meet it
            best = max(best, evaluation.weight(h, params["query"], params["key"]))
        except PositionError:
            continue
    met = best >= params["at_least"]
    return GoalResult(met, min(1.0, best / params["at_least"]), f"{best:.0%} of the attention")


def validate_attention(params: Mapping[str, Any], level: LevelView) -> list[str]:
    problems = []
    for key in params:
        if key not in ("type", "query", "key", "at_least", "head"):
            problems.append(f"{key}: unknown key for an attention goal")
    for end in ("query", "key"):
        if end not in params:
            problems.append(f"{end}: missing (required)")
            continue
        why = level.position_problem(params[end])  # the LevelView's, as plugins have
        if why:
            problems.append(f"{end}: {why}")
    at_least = params.get("at_least")
    if isinstance(at_least, bool) or not isinstance(at_least, int | float):
        problems.append("at_least: must be a number in 0..1")
    elif not 0 < at_least <= 1:
        problems.append("at_least: must be a number in 0..1")
    head = params.get("head", 0)
    if isinstance(head, bool) or not isinstance(head, int) or not 0 <= head < level.heads:
        problems.append(f"head: must be a head index 0..{level.heads - 1}")
    return problems


def check_output(params: Mapping[str, Any], evaluation: EvaluationView) -> GoalResult:
    value = evaluation.output(params["position"], params["feature"])
    met = value >= params["at_least"]
    return GoalResult(met, min(1.0, max(0.0, value / params["at_least"])), f"{value:.2f}")


GOAL_TYPES = (
    GoalType("attention", "Attention", "query attends key", check_attention, validate_attention),
    GoalType("output", "Output", "output carries a feature", check_output),
)

# The campaign's chapters as the built-in plugins register them (ids and order, not titles).
CONCEPTS = tuple(
    Concept(concept_id, concept_id.replace("-", " ").capitalize(), 10 * (k + 1))
    for k, concept_id in enumerate(
        ("why-attention", "qkv", "scale", "multi-head", "positional", "sinusoidal", "rope",
         "alibi", "encoder", "decoder", "encoder-decoder", "flash", "scaling")
    )
)  # fmt: skip

CATALOG = StaticCatalog.from_items(
    SCHEMES, (ENCODER, DECODER, ENCODER_DECODER, PLAIN), GOAL_TYPES, CONCEPTS
)

# -- levels --------------------------------------------------------------------------

# The trophy level. `shiny` is a feature only the trophy has: a wire to it solves the
# visible sentence but not the held-out ones (a statue is big, not shiny).
GOOD = '''\
format_version = 1
id = "01_trophy"
title = "It was too big"
concept = "why-attention"
explanation = """
Which word does "it" mean? Wire the pronoun to what makes the thing too big.
"""
hints = ["Look at what was too big.", "Wire pronoun to a key feature.", "pronoun → big"]

architecture = "encoder"
positional = ["none", "wave", "rope", "distance", "alibi"]
features = ["noun", "pronoun", "big", "container", "shiny"]
heads = 1
par = 1

[controls]
scale = true
temperature = true
positional = true
positional_parameter = true

[vocab]
trophy = { noun = 1, big = 1, shiny = 1 }
statue = { noun = 1, big = 1 }
suitcase = { noun = 1, container = 1 }
box = { noun = 1, container = 1 }
it = { pronoun = 1 }
the = {}
did = {}
not = {}
fit = {}
in = {}
because = {}
was = {}
too = {}
big = {}
small = {}
for = {}
so = {}
stayed = {}
home = {}

[[sentences]]
tokens = ["the", "trophy", "did", "not", "fit", "in", "the", "suitcase",
          "because", "it", "was", "too", "big"]
roles = { pronoun = 9, referent = 1 }

[[sentences]]
tokens = ["the", "box", "was", "too", "small", "for", "the", "statue",
          "so", "it", "stayed", "home"]
roles = { pronoun = 9, referent = 7 }

[[sentences]]
tokens = ["the", "statue", "did", "not", "fit", "because", "it", "was", "big"]
roles = { pronoun = 6, referent = 1 }

[[goals]]
type = "attention"
query = "@pronoun"
key = "@referent"
at_least = 0.5

[[solution.heads]]
wires = [{ query = "pronoun", key = "big", strength = 8.0 }]
values = [{ key = "big", out = "big" }]
'''

TRANSLATION = """\
format_version = 1
id = "enc_dec"
title = "Swap the words"
concept = "encoder-decoder"
explanation = "Align each target word with its source word."
hints = ["one", "two", "three"]
architecture = "encoder-decoder"
positional = ["none", "alibi", "rope"]
features = ["a", "b", "c", "d"]
heads = 4
par = 4

[controls]
positional = true

[start]
positional = "none"

[[start.heads]]
block = "encoder self"

[[start.heads]]
block = "decoder self"

[[start.heads]]
block = "cross"

[[start.heads]]
block = "causal cross"

[vocab]
red = { a = 1, c = 0.5 }
car = { b = 1 }
voiture = { b = 1, d = 1 }
rouge = { a = 1, d = 0.5 }
big = { c = 1 }
grande = { c = 1, d = 1 }

[[sentences]]
source = ["red", "car"]
target = ["voiture", "rouge", "grande"]
roles = { noun = "target:0", adj = "source:0" }
alignment = [[0, 1], [1, 0]]

[[sentences]]
source = ["big", "red", "car", "big", "car"]
target = ["voiture"]
roles = { noun = "target:0", adj = "source:1" }

[[goals]]
type = "attention"
query = "@noun"
key = "@adj"
at_least = 0.1
"""


def load(text: str = GOOD, name: str = "good.toml", catalog: Any = CATALOG) -> Any:
    return load_level_text(text, name, catalog)
