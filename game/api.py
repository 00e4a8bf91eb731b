"""The only module plugins import: the hook marker and the types they register.

A plugin is a module (or package) with functions marked `@hookimpl` whose
names are hooks in `game.hookspecs`, for example::

    from game.api import hookimpl, PositionalScheme

    @hookimpl
    def switchyard_register_positional_schemes(register):
        register(PositionalScheme(name="t5", title="T5 buckets", description="…", bias=t5_bias))

Every type here is a frozen dataclass: plain data plus the functions that do
the work. Arrays are NumPy arrays; shapes are given in each field's comment.
New fields are only ever added with defaults, so plugins written against
`PLUGIN_API = 1` keep working.

The functions a plugin registers are handed read-only views of the core
(`EvaluationView`, `HeadView`, `LevelView`, `SentenceView`, from `game.views`),
never the board's own classes. `Catalog` is what the core is handed in turn:
name → object mappings of everything installed.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, Protocol

import numpy as np
import pluggy

from game.attention.inputs import AttentionInputs
from game.views import (
    EvaluationView,
    HBMTraffic,
    HeadView,
    KnobView,
    LevelView,
    Position,
    PositionError,
    SentenceView,
    TaskFailure,
    TaskScore,
)

PROJECT_NAME = "switchyard"
PLUGIN_API = 1

hookimpl = pluggy.HookimplMarker(PROJECT_NAME)


@dataclass(frozen=True)
class Parameter:
    """A number a level may let the player set with a slider (RoPE base, ALiBi slope scale).

    The scheme's functions receive it as a keyword argument named `name`.
    """

    name: str
    title: str
    default: float
    low: float
    high: float
    log_scale: bool = False


@dataclass(frozen=True)
class PositionalScheme:
    """A way of telling attention where each token is (DESIGN §4).

    Any of the three functions may be given; each also takes the scheme's
    parameters (see `parameters`) and a level's extra settings as keywords.
    - embed(positions (n,), d_model) -> (n, d_model), added to the embeddings;
    - rotate(x (..., n, d), positions (n,)) -> (..., n, d), applied to q and k;
    - bias(q_positions (n_q,), k_positions (n_k,), n_heads) -> (n_heads, n_q, n_k);
    - slopes(n_heads) -> (n_heads,): ALiBi's per-head slopes, which the tiled
      backends apply without building an n×n bias.
    """

    name: str
    title: str
    description: str
    embed: Callable[..., np.ndarray] | None = None
    rotate: Callable[..., np.ndarray] | None = None
    bias: Callable[..., np.ndarray] | None = None
    slopes: Callable[..., np.ndarray] | None = None
    parameters: tuple[Parameter, ...] = ()
    reference: str = ""  # the paper, for the explanation panel


@dataclass(frozen=True)
class AttentionPattern:
    """Which scores a head computes, or how it stands in for softmax (sparse, linear).

    Exactly one of the two functions is given; each also takes the level's
    `pattern_settings` as keywords.
    - mask(q_positions (n_q,), k_positions (n_k,)) -> (n_q, n_k) bool: True
      where the score q_i·k_j is computed (sliding windows, global tokens,
      blocks). The board applies it like the causal mask: masked cells get
      no weight and are drawn as masked; the level shows how many of the
      n_q·n_k scores are computed.
    - feature_map(x (..., n, d_k)) -> (..., n, r), every entry >= 0: linear
      attention. The board replaces exp(q·k·s/T) by φ(q')·φ(k') with
      q' = q·√(s/T) and k' = k·√(s/T), computes the output in O(n) as
      φ(Q')·(φ(K')ᵀV) / (φ(Q')·Σ_j φ(k'_j)), and shows the exact softmax
      weights beside it. A level with a feature-map pattern cannot take a
      positional bias (there is no n×n score matrix to add it to).
    """

    name: str
    title: str
    description: str
    mask: Callable[..., np.ndarray] | None = None
    feature_map: Callable[..., np.ndarray] | None = None
    reference: str = ""  # the paper, for the explanation panel

    @property
    def kind(self) -> str:
        """ "sparse" for a mask, "linear" for a feature map."""
        return "linear" if self.feature_map is not None else "sparse"


@dataclass(frozen=True)
class AttentionBlock:
    """One attention step of an architecture: who asks (queries) and who answers (keys)."""

    name: str  # shown on the head tabs: "self", "decoder self", "cross"
    queries: str  # a sequence name from Architecture.sequences
    keys: str  # a sequence name from Architecture.sequences
    causal: bool = False


@dataclass(frozen=True)
class Architecture:
    """An encoder, a decoder, an encoder–decoder…: which sequences, which attention blocks.

    `layout` names the board layout the UI draws: "row" (one sequence of
    token cards, queries and keys the same tokens) or "two-rows" (a source
    row and a target row, with cross-attention between them).
    """

    name: str
    title: str
    description: str
    sequences: tuple[str, ...]  # ("tokens",) or ("source", "target")
    blocks: tuple[AttentionBlock, ...]
    layout: str = "row"
    padding_masks: bool = False  # sentences in a batch padded to one length


@dataclass(frozen=True)
class GoalResult:
    """How a goal stands on one sentence: met or not, progress 0..1, and why in words.

    `par_met` is for goals with a par of their own (the knob levels' best HBM
    traffic, the best loss for a budget): False withholds the second star even
    under the level's wire par; None (the default) leaves that star to the wires.
    """

    met: bool
    progress: float
    message: str
    par_met: bool | None = None


GoalCheck = Callable[[Mapping[str, Any], EvaluationView], GoalResult]
GoalValidate = Callable[[Mapping[str, Any], LevelView], list[str]]
GoalTarget = Callable[
    [Mapping[str, Any], EvaluationView, HeadView], tuple[np.ndarray, np.ndarray] | None
]


@dataclass(frozen=True)
class GoalType:
    """A kind of goal a level may set ("attention", "pattern", "output", …).

    - check(params, evaluation) -> GoalResult: `params` is the goal's table
      from the level file, `evaluation` an `EvaluationView` of the board on
      one sentence. A `PositionError` or `LookupError` it raises fails the
      goal with the error's message.
    - validate(params, level) -> list of messages, one per problem, each
      naming the field ("target: token 'trophee' is not in the sentence");
      `level` is a `LevelView`. `level.position_problem(ref)` says why a
      goal's position reference fails in some sentence (None when it works
      in all of them).
    - target(params, evaluation, head) -> (target (n_q, n_k), row_weight (n_q,))
      or None: the attention pattern that would meet the goal in one head
      (`head` is one of `evaluation.heads`), for the "train this head"
      solver. Goals about outputs, tiles or compute have none.
    """

    name: str
    title: str
    description: str
    check: GoalCheck
    validate: GoalValidate | None = None
    target: GoalTarget | None = None


@dataclass(frozen=True)
class Concept:
    """A chapter of the campaign that levels name in their `concept` field.

    `id` is what a level file writes (`concept = "qkv"`); `title` is the
    chapter name the level list and the play screen show; `order` places the
    chapter among the others (lower first; the built-in campaign uses 10, 20,
    … 130, so a pack can slot a chapter between two of them).
    """

    id: str
    title: str
    order: float
    description: str = ""


@dataclass(frozen=True)
class AttentionBackend:
    """An extra attention backend: `run(inputs) -> (*lead, n_q, d_v)` array.

    `inputs` is a validated `AttentionInputs`; `usable()` says whether it can
    run on this machine right now (a GPU present, a library importable).
    """

    name: str
    title: str
    run: Callable[[AttentionInputs], np.ndarray]
    usable: Callable[[], bool] = field(default=lambda: True)


@dataclass(frozen=True)
class TaskExample:
    """One input of a task and its answers: one answer per token, None where not scored.

    `answers[i]` is the readout label the board should read at token i (a
    level's `[readout]` names the labels); None leaves that token unscored
    (the start token, a position with no answer yet).
    """

    tokens: tuple[str, ...]
    answers: tuple[str | None, ...]


@dataclass(frozen=True)
class Task:
    """A task a circuits level scores the board on, over inputs the player never saw.

    - generate(rng, *, length, **settings) -> TaskExample: one random input of
      `length` tokens and its answers. `rng` is a `numpy.random.Generator`
      seeded by the level, so the same seed gives the same inputs; `settings`
      are the task's `settings` (defaults) overridden by the level's `[task]`
      keys (`symbols = ["a", "b", "c"]`). Everything it returns is checked
      (lengths, tokens in the level's vocabulary, answers among the readout's
      labels) and a bad answer is reported with the plugin's file and line.
    - `settings` are the keywords `generate` accepts beyond `length`, with
      their defaults; a level key that is not one of them is an error.
    """

    name: str
    title: str
    description: str
    generate: Callable[..., TaskExample]
    settings: Mapping[str, Any] = field(default_factory=dict)
    reference: str = ""  # where the task comes from (RASP, a paper), for the explanation


@dataclass(frozen=True)
class MapFunction:
    """A fixed per-token function a level may put between layers: the game's MLP block.

    - fn(values (b, n)) -> (b, n): one feature of the residual stream at every
      token of a batch in, the value to add to another feature out. It must act
      on each number alone (a per-token map, as an MLP acts on each position);
      its result is checked for shape and finiteness, and a failure is
      reported with the plugin's file and line. Padded tokens hold 0.
    A level names it in a `[[maps]]` table (`fn = "square"`, docs/levels.md).
    """

    name: str
    title: str
    description: str
    fn: Callable[[np.ndarray], np.ndarray]


class Catalog(Protocol):
    """What is installed: name → object mappings for everything a level file names.

    The core knows no scheme by name (DESIGN §3); it is handed a catalog. The
    plugin registry (`game.plugins`) is one by duck typing; tests and tools
    build a `StaticCatalog`.

    `concepts` maps concept ids to the registered `Concept`s in campaign order
    (by `order`, then id). An empty `concepts` means "no chapters declared":
    any concept id is accepted and such levels sort after every registered
    chapter, by concept id. A catalog with concepts accepts only those.
    """

    @property
    def positional(self) -> Mapping[str, PositionalScheme]: ...

    @property
    def architectures(self) -> Mapping[str, Architecture]: ...

    @property
    def goal_types(self) -> Mapping[str, GoalType]: ...

    @property
    def concepts(self) -> Mapping[str, Concept]: ...

    @property
    def patterns(self) -> Mapping[str, AttentionPattern]: ...

    # `tasks` (name → Task) and `maps` (name → MapFunction) are optional: a catalog
    # without them has none installed.


@dataclass(frozen=True)
class StaticCatalog:
    """A fixed catalog; `from_items` keys each object by its `name` (a concept by its `id`).

    Built without concepts (as most tests build it), it accepts any concept id
    (see `Catalog`); `from_items` sorts the concepts it is given by order, then id.
    """

    positional: Mapping[str, PositionalScheme] = field(default_factory=dict)
    architectures: Mapping[str, Architecture] = field(default_factory=dict)
    goal_types: Mapping[str, GoalType] = field(default_factory=dict)
    concepts: Mapping[str, Concept] = field(default_factory=dict)
    patterns: Mapping[str, AttentionPattern] = field(default_factory=dict)
    tasks: Mapping[str, Task] = field(default_factory=dict)
    maps: Mapping[str, MapFunction] = field(default_factory=dict)

    @classmethod
    def from_items(
        cls,
        positional: tuple[PositionalScheme, ...] | list[PositionalScheme] = (),
        architectures: tuple[Architecture, ...] | list[Architecture] = (),
        goal_types: tuple[GoalType, ...] | list[GoalType] = (),
        concepts: tuple[Concept, ...] | list[Concept] = (),
        patterns: tuple[AttentionPattern, ...] | list[AttentionPattern] = (),
        tasks: tuple[Task, ...] | list[Task] = (),
        maps: tuple[MapFunction, ...] | list[MapFunction] = (),
    ) -> StaticCatalog:
        return cls(
            positional={p.name: p for p in positional},
            architectures={a.name: a for a in architectures},
            goal_types={g.name: g for g in goal_types},
            concepts={c.id: c for c in sorted(concepts, key=lambda c: (c.order, c.id))},
            patterns={p.name: p for p in patterns},
            tasks={t.name: t for t in tasks},
            maps={m.name: m for m in maps},
        )


__all__ = [
    "PLUGIN_API",
    "PROJECT_NAME",
    "Architecture",
    "AttentionBackend",
    "AttentionBlock",
    "AttentionInputs",
    "AttentionPattern",
    "Catalog",
    "Concept",
    "EvaluationView",
    "GoalCheck",
    "GoalResult",
    "GoalTarget",
    "GoalType",
    "GoalValidate",
    "HBMTraffic",
    "HeadView",
    "KnobView",
    "LevelView",
    "MapFunction",
    "Parameter",
    "Position",
    "PositionError",
    "PositionalScheme",
    "SentenceView",
    "StaticCatalog",
    "Task",
    "TaskExample",
    "TaskFailure",
    "TaskScore",
    "hookimpl",
]
