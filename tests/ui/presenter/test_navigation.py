"""The presenter's next / previous keys: → / ← and Page Down / Up (what clickers send)
walk the navigator; the default one walks the campaign's levels in order."""

import pygame

from game.ui.presenter import LevelPlaylist, Navigator, Stop
from tests.ui.events import DT, press


def test_level_playlist_walks_in_order_and_stays_at_either_end():
    playlist = LevelPlaylist(["a", "b", "c"], {"b": "Bee"})
    assert isinstance(playlist, Navigator)
    assert playlist.current() is None and playlist.previous() is None
    assert playlist.next() == Stop("a", "", "", 0, 3)
    assert playlist.next().label == "2 of 3: Bee"
    assert playlist.next().level_id == "c"
    assert playlist.next() is None and playlist.current().level_id == "c"
    assert playlist.previous().level_id == "b"
    playlist.follow("a")
    assert playlist.current().level_id == "a" and playlist.previous() is None
    playlist.follow("not there")  # a level it does not hold: the cursor stays
    assert playlist.current().level_id == "a"


def test_clicker_keys_open_the_campaign_in_order_on_start_boards(demo):
    app = demo()
    order = app.presenter.flow.order
    press(app, pygame.K_PAGEDOWN)  # from the title: the first level
    scene = app.scenes.top
    assert type(scene).__name__ == "PlayScene" and scene.level.id == order[0]
    assert scene.board.state == scene.board.initial_state
    assert any(order[0] in m or scene.level.title in m for m in app.toasts.messages)
    press(app, pygame.K_RIGHT)
    press(app, pygame.K_PAGEDOWN)
    assert app.scenes.top.level.id == order[2]
    press(app, pygame.K_LEFT)
    assert app.scenes.top.level.id == order[1]
    assert sum(" of " in m for m in app.toasts.messages) == 1  # the last place, not a pile
    press(app, pygame.K_PAGEUP)
    press(app, pygame.K_PAGEUP)  # before the first: stays, says so
    assert app.scenes.top.level.id == order[0]
    assert any("first" in m for m in app.toasts.messages)
    # one play screen at a time: Back leaves for the level select, not an older level
    names = [type(s).__name__ for s in app.scenes._scenes]
    assert names.count("PlayScene") == 1


def test_arrows_step_the_computation_in_step_mode_and_page_down_moves_on(demo):
    app = demo("--level", "01_trophy")
    scene = app.scenes.top
    press(app, pygame.K_s)
    assert scene.step_mode.active
    at = scene.step_mode.index
    press(app, pygame.K_RIGHT)
    assert app.scenes.top is scene and scene.step_mode.index == at + 1
    press(app, pygame.K_PAGEDOWN)
    following = app.presenter.flow.next_level("01_trophy")
    assert app.scenes.top.level.id == following


def test_next_goes_on_from_a_level_opened_from_the_level_select(demo):
    app = demo()
    flow = app.presenter.flow
    flow.open_levels()
    flow.open_level(flow.order[4])
    app.step(DT, [])
    press(app, pygame.K_RIGHT)
    assert app.scenes.top.level.id == flow.order[5]


def test_a_lesson_can_plug_in_its_own_navigator_and_show(demo):
    app = demo()
    shown = []

    class TwoSteps:
        def __init__(self):
            self.stops = [Stop("04_scale", "Scale", "Say why", 0, 2), Stop("01_trophy", index=1)]
            self.at = -1

        def current(self):
            return self.stops[self.at] if self.at >= 0 else None

        def next(self):
            if self.at + 1 < len(self.stops):
                self.at += 1
                return self.stops[self.at]
            return None

        def previous(self):
            if self.at > 0:
                self.at -= 1
                return self.stops[self.at]
            return None

        def follow(self, level_id):
            pass

    app.presenter.navigator = TwoSteps()
    app.presenter.show = shown.append
    press(app, pygame.K_PAGEDOWN)
    press(app, pygame.K_PAGEDOWN)
    press(app, pygame.K_PAGEDOWN)  # the end: nothing more is shown
    assert [stop.level_id for stop in shown] == ["04_scale", "01_trophy"]
