"""The play screen on a level with layers, driven by key and mouse events through App.step:
the layer strip picks any head of any layer (click, [ / ], keys on the strip), the
heatmap, board, editors, inspector and step mode follow that head, and the residual
stream panel shows the features earlier layers' heads wrote."""

from pathlib import Path

import numpy as np
import pygame
import pytest

from game.levels.loader import load_level_text
from game.model import Board
from game.ui.engine.theme import head_colours
from game.ui.play import PlayScene
from game.ui.play.step_mode import step_caption
from game.ui.play.watch import watch_title
from tests.ui.events import DT, click, press

LEVEL = Path(__file__).parent / "levels" / "two_by_two.toml"


@pytest.fixture
def level(registry):
    return load_level_text(LEVEL.read_text(encoding="utf-8"), LEVEL.name, registry)


def open_scene(app, registry, level, solved=True):
    board = Board.with_solution(level, registry) if solved else Board(level, registry)
    scene = PlayScene(app, level, registry, board=board)
    app.scenes.push(scene)
    app.step(DT, [])
    return scene


def shows_head(scene, head):
    """The heatmap, the editors and the residual panel all show global head `head`."""
    ev = scene.evaluation
    np.testing.assert_array_equal(scene.heatmap.weights, ev.head(head).weights)
    spec = scene.board.heads[head]
    assert [(link.left, link.right) for link in scene.wire_editor.links] == [
        (w.query, w.key) for w in spec.wires
    ]
    assert scene.layer_views.panel.layer == scene.board.layer_of(head)
    return True


def test_the_strip_replaces_the_head_tabs_and_the_stream_replaces_the_bars(app, registry, level):
    scene = open_scene(app, registry, level)
    controls = scene.level_controls
    assert controls.layer_strip in controls.shown and controls.head_tabs not in controls.shown
    assert controls.layer_strip.count == len(scene.board.heads) == 4
    assert scene.layer_views.panel in scene.group.widgets
    assert scene.layer_views.panel.rect == scene.outputs_rect
    for widget in (controls.layer_strip, scene.layer_views.panel):  # on screen, not overlapping
        assert pygame.Rect(0, 0, 1280, 720).contains(widget.rect)
    assert not controls.layer_strip.rect.colliderect(scene.layout.board)


def test_one_layer_levels_keep_their_head_tabs_and_bars(app, registry):
    level = registry.levels["06_two_heads"]
    scene = open_scene(app, registry, level)
    controls = scene.level_controls
    assert controls.head_tabs in controls.shown and controls.layer_strip not in controls.shown
    assert not scene.layer_views.active and scene.layer_views.panel not in scene.group.widgets
    press(app, pygame.K_RIGHTBRACKET)  # no layers: the key does nothing
    assert scene.head == 0


def test_switching_layers_by_mouse_and_keys(app, registry, level):
    scene = open_scene(app, registry, level)
    strip = scene.level_controls.layer_strip
    assert scene.head == 0 and shows_head(scene, 0)
    press(app, pygame.K_RIGHTBRACKET)  # the next layer, same place: layer 2's first head
    assert scene.head == 2 and shows_head(scene, 2)
    assert scene.level_controls.mix_slider.label == "L2·H1 mix"
    press(app, pygame.K_RIGHTBRACKET)  # no layer 3
    assert scene.head == 2
    click(app, strip.head_rect(3).center)
    assert scene.head == 3 and shows_head(scene, 3) and strip.selected == 3
    press(app, pygame.K_LEFTBRACKET)  # the previous layer keeps the head's place
    assert scene.head == 1 and shows_head(scene, 1)
    click(app, strip.layer_rect(1).center)  # a layer's tab: that layer, same place
    assert scene.head == 3
    scene.group.focus(strip)  # on the focused strip: Left walks every head, across layers
    press(app, pygame.K_LEFT)
    press(app, pygame.K_LEFT)
    assert scene.head == 1
    press(app, pygame.K_DOWN)
    assert scene.head == 3 and shows_head(scene, 3)


def test_the_stream_shows_what_layer_one_wrote_for_layer_two(app, registry, level):
    scene = open_scene(app, registry, level)
    panel = scene.layer_views.panel
    ev = scene.evaluation
    assert len(panel.data.residual) == 3  # x⁰, after layer 1, after layer 2
    assert panel.token == len(ev.tokens[ev.main_sequence]) - 1
    tag = list(level.features).index("tag")
    panel.set_token(2)  # the x: layer 1's head wrote `tag` there
    assert panel.value(tag, 0) == 0 and panel.value(tag, 1) > 0.5
    np.testing.assert_allclose(panel.data.residual[1], ev.residual[1])
    assert panel.readable("tag") == ()  # layer 1 reads only the embedding
    press(app, pygame.K_RIGHTBRACKET)
    assert panel.readable("tag") == (0,)  # layer 2 reads what head L1·H1 wrote
    colour = head_colours(app.theme)[0]
    assert scene.wire_editor.marks == {"tag": colour}  # tinted where layer 2's wires read it
    press(app, pygame.K_LEFTBRACKET)
    assert scene.wire_editor.marks == {}  # layer 1 reads only what the tokens carry
    assert panel.token == 2  # switching layers keeps the token shown


def test_inspector_and_step_mode_follow_a_layer_two_head(app, registry, level):
    scene = open_scene(app, registry, level)
    press(app, pygame.K_RIGHTBRACKET)
    heatmap = scene.heatmap
    click(app, heatmap.cell_rect(5, 2).center)  # the last z looking at the x
    state = scene.inspector.state
    assert state is not None and (state.head, state.i, state.j) == (2, 5, 2)
    assert state.head_label == "L2·H1"  # the inspector's title names the head's layer
    assert scene.layer_views.panel.token == 5  # the stream follows the inspected query
    press(app, pygame.K_ESCAPE)
    press(app, pygame.K_s)
    mode = scene.step_mode
    assert mode.active and mode.layer == 1
    expected = scene.evaluation.steps(2).arrays()
    for (name, array), (want_name, want) in zip(mode.arrays, expected, strict=True):
        assert name == want_name
        np.testing.assert_array_equal(array, want)
    caption = step_caption(0, "Q", mode.arrays[0][1], 0, layer=mode.layer)
    assert "residual stream x¹" in caption
    assert len(mode.labels[8][1]) == 2 * len(level.features)  # concat: this layer's 2 heads


@pytest.mark.parametrize("theme", ["normal", "projector"])
def test_drawing_a_layered_board_changes_nothing(app, registry, level, theme):
    from game.ui.engine.theme import themed

    app.theme = themed(theme, 1.5)
    scene = open_scene(app, registry, level)
    press(app, pygame.K_RIGHTBRACKET)
    before = (scene.head, scene.board.revision, scene.layer_views.panel.token)
    surface = pygame.Surface((1280, 720))
    scene.draw(surface)
    scene.draw(surface)
    assert (scene.head, scene.board.revision, scene.layer_views.panel.token) == before


def test_watch_it_learn_trains_the_selected_layer_two_head_only(app, registry, level):
    scene = open_scene(app, registry, level)
    for query, key in [(w.query, w.key) for w in scene.board.heads[2].wires]:
        scene.board.remove_wire(2, query, key)  # layer 2's finder, taken off
    app.step(DT, [])
    before = scene.board.state.heads
    press(app, pygame.K_RIGHTBRACKET)
    assert scene.head == 2 and scene.learn_available
    click(app, scene.learn_button.rect.center)
    watch = scene.watch
    assert watch is not None and watch.head == 2
    assert watch_title(watch) == "Watching L2·H1 learn; every other head stays frozen"
    for _ in range(3000):
        app.step(DT, [])
        if watch.done:
            break
    assert watch.done and watch.error is None
    click(app, scene.watch_panel.keep_button.rect.center)
    after = scene.board.state.heads
    assert after[2].wires and after[2].wires != before[2].wires  # the learned head
    assert [after[h] for h in (0, 1, 3)] == [before[h] for h in (0, 1, 3)]  # frozen
    ev = scene.evaluation
    q, x = 5, 2
    assert ev.head(2).weights[q, x] >= 0.9


def test_the_results_screen_shows_any_head_of_any_layer(app, registry, level):
    from game.ui.results.scene import ResultsScene

    scene = open_scene(app, registry, level)
    press(app, pygame.K_RETURN, pygame.KMOD_CTRL)  # Check
    results = app.scenes.top
    assert isinstance(results, ResultsScene) and results.result.stars == 3
    tabs = results.head_tabs
    assert tabs.labels == ["L1·H1", "L1·H2", "L2·H1", "L2·H2"]
    click(app, tabs.tab_rect(2).center)
    assert results.head == 2
    np.testing.assert_array_equal(results.mine.weights, scene.board.evaluate(0).head(2).weights)


def test_the_results_say_the_layer_and_head_par(registry, level):
    from game.model.stars import score
    from game.ui.results.reasons import star_reasons

    board = Board.with_solution(level, registry)
    earned, why = star_reasons(level, board, score(board))[1]
    assert (
        earned
        and why == "Par: 4 wires, 2 layers and 2 heads in use; par is 4 wires, 2 layers, 2 heads."
    )
    board.add_wire(1, "one", "bos", 1.0)  # a third head in use: over par_heads
    earned, why = star_reasons(level, board, score(board))[1]
    assert not earned and "3 heads in use" in why and why.endswith("try it with fewer.")


def test_a_stacked_best_board_comes_back_with_its_layers(app, registry, tmp_path):
    from game.progress import Progress, load_progress
    from game.ui.flow.game_flow import GameFlow

    flow = GameFlow(app, registry, Progress(), progress_path=tmp_path / "progress.json")
    flow.start()
    flow.teacher = True
    flow.open_levels()
    level = registry.levels["18_induction"]
    flow.app.scenes.push(flow.play_scene(level.id, Board.with_solution(level, registry)))
    app.step(DT, [])
    press(app, pygame.K_RETURN, pygame.KMOD_CTRL)  # Check: the best board is saved
    saved = load_progress(tmp_path / "progress.json")[0].best[level.id]
    assert any(head.get("layer") == 1 for head in saved["heads"])  # layer 2's head, saved
    flow.back_to_levels()
    flow.open_level(level.id)
    app.step(DT, [])
    scene = app.scenes.top
    assert isinstance(scene, PlayScene) and scene.board.state.heads == (
        Board.with_solution(level, registry).state.heads
    )
    press(app, pygame.K_RIGHTBRACKET)
    assert scene.head == 1 and scene.board.layer_of(1) == 1 and scene.board.heads[1].wires


def test_the_board_cards_show_what_the_selected_layer_reads(app, registry, level):
    scene = open_scene(app, registry, level)
    ev, tag = scene.evaluation, list(level.features).index("tag")
    np.testing.assert_array_equal(scene.board_view.key_x, ev.x[ev.main_sequence])  # x⁰
    assert scene.board_view.key_x[2, tag] == 0  # no token carries tag
    press(app, pygame.K_RIGHTBRACKET)
    np.testing.assert_array_equal(scene.board_view.key_x, scene.evaluation.residual[1])  # x¹
    assert scene.board_view.key_x[2, tag] > 0.5  # the x carries the tag layer 1 wrote
