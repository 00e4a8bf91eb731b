"""The board's forward pass on a batch of sentences: embed, each head, combine with W_O.

`game.model.evaluate.evaluate_sentences` runs these steps and cuts the
results back into one `Evaluation` per sentence:

    x      = vocab features (+ the scheme's embed)          `embed`       (b, n, d_model)
    q, k   = x·W_Q, x·W_K (then the scheme's rotate)         `run_head`    (b, n, d_k)
    head   = softmax((q·kᵀ·s + bias) / T, mask) · x·W_V      `run_head`    (b, n_q, d_model)
    out    = concat(heads) · W_O = Σ mix_h · head_h          `combine`     (b, n_q, d_model)

Several sentences run as one batch, each sequence padded to its longest
sentence and masked with `game.attention.padding_mask`; they give the same
numbers as one by one. Every weight comes from `attention_weights` (the
float64 reference) and every head output from `attention` with the player's
backend, so the board shows the real computation.
"""

from __future__ import annotations

import functools
import logging
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from game.api import AttentionBlock, AttentionPattern, PositionalScheme
from game.attention import (
    BackendFailure,
    alibi_bias,
    attention,
    attention_weights,
    causal_mask,
    padding_mask,
)
from game.levels.schema import Level, Sentence
from game.model import matrices, patterns
from game.model.spec import BoardState
from game.plugin_calls import call_for_array

logger = logging.getLogger("switchyard.model")


@dataclass(frozen=True, eq=False)
class BoardWeights:
    """What every head shares: the positional scheme and its settings, W_Q…W_O, scale, T."""

    scheme: PositionalScheme
    kw: Mapping[str, object]  # the scheme's keywords: the level's settings, the player's parameter
    features: tuple[str, ...]  # the d_model named axes
    w_q: np.ndarray  # (h, d_model, d_k)
    w_k: np.ndarray  # (h, d_model, d_k)
    w_v: np.ndarray  # (h, d_model, d_model)
    w_o: np.ndarray  # (h·d_model, d_model)
    slopes: np.ndarray | None  # (h,) ALiBi slopes before the temperature, when the scheme has them
    scale: float  # 1/√d_k, or 1 with the scale off
    temperature: float  # T divides the whole logit
    pattern: AttentionPattern | None = None  # the level's sparsity mask or linear attention
    pattern_kw: Mapping[str, object] | None = None  # the level's pattern_settings
    causal: bool = True  # False: the player lifted the causal mask (Settings.causal)
    heads_per_layer: int = 0  # H: slopes and scheme biases repeat in every layer
    rotate_cols: np.ndarray | None = None  # (c,) the q/k columns `rotate` turns; None: all

    @property
    def n_heads(self) -> int:
        return self.w_q.shape[0]


@dataclass(frozen=True, eq=False)
class SentenceBatch:
    """The sentences as one batch per sequence ("tokens", or "source" and "target")."""

    words: Mapping[str, list[Sequence[str]]]  # sequence -> each sentence's words
    lengths: Mapping[str, np.ndarray]  # sequence -> (b,) each sentence's length
    x: Mapping[str, np.ndarray]  # sequence -> (b, n, d_model), padded with zeros

    @property
    def size(self) -> int:
        """b, the number of sentences."""
        return len(next(iter(self.lengths.values())))

    @property
    def padded(self) -> bool:
        return self.size > 1

    def n(self, sequence: str) -> int:
        """The padded length of `sequence`: its longest sentence."""
        return self.x[sequence].shape[1]


@dataclass(frozen=True, eq=False)
class HeadBatch:
    """One head run on the whole batch, before it is cut into one HeadEvaluation per sentence."""

    block: AttentionBlock
    q: np.ndarray  # (b, n_q, d_k), rotated when the scheme rotates
    k: np.ndarray  # (b, n_k, d_k)
    v: np.ndarray  # (b, n_k, d_model)
    qk: np.ndarray  # (b, n_q, n_k) raw q·kᵀ
    shown_bias: list[np.ndarray]  # b × (l_q, l_k): positional bias + ALiBi, before T
    weights: np.ndarray  # (b, n_q, n_k) from attention_weights (the float64 reference)
    out: np.ndarray  # (b, n_q, d_model) from attention with the player's backend
    pattern_mask: np.ndarray | None = None  # (n_q, n_k) a sparse pattern's computed scores
    exact_weights: np.ndarray | None = None  # (b, n_q, n_k) softmax beside linear attention
    kernel: np.ndarray | None = None  # (b, n_q, n_k) linear attention's φ(q)·φ(k), 0 where masked


def board_weights(
    level: Level,
    scheme: PositionalScheme,
    state: BoardState,
    pattern: AttentionPattern | None = None,
) -> BoardWeights:
    """The matrices the player's wires make (see `game.model.matrices`), and the settings."""
    settings = state.settings
    kw = dict(level.positional_settings.get(scheme.name, {}))  # the level's own settings
    if scheme.parameters and settings.parameter is not None:
        kw[scheme.parameters[0].name] = settings.parameter
    features = tuple(level.features)
    d_k, n_heads = level.head_dim, len(state.heads) // level.layers  # H, heads per layer
    slopes = None
    if scheme.slopes is not None:
        slopes = call_for_array(_what(scheme, "slopes"), scheme.slopes, (n_heads,), [n_heads], kw)
    return BoardWeights(
        scheme=scheme,
        kw=kw,
        features=features,
        w_q=np.stack([matrices.w_q(head, features, d_k) for head in state.heads]),  # (h, d, d_k)
        w_k=np.stack([matrices.w_k(features, d_k)] * len(state.heads)),  # (L·H, d_model, d_k)
        w_v=np.stack([matrices.w_v(head, features) for head in state.heads]),  # (h, d, d)
        w_o=matrices.w_o(state.heads, len(features)),  # (h·d_model, d_model)
        slopes=slopes,
        scale=1.0 / math.sqrt(d_k) if settings.scale else 1.0,
        temperature=settings.temperature,
        pattern=pattern,
        pattern_kw=pattern_settings(level, settings.knobs),
        causal=settings.causal,
        heads_per_layer=n_heads,
        rotate_cols=rotate_columns(level),
    )


def rotate_columns(level: Level) -> np.ndarray | None:
    """(c,) the q/k columns of `rotate_features` in the order listed, in every d_model-wide
    repeat of d_k (partial rotary, GPT-NeoX's rotary_pct); None: rotate every column."""
    if level.rotate_features is None:
        return None
    d = level.d_model
    named = [level.features.index(f) for f in level.rotate_features]
    return np.array([rep * d + f for rep in range(level.head_dim // d) for f in named])  # (c,)


def pattern_settings(level: Level, knobs: Sequence[tuple[str, float]]) -> dict[str, object]:
    """The level's `pattern_settings`, each overridden by a knob of the same name, so a
    level can give the player a slider for its window (`[[knobs]] name = "window"`)."""
    settings = dict(level.pattern_settings)
    settings.update((name, value) for name, value in knobs if name in settings)
    return settings


def _what(scheme: PositionalScheme, function: str) -> str:
    """How messages name a scheme's function: 'positional scheme "rope" rotate'."""
    return f'positional scheme "{scheme.name}" {function}'


def word_vector(level: Level, word: str) -> np.ndarray:
    """(d_model,) a vocabulary word's features, without position."""
    table = level.vocab[word]
    return np.array([float(table.get(f, 0.0)) for f in level.features])  # (d_model,)


def embed(
    level: Level, sequences: Sequence[str], sentences: Sequence[Sentence], weights: BoardWeights
) -> SentenceBatch:
    """x = each word's features, plus the scheme's positional embedding where it has one."""
    scheme, features = weights.scheme, weights.features
    words = {seq: [s.sequences()[seq] for s in sentences] for seq in sequences}
    lengths = {seq: np.array([len(w) for w in ws]) for seq, ws in words.items()}  # (b,)
    x = {}
    for seq, ws in words.items():
        xs = np.zeros((len(ws), int(lengths[seq].max()), len(features)))  # (b, n, d_model)
        for s, sentence_words in enumerate(ws):
            for t, word in enumerate(sentence_words):
                xs[s, t] = word_vector(level, word)  # (d_model,)
        if scheme.embed is not None:
            # Into the level's positional features when it names them, else into all of them.
            cols = [features.index(f) for f in level.positional_features or features]
            positions = np.arange(xs.shape[1])  # (n,)
            pe = call_for_array(  # (n, d_pos)
                _what(scheme, "embed"), scheme.embed, (len(positions), len(cols)),
                [positions, len(cols)], weights.kw,
            )  # fmt: skip
            xs[..., cols] += pe[None]  # (b, n, d_pos)
        x[seq] = xs
    return SentenceBatch(words, lengths, x)


def run_head(
    h: int, block: AttentionBlock, batch: SentenceBatch, weights: BoardWeights, backend: object
) -> HeadBatch:
    """Head h: q, k, v from its block's sequences, then its attention over the batch."""
    scheme = weights.scheme
    x_q, x_kv = batch.x[block.queries], batch.x[block.keys]  # (b, n_q, d), (b, n_k, d)
    q = x_q @ weights.w_q[h]  # (b, n_q, d_k)
    k = x_kv @ weights.w_k[h]  # (b, n_k, d_k)
    if scheme.rotate is not None:
        q, k = _rotated(scheme, q, weights), _rotated(scheme, k, weights)
    v = x_kv @ weights.w_v[h]  # (b, n_k, d_model)
    args, shown_bias, sparse = attention_args(h % weights.heads_per_layer, block, batch, weights)
    qk = q @ np.swapaxes(k, -1, -2)  # (b, n_q, n_k)
    pattern = weights.pattern
    if pattern is not None and pattern.feature_map is not None:
        linear = patterns.linear_head(pattern, weights.pattern_kw or {}, q, k, v, args)
        return HeadBatch(block, q, k, v, qk, shown_bias, weights=linear.weights, out=linear.out,
                         exact_weights=attention_weights(q, k, **args),
                         kernel=linear.scores)  # fmt: skip
    return HeadBatch(
        block=block,
        q=q,
        k=k,
        v=v,
        qk=qk,
        shown_bias=shown_bias,
        weights=attention_weights(q, k, **args),  # (b, n_q, n_k)
        out=head_output(q, k, v, args, backend),  # (b, n_q, d_model)
        pattern_mask=sparse,
    )


def _rotated(scheme: PositionalScheme, q: np.ndarray, weights: BoardWeights) -> np.ndarray:
    """(b, n, d_k) `q` turned by the scheme's rotate: all of it, or only `rotate_cols`."""
    what, positions, cols = _what(scheme, "rotate"), np.arange(q.shape[1]), weights.rotate_cols
    if cols is None:
        return call_for_array(what, scheme.rotate, q.shape, [q, positions], weights.kw)
    part = q[..., cols]  # (b, n, c)
    turned = call_for_array(what, scheme.rotate, part.shape, [part, positions], weights.kw)
    out = q.copy()  # (b, n, d_k)
    out[..., cols] = turned  # (b, n, c)
    return out


def attention_args(
    h: int, block: AttentionBlock, batch: SentenceBatch, weights: BoardWeights
) -> tuple[dict[str, Any], list[np.ndarray], np.ndarray | None]:
    """(the attention keywords of head h, the bias each sentence shows in the inspector,
    the level's sparse pattern mask (n_q, n_k) or None). `h` is the head's place in its
    layer: slopes and scheme biases are per head of a layer, the same in every layer.

    T divides the whole logit, so the call gets scale s/T, bias/T and ALiBi
    slopes/T. Sentences in a self block share their query/key alignment even
    when padded; cross blocks of different lengths do not, so their ALiBi and
    causal rule are built per sentence instead of passed as slopes and `causal`.
    """
    qs, ks = block.queries, block.keys
    nq, nk, b = batch.n(qs), batch.n(ks), batch.size
    slopes, t = weights.slopes, weights.temperature
    bias = np.zeros((b, nq, nk))  # (b, n_q, n_k)
    if weights.scheme.bias is not None and slopes is None:  # slopes: the same bias, by tile
        scheme = weights.scheme
        scheme_bias = call_for_array(  # (h, n_q, n_k); −inf masks, so it may appear
            _what(scheme, "bias"), scheme.bias, (weights.heads_per_layer, nq, nk),
            [np.arange(nq), np.arange(nk), weights.heads_per_layer], weights.kw, finite=False,
        )  # fmt: skip
        bias = bias + scheme_bias[h]  # (b, n_q, n_k)
    sizes = [
        (int(lq), int(lk)) for lq, lk in zip(batch.lengths[qs], batch.lengths[ks], strict=True)
    ]
    extras = [  # ALiBi per sentence, aligned to its own lengths, as the inspector shows it
        alibi_bias(slopes[h], lq, lk) if slopes is not None else np.zeros((lq, lk))
        for lq, lk in sizes
    ]  # b × (lq, lk)
    shown_bias = [bias[s, :lq, :lk] + extras[s] for s, (lq, lk) in enumerate(sizes)]
    shared = not batch.padded or qs == ks
    mask = padding_mask(batch.lengths[ks], nk)[:, 0] if batch.padded else None  # (b, 1, n_k)
    causal, alibi = block.causal and weights.causal, None
    if slopes is not None and shared:
        alibi = np.full(b, slopes[h] / t)  # (b,) one slope per batch row
    elif slopes is not None:
        bias = bias + np.stack([_pad(e, (nq, nk), 0.0) for e in extras])  # (b, n_q, n_k)
    if causal and not shared:
        per_sentence = np.stack([_pad(causal_mask(lq, lk), (nq, nk), False) for lq, lk in sizes])
        mask = per_sentence if mask is None else mask & per_sentence  # (b, n_q, n_k)
        causal = False
    sparse = None
    if weights.pattern is not None and weights.pattern.mask is not None:
        sparse = patterns.pattern_mask(weights.pattern, weights.pattern_kw or {}, nq, nk)
        mask = sparse[None] if mask is None else mask & sparse  # (b, n_q, n_k)
    args = {"causal": causal, "scale": weights.scale / t, "bias": bias / t, "alibi_slopes": alibi,
            "mask": mask}  # fmt: skip
    return args, shown_bias, sparse


def head_output(
    q: np.ndarray, k: np.ndarray, v: np.ndarray, args: Mapping[str, Any], backend: object
) -> np.ndarray:
    """(b, n_q, d_model) from the player's backend; the reference's when a plugin backend fails."""
    try:
        return attention(q, k, v, backend=backend, **args)
    except BackendFailure as failure:
        _log_backend_failure(str(failure))
        return attention(q, k, v, backend="reference", **args)


@functools.cache
def _log_backend_failure(reason: str) -> None:
    logger.warning("%s; the board uses the reference backend instead", reason)


def combine(
    heads: Sequence[HeadBatch],
    batch: SentenceBatch,
    w_o: np.ndarray,
    indices: Sequence[int] | None = None,
) -> dict[str, np.ndarray]:
    """out = concat(heads) · W_O per query sequence, over the heads that query it.

    `indices` are the heads' global numbers (their rows of W_O); default 0, 1, ….
    A sequence no head queries (an encoder–decoder's source row) outputs zeros.
    """
    d = w_o.shape[1]
    number = list(range(len(heads))) if indices is None else list(indices)
    outputs = {}
    for seq, x in batch.x.items():
        members = [h for h, head in enumerate(heads) if head.block.queries == seq]
        if not members:
            outputs[seq] = np.zeros((*x.shape[:2], d))  # (b, n, d_model)
            continue
        concat = np.concatenate([heads[h].out for h in members], axis=-1)  # (b, n, h_s·d)
        rows = np.concatenate(
            [w_o[number[h] * d : (number[h] + 1) * d] for h in members]
        )  # (h_s·d, d)
        outputs[seq] = concat @ rows  # (b, n, d_model)
    return outputs


def _pad(array: np.ndarray, shape: tuple[int, int], fill: object) -> np.ndarray:
    """Put a (a, b) array in the top-left of a `shape` array filled with `fill`."""
    out = np.full(shape, fill, dtype=array.dtype)  # shape
    out[: array.shape[0], : array.shape[1]] = array
    return out
