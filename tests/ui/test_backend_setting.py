"""The attention backend chosen in the settings is the one the board computes with."""

import dataclasses

from game.progress import Progress
from game.ui.game_app import GameFlow


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


def test_settings_list_plugin_backends_by_title_beside_the_built_ins(app):
    from game.progress import Settings
    from game.ui.scenes_settings import SettingsScene

    scene = SettingsScene(app, Settings(), lambda s: None)
    assert scene.backends[:3] == ["auto", "reference", "tiled"]
    naive = scene.backends.index("naive")  # the built-in plugin's backend
    assert scene.backend_tabs.labels[:3] == ["Fastest", "Reference", "Tiled"]
    assert scene.backend_tabs.labels[naive] == "Naive (n×n)"


def test_a_plugin_backend_chosen_in_the_settings_computes_the_board(
    app, registry, tmp_path, monkeypatch
):
    from game.attention import functional

    ran = []
    check = functional.run_checked
    monkeypatch.setattr(
        functional,
        "run_checked",
        lambda backend, inputs: ran.append(backend.name) or check(backend, inputs),
    )
    progress = Progress()
    progress.settings = dataclasses.replace(progress.settings, backend="naive")
    flow = GameFlow(app, registry, progress, progress_path=tmp_path / "p.json")
    flow.start()
    flow.open_level("01_trophy")
    board = flow.app.scenes.top.board
    assert board.backend == "naive"
    assert board.evaluate(0).goal_results and ran and set(ran) == {"naive"}
