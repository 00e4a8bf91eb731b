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
The steps (embed, each head, combine) are in `game.model.forward`; this module
holds what they produce and cuts the batch into one Evaluation per sentence.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from game.api import AttentionBlock, Catalog, GoalResult
from game.attention import causal_mask, softmax_parts
from game.levels.positions import Position, PositionError, main_sequence, resolve
from game.levels.schema import Level, Sentence
from game.model import forward, maps, residual
from game.model.forward import word_vector as _word_vector
from game.model.spec import BoardState
from game.model.task_score import cached_score
from game.model.views import evaluation_view
from game.plugin_calls import PluginCodeError, call, defined_at
from game.views import TaskScore, checked_head, index_in

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
    weight: float  # exp / row_sum; under linear attention, kernel / kernel_sum
    kernel: float | None = None  # linear attention: φ(q_i)·φ(k_j) (None under softmax)
    kernel_sum: float | None = None  # linear attention: Σ_j φ(q_i)·φ(k_j) over the row
    exact_weight: float | None = None  # linear attention: what softmax would give this cell


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
    stream_in: np.ndarray | None = None  # (n_q, d_model) x^l, the stream this layer reads
    stream_out: np.ndarray | None = None  # (n_q, d_model) x^{l+1} = x^l + output

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
    weights: np.ndarray  # (n_q, n_k) from game.attention.attention_weights (linear: φ(q)·φ(k))
    out: np.ndarray  # (n_q, d_model) from game.attention.attention
    scale: float  # 1/√d_k, or 1 with the scale off
    temperature: float
    exact_weights: np.ndarray | None = None  # (n_q, n_k) softmax, when `weights` are linear
    pattern_mask: np.ndarray | None = None  # (n_q, n_k) the scores a sparse pattern computes
    kernel: np.ndarray | None = None  # (n_q, n_k) linear attention's φ(q)·φ(k), 0 where masked
    layer: int = 0  # 0-based; q, k and v came from the residual stream x^layer

    @property
    def computed_scores(self) -> int:
        """How many of the n_q·n_k scores q_i·k_j this head needs: the allowed cells (a
        sparse pattern's mask, the causal rule and −∞ biases leave the others out)."""
        return int(self.allowed.sum())

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
    layers: int = 1  # L, the stacked layers
    # L+1 × (n, d_model) the main sequence's stream: x⁰, then x^{l+1} = x^l + Σ_{h in l} mix·head
    residual: tuple[np.ndarray, ...] = ()
    written_by: Mapping[str, tuple[int, ...]] = dataclasses.field(default_factory=dict)
    task: TaskScore | None = None  # the board on the level's held-out task inputs

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
        return index_in(self.locate(ref, sequence), ref, sequence)

    def head(self, head: int) -> HeadEvaluation:
        """Head number `head` (0-based); raises IndexError when there is none."""
        return checked_head(self.heads, head)

    def head_write(self, head: int) -> np.ndarray:
        """(n_q, d_model) what `head` adds to the stream of its query sequence: mix · out
        (its share of Σ mix_h · head_h; 17C's residual panel colours features by it)."""
        evaluation = self.head(head)
        return self.state.heads[head].mix * evaluation.out  # (n_q, d_model)

    def head_input(self, head: int, sequence: str) -> np.ndarray:
        """(n, d_model) what `head` reads from `sequence`: x⁰ in layer 0, else the stream
        x^layer (stacked layers have one sequence, the main one)."""
        layer = self.head(head).layer
        return self.x[sequence] if layer == 0 else self.residual[layer]  # (n, d_model)

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
        row_max, exps, row_sum = softmax_parts(logits, allowed)  # (1,), (n_k,), (1,)
        row_max, row_sum = float(row_max[0]), float(row_sum[0])
        linear = {}
        if evaluation.kernel is not None and evaluation.exact_weights is not None:
            linear = {
                "kernel": float(evaluation.kernel[i, j]),
                "kernel_sum": float(evaluation.kernel[i].sum()),
                "exact_weight": float(evaluation.exact_weights[i, j]),
            }
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
            weight=float(evaluation.weights[i, j]) if linear else _softmax_weight(exps[j], row_sum),
            **linear,
        )

    def steps(self, head: int) -> Steps:
        """The arrays of step mode for `head` (Q, K, QKᵀ, scaled, … W_O)."""
        evaluation = self.head(head)
        d = len(self.features)
        same = [
            h
            for h in self.heads
            if h.query_sequence == evaluation.query_sequence and h.layer == evaluation.layer
        ]
        concat = np.concatenate([h.out for h in same], axis=-1)  # (n_q, h_s·d_model)
        w_o = np.concatenate([self.w_o[h.index * d : (h.index + 1) * d] for h in same])
        logits = evaluation.logits  # (n_q, n_k)
        output = self.outputs[evaluation.query_sequence]  # (n_q, d_model), the last layer's
        if evaluation.layer != self.layers - 1:
            output = concat @ w_o  # (n_q, d_model) this layer's Σ mix·head
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
            output=output,
            **self._streams(evaluation),
        )

    def _streams(self, evaluation: HeadEvaluation) -> dict[str, np.ndarray]:
        """Step mode's residual stream around the head's layer (main-sequence heads only)."""
        if evaluation.query_sequence != self.main_sequence or not self.residual:
            return {}
        layer = evaluation.layer
        return {"stream_in": self.residual[layer], "stream_out": self.residual[layer + 1]}

    def knob(self, name: str) -> float:
        """The value the player set on one of the level's knobs."""
        return self.state.settings.knob(name)

    def word_vector(self, word: str) -> np.ndarray:
        """(d_model,) a vocabulary word's features, without position (for generation goals)."""
        return _word_vector(self.level, word)


def _softmax_weight(exp: float, row_sum: float) -> float:
    return float(exp / row_sum) if row_sum > 0 else 0.0


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
            result = call(f'goal type "{goal.type}" check', goal_type.check, goal.params, view)
        except PluginCodeError as error:
            if not isinstance(error.__cause__, PositionError | LookupError):
                raise
            result = GoalResult(False, 0.0, str(error.__cause__))  # the goal names a bad place
        results.append(checked_result(goal.type, goal_type.check, result))
    return dataclasses.replace(evaluation, goal_results=tuple(results))


def checked_result(goal: str, check: object, result: object) -> GoalResult:
    """A goal type's answer held to the contract: a GoalResult with progress a finite 0..1."""
    what = f'goal type "{goal}" check'
    if not isinstance(result, GoalResult):
        problem = f"returned {type(result).__name__}, not a GoalResult"
    elif not isinstance(result.met, bool | np.bool_):
        problem = f"returned met = {result.met!r}, not True or False"
    elif not isinstance(result.progress, int | float | np.number) or not np.isfinite(
        result.progress
    ):
        problem = f"returned progress = {result.progress!r}; it must be a finite number in 0..1"
    else:
        progress = min(1.0, max(0.0, float(result.progress)))
        return dataclasses.replace(result, met=bool(result.met), progress=progress)
    raise PluginCodeError(what, defined_at(check), problem)


def evaluate_sentences(
    level: Level,
    catalog: Catalog,
    state: BoardState,
    indices: Sequence[int],
    *,
    backend: object = "reference",
    with_task: bool = True,
    task_sample: int | None = None,
) -> list[Evaluation]:
    """Evaluate `state` on the sentences `indices`: one batch, padded when more than one.

    The steps of `game.model.forward` (embed, each head, combine with W_O),
    then `_unbatch` into one Evaluation per sentence, goals checked. The
    weights always come from the float64 reference (they are the numbers the
    inspector explains); the head outputs come from `backend` — the player's
    choice in the settings — which agrees with the reference to 1e-12 in
    float64; a plugin backend that fails is replaced by the reference.
    On a task level each Evaluation carries the board's held-out task score
    (`game.model.task_score`, computed once per board state); `with_task=False`
    leaves it out (the scorer's own runs); `task_sample` scores only that many of the
    held-out inputs (the play screen's live score while the player edits).
    """
    arch, weights = residual.setup(level, catalog, state)
    batch = forward.embed(level, arch.sequences, [level.sentences[i] for i in indices], weights)
    blocks = residual.blocks_of(arch, state)
    bound = maps.bind(level, catalog, weights.features)
    run = residual.run_layers(state, level.layers, blocks, batch, weights, backend, bound)
    evaluations = _unbatch(level, state, indices, batch, weights, run)
    if with_task and level.task is not None:  # one score of the board, on every sentence
        task = cached_score(level, catalog, state, task_sample)
        evaluations = [dataclasses.replace(e, task=task) for e in evaluations]
    return [_check_goals(level, catalog, evaluation) for evaluation in evaluations]


def _unbatch(
    level: Level,
    state: BoardState,
    indices: Sequence[int],
    batch: forward.SentenceBatch,
    weights: forward.BoardWeights,
    run: residual.StackRun,
) -> list[Evaluation]:
    """One Evaluation per sentence, every array cut from the padded batch to its own length."""
    evaluations = []
    heads, outputs = run.heads, run.outputs
    writers = residual.written_by(state, weights.features)
    for s, index in enumerate(indices):
        size = {seq: int(lengths[s]) for seq, lengths in batch.lengths.items()}
        main = main_sequence(level.sentences[index])
        evaluations.append(
            Evaluation(
                level=level,
                state=state,
                sentence_index=index,
                features=weights.features,
                tokens={seq: tuple(words[s]) for seq, words in batch.words.items()},
                x={seq: x[s, : size[seq]] for seq, x in batch.x.items()},  # (n, d_model)
                w_q=weights.w_q,
                w_k=weights.w_k,
                w_v=weights.w_v,
                w_o=weights.w_o,
                heads=tuple(
                    _cut_head(h, head, s, size, weights, state.heads[h].layer)
                    for h, head in enumerate(heads)
                ),
                outputs={seq: out[s, : size[seq]] for seq, out in outputs.items()},  # (n, d_model)
                main_sequence=main,
                layers=level.layers,
                residual=tuple(x[s, : size[main]] for x in run.streams[main]),  # (n, d_model)
                written_by=writers,
            )
        )
    return evaluations


def _cut_head(
    h: int,
    head: forward.HeadBatch,
    s: int,
    size: Mapping[str, int],
    weights: forward.BoardWeights,
    layer: int,
) -> HeadEvaluation:
    """Head h on sentence s of the batch, without padding, with where its attention may go."""
    lq, lk = size[head.block.queries], size[head.block.keys]
    allowed = np.ones((lq, lk), dtype=bool)  # (lq, lk)
    if head.block.causal and weights.causal:
        allowed &= causal_mask(lq, lk)
    allowed &= head.shown_bias[s] != -np.inf
    sparse = None if head.pattern_mask is None else head.pattern_mask[:lq, :lk]  # (lq, lk)
    if sparse is not None:
        allowed &= sparse
    return HeadEvaluation(
        index=h,
        block=head.block,
        query_sequence=head.block.queries,
        key_sequence=head.block.keys,
        q=head.q[s, :lq],  # (lq, d_k)
        k=head.k[s, :lk],  # (lk, d_k)
        v=head.v[s, :lk],  # (lk, d_model)
        qk=head.qk[s, :lq, :lk],  # (lq, lk)
        bias=head.shown_bias[s],  # (lq, lk)
        allowed=allowed,
        weights=head.weights[s, :lq, :lk],  # (lq, lk)
        out=head.out[s, :lq],  # (lq, d_model)
        scale=weights.scale,
        temperature=weights.temperature,
        exact_weights=None if head.exact_weights is None else head.exact_weights[s, :lq, :lk],
        kernel=None if head.kernel is None else head.kernel[s, :lq, :lk],
        pattern_mask=sparse,
        layer=layer,
    )
