"""Reading an export folder back, the way a teacher's notebook would: csv, numpy, json."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import numpy as np


def read_csv_table(path: Path) -> tuple[str, list[str], list[str], np.ndarray]:
    """(corner, row labels, column labels, values) of an exported CSV table."""
    with open(path, newline="", encoding="utf-8") as handle:
        rows = list(csv.reader(handle))
    header, body = rows[0], rows[1:]
    values = np.array([[float(x) for x in row[1:]] for row in body], dtype=np.float64)
    return header[0], [row[0] for row in body], header[1:], values.reshape(len(body), -1)


def read_board_json(folder: Path) -> object:
    return json.loads((folder / "board.json").read_text(encoding="utf-8"))


def read_manifest(folder: Path) -> dict:
    return json.loads((folder / "export.json").read_text(encoding="utf-8"))


def expected_files(board) -> set[str]:
    """Every file an export of `board` holds: per sentence each head's weights and each output,
    a stacked board's residual stream x⁰ … x^L, and a task level's score and failures."""
    names = {"README.txt", "board.json", "export.json"}
    for s in range(len(board.level.sentences)):
        ev = board.evaluate(s)
        stems = [f"sentence{s}_head{h.index}_weights" for h in ev.heads]
        stems += [
            f"sentence{s}_head{h.index}_softmax_weights"
            for h in ev.heads
            if h.exact_weights is not None
        ]
        stems += [f"sentence{s}_outputs_{seq}" for seq in ev.outputs]
        if ev.layers > 1:
            stems += [f"sentence{s}_residual_x{layer}" for layer in range(ev.layers + 1)]
        if s == 0 and ev.task is not None:
            names |= {"task_score.csv", "task_failures.csv"}
        names |= {f"{stem}{suffix}" for stem in stems for suffix in (".csv", ".npy")}
    return names


def assert_export_matches(folder: Path, board) -> None:
    """The folder holds exactly the board's files, and each reads back as the board's numbers:
    every head's weights on every sentence (labels = its query and key tokens) and every
    output (labels = tokens and features), in the .csv and the .npy alike."""
    from game.model.saved_board import restore_state

    assert {p.name for p in folder.iterdir()} == expected_files(board)
    for s in range(len(board.level.sentences)):
        ev = board.evaluate(s)
        for head in ev.heads:
            stem = folder / f"sentence{s}_head{head.index}_weights"
            corner, rows, cols, values = read_csv_table(stem.with_suffix(".csv"))
            assert rows == list(ev.tokens[head.query_sequence])
            assert cols == list(ev.tokens[head.key_sequence])
            assert np.array_equal(values, head.weights), (stem, values, head.weights)
            assert np.array_equal(np.load(stem.with_suffix(".npy")), head.weights)
            if head.exact_weights is not None:  # linear attention: the softmax beside it
                exact = folder / f"sentence{s}_head{head.index}_softmax_weights.csv"
                assert np.array_equal(read_csv_table(exact)[3], head.exact_weights)
                assert np.array_equal(np.load(exact.with_suffix(".npy")), head.exact_weights)
        for seq, out in ev.outputs.items():
            stem = folder / f"sentence{s}_outputs_{seq}"
            _, rows, cols, values = read_csv_table(stem.with_suffix(".csv"))
            assert rows == list(ev.tokens[seq]) and cols == list(ev.features)
            assert np.array_equal(values, out)
            assert np.array_equal(np.load(stem.with_suffix(".npy")), out)
    assert restore_state(read_board_json(folder), board.level, board.catalog) == board.state


def weights_from_stream(board, h: int, x_l: np.ndarray, words) -> np.ndarray:
    """(n, n) head h's weights, computed by the model's own head code from the stream x_l
    (n, d_model) given here rather than from the embedding."""
    from game.levels.schema import Sentence
    from game.model import forward, residual

    level, registry = board.level, board.catalog
    arch, weights = residual.setup(level, registry, board.state)
    blocks = residual.blocks_of(arch, board.state)
    batch = forward.embed(level, arch.sequences, [Sentence(tokens=list(words))], weights)
    batch = forward.SentenceBatch(batch.words, batch.lengths, {"tokens": x_l[None]})
    ran = forward.run_head(h, blocks[board.state.heads[h].block], batch, weights, "reference")
    return ran.weights[0]  # (n_q, n_k)
