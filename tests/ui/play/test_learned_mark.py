"""A head found by gradient descent is marked: the stars count, the results screen and the
level select say "learned by gradient descent", and a replay by hand is invited; a head
built by hand clears the mark. Old saves without the mark still load."""

import pygame

from game.model import Board
from game.progress import Progress
from game.ui.flow.game_flow import GameFlow
from game.ui.levels.scene import LevelSelectScene
from game.ui.play import PlayScene
from game.ui.results.scene import ResultsScene
from tests.ui.events import DT, click, press


def open_level(flow, level_id):
    flow.open_level(level_id)
    flow.app.step(DT, [])
    scene = flow.app.scenes.top
    assert isinstance(scene, PlayScene)
    return scene


def make_flow(app, registry, tmp_path):
    flow = GameFlow(app, registry, Progress(), progress_path=tmp_path / "progress.json")
    flow.start()
    flow.teacher = True
    flow.open_levels()
    return flow


def learn_and_keep(app, scene):
    click(app, scene.learn_button.rect.center)
    while not scene.watch.done:
        app.step(1 / 20, [])
    press(app, pygame.K_RETURN)  # Keep is focused
    assert scene.watch is None and scene.evaluation.goals_met


def test_a_learned_head_earns_its_stars_and_is_marked(app, registry, tmp_path):
    flow = make_flow(app, registry, tmp_path)
    scene = open_level(flow, "01_trophy")
    learn_and_keep(app, scene)
    assert scene.controller.machine_learned
    click(app, scene.check_button.rect.center)
    results = app.scenes.top
    assert isinstance(results, ResultsScene) and results.learned
    assert results.result.stars >= 1
    assert flow.progress.stars_for("01_trophy") == results.result.stars
    assert "01_trophy" in flow.progress.learned
    assert any("gradient descent" in line for line in results.takeaway_lines(app.theme))
    assert results.retry_button.label == "Build it by hand"
    click(app, results.retry_button.rect.center)  # back to an empty board, to build by hand
    assert app.scenes.top is scene and scene.board.wire_count == 0


def test_building_it_by_hand_clears_the_mark(app, registry, tmp_path):
    flow = make_flow(app, registry, tmp_path)
    flow.progress.record_result("01_trophy", 3, {}, learned=True)
    scene = open_level(flow, "01_trophy")
    assert not scene.controller.machine_learned
    level = registry.levels["01_trophy"]
    scene.board.replace_head(0, Board.with_solution(level, registry).state.heads[0])
    app.step(DT, [])
    click(app, scene.check_button.rect.center)
    assert not app.scenes.top.learned
    assert "01_trophy" not in flow.progress.learned


def test_changing_a_kept_head_makes_it_the_players(app, registry, tmp_path):
    flow = make_flow(app, registry, tmp_path)
    scene = open_level(flow, "01_trophy")
    learn_and_keep(app, scene)
    wire = scene.board.state.heads[0].wires[0]
    scene.controller.set_strength(wire.query, wire.key, wire.strength - 0.5)
    assert not scene.controller.machine_learned


def test_the_mark_is_saved_and_old_saves_load_without_it(tmp_path):
    progress = Progress()
    progress.record_result("01_trophy", 2, {}, learned=True)
    data = progress.to_dict()
    assert data["learned"] == ["01_trophy"]
    assert Progress.from_dict(data).learned == {"01_trophy"}
    del data["learned"]  # a save from before the mark
    assert Progress.from_dict(data).learned == set()
    progress.record_result("01_trophy", 1, {}, learned=False)  # by hand, even fewer stars
    assert "01_trophy" not in progress.learned and progress.stars_for("01_trophy") == 2
    progress.record_result("01_trophy", 3, {}, learned=True)  # already done by hand
    assert "01_trophy" not in progress.learned


def test_the_level_select_shows_the_mark(app, registry, monkeypatch):
    drawn = []
    real = app.text.render
    monkeypatch.setattr(app.text, "render", lambda t, *a, **k: drawn.append(t) or real(t, *a, **k))
    scene = LevelSelectScene(
        app, registry.levels, {"01_trophy": 3}, learned={"01_trophy"},
        on_open=lambda _: None, concepts=registry.concepts,
    )  # fmt: skip
    app.scenes.push(scene)
    app.step(DT, [])
    assert "learned by" in drawn and "gradient descent" in drawn


def test_the_level_select_explains_the_three_stars_and_par(app, registry, monkeypatch):
    from game.ui.levels.scene import STARS_LEGEND

    drawn = []
    real = app.text.render
    monkeypatch.setattr(app.text, "render", lambda t, *a, **k: drawn.append(t) or real(t, *a, **k))
    scene = LevelSelectScene(
        app, registry.levels, {}, on_open=lambda _: None, concepts=registry.concepts
    )
    app.scenes.push(scene)
    app.step(DT, [])
    assert "par" in STARS_LEGEND and "fewest wires" in STARS_LEGEND
    assert any(line.startswith("Stars:") and "fewest wires" in line for line in drawn)
