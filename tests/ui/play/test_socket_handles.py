"""The socket dots are drag handles (issue 14, item 8): a drag may start on the dot the
player sees, or anywhere in a generous margin around it, and may end on the other
column's dot; before, only the word card was a handle."""

import pygame
import pytest

from game.progress import Progress
from game.ui.engine.theme import themed
from game.ui.flow.game_flow import GameFlow
from game.ui.play import PlayScene
from game.ui.play.wire_editor import LEFT, PORT_REACH, RIGHT
from tests.ui.events import drag, move


@pytest.fixture(params=[("normal", 1.0), ("projector", 1.5)], ids=["normal", "projector-150"])
def scene(request, app, registry, tmp_path):
    theme, scale = request.param
    app.theme = themed(theme, scale)
    flow = GameFlow(app, registry, Progress(), progress_path=tmp_path / "p.json", save=False)
    flow.start()
    flow.teacher = True
    flow.open_levels()
    flow.open_level("01_trophy")
    app.step(1 / 60, [])
    top = app.scenes.top
    assert isinstance(top, PlayScene)
    return top


def test_a_drag_from_dot_to_dot_adds_the_wire(scene):
    app, editor = scene.look, scene.wire_editor
    features = editor.features
    drag(app, editor.port(LEFT, features[1]), editor.port(RIGHT, features[2]))
    assert [(w.query, w.key) for w in scene.board.heads[0].wires] == [(features[1], features[2])]


def test_the_margin_around_the_dot_is_a_handle_too(scene):
    app, editor = scene.look, scene.wire_editor
    features = editor.features
    x, y = editor.port(LEFT, features[0])
    start = (x + PORT_REACH - 12, y + 3)  # beside the dot, toward the links, a little low
    end_x, end_y = editor.port(RIGHT, features[1])
    drag(app, start, (end_x - 10, end_y - 3))
    assert [(w.query, w.key) for w in scene.board.heads[0].wires] == [(features[0], features[1])]


def test_handles_never_overlap_and_hovering_a_dot_is_shown(scene):
    editor = scene.wire_editor
    for column in (LEFT, RIGHT):
        rects = [editor.handle_rect(column, i) for i in range(len(editor.features))]
        for i, rect in enumerate(rects):
            assert rect.collidelist(rects[i + 1 :]) == -1
    port = editor.port(LEFT, editor.features[0])
    before = pygame.Surface((1280, 720))
    editor.draw(before, scene.look.theme, scene.look.text)
    move(scene.look, port)
    after = pygame.Surface((1280, 720))
    editor.draw(after, scene.look.theme, scene.look.text)
    ring = pygame.Rect(0, 0, 24, 24)
    ring.center = port

    def pixels(surface):
        return pygame.image.tobytes(surface.subsurface(ring).copy(), "RGB")

    assert pixels(before) != pixels(after)
