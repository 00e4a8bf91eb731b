"""Exports of stacked boards and task levels (issue 17 "exports work on multi-layer boards").

Every head of every layer is checked against `attention_weights` run on that
head's OWN input: the residual stream x^l the export itself wrote, put through
the head's W_Q/W_K (and the scheme's rotation) by the model's `run_head`. A
layer-2 head whose weights were computed from the embedding x⁰ would fail it
(the last test shows those numbers differ). The residual stream files equal
`Evaluation.residual`, and a task level's held-out score and failures are there
as CSV, with README.txt saying so.
"""

from __future__ import annotations

import csv

import numpy as np
import pytest

from game.export import write_export
from game.model import Board
from game.model.task_score import score_task
from tests.export.loading import read_csv_table, read_manifest, weights_from_stream

STACKED = ("18_induction", "19_dyck")


def boards(level, registry):
    yield "start", Board(level, registry)
    yield "solution", Board.with_solution(level, registry)


@pytest.mark.parametrize("level_id", STACKED)
def test_every_head_of_every_layer_is_attention_on_its_own_layers_stream(
    level_id, registry, tmp_path
):
    level = registry.levels[level_id]
    assert level.layers >= 2
    for name, board in boards(level, registry):
        folder = tmp_path / name
        write_export(board, folder)
        for s in range(len(level.sentences)):
            ev = board.evaluate(s)
            assert {h.layer for h in ev.heads} == set(range(level.layers))
            for layer in range(level.layers + 1):  # x⁰ … x^L, labelled by feature
                _, rows, cols, x_csv = read_csv_table(folder / f"sentence{s}_residual_x{layer}.csv")
                x_npy = np.load(folder / f"sentence{s}_residual_x{layer}.npy")
                assert rows == list(ev.tokens["tokens"]) and cols == list(level.features)
                assert np.array_equal(x_csv, ev.residual[layer])
                assert np.array_equal(x_npy, ev.residual[layer])
            for head in ev.heads:
                x_l = np.load(folder / f"sentence{s}_residual_x{head.layer}.npy")  # (n, d_model)
                expected = weights_from_stream(board, head.index, x_l, ev.tokens["tokens"])
                got = read_csv_table(folder / f"sentence{s}_head{head.index}_weights.csv")[3]
                assert np.allclose(got, expected, rtol=0, atol=1e-12), (name, s, head.index)
                assert np.array_equal(
                    np.load(folder / f"sentence{s}_head{head.index}_weights.npy"), got
                )


def test_a_layer_two_head_read_from_the_embedding_would_not_match(registry, tmp_path):
    """The check above can fail: on the induction solution, layer 2's head computed from x⁰
    is not the exported head (layer 1 wrote the prev_ features it keys on)."""
    board = Board.with_solution(registry.levels["18_induction"], registry)
    write_export(board, tmp_path)
    ev = board.evaluate(0)
    head = next(h for h in ev.heads if h.layer == 1)
    x0 = np.load(tmp_path / "sentence0_residual_x0.npy")
    wrong = weights_from_stream(board, head.index, x0, ev.tokens["tokens"])
    got = read_csv_table(tmp_path / f"sentence0_head{head.index}_weights.csv")[3]
    assert not np.allclose(got, wrong, atol=1e-3)


def test_the_manifest_names_layers_heads_and_who_writes_each_feature(registry, tmp_path):
    board = Board.with_solution(registry.levels["18_induction"], registry)
    write_export(board, tmp_path)
    facts = read_manifest(tmp_path)
    assert facts["layers"] == 2
    weights = [t for t in facts["tables"] if t["kind"] == "weights" and t["sentence"] == 0]
    assert [(t["head"], t["layer"], t["name"]) for t in weights] == [(0, 0, "L1H1"), (1, 1, "L2H1")]
    streams = [t for t in facts["tables"] if t["kind"] == "residual" and t["sentence"] == 0]
    assert [t["stream"] for t in streams] == [0, 1, 2]
    written = streams[-1]["written_by"]
    assert written["prev_a"] == [0] and written["next_a"] == [1]


def read_rows(path) -> list[list[str]]:
    with open(path, newline="", encoding="utf-8") as handle:
        return list(csv.reader(handle))


@pytest.mark.parametrize("which", ["start", "solution"])
def test_a_task_levels_held_out_score_and_failures_are_exported(which, registry, tmp_path):
    level = registry.levels["18_induction"]
    board = Board(level, registry) if which == "start" else Board.with_solution(level, registry)
    write_export(board, tmp_path)
    score = score_task(level, registry, board.state)
    measures = dict(read_rows(tmp_path / "task_score.csv")[1:])
    assert float(measures["accuracy_per_position"]) == score.accuracy
    assert int(measures["held_out_inputs"]) == score.examples == level.task.held_out
    assert int(measures["correct_positions"]) == score.correct
    failures = read_rows(tmp_path / "task_failures.csv")
    assert failures[0] == ["failure", "input", "position", "token", "expected", "got"]
    assert len(failures) - 1 == len(score.failures)
    for row, failure in zip(failures[1:], score.failures, strict=True):
        assert row[1].split() == list(failure.tokens)
        assert (int(row[2]), row[4], row[5]) == (failure.position, failure.expected, failure.got)
        assert row[3] == failure.tokens[failure.position] and row[4] != row[5]
    if which == "solution":
        assert score.accuracy >= 0.99
    else:
        assert score.accuracy < 0.5 and len(failures) > 1
    readme = (tmp_path / "README.txt").read_text(encoding="utf-8")
    assert "task_score.csv" in readme and "task_failures.csv" in readme
    assert "residual_x" in readme and "L2H1" in readme
    facts = read_manifest(tmp_path)
    assert facts["task"]["accuracy"] == score.accuracy


def test_a_one_layer_level_without_a_task_gets_no_stream_or_task_files(registry, tmp_path):
    write_export(Board(registry.levels["06_two_heads"], registry), tmp_path)
    assert not list(tmp_path.glob("*residual*")) and not list(tmp_path.glob("task_*"))


def test_exporting_a_plain_level_over_a_task_export_removes_the_task_files(registry, tmp_path):
    write_export(Board(registry.levels["18_induction"], registry), tmp_path)
    assert (tmp_path / "task_score.csv").exists()
    (tmp_path / "mine.csv").write_text("keep")
    write_export(Board(registry.levels["06_two_heads"], registry), tmp_path)
    assert not (tmp_path / "task_score.csv").exists()
    assert not list(tmp_path.glob("*residual*"))
    assert (tmp_path / "mine.csv").read_text() == "keep"
