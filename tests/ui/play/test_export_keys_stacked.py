"""E on a stacked board (issue 17 × issue 13): the real play screen exports every head of every
layer as the player left it, each head's weights equal to attention on its own layer's
residual stream, the stream itself, and the task level's held-out score."""

from __future__ import annotations

import csv

import numpy as np
import pygame
import pytest

from game.export import EXPORT_DIR_ENV
from game.model import Board
from game.model.task_score import score_task
from game.ui.play import PlayScene
from tests.export.loading import assert_export_matches, read_csv_table, weights_from_stream
from tests.ui.events import DT, press


@pytest.fixture
def root(tmp_path, monkeypatch):
    folder = tmp_path / "exports"
    monkeypatch.setenv(EXPORT_DIR_ENV, str(folder))
    return folder


def test_e_on_the_induction_board_exports_both_layers_as_the_player_left_them(app, registry, root):
    level = registry.levels["18_induction"]
    scene = PlayScene(app, level, registry, board=Board.with_solution(level, registry))
    app.scenes.push(scene)
    app.step(DT, [])
    scene.controller.select_head(1)  # layer 2's head
    app.step(DT, [])
    scene.controller.remove_wire("a", "prev_a")  # break the induction head for "a"
    app.step(DT, [])
    board = scene.board
    assert board.state != Board.with_solution(level, registry).state
    assert (
        board.state.heads[1].layer == 1
        and board.state.heads[1] != (Board.with_solution(level, registry).state.heads[1])
    )
    press(app, pygame.K_e)
    (folder,) = [p for p in root.iterdir() if p.is_dir()]
    assert_export_matches(folder, board)  # every file, every head, board.json loads back
    for s in range(len(level.sentences)):
        ev = board.evaluate(s)
        for head in ev.heads:
            x_l = np.load(folder / f"sentence{s}_residual_x{head.layer}.npy")  # (n, d_model)
            assert np.array_equal(x_l, ev.residual[head.layer])
            expected = weights_from_stream(board, head.index, x_l, ev.tokens["tokens"])
            got = read_csv_table(folder / f"sentence{s}_head{head.index}_weights.csv")[3]
            assert np.allclose(got, expected, rtol=0, atol=1e-12)
    score = score_task(level, registry, board.state)
    with open(folder / "task_score.csv", newline="", encoding="utf-8") as handle:
        measures = dict(list(csv.reader(handle))[1:])
    assert float(measures["accuracy_per_position"]) == score.accuracy < 0.99  # the edit shows
