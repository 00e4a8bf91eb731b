"""A stacked level whose last layer is left empty: the stream panel (the play screen's
output panel on stacked levels) reads the answer from the final stream, which an empty
layer passes through unchanged, so it shows what the used layers computed, not zeros."""

from __future__ import annotations

from pathlib import Path

import numpy as np

import game
from game.levels.loader import load_level_text
from game.model import Board
from game.ui.play import PlayScene
from tests.ui.events import DT


def test_an_empty_last_layer_shows_the_used_layers_answer(app, registry):
    path = Path(game.__file__).parent / "campaign" / "13_copy_previous.toml"
    text = path.read_text(encoding="utf-8").replace("heads = 2\n", "heads = 2\nlayers = 2\n", 1)
    level = load_level_text(text, path.name, registry)
    board = Board.with_solution(level, registry)
    assert board.used_layers() == 1 and level.layers == 2
    play = PlayScene(app, level, registry, board=board)
    app.scenes.push(play)
    app.step(DT, [])
    ev, panel = play.evaluation, play.layer_views.panel
    assert np.allclose(ev.residual[2], ev.residual[1])  # the empty layer adds nothing
    assert not np.allclose(ev.residual[1], ev.residual[0])  # layer 1 wrote the answer
    tokens = ev.tokens[ev.main_sequence]
    assert list(panel.data.read[2:]) == list(tokens[1:-1])  # each letter reads the one before
    assert ev.task.accuracy == 1.0
    assert play.layer_views.task_button.label == "Task 100.0%: show failures"
