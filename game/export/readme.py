"""What an export folder says about itself: README.txt for people, export.json for programs.

Both are written from the same tables, so they name exactly the files the
folder holds. No pygame here.
"""

from __future__ import annotations

from collections.abc import Sequence

from game import __version__
from game.export.stack_tables import TASK_FAILURES_FILE, TASK_SCORE_FILE
from game.export.tables import Table, weight_tables
from game.model import Evaluation
from game.model.spec import BoardState

BOARD_FILE = "board.json"
MANIFEST_FILE = "export.json"
README_FILE = "README.txt"

HOW = """\
How the numbers are made (the same code draws the board in the game):
  x        = each word's features (+ the positional scheme's embedding)   (n, d_model)
  q, k     = x W_Q, x W_K (then the scheme's rotation, e.g. RoPE)         (n, d_k)
  weights  = softmax((q k^T * s + bias) / T) over the allowed keys        (n_q, n_k)
             s = 1/sqrt(d_k) with the scale on, else 1; T = temperature;
             bias = the scheme's bias (ALiBi); a causal head masks later keys.
             This is game.attention.attention_weights, in float64.
  head     = weights . (x W_V)                                             (n_q, d_model)
  outputs  = concat(heads) W_O = sum of mix_h * head_h                     (n, d_model)
"""

LOADING = """\
Reading the files:
  Python:  numpy.load("sentence0_head0_weights.npy")   (the array, no labels)
           pandas.read_csv("sentence0_head0_weights.csv", index_col=0)
  A spreadsheet opens the .csv files as they are. Numbers are written in full
  (the shortest text that reads back as the same 64-bit float).
"""


FILE_KINDS = """\
  sentence<S>_head<H>_weights.csv and .npy: the attention weights of head H on
    sentence S. Rows = query tokens, columns = key tokens (the .npy's last axis is
    the keys). Each row sums to 1 (all 0 where no key is allowed); a masked cell is 0.
  sentence<S>_outputs_<SEQ>.csv and .npy: the board's output at each token of the
    sequence SEQ (rows) for each of the level's features (columns): concat(heads) W_O.
    A sequence no head queries outputs zeros.
  sentence<S>_head<H>_softmax_weights.csv and .npy (linear attention only): the exact
    softmax weights beside the head's linear-attention weights, to compare them.
  A word that appears twice in a sentence appears twice as a label: the order of the
  rows and columns is the order of the words.
"""


STACKED = """\
  sentence<S>_residual_x<L>.csv and .npy (stacked layers): the residual stream x^L at
    each token (rows) for each feature (columns). x0 is the embedding; x<L+1> = x<L> +
    the outputs of layer L+1's heads. Layer L+1's heads read their q, k and v from x<L>
    (so head L2H1's weights come from x1, not x0). export.json says which head writes
    each feature ("written_by", heads counted from 0 across every layer).
"""


def _task_lines(evaluation: Evaluation) -> list[str]:
    """What the task files hold, with the score itself; [] for a level without a task."""
    score = evaluation.task
    if score is None:
        return []
    return [
        f"  {TASK_SCORE_FILE}: the board's score on {score.examples} held-out random inputs",
        f"    the player never sees: {score.accuracy:.1%} per position ({score.correct} of"
        f" {score.positions} tokens),",
        f"    every token right on {score.sequences:.1%} of the inputs.",
        f"  {TASK_FAILURES_FILE}: the first {len(score.failures)} tokens read wrong (input,",
        "    position, token, expected, got), as the game's failing examples list them.",
        "",
    ]


def _head_lines(evaluation: Evaluation) -> list[str]:
    lines = []
    for table in weight_tables(evaluation):
        about = table.about
        if about["kind"] != "weights":
            continue
        linear = "; linear attention (normalised kernel)" if about["attention"] == "linear" else ""
        lines.append(
            f"  head {about['head']} = {about['name']} (layer {int(about['layer']) + 1}), "
            f'block "{about["block"]}", '
            f'queries from "{about["queries"]}", keys from "{about["keys"]}"{linear}'
        )
    return lines or ["  (this level has no heads: only outputs)"]


def readme_text(
    evaluations: Sequence[Evaluation], tables: Sequence[Table], board_from: str, made: str
) -> str:
    """README.txt: what the export is, what each file holds, the sentences, the formula."""
    level = evaluations[0].level
    lines = [
        f"Switchyard export: {level.title} (level {level.id})",
        f"Made {made} by Switchyard {__version__}. Board: {board_from}.",
        "",
        "What each file holds:",
        f"  {README_FILE}: this note.",
        f"  {BOARD_FILE}: the board itself (wires, value routes, heads, settings), in the",
        "    saved-board format the game keeps your best board in. Load it back with",
        f"      switchyard export {level.id} --board {BOARD_FILE} --out FOLDER",
        f"      switchyard render {level.id} --board {BOARD_FILE} --out FILE.png",
        f"  {MANIFEST_FILE}: every file below with its labels and shape, for programs.",
        FILE_KINDS.rstrip("\n"),
        *([STACKED.rstrip("\n")] if evaluations[0].layers > 1 else []),
        *_task_lines(evaluations[0]),
        *([] if evaluations[0].task is not None else [""]),
        "The heads (file names count them from 0 across every layer; L2H1 is layer 2's",
        "first head, as the game shows it):",
        *_head_lines(evaluations[0]),
        "",
        "Sentences (0 is the one on screen; the others are held out: never shown while",
        "building, they decide the third star):",
    ]
    for ev in evaluations:
        where = "on screen" if ev.sentence_index == 0 else "held out"
        for sequence, words in ev.tokens.items():
            lines.append(f"  {ev.sentence_index} ({where}) {sequence}: {' '.join(words)}")
    lines += ["", f"The tables ({len(tables)}, each as .csv and .npy):"]
    lines += [f"  {t.stem}  {t.values.shape[0]} x {t.values.shape[1]}" for t in tables]
    lines += ["", HOW, LOADING]
    return "\n".join(lines)


def manifest(
    evaluations: Sequence[Evaluation],
    tables: Sequence[Table],
    state: BoardState,
    board_from: str,
    made: str,
) -> dict[str, object]:
    """export.json: the level, the board's settings, the sentences and every table's file."""
    level = evaluations[0].level
    settings = state.settings
    return {
        "switchyard": __version__,
        "made": made,
        "level": {"id": level.id, "title": level.title, "architecture": level.architecture},
        "board": {"file": BOARD_FILE, "from": board_from},
        "settings": {
            "positional": settings.positional,
            "parameter": settings.parameter,
            "scale": settings.scale,
            "temperature": settings.temperature,
            "causal": settings.causal,
        },
        "features": list(level.features),
        "layers": evaluations[0].layers,
        **_task_facts(evaluations[0]),
        "sentences": [
            {
                "index": ev.sentence_index,
                "held_out": ev.held_out,
                "tokens": {seq: list(words) for seq, words in ev.tokens.items()},
            }
            for ev in evaluations
        ],
        "tables": [
            {
                "csv": f"{t.stem}.csv",
                "npy": f"{t.stem}.npy",
                "shape": list(t.values.shape),
                "rows": list(t.rows),
                "columns": list(t.columns),
                **t.about,
            }
            for t in tables
        ],
    }


def _task_facts(evaluation: Evaluation) -> dict[str, object]:
    """export.json's "task" entry: the score files and numbers; {} without a task."""
    score = evaluation.task
    if score is None:
        return {}
    return {
        "task": {
            "score": TASK_SCORE_FILE,
            "failures": TASK_FAILURES_FILE,
            "accuracy": score.accuracy,
            "examples": score.examples,
            "positions": score.positions,
            "correct": score.correct,
            "sequences": score.sequences,
            "failures_listed": len(score.failures),
        }
    }


__all__ = ["BOARD_FILE", "MANIFEST_FILE", "README_FILE", "manifest", "readme_text"]
