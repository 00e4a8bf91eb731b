"""Presenter mode on stacked levels (issue 17 × issue 13), through the real `switchyard demo`
and key and mouse events: the clicker walks into the Circuits chapter on start boards even
when the player saved a solved one, the presenter's keys (lock, blank, zoom) work there,
a layer-2 head's weights are printed in the projector theme's cells (the play heatmap where
its cells are big enough, step mode's matrix otherwise), and a lesson's cell question on a
layer-2 head is answered from the real layer-2 weights."""

from __future__ import annotations

import numpy as np
import pygame

from game.model import STEP_NAMES, Board
from game.model.saved_board import state_to_dict
from game.progress import Progress
from game.ui.flow.game_flow import GameFlow
from game.ui.lesson.opening import open_lesson
from game.ui.presenter.layer import Presenter
from tests.ui.events import DT, click, move, press
from tests.ui.presenter.conftest import write_player_save


def circuits(app) -> list[str]:
    flow = app.presenter.flow
    return [i for i in flow.order if flow.levels[i].concept == "circuits"]


def test_the_clicker_walks_into_the_circuits_chapter_on_start_boards(demo, data_dir, registry):
    solved = Board.with_solution(registry.levels["18_induction"], registry)
    saved = write_player_save(data_dir, {"18_induction": state_to_dict(solved.state)})
    app = demo("--level", "12_scaling")
    chapter = circuits(app)
    assert chapter[0] == app.presenter.flow.next_level("12_scaling")
    assert {"18_induction", "19_dyck"} <= set(chapter)
    for level_id in chapter:
        press(app, pygame.K_RIGHT)
        scene = app.scenes.top
        assert scene.level.id == level_id
        assert scene.board.state == scene.board.initial_state  # not the player's solved board
    press(app, pygame.K_RIGHT)  # the last level: stays
    assert app.scenes.top.level.id == chapter[-1]
    while app.scenes.top.level.id != "18_induction":
        press(app, pygame.K_PAGEUP)
    assert app.scenes.top.board.state != solved.state
    assert (data_dir / "progress.json").read_bytes() == saved  # the player's save untouched


def open_layer_two(app):
    """Click the layer strip's "Layer 2" tab: the play screen shows layer 2's head."""
    scene = app.scenes.top
    strip = scene.level_controls.layer_strip
    click(app, strip.layer_rect(1).center)
    app.step(DT, [])
    assert scene.head == scene.level.heads  # layer 2's first head
    assert scene.controller.evaluation.heads[scene.head].layer == 1
    return scene


def test_lock_blank_and_zoom_work_on_a_layer_two_head(demo):
    app = demo("--level", "18_induction")
    scene = open_layer_two(app)
    assert scene.hint_button.enabled
    press(app, pygame.K_l)
    assert app.presenter.locked and not scene.hint_button.enabled
    press(app, pygame.K_h)
    assert scene.hints_shown == 0  # hints locked
    press(app, pygame.K_a)  # and the solution
    assert app.scenes.top is scene and scene.board.state == scene.board.initial_state
    press(app, pygame.K_b)
    assert app.presenter.blanked and pygame.surfarray.array3d(app.window).max() == 0
    press(app, pygame.K_SPACE)  # any key brings it back, on the same head
    assert not app.presenter.blanked and scene.head == scene.level.heads
    move(app, scene.heatmap.rect.center)
    app.step(DT, [])
    plain = app.canvas.copy()
    press(app, pygame.K_z)
    app.step(DT, [])
    assert app.presenter.lens.on
    spots = [(x, y) for x in range(800, 1200, 16) for y in range(100, 400, 16)]
    assert sum(app.canvas.get_at(p) != plain.get_at(p) for p in spots) > 20
    press(app, pygame.K_ESCAPE)
    assert not app.presenter.lens.on and app.scenes.top is scene
    press(app, pygame.K_l)
    assert not app.presenter.locked and scene.hint_button.enabled
    press(app, pygame.K_h)
    assert scene.hints_shown == 1


def ink(app, rect) -> int:
    from game.ui.widgets.cell_numbers import DARK_INK, LIGHT_INK

    pixels = pygame.surfarray.array3d(app.canvas.subsurface(rect))  # (w, h, 3)
    return sum(int(np.all(pixels == colour, axis=2).sum()) for colour in (DARK_INK, LIGHT_INK))


def test_the_projector_heatmap_prints_a_layer_two_heads_numbers(demo):
    app = demo("--level", "19_dyck")
    assert app.theme.name == "projector"
    press(app, pygame.K_a)  # the presenter asks for the solution
    scene = open_layer_two(app)
    ev = scene.controller.evaluation
    layer_two, layer_one = ev.heads[scene.head], ev.heads[0]
    assert np.array_equal(scene.heatmap.weights, layer_two.weights)
    assert not np.allclose(layer_two.weights, layer_one.weights)
    assert scene.heatmap.number_px(app.theme, app.text) is not None
    app.step(DT, [])
    n = len(ev.tokens["tokens"])
    assert ink(app, scene.heatmap.cell_rect(n - 1, 0)) > 10  # a number in the corner cell


def test_step_mode_prints_every_number_of_the_layer_two_head_on_the_induction_level(demo):
    """14 tokens make the play heatmap's cells too small for readable numbers; step mode's
    matrix takes the right column and prints every one of layer 2's weights."""
    app = demo("--level", "18_induction")
    press(app, pygame.K_a)
    scene = open_layer_two(app)
    press(app, pygame.K_s)
    assert scene.step_mode.active
    target = STEP_NAMES.index("softmax")
    while scene.step_mode.index < target:
        press(app, pygame.K_RIGHT)
    app.step(DT, [])
    name, array = scene.step_mode.arrays[scene.step_mode.index]
    ev = scene.controller.evaluation
    assert np.allclose(array, ev.heads[scene.head].weights, atol=1e-12), name
    _, unprinted = scene.step_view.numbers(np.atleast_2d(array), app.theme, app.text)
    assert unprinted == 0


def test_a_lesson_cell_question_on_a_layer_two_head_reveals_layer_two(app, registry, tmp_path):
    """The second "a" of the induction sentence: layer 2 looks at the "c" after the first "a"
    (position 2); layer 1 at the word just before it (position 3). The reveal reads layer 2."""
    from game.lessons import load_lesson_text

    level = registry.levels["18_induction"]
    ev = Board.with_solution(level, registry).evaluate(0)
    query = 4
    row_two, row_one = ev.heads[1].weights[query], ev.heads[0].weights[query]
    right = int(np.argmax(row_two))
    assert right != int(np.argmax(row_one)) and np.sort(row_two)[-2] < row_two[right] - 0.1
    text = (
        'id = "induction-cells"\ntitle = "Induction"\nminutes = 5\n\n[[steps]]\n'
        'level = "18_induction"\nshow = "solution"\nhead = "L2H1"\n'
        'caption = "Layer 2 keys on what layer 1 wrote into each word: the word before it."\n'
        f'[steps.prompt]\nkind = "cell"\nquestion = "Where does this a look?"\nquery = {query}\n'
    )
    lesson = load_lesson_text(text, "induction.toml", registry.levels)
    flow = GameFlow(app, registry, Progress(), progress_path=tmp_path / "p.json", presenter=True)
    app.presenter = Presenter(flow)
    flow.start()
    open_lesson(flow, lesson)
    scene = app.scenes.top
    assert scene.play.head == 1 and scene.play.evaluation.heads[1].layer == 1
    assert scene.shown_position() == "L2·H1 · step 1 of 1"  # the bar covers the layer strip
    wrong = int(np.argmax(row_one))
    press(app, pygame.K_RIGHT)  # the cursor walks the query's row
    click(app, scene.grid().cell_rect(scene._answer.query, wrong).center)  # the class: layer 1's
    assert scene.prompt.picked == wrong
    press(app, pygame.K_SPACE)
    reveal = scene.prompt.reveal
    assert reveal.right == (right,) and not reveal.is_right(wrong)
    assert np.array_equal(reveal.row, row_two)  # the real layer-2 weights, not layer 1's
    app.draw()
