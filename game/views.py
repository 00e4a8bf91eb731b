"""The read-only views of the core that plugin code is handed (re-exported by `game.api`).

A goal type's `check`, `validate` and `target` never see the board's own
classes: the core builds these views (`game.model.views` from an evaluation,
`game.levels.views` from a level) and hands them over. Every view is a frozen
dataclass; every array on one is a copy with `flags.writeable = False` and
every mapping a `MappingProxyType`, so a plugin cannot change what the board
computed. The comment beside each field is its documentation: the view
reference of `docs/plugins.md` is generated from them (`game.plugin_reference`).
Fields are only ever added, so a plugin written for `PLUGIN_API = 1` keeps
working. Fields whose names start with `_` are the core's wiring, not the API.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

import numpy as np


def read_only(array: object) -> np.ndarray:
    """A float or bool copy of `array` that refuses writes (for the views' builders)."""
    copy = np.array(array, copy=True)
    copy.flags.writeable = False
    return copy


def frozen_mapping(items: Mapping) -> Mapping:
    """A read-only copy of a mapping (for the views' builders)."""
    return MappingProxyType(dict(items))


class PositionError(ValueError):
    """A goal reference ("@role", word, index) that names no token of the sentence."""


@dataclass(frozen=True)
class Position:
    """A token of a sentence: which sequence it is in, and where."""

    sequence: str  # "tokens", or "source" / "target" in encoder–decoder levels
    index: int  # 0-based place in that sequence


def index_in(position: Position, ref: object, sequence: str | None) -> int:
    """`position.index`, once it is in `sequence` (any sequence when None); the one rule the
    core's evaluation and its view share for "where does this goal reference point"."""
    if sequence is not None and position.sequence != sequence:
        raise PositionError(f"{ref!r} is in the {position.sequence}, not the {sequence}")
    return position.index


def checked_head(heads: tuple, head: object):
    """`heads[head]` for a head number; IndexError naming the range for anything else."""
    if isinstance(head, bool) or not isinstance(head, int) or not 0 <= head < len(heads):
        raise IndexError(f"there is no head {head!r}; heads are 0..{len(heads) - 1}")
    return heads[head]


@dataclass(frozen=True)
class HBMTraffic:
    """What one tiled attention schedule moves to and from HBM (Dao et al. 2022), in elements."""

    reads: int  # elements read from HBM
    writes: int  # elements written to HBM
    fits: bool  # the blocks fit in the SRAM size asked about
    sram_needed: int  # elements of SRAM one tiled step holds

    @property
    def total(self) -> int:
        """reads + writes."""
        return self.reads + self.writes


@dataclass(frozen=True)
class KnobView:
    """A slider a level gives the player (block sizes, a compute budget's split)."""

    name: str  # what goals and `EvaluationView.knob` call it
    title: str  # the slider's label
    low: float  # the smallest value
    high: float  # the largest value
    default: float  # the value a board starts with
    log: bool  # the slider moves in powers (for sizes spanning decades)
    integer: bool  # only whole numbers
    unit: str = ""  # shown after the slider's value ("rows", "tokens")
    after_goals: bool = False  # shown only once the goals are met (a held-out question)


@dataclass(frozen=True, eq=False)
class SentenceView:
    """One sentence of a level, as its file gives it."""

    index: int  # 0: the sentence the player sees; 1 and up: held out
    sequences: Mapping[str, tuple[str, ...]]  # sequence name → its words, in order
    main_sequence: str  # the sequence a bare word or index means: "tokens", or "target"
    alignment: tuple[tuple[int, int], ...] | None  # (target, source) index pairs, or None
    _locate: Callable[[object, str | None], Position] = field(repr=False)

    @property
    def held_out(self) -> bool:
        """True for the sentences the player never sees while building (index 1 and up)."""
        return self.index > 0

    def locate(self, ref: object, sequence: str | None = None) -> Position:
        """Where a goal reference ("@role", a word, a 0-based index) points; `sequence`
        picks where words and indices look. Raises PositionError."""
        return self._locate(ref, sequence)


@dataclass(frozen=True, eq=False)
class LevelView:
    """A level as its file declares it: what a goal type's `validate` checks a goal against."""

    id: str  # the level's id
    title: str  # shown on the level card
    concept: str  # the campaign chapter it belongs to
    architecture: str  # the registered architecture's name
    positional: tuple[str, ...]  # the positional schemes the player may pick; first is the start
    features: tuple[str, ...]  # the named axes of d_model, in order
    heads: int  # how many heads each layer has
    d_k: int  # the query and key width of each head
    vocab: Mapping[str, Mapping[str, float]]  # word → feature → value (a missing feature is 0)
    sentences: tuple[SentenceView, ...]  # every sentence, the visible one first
    knobs: tuple[KnobView, ...]  # the level's sliders
    _position_problem: Callable[[object, str | None], str | None] = field(repr=False)
    layers: int = 1  # stacked layers; the board has layers · heads heads, layer by layer
    task: str | None = None  # the registered task the level is scored on ([task] name), or None

    def knob(self, name: str) -> KnobView | None:
        """The knob called `name`, or None when the level has none."""
        return next((knob for knob in self.knobs if knob.name == name), None)

    def word_vector(self, word: str) -> np.ndarray:
        """(d_model,) a vocabulary word's features, without position. Raises KeyError."""
        table = self.vocab[word]
        return read_only([float(table.get(f, 0.0)) for f in self.features])  # (d_model,)

    def position_problem(self, ref: object, sequence: str | None = None) -> str | None:
        """Why goal reference `ref` fails in some sentence, held-out ones included, or None."""
        return self._position_problem(ref, sequence)


@dataclass(frozen=True, eq=False)
class HeadView:
    """One head on one sentence: what it computed, as the board draws it."""

    index: int  # 0-based head number (the player's "head 1" is 0)
    block: str  # the architecture's attention block it is in ("self", "cross", …)
    query_sequence: str  # the sequence its queries come from
    key_sequence: str  # the sequence its keys and values come from
    causal: bool  # its block hides later keys from each query
    q: np.ndarray  # (n_q, d_k) queries, rotated when the scheme rotates
    k: np.ndarray  # (n_k, d_k) keys
    v: np.ndarray  # (n_k, d_model) values
    logits: np.ndarray  # (n_q, n_k) (q·kᵀ·scale + bias) / temperature, before the mask
    allowed: np.ndarray  # (n_q, n_k) bool: True where attention may go
    weights: np.ndarray  # (n_q, n_k) attention weights; a row with an allowed key sums to 1
    out: np.ndarray  # (n_q, d_model) this head's output, weights · v, before W_O
    exact_weights: np.ndarray | None = None  # (n_q, n_k) exact softmax beside linear `weights`
    computed_scores: int = 0  # of the n_q·n_k scores q·k, how many it needs: its allowed cells
    layer: int = 0  # 0-based layer; q, k and v come from the residual stream x^layer
    name: str = ""  # what the screen calls it: "head 2", or "L2·H1" on stacked levels

    @property
    def label(self) -> str:
        """`name`, or "head N" from `index` for a view built without one (for messages)."""
        return self.name or f"head {self.index + 1}"


@dataclass(frozen=True)
class TaskFailure:
    """One held-out token the board read wrong (for "show failing examples")."""

    tokens: tuple[str, ...]  # the whole input
    position: int  # 0-based token index
    expected: str  # the task's answer
    got: str  # what the readout read


@dataclass(frozen=True)
class TaskScore:
    """The board on a task level's held-out inputs: exact-match accuracy of the readout."""

    accuracy: float  # per position: right / scored tokens over every held-out input, 0..1
    examples: int  # held-out inputs scored
    positions: int  # scored tokens (answers that are not None) over all of them
    correct: int  # of those, read right
    sequences: float  # share of inputs with every scored token right, 0..1
    failures: tuple[TaskFailure, ...]  # the first wrong tokens, in input order
    problem: str = ""  # why the inputs could not be drawn (a task plugin's bug), else ""
    sample_of: int = 0  # a live sample while editing: the full held-out count; 0: the full set

    @property
    def is_sample(self) -> bool:
        """True while editing: scored on the first `examples` of `sample_of` held-out inputs."""
        return self.sample_of > self.examples

    @property
    def unit(self) -> str:
        """How `accuracy` is counted, for the screen: "per position"."""
        return "per position"


@dataclass(frozen=True, eq=False)
class EvaluationView:
    """The board on one sentence: what a goal type's `check` and `target` read.

    With stacked layers, `residual[0]` is the embedding x and `residual[l + 1]` the stream
    after layer l (x^{l+1} = x^l + Σ_{h in l} mix_h · head_h); `written_by[feature]` lists
    the global indices of the heads whose value routes write into that feature (a route
    key → out writes `out`), in head order.
    """

    level: LevelView  # the level being played
    sentence: SentenceView  # the sentence evaluated
    features: tuple[str, ...]  # the named axes of d_model, in order
    tokens: Mapping[str, tuple[str, ...]]  # sequence name → its words
    main_sequence: str  # the sequence a bare word or index means: "tokens", or "target"
    heads: tuple[HeadView, ...]  # every head, in index order
    x: Mapping[str, np.ndarray]  # sequence name → (n, d_model) inputs, positions added
    outputs: Mapping[str, np.ndarray]  # query sequence → (n, d_model) concat(heads) · W_O
    knobs: Mapping[str, float]  # knob name → the value the player set
    _hbm_traffic: Callable[..., HBMTraffic] = field(repr=False)
    layers: int = 1  # L, the stacked layers; `outputs` is the last layer's Σ mix·head
    residual: tuple[np.ndarray, ...] = ()  # L+1 × (n, d_model) main sequence: x, each layer's x
    written_by: Mapping[str, tuple[int, ...]] = field(default_factory=dict)  # feature → its heads
    task: TaskScore | None = None  # the held-out task score of the whole board; None: no task

    @property
    def held_out(self) -> bool:
        """True on the sentences the player never sees while building."""
        return self.sentence.held_out

    def locate(self, ref: object, sequence: str | None = None) -> Position:
        """Where a goal reference ("@role", word, index) points; raises PositionError."""
        return self.sentence.locate(ref, sequence)

    def resolve(self, ref: object, sequence: str | None = None) -> int:
        """The 0-based index `ref` points to in `sequence` (default: the main one)."""
        return index_in(self.locate(ref, sequence), ref, sequence)

    def head(self, head: int) -> HeadView:
        """Head number `head` (0-based); raises IndexError when there is none."""
        return checked_head(self.heads, head)

    def weight(self, head: int, i: object, j: object) -> float:
        """The attention weight query reference `i` puts on key reference `j` in `head`."""
        view = self.head(head)
        query = self.resolve(i, view.query_sequence)
        key = self.resolve(j, view.key_sequence)
        return float(view.weights[query, key])

    def output_vector(self, position: object, sequence: str | None = None) -> np.ndarray:
        """(d_model,) the final output at a position of `sequence` (default: the main one)."""
        sequence = sequence or self.main_sequence
        return self.outputs[sequence][self.resolve(position, sequence)]  # (d_model,)

    def output(self, position: object, feature: str, sequence: str | None = None) -> float:
        """How much of `feature` the output at `position` carries; KeyError for no such feature."""
        if feature not in self.features:
            raise KeyError(f'"{feature}" is not a feature of this level')
        return float(self.output_vector(position, sequence)[self.features.index(feature)])

    def knob(self, name: str) -> float:
        """The value the player set on one of the level's knobs; KeyError for no such knob."""
        if name not in self.knobs:
            raise KeyError(f'there is no knob "{name}"')
        return self.knobs[name]

    def word_vector(self, word: str) -> np.ndarray:
        """(d_model,) a vocabulary word's features, without position (for generation goals)."""
        return self.level.word_vector(word)

    def hbm_traffic(self, *, n: int, d: int, sram: int, block_q: int, block_k: int) -> HBMTraffic:
        """HBM reads and writes of tiled attention at size n×d with these blocks, in an SRAM
        of `sram` elements, as the FlashAttention level's IO simulator counts them."""
        return self._hbm_traffic(n=n, d=d, sram=sram, block_q=block_q, block_k=block_k)


VIEWS = (
    EvaluationView, HeadView, LevelView, SentenceView, KnobView, Position, HBMTraffic, TaskScore,
    TaskFailure,
)  # fmt: skip
