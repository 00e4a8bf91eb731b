"""Widgets: mouse, keyboard, focus cycling, slider maths, and drawing that never changes state."""

import copy
import math

import pygame
import pytest

from game.ui.engine.text import TextCache
from game.ui.engine.theme import NORMAL, PROJECTOR
from game.ui.widgets import Button, FocusGroup, Slider, TabBar, Toggle


def key(k, mod=0):
    return pygame.event.Event(pygame.KEYDOWN, key=k, mod=mod)


def down(pos, button=1):
    return pygame.event.Event(pygame.MOUSEBUTTONDOWN, pos=pos, button=button)


def up(pos, button=1):
    return pygame.event.Event(pygame.MOUSEBUTTONUP, pos=pos, button=button)


def motion(pos):
    return pygame.event.Event(pygame.MOUSEMOTION, pos=pos, rel=(0, 0), buttons=(1, 0, 0))


@pytest.fixture(scope="module")
def text():
    pygame.font.init()
    return TextCache()


def test_button_clicks_on_release_inside_only():
    clicks = []
    button = Button((10, 10, 100, 40), "Play", lambda: clicks.append(1))
    assert button.handle(down((20, 20))) and button.pressed
    assert button.handle(up((20, 20))) and clicks == [1]
    button.handle(down((20, 20)))
    button.handle(up((300, 300)))  # dragged off: cancelled
    assert clicks == [1] and not button.pressed
    assert not button.handle(down((300, 300)))  # outside
    assert not button.handle(down((20, 20), button=3))  # right button
    button.enabled = False
    button.handle(down((20, 20)))
    button.handle(up((20, 20)))
    assert clicks == [1]


def test_keyboard_activation_needs_focus():
    clicks = []
    button = Button((0, 0, 50, 20), "Go", lambda: clicks.append(1))
    assert not button.handle(key(pygame.K_RETURN))
    button.focused = True
    for k in (pygame.K_RETURN, pygame.K_SPACE, pygame.K_KP_ENTER):
        assert button.handle(key(k))
    assert clicks == [1, 1, 1]


def test_toggle_by_click_and_key():
    seen = []
    toggle = Toggle((0, 0, 200, 40), "Sound", True, seen.append)
    toggle.handle(down((5, 5)))
    toggle.focused = True
    toggle.handle(key(pygame.K_SPACE))
    assert seen == [False, True] and toggle.value is True
    toggle.set(True)  # no change, no callback
    assert seen == [False, True]


def test_slider_drag_sets_value_from_position_and_clamps():
    seen = []
    slider = Slider((100, 0, 236, 60), "Scale", 0.0, 10.0, 5.0, seen.append)
    track = slider.track_rect()
    assert slider.handle(down((track.left, 30)))
    assert slider.value == 0.0 and slider.dragging
    slider.handle(motion((track.left + track.width // 2, 30)))
    assert slider.value == pytest.approx(5.0)
    slider.handle(motion((5000, 30)))  # far past the end: clamped
    assert slider.value == 10.0
    slider.handle(up((-5000, 30)))
    assert slider.value == 0.0 and not slider.dragging
    slider.handle(motion((track.right, 30)))  # no longer dragging
    assert slider.value == 0.0
    assert seen == [0.0, pytest.approx(5.0), 10.0, 0.0]
    assert Slider((0, 0, 10, 10), "x", 1, 2, 99).value == 2
    assert Slider((0, 0, 10, 10), "x", 1, 2, -5).value == 1
    assert Slider((0, 0, 10, 10), "x", 1, 2, math.nan).value == 1


def test_slider_keyboard_steps_fine_steps_and_ends():
    slider = Slider((0, 0, 200, 60), "Font", 0.8, 1.6, 1.0, steps=8)
    slider.focused = True
    slider.handle(key(pygame.K_RIGHT))
    assert slider.value == pytest.approx(1.1)
    slider.handle(key(pygame.K_RIGHT, pygame.KMOD_LSHIFT))
    assert slider.value == pytest.approx(1.11)
    slider.handle(key(pygame.K_LEFT))  # snaps back onto the coarse grid
    assert slider.value == pytest.approx(1.1)
    slider.handle(key(pygame.K_END))
    assert slider.value == 1.6
    slider.handle(key(pygame.K_RIGHT))
    assert slider.value == 1.6
    slider.handle(key(pygame.K_HOME))
    assert slider.value == 0.8
    assert not slider.handle(key(pygame.K_UP))  # left for the focus group


def test_log_slider_puts_decades_evenly_on_the_track():
    slider = Slider((0, 0, 200, 60), "Temperature", 0.1, 10.0, 1.0, log=True, steps=4)
    assert slider.fraction == pytest.approx(0.5)
    assert slider.value_at(0.25) == pytest.approx(10**-0.5)
    slider.focused = True
    slider.handle(key(pygame.K_RIGHT))
    assert slider.value == pytest.approx(10**0.5)
    slider.handle(key(pygame.K_RIGHT))
    assert slider.value == pytest.approx(10.0)
    track = slider.track_rect()
    slider.handle(down((track.left + track.width // 4, 30)))
    assert slider.value == pytest.approx(10**-0.5, rel=0.05)
    with pytest.raises(ValueError):
        Slider((0, 0, 10, 10), "bad", 0.0, 1.0, 0.5, log=True)
    with pytest.raises(ValueError):
        Slider((0, 0, 10, 10), "bad", 1.0, 1.0, 1.0)


def test_tab_bar_click_and_arrows():
    seen = []
    tabs = TabBar((0, 0, 300, 40), ["normal", "projector", "auto"], 0, seen.append)
    assert tabs.tab_rect(2).right == 300 and tabs.tab_rect(1).left == 100
    tabs.handle(down((250, 20)))
    tabs.focused = True
    tabs.handle(key(pygame.K_LEFT))
    tabs.handle(key(pygame.K_HOME))
    tabs.handle(key(pygame.K_LEFT))  # already first: no change
    assert seen == [2, 1, 0] and tabs.selected == 0


def make_screen():
    log = []
    widgets = [
        Button((0, 0, 100, 40), "A", lambda: log.append("A")),
        Toggle((0, 50, 200, 40), "T", False, lambda v: log.append(("T", v))),
        Button((0, 100, 100, 40), "off", lambda: log.append("off"), enabled=False),
        Slider((0, 150, 200, 60), "S", 0, 1, 0.5, lambda v: log.append(("S", v)), steps=2),
        TabBar((0, 220, 200, 40), ["x", "y"], 0, lambda i: log.append(("tab", i))),
        Button((0, 270, 100, 40), "B", lambda: log.append("B")),
    ]
    return FocusGroup(widgets), widgets, log


def test_focus_cycles_through_every_enabled_widget_both_ways():
    group, widgets, _ = make_screen()
    reachable = [w for w in widgets if w.enabled]
    seen = [group.focused]
    for _ in range(len(reachable) - 1):
        group.handle(key(pygame.K_TAB))
        seen.append(group.focused)
    assert seen == reachable
    group.handle(key(pygame.K_TAB))
    assert group.focused is widgets[0]  # wrapped
    group.handle(key(pygame.K_TAB, pygame.KMOD_SHIFT))
    assert group.focused is widgets[-1]
    assert sum(w.focused for w in widgets) == 1
    group.handle(key(pygame.K_UP))
    assert group.focused is widgets[4]
    group.handle(key(pygame.K_DOWN))
    assert group.focused is widgets[5]


def test_keyboard_alone_operates_every_kind_of_widget():
    group, widgets, log = make_screen()
    group.handle(key(pygame.K_RETURN))  # button A
    group.handle(key(pygame.K_DOWN))
    group.handle(key(pygame.K_SPACE))  # toggle
    group.handle(key(pygame.K_TAB))  # skips the disabled button
    group.handle(key(pygame.K_RIGHT))  # slider up one step
    group.handle(key(pygame.K_TAB))
    group.handle(key(pygame.K_RIGHT))  # tab bar
    group.handle(key(pygame.K_TAB))
    group.handle(key(pygame.K_SPACE))
    assert log == ["A", ("T", True), ("S", 1.0), ("tab", 1), "B"]


def test_mouse_press_moves_the_focus():
    group, widgets, log = make_screen()
    group.handle(down((50, 290)))
    assert group.focused is widgets[5]
    group.handle(up((50, 290)))
    assert log == ["B"]
    group.handle(down((50, 120)))  # the disabled button takes neither focus nor click
    assert group.focused is widgets[5]


def test_hover_follows_the_mouse():
    group, widgets, _ = make_screen()
    group.handle(motion((10, 10)))
    assert widgets[0].hovered and not widgets[5].hovered
    group.handle(motion((10, 290)))
    assert widgets[5].hovered and not widgets[0].hovered


def state(widgets):
    return [copy.copy({k: v for k, v in vars(w).items() if k != "rect"}) for w in widgets]


@pytest.mark.parametrize("theme", [NORMAL, PROJECTOR])
def test_drawing_never_changes_state(theme, text):
    group, widgets, log = make_screen()
    group.handle(motion((10, 10)))
    group.handle(key(pygame.K_TAB))
    widgets[3].dragging = True
    before = state(widgets)
    surface = pygame.Surface((400, 400))
    for _ in range(2):
        group.draw(surface, theme, text)
    assert state(widgets) == before and log == []
    assert [w.rect for w in widgets] == [w.rect for w in make_screen()[1]]


def test_projector_draws_bigger_text_and_thicker_focus(text):
    def ink_rows(theme):
        button = Button((20, 20, 300, 80), "Play")
        button.focused = True
        surface = pygame.Surface((340, 120))
        surface.fill(theme.background)
        button.draw(surface, theme, text)
        # rows in the button's middle band that hold text ink
        rows = [
            y
            for y in range(30, 90)
            if any(surface.get_at((x, y))[:3] == theme.text for x in range(60, 280))
        ]
        focus_rows = [y for y in range(0, 20) if surface.get_at((170, y))[:3] == theme.focus]
        return len(rows), len(focus_rows)

    normal, projector = ink_rows(NORMAL), ink_rows(PROJECTOR)
    assert projector[0] > normal[0]  # taller text
    assert projector[1] > normal[1]  # thicker focus outline


def test_slider_set_range_takes_a_new_quantity_without_notifying():
    seen = []
    slider = Slider((0, 0, 200, 50), "Parameter", 1.0, 2.0, 1.5, seen.append)
    slider.set_range("RoPE base", 10.0, 1e6, log=True)
    assert (slider.label, slider.low, slider.high, slider.log) == ("RoPE base", 10.0, 1e6, True)
    slider.set_value(5.0, notify=False)  # below the new range: clamped, nobody told
    assert slider.value == 10.0 and seen == []
    slider.set_value(1e4)
    assert seen == [1e4]


def test_clipped_draws_only_inside_and_puts_the_clip_back_even_on_an_error():
    from game.ui.widgets.base import clipped

    surface = pygame.Surface((100, 100))
    surface.set_clip(pygame.Rect(0, 0, 60, 100))
    with clipped(surface, pygame.Rect(40, 0, 40, 40)):
        assert surface.get_clip() == pygame.Rect(40, 0, 20, 40)  # inside the clip already set
        surface.fill((255, 0, 0))
    assert surface.get_clip() == pygame.Rect(0, 0, 60, 100)
    assert surface.get_at((50, 10))[:3] == (255, 0, 0) and surface.get_at((10, 10))[:3] == (0, 0, 0)
    with pytest.raises(RuntimeError), clipped(surface, pygame.Rect(0, 0, 5, 5)):
        raise RuntimeError("a drawing bug")
    assert surface.get_clip() == pygame.Rect(0, 0, 60, 100)
