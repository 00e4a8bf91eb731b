"""The loop sleeps while nothing moves (issue 14, item 16): which screens say they are
still, and that `App.next_events` then waits in pygame.event.wait instead of polling.

Time comes from `dt`; the OS-level figure (CPU share of a still screen) is measured by
`switchyard bench --only ui` (game/bench/idle.py), not here."""

import pygame
import pytest

from game.progress import Progress
from game.ui.flow.game_flow import GameFlow
from game.ui.play import PlayScene
from game.ui.play.scene import FLOW_REST_AFTER
from tests.ui.events import DT, move, press


@pytest.fixture
def flow(app, registry, tmp_path):
    game = GameFlow(app, registry, Progress(), progress_path=tmp_path / "p.json", save=False)
    game.start()
    app.step(DT, [])
    return game


class Recorder:
    """Stands in for pygame.event.wait/get and says which the loop called."""

    def __init__(self):
        self.calls = []

    def wait(self, timeout=0):
        self.calls.append(("wait", timeout))
        return pygame.event.Event(pygame.NOEVENT)

    def get(self, *args, **kwargs):
        self.calls.append(("get", None))
        return []


@pytest.fixture
def recorder(monkeypatch):
    rec = Recorder()
    monkeypatch.setattr(pygame.event, "wait", rec.wait)
    monkeypatch.setattr(pygame.event, "get", rec.get)
    return rec


def test_the_title_screen_is_still_and_the_loop_waits_for_an_event(flow, recorder):
    assert flow.app.idle()
    flow.app.next_events()
    assert recorder.calls[0][0] == "wait" and recorder.calls[0][1] > 0


def test_a_toast_keeps_the_loop_drawing_until_it_fades(flow, recorder):
    flow.app.toasts.show("hello", duration=0.5)
    assert not flow.app.idle()
    flow.app.next_events()
    assert recorder.calls == [("get", None)]
    for _ in range(40):
        flow.app.step(DT, [])
    assert flow.app.idle()


def test_the_play_screen_rests_after_no_input_and_wakes_on_input(flow, registry):
    flow.teacher = True
    flow.open_levels()
    flow.open_level(flow.order[0])
    scene = flow.app.scenes.top
    assert isinstance(scene, PlayScene)
    assert scene.animating() and not flow.app.idle()  # the wires flow
    for _ in range(round(FLOW_REST_AFTER / 0.1) + 2):
        flow.app.step(0.1, [])
    assert flow.app.idle()
    phase = scene.board_view.phase
    flow.app.step(0.1, [])
    assert scene.board_view.phase == phase  # at rest the dots do not jump
    move(flow.app, (600, 400))
    assert scene.animating() and not flow.app.idle()
    for _ in range(round(FLOW_REST_AFTER / 0.1) + 2):
        flow.app.step(0.1, [])
    # window events (focus, expose) are not a player: they do not wake the flow
    flow.app.step(0.1, [pygame.event.Event(pygame.WINDOWFOCUSGAINED)])
    assert flow.app.idle()


def test_step_mode_playing_counts_as_moving(flow, registry):
    flow.teacher = True
    flow.open_levels()
    flow.open_level(flow.order[0])
    scene = flow.app.scenes.top
    scene.still_for = FLOW_REST_AFTER
    flow.app.step(DT, [])
    assert flow.app.idle()
    press(flow.app, pygame.K_s)  # step mode
    scene.still_for = FLOW_REST_AFTER
    scene.step_mode.playing = True
    assert not flow.app.idle()
    scene.step_mode.playing = False
    assert flow.app.idle()
