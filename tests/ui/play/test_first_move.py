"""Level 1's guided first move: the two sockets are shown with a ghost drag, the keys
alone can follow it, and the guide is gone once a wire is laid and its strength set."""

import pygame
import pytest

from game.model import Board
from game.ui.play import PlayScene
from game.ui.play.first_move import DONE, LAY, STRENGTH
from game.ui.play.wire_editor import LEFT, RIGHT
from tests.ui.events import drag, press, wheel


@pytest.fixture
def scene(app, registry):
    level = registry.levels["01_trophy"]
    play = PlayScene(app, level, registry)
    app.scenes.push(play)
    app.step(1 / 60, [])
    return play


def test_level_one_guides_the_first_wire(scene):
    guide = scene.guide
    move = scene.level.first_move
    assert guide is not None and guide.stage == LAY
    assert (guide.query, guide.key) == (move.query, move.key)
    # the keyboard cursor waits on the query socket, so Enter starts the move
    editor = scene.wire_editor
    assert scene.group.focused is editor
    assert (editor.column, editor.features[editor.row]) == (LEFT, move.query)


def test_the_guide_is_drawn_over_the_sockets_and_moves_with_time(app, scene):
    scene.guide.clock = 0.0
    app.step(0.0, [])
    frame_a = pygame.image.tobytes(app.canvas, "RGB")
    app.step(0.8, [])
    frame_b = pygame.image.tobytes(app.canvas, "RGB")
    assert frame_a != frame_b  # the ghost drag moves


def test_keys_alone_lay_the_guided_wire_then_the_guide_asks_for_strength(app, scene):
    guide = scene.guide
    editor = scene.wire_editor
    rows = editor.features.index(guide.key) - editor.features.index(guide.query)
    press(app, pygame.K_RETURN)
    press(app, pygame.K_RIGHT)
    for _ in range(abs(rows)):
        press(app, pygame.K_DOWN if rows > 0 else pygame.K_UP)
    press(app, pygame.K_RETURN)
    wires = scene.board.state.heads[0].wires
    assert [(w.query, w.key) for w in wires] == [(guide.query, guide.key)]
    assert guide.stage == STRENGTH and guide.active
    press(app, pygame.K_RIGHT)  # onto the wire
    press(app, pygame.K_RIGHT)  # stronger
    assert scene.board.state.heads[0].wires[0].strength > 1.0
    assert guide.stage == DONE and not guide.active


def test_mouse_drag_then_wheel_finishes_the_guide(app, scene):
    guide, editor = scene.guide, scene.wire_editor
    a = editor.socket_rect(LEFT, editor.features.index(guide.query)).center
    b = editor.socket_rect(RIGHT, editor.features.index(guide.key)).center
    drag(app, a, b)
    assert guide.stage == STRENGTH
    ends = editor.link_ends(editor.links[0])
    middle = ((ends[0][0] + ends[1][0]) // 2, (ends[0][1] + ends[1][1]) // 2)
    wheel(app, middle, 1)
    assert guide.stage == DONE


def test_no_guide_where_the_level_has_none_or_the_board_has_wires(app, registry):
    plain = PlayScene(app, registry.levels["03_first_word"], registry)
    assert plain.guide is None
    level = registry.levels["01_trophy"]
    built = PlayScene(app, level, registry, board=Board.with_solution(level, registry))
    assert built.guide is None
