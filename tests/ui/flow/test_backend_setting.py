"""The attention backend chosen in the settings is the one the board computes with."""

import dataclasses

from game.progress import Progress
from game.ui.flow.game_flow import GameFlow


def test_the_board_uses_the_backend_from_the_settings(app, registry, tmp_path):
    progress = Progress()
    progress.settings = dataclasses.replace(progress.settings, backend="tiled")
    flow = GameFlow(app, registry, progress, progress_path=tmp_path / "p.json")
    flow.start()
    flow.open_level("01_trophy")
    assert flow.app.scenes.top.board.backend == "tiled"


def test_a_backend_this_machine_lacks_falls_back_to_auto(app, registry, tmp_path):
    progress = Progress()
    progress.settings = dataclasses.replace(progress.settings, backend="cupy")
    flow = GameFlow(app, registry, progress, progress_path=tmp_path / "p.json")
    flow.start()
    flow.open_level("01_trophy")
    board = flow.app.scenes.top.board
    assert board.backend == "auto"
    assert board.evaluate(0).goal_results  # and it evaluates
