"""The layers run one after another on the residual stream (docs/levels.md, "Layers").

    x⁰      = embed(tokens)                                        (b, n, d_model)
    head_h  = attention(x^l·W_Q, x^l·W_K, x^l·W_V)   for h in layer l
    out^l   = Σ_{h in l} mix_h · head_h               `forward.combine`  (b, n, d_model)
    x^{l+1} = x^l + out^l                             the residual stream
    x^{l+1}[out] += fn(x^{l+1}[in])                   a level's fixed maps `maps.apply`

Layer-1 heads read x⁰ exactly as a one-layer board always has, so a one-layer
level's heads and outputs are the same numbers as before layers existed. Every
head's value routes write into named features of the stream, and a later
layer's wires read them: Q-, K- and V-composition (Elhage et al. 2021).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from game.api import Architecture, AttentionBlock, Catalog
from game.levels.schema import Level, Sentence
from game.model import forward, maps
from game.model.spec import BoardState

TOKEN_BATCH = 64  # sentences per padded batch in `token_streams`


@dataclass(frozen=True, eq=False)
class StackRun:
    """Every layer of the board run on one batch."""

    heads: tuple[forward.HeadBatch, ...]  # every head, in global order (layer by layer)
    outputs: Mapping[str, np.ndarray]  # sequence -> (b, n, d_model) the LAST layer's out^l
    streams: Mapping[str, tuple[np.ndarray, ...]]  # sequence -> L+1 × (b, n, d_model) x^0…x^L


def setup(
    level: Level, catalog: Catalog, state: BoardState
) -> tuple[Architecture, forward.BoardWeights]:
    """The level's architecture and the board's weights (scheme, pattern, W_Q…W_O)."""
    arch = catalog.architectures[level.architecture]
    pattern = getattr(catalog, "patterns", {}).get(level.pattern) if level.pattern else None
    if level.pattern and pattern is None:
        raise ValueError(f'the attention pattern "{level.pattern}" is not installed')
    scheme = catalog.positional[state.settings.positional]
    return arch, forward.board_weights(level, scheme, state, pattern)


def blocks_of(arch: Architecture, state: BoardState) -> dict[str, AttentionBlock]:
    """The architecture's blocks by name; ValueError for a head in a block it lacks."""
    blocks = {block.name: block for block in arch.blocks}
    for h, head in enumerate(state.heads):
        if head.block not in blocks:
            raise ValueError(f'head {h} is in block "{head.block}", which {arch.name} lacks')
    return blocks


def token_streams(
    level: Level,
    catalog: Catalog,
    state: BoardState,
    sentences: Sequence[Sequence[str]],
    *,
    backend: object = "reference",
) -> list[tuple[np.ndarray, ...]]:
    """x⁰ … x^L, each (n, d_model), for token lists that are not in the level file (a
    task's generated inputs): the same forward pass as `evaluate_sentences`, without
    goals or per-head records, in padded batches of TOKEN_BATCH (padded keys masked;
    the numbers agree with one sentence at a time to 1e-12, tests/model/
    test_residual_reference.py). Single-sequence architectures only; every word must be
    in the level's vocabulary (KeyError)."""
    arch, weights = setup(level, catalog, state)
    if tuple(arch.sequences) != ("tokens",):
        raise ValueError(f"the {arch.name} architecture reads {arch.sequences}, not tokens")
    blocks = blocks_of(arch, state)
    size = TOKEN_BATCH
    streams: list[tuple[np.ndarray, ...]] = []
    for start in range(0, len(sentences), size):
        chunk = [Sentence(tokens=list(words)) for words in sentences[start : start + size]]
        batch = forward.embed(level, arch.sequences, chunk, weights)
        bound = maps.bind(level, catalog, weights.features)
        run = run_layers(state, level.layers, blocks, batch, weights, backend, bound)
        for s, length in enumerate(batch.lengths["tokens"]):
            streams.append(tuple(x[s, : int(length)] for x in run.streams["tokens"]))
    return streams


def run_layers(
    state: BoardState,
    layers: int,
    blocks: Mapping[str, AttentionBlock],
    batch: forward.SentenceBatch,
    weights: forward.BoardWeights,
    backend: object,
    bound: Sequence[maps.BoundMap] = (),
) -> StackRun:
    """Run layer 0, add its output to the stream, apply the maps after it (`bound`), run
    layer 1 on that, and so on."""
    heads: list[forward.HeadBatch | None] = [None] * len(state.heads)
    streams = {seq: [x] for seq, x in batch.x.items()}  # seq -> [(b, n, d_model)]
    outputs: dict[str, np.ndarray] = {}
    layer_batch = batch
    for layer in range(layers):
        members = [h for h, spec in enumerate(state.heads) if spec.layer == layer]
        for h in members:
            block = blocks[state.heads[h].block]
            heads[h] = forward.run_head(h, block, layer_batch, weights, backend)
        ran = [heads[h] for h in members]
        outputs = forward.combine(ran, layer_batch, weights.w_o, members)  # type: ignore[arg-type]
        for seq, stream in streams.items():
            x = stream[-1] + outputs[seq]  # (b, n, d_model) x^{l+1} = x^l + out^l
            stream.append(maps.apply(x, bound, layer))
        layer_batch = dataclasses.replace(layer_batch, x={s: st[-1] for s, st in streams.items()})
    if any(head is None for head in heads):
        raise ValueError(f"a head's layer is outside 0..{layers - 1}")
    return StackRun(
        heads=tuple(heads),  # type: ignore[arg-type]
        outputs=outputs,
        streams={seq: tuple(stream) for seq, stream in streams.items()},
    )


def written_by(state: BoardState, features: tuple[str, ...]) -> dict[str, tuple[int, ...]]:
    """feature -> the global indices of the heads whose value routes write into it (a route
    key → out writes `out`), in head order; () for a feature no head writes."""
    return {
        feature: tuple(
            h for h, spec in enumerate(state.heads) if any(r.out == feature for r in spec.values)
        )
        for feature in features
    }
