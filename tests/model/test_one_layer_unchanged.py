"""Every one-layer level gives the numbers it gave before stacked layers existed.

tests/model/data/one_layer_numbers.json was written by the code of `main` at 3e60c16, before
stacked layers, for every installed level's start board and reference solution, every
sentence: checksums (Σ v and Σ i·v) of the outputs, of each head's weights and output, the
goal results and the stars. The layer-by-layer forward pass must reproduce them.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from game.model import Board, score
from game.plugins import load_plugins

REGISTRY = load_plugins(no_plugins=True)
GOLDEN = json.loads((Path(__file__).parent / "data" / "one_layer_numbers.json").read_text())


def checksum(array: np.ndarray) -> list[float]:
    a = np.asarray(array, dtype=np.float64).ravel()  # (size,)
    return [float(a.sum()), float((np.arange(1, a.size + 1) * a).sum())]


def close(got: object, want: object) -> None:
    np.testing.assert_allclose(np.asarray(got), np.asarray(want), rtol=1e-9, atol=1e-9)


@pytest.mark.parametrize("key", sorted(GOLDEN))
def test_a_one_layer_board_gives_the_numbers_it_gave_before_layers(key):
    level_id, which = key.split("/")
    level = REGISTRY.levels[level_id]
    assert level.layers == 1
    board = Board.with_solution(level, REGISTRY) if which == "solution" else Board(level, REGISTRY)
    want = GOLDEN[key]
    assert score(board).stars == want["stars"]
    evaluations = board.evaluate_all()
    assert len(evaluations) == len(want["sentences"])
    for evaluation, sentence in zip(evaluations, want["sentences"], strict=True):
        assert sorted(evaluation.outputs) == sorted(sentence["outputs"])
        for seq, sums in sentence["outputs"].items():
            close(checksum(evaluation.outputs[seq]), sums)
        close([checksum(h.weights) for h in evaluation.heads], sentence["weights"])
        close([checksum(h.out) for h in evaluation.heads], sentence["head_out"])
        goals = [[r.met, r.progress] for r in evaluation.goal_results]
        assert [g[0] for g in goals] == [g[0] for g in sentence["goals"]]
        close([g[1] for g in goals], [g[1] for g in sentence["goals"]])
