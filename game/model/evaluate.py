"""Run the board: embeddings → W_Q, W_K, W_V → `game.attention` → W_O → goals.

Every number the board draws comes from here, and every attention weight
from `game.attention.attention_weights` (the head outputs from
`game.attention.attention`), so the game shows the real computation:

    x      = vocab features (+ the scheme's embed)               (n, d_model)
    q, k   = x·W_Q, x·W_K (then the scheme's rotate)             (n, d_k)
    logits = (q·kᵀ · s + bias) / T,  s = 1/√d_k or 1             (n_q, n_k)
    head   = softmax(logits, mask) · x·W_V                       (n_q, d_model)
    out    = concat(heads) · W_O = Σ mix_h · head_h              (n_q, d_model)

Temperature T divides the whole logit, so the attention call gets scale s/T,
bias/T and ALiBi slopes/T. Several sentences evaluate as one padded batch
with `game.attention.padding_mask`, and give the same numbers as one by one.
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from game.api import AttentionBlock, Catalog, GoalResult
from game.attention import (
    alibi_bias,
    attention,
    attention_weights,
    causal_mask,
    padding_mask,
)
from game.levels.positions import Position, PositionError, main_sequence, resolve
from game.levels.schema import Level, Sentence
from game.model import matrices
from game.model.spec import BoardState
from game.model.views import evaluation_view

STEP_NAMES = ("Q", "K", "QKᵀ", "scaled", "bias", "masked", "softmax", "·V", "concat", "W_O")


@dataclass(frozen=True, eq=False)
class Inspection:
    """The math inspector's numbers for one cell (query i, key j) of one head."""

    head: int
    i: int
    j: int
    qk: float  # raw q_i · k_j
    scale: float  # 1/√d_k, or 1 with the scale off
    scaled: float  # qk · scale
    bias: float  # the positional scheme's bias (ALiBi included)
    temperature: float
    logit: float  # (scaled + bias) / temperature
    mask: bool  # True: query i may attend to key j
    row_max: float  # the largest allowed logit in row i (subtracted before exp)
    exp: float  # exp(logit − row_max); 0 where masked
    row_sum: float  # Σ_j exp over the row
    weight: float  # exp / row_sum


@dataclass(frozen=True, eq=False)
class Steps:
    """One head's computation as step mode plays it, in STEP_NAMES order."""

    q: np.ndarray  # (n_q, d_k)
    k: np.ndarray  # (n_k, d_k)
    qk: np.ndarray  # (n_q, n_k) raw q·kᵀ
    scaled: np.ndarray  # (n_q, n_k) q·kᵀ · scale
    bias: np.ndarray  # (n_q, n_k) after the temperature: (scaled + bias) / T
    masked: np.ndarray  # (n_q, n_k) logits, −inf where masked
    softmax: np.ndarray  # (n_q, n_k) the attention weights
    weighted: np.ndarray  # (n_q, d_model) softmax · V, this head's output
    concat: np.ndarray  # (n_q, h_s·d_model) the heads sharing these queries, side by side
    w_o: np.ndarray  # (h_s·d_model, d_model) their rows of W_O
    output: np.ndarray  # (n_q, d_model) concat · W_O
    v: np.ndarray  # (n_k, d_model)

    def arrays(self) -> list[tuple[str, np.ndarray]]:
        """(name, array) pairs in the order step mode shows them."""
        values = (self.q, self.k, self.qk, self.scaled, self.bias, self.masked, self.softmax,
                  self.weighted, self.concat, self.w_o)  # fmt: skip
        return list(zip(STEP_NAMES, values, strict=True))


@dataclass(frozen=True, eq=False)
class HeadEvaluation:
    """One head on one sentence: its q, k, v and the attention it pays."""

    index: int
    block: AttentionBlock
    query_sequence: str
    key_sequence: str
    q: np.ndarray  # (n_q, d_k), rotated when the scheme rotates
    k: np.ndarray  # (n_k, d_k)
    v: np.ndarray  # (n_k, d_model)
    qk: np.ndarray  # (n_q, n_k) raw q·kᵀ
    bias: np.ndarray  # (n_q, n_k) positional bias, ALiBi included, before the temperature
    allowed: np.ndarray  # (n_q, n_k) bool, True where attention may go
    weights: np.ndarray  # (n_q, n_k) from game.attention.attention_weights
    out: np.ndarray  # (n_q, d_model) from game.attention.attention
    scale: float  # 1/√d_k, or 1 with the scale off
    temperature: float

    @property
    def logits(self) -> np.ndarray:
        return (self.qk * self.scale + self.bias) / self.temperature  # (n_q, n_k)


@dataclass(frozen=True, eq=False)
class Evaluation:
    """The board on one sentence: tokens, embeddings, heads, outputs and goal results."""

    level: Level
    state: BoardState
    sentence_index: int
    features: tuple[str, ...]
    tokens: Mapping[str, tuple[str, ...]]  # sequence name -> its words
    x: Mapping[str, np.ndarray]  # sequence name -> (n, d_model), positional embed added
    w_q: np.ndarray  # (h, d_model, d_k)
    w_k: np.ndarray  # (h, d_model, d_k)
    w_v: np.ndarray  # (h, d_model, d_model)
    w_o: np.ndarray  # (h·d_model, d_model)
    heads: tuple[HeadEvaluation, ...]
    outputs: Mapping[str, np.ndarray]  # query sequence -> (n, d_model): concat(heads)·W_O
    main_sequence: str  # "tokens", or "target" in encoder–decoder levels
    goal_results: tuple[GoalResult, ...] = ()

    @property
    def sentence(self) -> Sentence:
        return self.level.sentences[self.sentence_index]

    @property
    def held_out(self) -> bool:
        """True for the sentences the player never sees (all but the first)."""
        return self.sentence_index > 0

    @property
    def goals_met(self) -> bool:
        return all(result.met for result in self.goal_results)

    def locate(self, ref: object, sequence: str | None = None) -> Position:
        """Where a goal reference ("@role", word, index) points; raises PositionError."""
        return resolve(self.sentence, ref, sequence)

    def resolve(self, ref: object, sequence: str | None = None) -> int:
        """The 0-based index `ref` points to (in `sequence`, default the main one)."""
        position = self.locate(ref, sequence)
        if sequence is not None and position.sequence != sequence:
            raise PositionError(f"{ref!r} is in the {position.sequence}, not the {sequence}")
        return position.index

    def head(self, head: int) -> HeadEvaluation:
        if isinstance(head, bool) or not isinstance(head, int) or not 0 <= head < len(self.heads):
            raise IndexError(f"there is no head {head!r}; heads are 0..{len(self.heads) - 1}")
        return self.heads[head]

    def output_vector(self, position: object, sequence: str | None = None) -> np.ndarray:
        """(d_model,) the final output at a position of `sequence` (default: main)."""
        sequence = sequence or self.main_sequence
        return self.outputs[sequence][self.resolve(position, sequence)]  # (d_model,)

    def output(self, position: object, feature: str, sequence: str | None = None) -> float:
        """How much of `feature` the output at `position` carries."""
        if feature not in self.features:
            raise KeyError(f'"{feature}" is not a feature of this level')
        return float(self.output_vector(position, sequence)[self.features.index(feature)])

    def cell(self, head: int, i: object, j: object) -> tuple[HeadEvaluation, int, int]:
        """The head and the (query, key) indices that `i` and `j` point to."""
        evaluation = self.head(head)
        return (
            evaluation,
            self.resolve(i, evaluation.query_sequence),
            self.resolve(j, evaluation.key_sequence),
        )

    def weight(self, head: int, i: object, j: object) -> float:
        """The attention weight query i puts on key j in `head`."""
        evaluation, i, j = self.cell(head, i, j)
        return float(evaluation.weights[i, j])

    def inspect(self, head: int, i: object, j: object) -> Inspection:
        """Every number between q·k and the weight for one cell, for the math inspector."""
        evaluation, i, j = self.cell(head, i, j)
        logits = evaluation.logits[i]  # (n_k,)
        allowed = evaluation.allowed[i]  # (n_k,)
        row_max = float(logits[allowed].max()) if allowed.any() else 0.0
        exps = np.where(allowed, np.exp(np.where(allowed, logits - row_max, 0.0)), 0.0)  # (n_k,)
        row_sum = float(exps.sum())
        return Inspection(
            head=head,
            i=i,
            j=j,
            qk=float(evaluation.qk[i, j]),
            scale=evaluation.scale,
            scaled=float(evaluation.qk[i, j] * evaluation.scale),
            bias=float(evaluation.bias[i, j]),
            temperature=evaluation.temperature,
            logit=float(logits[j]),
            mask=bool(allowed[j]),
            row_max=row_max,
            exp=float(exps[j]),
            row_sum=row_sum,
            weight=float(exps[j] / row_sum) if row_sum > 0 else 0.0,
        )

    def steps(self, head: int) -> Steps:
        """The arrays of step mode for `head` (Q, K, QKᵀ, scaled, … W_O)."""
        evaluation = self.head(head)
        d = len(self.features)
        same = [h for h in self.heads if h.query_sequence == evaluation.query_sequence]
        concat = np.concatenate([h.out for h in same], axis=-1)  # (n_q, h_s·d_model)
        w_o = np.concatenate([self.w_o[h.index * d : (h.index + 1) * d] for h in same])
        logits = evaluation.logits  # (n_q, n_k)
        return Steps(
            q=evaluation.q,
            k=evaluation.k,
            v=evaluation.v,
            qk=evaluation.qk,
            scaled=evaluation.qk * evaluation.scale,  # (n_q, n_k)
            bias=logits,
            masked=np.where(evaluation.allowed, logits, -np.inf),  # (n_q, n_k)
            softmax=evaluation.weights,
            weighted=evaluation.out,
            concat=concat,
            w_o=w_o,  # (h_s·d_model, d_model)
            output=self.outputs[evaluation.query_sequence],
        )

    def knob(self, name: str) -> float:
        """The value the player set on one of the level's knobs."""
        return self.state.settings.knob(name)

    def word_vector(self, word: str) -> np.ndarray:
        """(d_model,) a vocabulary word's features, without position (for generation goals)."""
        return _word_vector(self.level, word)


def _word_vector(level: Level, word: str) -> np.ndarray:
    table = level.vocab[word]
    return np.array([float(table.get(f, 0.0)) for f in level.features])  # (d_model,)


def _pad(array: np.ndarray, shape: tuple[int, int], fill: object) -> np.ndarray:
    """Put a (a, b) array in the top-left of a `shape` array filled with `fill`."""
    out = np.full(shape, fill, dtype=array.dtype)  # shape
    out[: array.shape[0], : array.shape[1]] = array
    return out


def _check_goals(level: Level, catalog: Catalog, evaluation: Evaluation) -> Evaluation:
    """`evaluation` with its goal results: each goal type checks a read-only view of it."""
    results = []
    view = evaluation_view(evaluation)
    for goal in level.goals:
        goal_type = catalog.goal_types.get(goal.type)
        if goal_type is None:
            results.append(GoalResult(False, 0.0, f'goal type "{goal.type}" is not installed'))
            continue
        try:
            results.append(goal_type.check(goal.params, view))
        except (PositionError, LookupError) as error:
            results.append(GoalResult(False, 0.0, str(error)))
    return dataclasses.replace(evaluation, goal_results=tuple(results))


def evaluate_sentences(
    level: Level,
    catalog: Catalog,
    state: BoardState,
    indices: Sequence[int],
    *,
    backend: object = "reference",
) -> list[Evaluation]:
    """Evaluate `state` on the sentences `indices`: one batch, padded when more than one.

    The weights always come from the float64 reference (they are the numbers the
    inspector explains); the head outputs come from `backend` — the player's
    choice in the settings — which agrees with the reference to 1e-12 in float64.
    """
    arch = catalog.architectures[level.architecture]
    settings = state.settings
    scheme = catalog.positional[settings.positional]
    kw = dict(level.positional_settings.get(scheme.name, {}))  # the level's own settings
    if scheme.parameters and settings.parameter is not None:
        kw[scheme.parameters[0].name] = settings.parameter
    features = tuple(level.features)
    d, d_k, n_heads = len(features), level.head_dim, len(state.heads)
    sentences = [level.sentences[i] for i in indices]
    b = len(sentences)
    padded = b > 1

    words = {seq: [s.sequences()[seq] for s in sentences] for seq in arch.sequences}
    lengths = {seq: np.array([len(w) for w in ws]) for seq, ws in words.items()}  # (b,)
    n = {seq: int(lengths[seq].max()) for seq in arch.sequences}
    x = {}
    for seq in arch.sequences:
        xs = np.zeros((b, n[seq], d))  # (b, n, d_model)
        for s, ws in enumerate(words[seq]):
            for t, word in enumerate(ws):
                xs[s, t] = _word_vector(level, word)  # (d_model,)
        if scheme.embed is not None:
            # Into the level's positional features when it names them, else into all of them.
            cols = [features.index(f) for f in level.positional_features or features]
            pe = np.asarray(scheme.embed(np.arange(n[seq]), len(cols), **kw))  # (n, d_pos)
            xs[..., cols] += pe[None]  # (b, n, d_pos)
        x[seq] = xs

    w_q = np.stack([matrices.w_q(head, features, d_k) for head in state.heads])  # (h, d, d_k)
    w_k = np.stack([matrices.w_k(features, d_k)] * n_heads)  # (h, d_model, d_k)
    w_v = np.stack([matrices.w_v(head, features) for head in state.heads])  # (h, d, d)
    w_o = matrices.w_o(state.heads, d)  # (h·d_model, d_model)
    slopes = None
    if scheme.slopes is not None:
        slopes = np.asarray(scheme.slopes(n_heads, **kw), dtype=np.float64)  # (h,)
    blocks = {block.name: block for block in arch.blocks}
    scale = 1.0 / math.sqrt(d_k) if settings.scale else 1.0
    t = settings.temperature

    head_arrays = []
    for h, head in enumerate(state.heads):
        if head.block not in blocks:
            raise ValueError(f'head {h} is in block "{head.block}", which {arch.name} lacks')
        block = blocks[head.block]
        qs, ks = block.queries, block.keys
        nq, nk = n[qs], n[ks]
        pos_q, pos_k = np.arange(nq), np.arange(nk)  # (n_q,), (n_k,)
        q = x[qs] @ w_q[h]  # (b, n_q, d_k)
        k = x[ks] @ w_k[h]  # (b, n_k, d_k)
        if scheme.rotate is not None:
            q = np.asarray(scheme.rotate(q, pos_q, **kw))  # (b, n_q, d_k)
            k = np.asarray(scheme.rotate(k, pos_k, **kw))  # (b, n_k, d_k)
        v = x[ks] @ w_v[h]  # (b, n_k, d_model)
        bias = np.zeros((b, nq, nk))  # (b, n_q, n_k)
        if scheme.bias is not None:
            bias = bias + np.asarray(scheme.bias(pos_q, pos_k, n_heads, **kw))[h]  # (b, nq, nk)
        # Sentences in a self block share their query/key alignment even when padded;
        # cross blocks of different lengths do not, so their ALiBi and causal rule are
        # built per sentence instead of passed as slopes and `causal`.
        shared = not padded or qs == ks
        mask = padding_mask(lengths[ks], nk)[:, 0] if padded else None  # (b, 1, n_k)
        causal = block.causal
        alibi = None
        sizes = [(int(lengths[qs][s]), int(lengths[ks][s])) for s in range(b)]
        extras = [  # ALiBi per sentence, aligned to its own lengths, as the inspector shows it
            alibi_bias(slopes[h], lq, lk) if slopes is not None else np.zeros((lq, lk))
            for lq, lk in sizes
        ]  # b × (lq, lk)
        shown_bias = [bias[s, :lq, :lk] + extras[s] for s, (lq, lk) in enumerate(sizes)]
        if slopes is not None and shared:
            alibi = np.full(b, slopes[h] / t)  # (b,) one slope per batch row
        elif slopes is not None:
            bias = bias + np.stack([_pad(e, (nq, nk), 0.0) for e in extras])  # (b, n_q, n_k)
        if causal and not shared:
            per_sentence = np.stack(
                [_pad(causal_mask(lq, lk), (nq, nk), False) for lq, lk in sizes]
            )  # (b, n_q, n_k)
            mask = per_sentence if mask is None else mask & per_sentence
            causal = False
        args = {"causal": causal, "scale": scale / t, "bias": bias / t, "alibi_slopes": alibi,
                "mask": mask}  # fmt: skip
        weights = attention_weights(q, k, **args)  # (b, n_q, n_k)
        out = attention(q, k, v, backend=backend, **args)  # (b, n_q, d_model)
        qk = q @ np.swapaxes(k, -1, -2)  # (b, n_q, n_k)
        head_arrays.append((block, q, k, v, qk, shown_bias, weights, out))

    outputs = {}
    for seq in arch.sequences:
        members = [h for h, head in enumerate(state.heads) if blocks[head.block].queries == seq]
        if not members:
            outputs[seq] = np.zeros((b, n[seq], d))  # (b, n, d_model)
            continue
        concat = np.concatenate([head_arrays[h][7] for h in members], axis=-1)  # (b, n, h_s·d)
        rows = np.concatenate([w_o[h * d : (h + 1) * d] for h in members])  # (h_s·d, d)
        outputs[seq] = concat @ rows  # (b, n, d_model)

    evaluations = []
    for s, index in enumerate(indices):
        size = {seq: int(lengths[seq][s]) for seq in arch.sequences}
        heads = []
        for h, (block, q, k, v, qk, shown_bias, weights, out) in enumerate(head_arrays):
            lq, lk = size[block.queries], size[block.keys]
            allowed = np.ones((lq, lk), dtype=bool)  # (lq, lk)
            if block.causal:
                allowed &= causal_mask(lq, lk)
            allowed &= shown_bias[s] != -np.inf
            heads.append(
                HeadEvaluation(
                    index=h,
                    block=block,
                    query_sequence=block.queries,
                    key_sequence=block.keys,
                    q=q[s, :lq],  # (lq, d_k)
                    k=k[s, :lk],  # (lk, d_k)
                    v=v[s, :lk],  # (lk, d_model)
                    qk=qk[s, :lq, :lk],  # (lq, lk)
                    bias=shown_bias[s],  # (lq, lk)
                    allowed=allowed,
                    weights=weights[s, :lq, :lk],  # (lq, lk)
                    out=out[s, :lq],  # (lq, d_model)
                    scale=scale,
                    temperature=t,
                )
            )
        evaluation = Evaluation(
            level=level,
            state=state,
            sentence_index=index,
            features=features,
            tokens={seq: tuple(words[seq][s]) for seq in arch.sequences},
            x={seq: x[seq][s, : size[seq]] for seq in arch.sequences},  # (n, d_model)
            w_q=w_q,
            w_k=w_k,
            w_v=w_v,
            w_o=w_o,
            heads=tuple(heads),
            outputs={seq: outputs[seq][s, : size[seq]] for seq in arch.sequences},
            main_sequence=main_sequence(sentences[s]),
        )
        evaluations.append(_check_goals(level, catalog, evaluation))
    return evaluations
