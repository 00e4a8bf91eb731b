"""The play screen, driven only by synthetic mouse and keyboard events through App.step:
the first three campaign levels solved to three stars both ways, undo/redo by keys,
heatmap caching, drawing that never touches the board, the inspector's numbers, step
mode, board errors as toasts, and render_level."""

import pygame
import pytest

from game.model import STEP_NAMES, Board
from game.progress import Progress, load_progress
from game.ui.flow.game_flow import GameFlow, render_level
from game.ui.play import PlayScene
from game.ui.play.inspector import inspection_rows
from game.ui.play.wire_editor import LEFT, LINKS, RIGHT
from game.ui.results.scene import ResultsScene
from tests.ui.events import click, drag, move, press, presses, wheel

FIRST_THREE = ["01_trophy", "02_query_key_value", "03_first_word"]
STRENGTH: dict[str, float] = {}  # per-level overrides of the reference strengths (none now)
STEP = 0.5  # what one wheel notch or one arrow press changes a strength by


@pytest.fixture
def flow(app, registry, tmp_path):
    game = GameFlow(app, registry, Progress(), progress_path=tmp_path / "progress.json")
    game.start()
    game.teacher = True
    game.open_levels()
    return game


def open_level(flow, level_id):
    flow.open_level(level_id)
    flow.app.step(1 / 60, [])
    scene = flow.app.scenes.top
    assert isinstance(scene, PlayScene)
    return scene


def solution_heads(level):
    return level.solution.heads


def notches(target, start=1.0):
    return round((target - start) / STEP)


def build_by_mouse(app, scene, level):
    features = list(level.features)
    for h, head in enumerate(solution_heads(level)):
        if len(level.solution.heads) > 1:
            click(app, scene.level_controls.head_tabs.tab_rect(h).center)
            assert scene.head == h
        wires, values = scene.wire_editor, scene.value_editor
        for wire in head.wires:
            a = wires.socket_rect(LEFT, features.index(wire.query)).center
            b = wires.socket_rect(RIGHT, features.index(wire.key)).center
            drag(app, a, b)
            link = wires.link(wire.query, wire.key)
            assert link is not None
            ends = wires.link_ends(link)
            middle = ((ends[0][0] + ends[1][0]) // 2, (ends[0][1] + ends[1][1]) // 2)
            wheel(app, middle, notches(STRENGTH.get(level.id, wire.strength)))
        for route in head.values:
            a = values.socket_rect(LEFT, features.index(route.key)).center
            b = values.socket_rect(RIGHT, features.index(route.out)).center
            drag(app, a, b)


def focus(app, scene, widget):
    for _ in range(len(scene.group.widgets) + 1):
        if scene.group.focused is widget:
            return
        press(app, pygame.K_TAB)
    raise AssertionError(f"Tab never reached {widget}")


def go_to_socket(app, editor, column, index):
    if editor.column == LINKS:
        presses(app, pygame.K_UP, editor.row + 1)  # up from the first wire: back to sockets
    press(app, pygame.K_LEFT if column == LEFT else pygame.K_RIGHT)
    if column == RIGHT and editor.column != RIGHT:
        press(app, pygame.K_RIGHT)
    assert editor.column == column
    delta = index - editor.row
    presses(app, pygame.K_DOWN if delta > 0 else pygame.K_UP, abs(delta))
    assert editor.row == index


def build_by_keyboard(app, scene, level):
    features = list(level.features)
    for h, head in enumerate(solution_heads(level)):
        if len(level.solution.heads) > 1:
            focus(app, scene, scene.level_controls.head_tabs)
            presses(app, pygame.K_RIGHT, h - scene.head)
            assert scene.head == h
        editor = scene.wire_editor
        for wire in head.wires:
            focus(app, scene, editor)
            go_to_socket(app, editor, LEFT, features.index(wire.query))
            press(app, pygame.K_RETURN)
            go_to_socket(app, editor, RIGHT, features.index(wire.key))
            press(app, pygame.K_RETURN)
            assert editor.link(wire.query, wire.key) is not None
            press(app, pygame.K_RIGHT)  # on to the wires
            index = [(k.left, k.right) for k in editor.links].index((wire.query, wire.key))
            presses(app, pygame.K_DOWN, index)
            presses(app, pygame.K_RIGHT, notches(STRENGTH.get(level.id, wire.strength)))
        editor = scene.value_editor
        for route in head.values:
            focus(app, scene, editor)
            go_to_socket(app, editor, LEFT, features.index(route.key))
            press(app, pygame.K_RETURN)
            go_to_socket(app, editor, RIGHT, features.index(route.out))
            press(app, pygame.K_RETURN)
            assert editor.link(route.key, route.out) is not None


@pytest.mark.parametrize("level_id", FIRST_THREE)
def test_three_stars_by_mouse_alone(flow, level_id, tmp_path):
    app = flow.app
    scene = open_level(flow, level_id)
    level = scene.level
    build_by_mouse(app, scene, level)
    assert scene.evaluation.goals_met, [r.message for r in scene.evaluation.goal_results]
    click(app, scene.check_button.rect.center)
    results = app.scenes.top
    assert isinstance(results, ResultsScene)
    assert results.result.stars == 3, results.reasons
    assert flow.progress.stars[level_id] == 3
    saved, warning = load_progress(tmp_path / "progress.json")
    assert warning is None and saved.stars[level_id] == 3
    assert saved.best[level_id]["heads"][0]["wires"]


@pytest.mark.parametrize("level_id", FIRST_THREE)
def test_three_stars_by_keyboard_alone(flow, level_id):
    app = flow.app
    scene = open_level(flow, level_id)
    build_by_keyboard(app, scene, scene.level)
    assert scene.evaluation.goals_met, [r.message for r in scene.evaluation.goal_results]
    press(app, pygame.K_RETURN, pygame.KMOD_CTRL)
    results = app.scenes.top
    assert isinstance(results, ResultsScene)
    assert results.result.stars == 3, results.reasons
    assert flow.progress.stars[level_id] == 3


def test_enter_on_a_tuned_wire_checks_once_the_goals_are_met(flow):
    app = flow.app
    scene = open_level(flow, "01_trophy")
    build_by_keyboard(app, scene, scene.level)
    assert scene.wire_editor.column == LINKS or scene.value_editor.focused
    focus(app, scene, scene.wire_editor)  # Tab enters at the first query socket
    presses(app, pygame.K_RIGHT, 2)  # to the key column, then onto the wire
    press(app, pygame.K_RETURN)
    assert isinstance(app.scenes.top, ResultsScene)


def test_undo_redo_and_reset_by_keys(flow):
    app = flow.app
    scene = open_level(flow, "01_trophy")
    board = scene.board
    editor = scene.wire_editor
    drag(app, editor.socket_rect(LEFT, 1).center, editor.socket_rect(RIGHT, 2).center)
    assert board.wire_count == 1
    press(app, pygame.K_z, pygame.KMOD_CTRL)
    assert board.wire_count == 0 and editor.links == []
    press(app, pygame.K_y, pygame.KMOD_CTRL)
    assert board.wire_count == 1 and len(editor.links) == 1
    press(app, pygame.K_z, pygame.KMOD_CTRL)
    press(app, pygame.K_z, pygame.KMOD_CTRL | pygame.KMOD_SHIFT)
    assert board.wire_count == 1
    press(app, pygame.K_r, pygame.KMOD_ALT)
    assert board.state == board.initial_state
    press(app, pygame.K_z, pygame.KMOD_CTRL)
    assert board.wire_count == 1


def test_strength_by_arrows_and_removal_by_delete_and_right_click(flow):
    app = flow.app
    scene = open_level(flow, "01_trophy")
    board, editor = scene.board, scene.wire_editor
    drag(app, editor.socket_rect(LEFT, 1).center, editor.socket_rect(RIGHT, 2).center)
    focus(app, scene, editor)
    press(app, pygame.K_RIGHT)
    press(app, pygame.K_RIGHT)  # left socket column -> right column -> the wire
    assert editor.column == LINKS
    presses(app, pygame.K_RIGHT, 3)
    assert board.heads[0].wires[0].strength == pytest.approx(2.5)
    press(app, pygame.K_LEFT, pygame.KMOD_SHIFT)
    assert board.heads[0].wires[0].strength == pytest.approx(2.4)
    press(app, pygame.K_DELETE)
    assert board.wire_count == 0
    drag(app, editor.socket_rect(LEFT, 1).center, editor.socket_rect(RIGHT, 2).center)
    a, b = editor.link_ends(editor.links[0])
    click(app, ((a[0] + b[0]) // 2, (a[1] + b[1]) // 2), button=3)
    assert board.wire_count == 0


def test_a_refused_intent_becomes_a_toast(flow):
    app = flow.app
    scene = open_level(flow, "01_trophy")
    editor = scene.wire_editor
    for _ in range(2):  # the same wire twice: the board refuses the second
        drag(app, editor.socket_rect(LEFT, 1).center, editor.socket_rect(RIGHT, 2).center)
    assert scene.board.wire_count == 1
    assert any("already has a wire" in m for m in scene.toasts.messages)
    app.step(5.0, [])
    assert scene.toasts.messages == []


def test_heatmap_renders_only_when_the_board_changes(flow):
    app = flow.app
    scene = open_level(flow, "01_trophy")
    for _ in range(5):
        app.step(1 / 60, [])
    before = scene.heatmap.renders
    for _ in range(10):
        app.step(1 / 60, [])
    move(app, scene.heatmap.cell_rect(3, 3).center)  # hover: no new grid
    assert scene.heatmap.renders == before
    editor = scene.wire_editor
    drag(app, editor.socket_rect(LEFT, 1).center, editor.socket_rect(RIGHT, 2).center)
    for _ in range(10):
        app.step(1 / 60, [])
    assert scene.heatmap.renders == before + 1


def test_drawing_never_changes_the_board(flow):
    app = flow.app
    scene = open_level(flow, "06_two_heads")
    board = scene.board
    editor = scene.wire_editor
    drag(app, editor.socket_rect(LEFT, 1).center, editor.socket_rect(RIGHT, 3).center)
    click(app, scene.heatmap.cell_rect(5, 1).center)  # the inspector too
    state, revision = board.state, board.revision
    for _ in range(3):
        app.draw()
    press(app, pygame.K_ESCAPE)
    press(app, pygame.K_s)  # and step mode
    app.draw()
    assert board.state == state and board.revision == revision


def test_wires_animate_with_dt_not_with_drawing(flow):
    app = flow.app
    scene = open_level(flow, "01_trophy")
    phase = scene.board_view.phase
    app.draw()
    app.draw()
    assert scene.board_view.phase == phase
    app.step(0.5, [])
    assert scene.board_view.phase != phase


def test_inspector_shows_the_evaluations_numbers(flow):
    app = flow.app
    scene = open_level(flow, "01_trophy")
    editor = scene.wire_editor
    drag(app, editor.socket_rect(LEFT, 1).center, editor.socket_rect(RIGHT, 2).center)
    click(app, scene.heatmap.cell_rect(9, 1).center)
    state = scene.inspector.state
    assert state is not None and (state.head, state.i, state.j) == (0, 9, 1)
    expected = scene.board.evaluate(0).inspect(0, 9, 1)
    for field in ("qk", "scale", "scaled", "bias", "temperature", "logit", "mask",
                  "row_max", "exp", "row_sum", "weight"):  # fmt: skip
        assert getattr(state.inspection, field) == getattr(expected, field), field
    assert dict((n, v) for n, v, _ in inspection_rows(state.inspection))["weight"] == (
        f"{expected.weight:.4g}"
    )
    assert (state.query_word, state.key_word) == ("it", "trophy")
    # it follows the board: a stronger wire, new numbers
    focus(app, scene, editor)
    presses(app, pygame.K_RIGHT, 2)
    presses(app, pygame.K_RIGHT, 4)
    assert state.inspection.weight == scene.board.evaluate(0).inspect(0, 9, 1).weight
    assert state.inspection.weight > expected.weight
    press(app, pygame.K_ESCAPE)
    assert scene.inspector.state is None
    assert isinstance(app.scenes.top, PlayScene)


def test_clicking_a_wire_on_the_board_opens_the_inspector(flow, registry):
    app = flow.app
    level = registry.levels["01_trophy"]
    scene = PlayScene(app, level, registry, board=Board.with_solution(level, registry))
    app.scenes.push(scene)
    app.step(1 / 60, [])
    weight, i, j = scene.board_view.drawn_wires[-1]  # the heaviest
    assert (i, j) == (9, 1)
    a, b = scene.board_view.geometry.wire_ends(i, j)
    click(app, ((a[0] + 3 * b[0]) // 4, (a[1] + 3 * b[1]) // 4))
    assert scene.inspector.state is not None
    assert (scene.inspector.state.i, scene.inspector.state.j) == (9, 1)
    click(app, scene.inspector.close_rect().center)
    assert scene.inspector.state is None


def test_step_mode_cycles_every_step(flow):
    app = flow.app
    scene = open_level(flow, "06_two_heads")
    press(app, pygame.K_s)
    mode = scene.step_mode
    assert mode.active and mode.index == 0
    steps = scene.board.evaluate(0).steps(0).arrays()
    seen = []
    for _ in STEP_NAMES:
        seen.append(mode.name)
        name, array = steps[mode.index]
        assert scene.step_view.heatmap.weights.shape == array.shape, name
        press(app, pygame.K_RIGHT)
    assert seen == list(STEP_NAMES) and mode.index == 0
    press(app, pygame.K_LEFT)
    assert mode.name == STEP_NAMES[-1]
    press(app, pygame.K_SPACE)
    assert mode.playing
    app.step(1.7, [])
    assert mode.index == 0
    press(app, pygame.K_SPACE)
    assert not mode.playing
    click(app, scene.step_view.ribbon_rects(app.theme)[6].center)
    assert mode.name == "softmax"
    press(app, pygame.K_ESCAPE)
    assert not mode.active and isinstance(app.scenes.top, PlayScene)


def test_hints_show_one_at_a_time(flow):
    app = flow.app
    scene = open_level(flow, "01_trophy")
    assert scene.hints_shown == 0
    click(app, scene.hint_button.rect.center)
    assert scene.hints_shown == 1
    click(app, scene.hint_button.rect.center)
    assert scene.hints_shown == 2
    assert scene.layout.hint_text.height > 0


def test_controls_only_where_the_level_allows(flow):
    scene = open_level(flow, "04_scale")
    assert scene.level_controls.scale_toggle in scene.group.widgets
    assert scene.level_controls.temperature_slider not in scene.group.widgets
    assert not scene.wire_editor.enabled
    click(flow.app, scene.level_controls.scale_toggle.rect.center)
    assert scene.board.settings.scale is True
    assert scene.evaluation.goals_met


@pytest.mark.parametrize("theme", ["normal", "projector"])
@pytest.mark.parametrize("size", [(1280, 720), (1920, 1080), (800, 600)])
def test_render_level_writes_a_png_of_the_requested_size(registry, tmp_path, theme, size):
    out = render_level("01_trophy", tmp_path / "shot.png", size, theme, registry, solution=True)
    image = pygame.image.load(str(out))
    assert image.get_size() == size


def test_dragging_the_temperature_slider_is_one_undo_step(flow, registry):
    scene = open_level(flow, "05_temperature")
    app, slider = flow.app, scene.level_controls.temperature_slider
    start = scene.board.settings.temperature
    rect = slider.rect
    drag(app, (rect.left + 4, rect.centery), (rect.left + rect.width // 5, rect.centery))
    assert scene.board.settings.temperature != start
    press(app, pygame.K_z, pygame.KMOD_CTRL)
    assert scene.board.settings.temperature == start


def test_value_route_strength_by_wheel_and_undo(flow):
    app = flow.app
    scene = open_level(flow, "02_query_key_value")
    board, editor = scene.board, scene.value_editor
    drag(app, editor.socket_rect(LEFT, 2).center, editor.socket_rect(RIGHT, 2).center)
    assert board.heads[0].values[0].strength == 1.0
    a, b = editor.link_ends(editor.links[0])
    wheel(app, ((a[0] + b[0]) // 2, (a[1] + b[1]) // 2), -1)
    assert board.heads[0].values[0].strength == pytest.approx(1.0 - STEP)
    press(app, pygame.K_z, pygame.KMOD_CTRL)
    assert board.heads[0].values[0].strength == 1.0
