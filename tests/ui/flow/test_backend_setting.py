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


def test_settings_list_plugin_backends_by_title_beside_the_built_ins(app):
    from game.progress import Preferences
    from game.ui.settings.scene import SettingsScene

    scene = SettingsScene(app, Preferences(), lambda s: None)
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
    assert board.backend.name == "naive" and board.backend.plugin == "backend_naive"
    assert board.evaluate(0).goal_results and ran and set(ran) == {"naive"}


PLAIN = """
import numpy as np

from game.api import AttentionBackend, hookimpl


def plain(inputs):
    weights = inputs.masked_softmax(inputs.logits(np.float64))  # (*lead, n_q, n_k)
    return (weights @ inputs.v).astype(inputs.out_dtype)  # (*lead, n_q, d_v)


@hookimpl
def switchyard_register_backends(register):
    register(AttentionBackend(name="plain_numpy", title="Plain NumPy", run=plain))
"""


def test_a_backend_from_a_plugin_path_is_offered_and_used_by_this_game_only(app, tmp_path):
    """`play --plugin PATH`: the game's own registry has the backend; the default one does not."""
    from game.attention import backends
    from game.plugins import load_plugins
    from game.ui.settings.scene import SettingsScene

    path = tmp_path / "plain_numpy.py"
    path.write_text(PLAIN)
    registry = load_plugins(extra=[path], use_user_dir=False, entry_points=False)
    assert "plain_numpy" not in backends()  # the default registry never saw the file
    progress = Progress()
    scene = SettingsScene(app, progress.settings, lambda s: None, registry=registry)
    assert scene.backend_tabs.labels[scene.backends.index("plain_numpy")] == "Plain NumPy"
    progress.settings = dataclasses.replace(progress.settings, backend="plain_numpy")
    flow = GameFlow(app, registry, progress, progress_path=tmp_path / "p.json")
    flow.start()
    flow.open_level("01_trophy")
    board = flow.app.scenes.top.board
    assert board.backend.name == "plain_numpy"
    assert board.evaluate(0).goals_met is False  # it computes the start board
