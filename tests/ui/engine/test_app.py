"""The application shell, headless: events reach the top scene in logical coordinates."""

import pygame
import pytest

from game.ui.engine.app import App
from game.ui.engine.scene_stack import Scene


class Probe(Scene):
    def __init__(self):
        self.events, self.time, self.frames = [], 0.0, 0

    def handle(self, event):
        self.events.append(event)
        if event.type == pygame.KEYDOWN and event.key == pygame.K_ESCAPE:
            self.stack.pop()

    def update(self, dt):
        self.time += dt

    def draw(self, surface):
        self.frames += 1
        surface.fill((255, 0, 0), pygame.Rect(0, 0, 10, 10))


@pytest.fixture
def app():
    application = App((1920, 1080))
    yield application
    pygame.quit()


def test_clicks_arrive_in_logical_coordinates(app):
    probe = Probe()
    app.scenes.push(probe)
    click = pygame.event.Event(pygame.MOUSEBUTTONDOWN, pos=(960, 540), button=1)
    app.step(1 / 60, [click])
    assert probe.events[0].pos == (640, 360)
    assert probe.time == pytest.approx(1 / 60) and probe.frames == 1


def test_canvas_is_scaled_into_the_window(app):
    app.scenes.push(Probe())
    app.step(0.0, [])
    # the 10×10 red square at the logical origin covers 15×15 window pixels at 1.5×
    assert app.window.get_at((7, 7))[:3] == (255, 0, 0)
    assert app.window.get_at((20, 20))[:3] == app.theme.background


def test_quit_and_an_empty_stack_end_the_run(app):
    app.scenes.push(Probe())
    app.step(0.0, [pygame.event.Event(pygame.KEYDOWN, key=pygame.K_ESCAPE)])
    assert not app.running
    other = App((640, 360))
    other.scenes.push(Probe())
    other.step(0.0, [pygame.event.Event(pygame.QUIT)])
    assert not other.running
