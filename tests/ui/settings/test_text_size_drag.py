"""Dragging the text-size slider keeps the page still under the mouse (issue 14, item 10):
the new size shows at once, but the page is laid out again only when the button is let go."""

import pygame
import pytest

from game.progress import Progress
from game.ui.flow.game_flow import GameFlow
from game.ui.settings.scene import SettingsScene
from tests.ui.events import DT


@pytest.fixture
def settings(app, registry, tmp_path):
    flow = GameFlow(app, registry, Progress(), progress_path=tmp_path / "p.json", save=False)
    flow.start()
    flow.open_settings()
    app.step(DT, [])
    scene = app.scenes.top
    assert isinstance(scene, SettingsScene)
    return scene


def send(app, kind, pos, **extra):
    window = app.viewport.to_window(pos)
    app.step(DT, [pygame.event.Event(kind, pos=window, **extra)])


def test_the_slider_stays_under_the_mouse_while_dragging(app, settings):
    slider = settings.font_slider
    track = slider.track_rect()
    rects = [w.rect.copy() for w in settings.group.widgets]
    y = track.centery
    send(app, pygame.MOUSEBUTTONDOWN, (track.left + track.width // 4, y), button=1)
    for k in range(1, 9):
        x = track.left + track.width // 4 + k * track.width // 12
        send(app, pygame.MOUSEMOTION, (x, y), rel=(0, 0), buttons=(1, 0, 0))
        assert [w.rect for w in settings.group.widgets] == rects  # nothing moved
        expected = slider.value_at((x - track.left) / track.width)
        assert slider.value == pytest.approx(expected)  # the value is the one under the mouse
    assert settings.settings.font_scale == pytest.approx(slider.value, abs=1e-3)  # applied live
    send(app, pygame.MOUSEBUTTONUP, (x, y), button=1)
    assert not slider.dragging
    assert [w.rect for w in settings.group.widgets] != rects  # laid out for the bigger text
