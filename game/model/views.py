"""Build the read-only `EvaluationView` and `HeadView` that goal types are handed.

`_check_goals` and the solver hand plugins these views, never the board's own
`Evaluation`: every array is copied and locked, so a goal that writes into
what it reads raises instead of changing the board. The IO simulator backs
`EvaluationView.hbm_traffic`, so the efficiency goal needs nothing of the core
but its view.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from game.levels.views import level_view
from game.model.io_sim import Schedule, count_io
from game.views import EvaluationView, HBMTraffic, HeadView, frozen_mapping, read_only

if TYPE_CHECKING:  # evaluate imports this module to hand goals their views
    from game.model.evaluate import Evaluation, HeadEvaluation


def hbm_traffic(*, n: int, d: int, sram: int, block_q: int, block_k: int) -> HBMTraffic:
    """HBM reads and writes of tiled attention with these blocks (Dao et al. 2022)."""
    io = count_io(n, d, sram, Schedule("tiled", block_q, block_k))
    return HBMTraffic(reads=io.reads, writes=io.writes, fits=io.fits, sram_needed=io.sram_needed)


def head_name(index: int, heads_per_layer: int, layers: int) -> str:
    """A head's name in messages: "head 2", or "L2·H1" when the level stacks layers (the
    play screen's names, so a goal's "(L2·H1)" points at the head the strip shows)."""
    if layers <= 1:
        return f"head {index + 1}"
    return f"L{index // heads_per_layer + 1}·H{index % heads_per_layer + 1}"


def head_view(head: HeadEvaluation, heads_per_layer: int = 1, layers: int = 1) -> HeadView:
    """One head's evaluation as plugins see it."""
    return HeadView(
        index=head.index,
        block=head.block.name,
        query_sequence=head.query_sequence,
        key_sequence=head.key_sequence,
        causal=head.block.causal,
        q=read_only(head.q),  # (n_q, d_k)
        k=read_only(head.k),  # (n_k, d_k)
        v=read_only(head.v),  # (n_k, d_model)
        logits=read_only(head.logits),  # (n_q, n_k)
        allowed=read_only(head.allowed),  # (n_q, n_k)
        weights=read_only(head.weights),  # (n_q, n_k)
        out=read_only(head.out),  # (n_q, d_model)
        exact_weights=None if head.exact_weights is None else read_only(head.exact_weights),
        computed_scores=head.computed_scores,
        layer=head.layer,
        name=head_name(head.index, heads_per_layer, layers),
    )


def evaluation_view(evaluation: Evaluation) -> EvaluationView:
    """The board on one sentence as plugins see it."""
    level = level_view(evaluation.level)
    return EvaluationView(
        level=level,
        sentence=level.sentences[evaluation.sentence_index],
        features=tuple(evaluation.features),
        tokens=frozen_mapping({seq: tuple(words) for seq, words in evaluation.tokens.items()}),
        main_sequence=evaluation.main_sequence,
        heads=tuple(
            head_view(head, evaluation.level.heads, evaluation.layers) for head in evaluation.heads
        ),
        x=frozen_mapping({seq: read_only(x) for seq, x in evaluation.x.items()}),
        outputs=frozen_mapping({seq: read_only(o) for seq, o in evaluation.outputs.items()}),
        knobs=frozen_mapping(dict(evaluation.state.settings.knobs)),
        _hbm_traffic=hbm_traffic,
        layers=evaluation.layers,
        residual=tuple(read_only(x) for x in evaluation.residual),  # L+1 × (n, d_model)
        written_by=frozen_mapping(evaluation.written_by),
        task=evaluation.task,
    )


__all__ = ["evaluation_view", "hbm_traffic", "head_name", "head_view"]
