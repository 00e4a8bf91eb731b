"""The board's numbers as labelled tables: one per head and sentence, one per output sequence.

`board_tables(board)` evaluates the board on each of its level's sentences,
one at a time (sentence 0 is the one on screen; the others are the held-out
sentences), exactly as `Board.evaluate` does for the play screen, so a table
holds the very arrays the board shows:

    weights  = HeadEvaluation.weights   (n_q, n_k)  from game.attention.attention_weights;
                                                   last axis = keys, each row sums to 1
    softmax_weights = .exact_weights    (n_q, n_k)  linear attention's heads only: the
                                                   exact softmax beside the approximation
    outputs  = Evaluation.outputs[seq]  (n, d_model) concat(heads) · W_O

Tables are plain data (labels and a float64 array) so the writer can put each
one in a `.csv` (labelled) and a `.npy` (the array alone). No pygame here.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np

from game.model import Board, Evaluation, HeadEvaluation


@dataclass(frozen=True, eq=False)
class Table:
    """One labelled matrix: rows × columns of `values`, and what it is (for the manifest)."""

    stem: str  # the file name without its suffix: "sentence0_head1_weights"
    corner: str  # the CSV's top-left cell: what the row labels are
    rows: tuple[str, ...]  # row labels (query tokens, or the tokens of an output sequence)
    columns: tuple[str, ...]  # column labels (key tokens, or the level's features)
    values: np.ndarray  # (len(rows), len(columns)) float64
    about: dict[str, object] = field(default_factory=dict)  # kind, sentence, head, layer, …

    def csv_text(self) -> str:
        """The table as CSV: a header of column labels, then one labelled row per row.

        Numbers are written with Python's `repr`, the shortest text that reads back
        as the same float64, so the CSV holds exactly the array's numbers."""
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow([self.corner, *self.columns])
        for label, row in zip(self.rows, self.values, strict=True):
            writer.writerow([label, *(repr(float(x)) for x in row)])
        return out.getvalue()


def layer_of(head: object) -> int:
    """The head's layer (0-based), for boards that stack layers; 0 where heads have none."""
    return int(getattr(head, "layer", 0) or 0)


def head_name(ev: Evaluation, head: HeadEvaluation) -> str:
    """The head as people count it: "L2H1" is layer 2's first head (1-based, as on screen)."""
    layer = layer_of(head)
    per_layer = max(1, int(getattr(ev.level, "heads", 1) or 1))
    return f"L{layer + 1}H{head.index - layer * per_layer + 1}"


def _head_table(ev: Evaluation, head: HeadEvaluation, what: str, values: np.ndarray) -> Table:
    """Head `head` on this sentence as a table of query tokens × key tokens."""
    return Table(
        stem=f"sentence{ev.sentence_index}_head{head.index}_{what}",
        corner="query \\ key",
        rows=tuple(ev.tokens[head.query_sequence]),
        columns=tuple(ev.tokens[head.key_sequence]),
        values=np.array(values, dtype=np.float64),  # (n_q, n_k)
        about={
            "kind": what,
            "sentence": ev.sentence_index,
            "head": head.index,
            "layer": layer_of(head),
            "name": head_name(ev, head),
            "block": head.block.name,
            "queries": head.query_sequence,
            "keys": head.key_sequence,
            "attention": "softmax" if head.exact_weights is None else "linear",
        },
    )


def weight_tables(ev: Evaluation) -> list[Table]:
    """Each head's weights on this sentence; a linear-attention head (its weights are
    φ(q)·φ(k), normalised) also gets the exact softmax it stands in for."""
    tables = []
    for head in ev.heads:
        tables.append(_head_table(ev, head, "weights", head.weights))
        if head.exact_weights is not None:
            tables.append(_head_table(ev, head, "softmax_weights", head.exact_weights))
    return tables


def output_tables(ev: Evaluation) -> list[Table]:
    """One table per sequence of this sentence: its tokens × the level's features."""
    return [
        Table(
            stem=f"sentence{ev.sentence_index}_outputs_{sequence}",
            corner="token",
            rows=tuple(ev.tokens[sequence]),
            columns=tuple(ev.features),
            values=np.array(out, dtype=np.float64),  # (n, d_model)
            about={"kind": "outputs", "sentence": ev.sentence_index, "sequence": sequence},
        )
        for sequence, out in ev.outputs.items()
    ]


def board_evaluations(board: Board) -> list[Evaluation]:
    """The board on every sentence of its level, each evaluated alone as the screen does."""
    return [board.evaluate(s) for s in range(len(board.level.sentences))]


def board_tables(board: Board, evaluations: Sequence[Evaluation] | None = None) -> list[Table]:
    """Every table of an export: per sentence, each head's weights, then each output, then
    (stacked boards) the residual stream x⁰ … x^L."""
    from game.export.stack_tables import residual_tables  # it builds on Table

    tables: list[Table] = []
    for ev in evaluations if evaluations is not None else board_evaluations(board):
        tables += weight_tables(ev)
        tables += output_tables(ev)
        tables += residual_tables(ev)
    return tables


__all__ = [
    "Table",
    "board_evaluations",
    "board_tables",
    "head_name",
    "layer_of",
    "output_tables",
    "weight_tables",
]
