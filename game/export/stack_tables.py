"""What an export adds for stacked layers and task levels: the residual stream, the task score.

A board with more than one layer composes heads through the residual stream
(game/model/residual.py), so the per-head weights alone do not say what a
layer-2 head read. The export therefore also writes, per sentence,

    sentence<S>_residual_x<l>   x^l  (n, d_model)  l = 0 … L: x⁰ the embedding, x^{l+1} =
                                                   x^l + Σ_{h in layer l+1} mix_h · head_h

labelled by token (rows) and the level's features (columns): exactly
`Evaluation.residual[l]`, the stream that layer l+1's heads read their q, k and v from.

A task level (one with `[task]` and `[readout]`) is scored on held-out inputs
the player never sees; the export writes that score (`task_score.csv`) and the
failing tokens (`task_failures.csv`, the first ones, as "show failing examples"
lists them), so a teacher can put the numbers on a slide. These two are text
tables, not matrices: CSV only. No pygame here.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence

import numpy as np

from game.export.tables import Table
from game.model import Evaluation
from game.views import TaskScore

TASK_SCORE_FILE = "task_score.csv"
TASK_FAILURES_FILE = "task_failures.csv"


def residual_tables(ev: Evaluation) -> list[Table]:
    """x⁰ … x^L of this sentence's main sequence as tables (stacked boards only: a one-layer
    board's stream is its embedding plus its outputs, both exported already)."""
    if ev.layers <= 1 or not ev.residual:
        return []
    words = tuple(ev.tokens[ev.main_sequence])
    return [
        Table(
            stem=f"sentence{ev.sentence_index}_residual_x{layer}",
            corner="token \\ feature",
            rows=words,
            columns=tuple(ev.features),
            values=np.array(stream, dtype=np.float64),  # (n, d_model)
            about={
                "kind": "residual",
                "sentence": ev.sentence_index,
                "sequence": ev.main_sequence,
                "stream": layer,  # x^layer: read by the heads of layer `layer` (0-based)
                "written_by": {f: list(h) for f, h in ev.written_by.items() if h},
            },
        )
        for layer, stream in enumerate(ev.residual)
    ]


def task_score_csv(score: TaskScore) -> str:
    """task_score.csv: one `measure,value` row per number of the held-out score."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["measure", "value"])
    writer.writerow(["accuracy_per_position", repr(float(score.accuracy))])
    writer.writerow(["held_out_inputs", score.examples])
    writer.writerow(["scored_positions", score.positions])
    writer.writerow(["correct_positions", score.correct])
    writer.writerow(["whole_inputs_right", repr(float(score.sequences))])
    writer.writerow(["failures_listed", len(score.failures)])
    if score.problem:
        writer.writerow(["problem", score.problem])
    return out.getvalue()


def task_failures_csv(score: TaskScore) -> str:
    """task_failures.csv: one row per failing token (its input, position, word, answer, read)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["failure", "input", "position", "token", "expected", "got"])
    for n, failure in enumerate(score.failures):
        tokens = failure.tokens
        writer.writerow(
            [n, " ".join(tokens), failure.position, tokens[failure.position], failure.expected,
             failure.got]
        )  # fmt: skip
    return out.getvalue()


def task_files(evaluations: Sequence[Evaluation]) -> dict[str, str]:
    """file name -> CSV text for a task level's score and failures; {} for other levels."""
    score = evaluations[0].task if evaluations else None
    if score is None:
        return {}
    return {TASK_SCORE_FILE: task_score_csv(score), TASK_FAILURES_FILE: task_failures_csv(score)}


__all__ = [
    "TASK_FAILURES_FILE",
    "TASK_SCORE_FILE",
    "residual_tables",
    "task_failures_csv",
    "task_files",
    "task_score_csv",
]
