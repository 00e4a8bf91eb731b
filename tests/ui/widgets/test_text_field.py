"""The text field: a caret that moves, edits at the caret, and long text scrolled to show it."""

import pygame
import pytest

from game.ui.engine.text import TextCache
from game.ui.engine.theme import NORMAL
from game.ui.widgets.text_field import TextField


def key(k, mod=0, unicode=""):
    return pygame.event.Event(pygame.KEYDOWN, key=k, mod=mod, unicode=unicode)


@pytest.fixture
def text():
    pygame.font.init()
    return TextCache()


def field(value="the cat sat", **options):
    changes = []
    widget = TextField((0, 0, 400, 70), "Sentence", value, changes.append, **options)
    widget.focused = True
    return widget, changes


def test_the_caret_starts_at_the_end_and_typing_goes_there():
    widget, changes = field()
    assert widget.caret == len("the cat sat")
    widget.insert("!")
    assert widget.value == "the cat sat!" and changes == ["the cat sat!"]


def test_arrows_home_and_end_move_the_caret_and_typing_follows_it():
    widget, _ = field()
    widget.handle_key(key(pygame.K_HOME))
    widget.insert("and ")
    assert widget.value == "and the cat sat" and widget.caret == 4
    for _ in range(3):
        widget.handle_key(key(pygame.K_RIGHT))
    widget.insert("n")
    assert widget.value == "and then cat sat"
    widget.handle_key(key(pygame.K_END))
    widget.handle_key(key(pygame.K_LEFT))
    widget.insert("i")
    assert widget.value == "and then cat sait"
    widget.handle_key(key(pygame.K_HOME))
    widget.handle_key(key(pygame.K_LEFT))  # stops at the start
    assert widget.caret == 0


def test_ctrl_arrows_jump_by_word():
    widget, _ = field("the cat  sat")
    widget.handle_key(key(pygame.K_LEFT, pygame.KMOD_CTRL))
    assert widget.caret == len("the cat  ")
    widget.handle_key(key(pygame.K_LEFT, pygame.KMOD_CTRL))
    assert widget.caret == len("the ")
    widget.handle_key(key(pygame.K_RIGHT, pygame.KMOD_CTRL))
    assert widget.caret == len("the cat")


def test_backspace_and_delete_remove_around_the_caret():
    widget, changes = field("the cat sat")
    widget.caret = len("the cat")
    widget.handle_key(key(pygame.K_BACKSPACE))
    assert widget.value == "the ca sat" and widget.caret == 6
    widget.handle_key(key(pygame.K_DELETE))
    assert widget.value == "the casat" and widget.caret == 6
    widget.handle_key(key(pygame.K_BACKSPACE, pygame.KMOD_CTRL))  # the word before
    assert widget.value == "the sat" and widget.caret == 4
    widget.handle_key(key(pygame.K_DELETE, pygame.KMOD_CTRL))  # the word after
    assert widget.value == "the " and widget.caret == 4
    widget.handle_key(key(pygame.K_DELETE))  # nothing after the caret: no change
    assert widget.value == "the " and changes[-1] == "the "


def test_typing_in_the_middle_keeps_to_the_length_limit():
    widget, _ = field("abcdef", max_length=8)
    widget.caret = 3
    widget.insert("XYZ")
    assert widget.value == "abcXYdef" and widget.caret == 5


def test_set_value_puts_the_caret_at_the_end():
    widget, _ = field()
    widget.caret = 0
    widget.set_value("a dog")
    assert widget.caret == 5


def test_a_click_puts_the_caret_between_the_characters_under_it(text):
    widget, _ = field("the cat sat")
    surface = pygame.Surface((400, 70))
    widget.draw(surface, NORMAL, text)
    gaps = dict(widget._boundaries)
    x = (gaps[4] + gaps[5]) // 2 - 1  # nearer the gap before "c" than after it
    widget.handle_mouse(pygame.event.Event(pygame.MOUSEBUTTONDOWN, pos=(x, 50), button=1))
    assert widget.caret == 4
    widget.handle_mouse(pygame.event.Event(pygame.MOUSEBUTTONDOWN, pos=(399, 50), button=1))
    assert widget.caret == len("the cat sat")


def test_long_text_scrolls_to_keep_the_caret_in_view(text):
    sentence = " ".join(["word"] * 60)
    widget, _ = field(sentence, max_length=400)
    surface = pygame.Surface((400, 70))
    width = lambda part: text.size(part, NORMAL.font_px(22))[0]  # noqa: E731
    room = 400 - 20 - 2 * width("…")
    widget.draw(surface, NORMAL, text)
    start, end = widget.visible_span(lambda part: width(part) <= room)
    assert end == len(sentence) and start > 0  # the end, where typing is, is in view
    widget.handle_key(key(pygame.K_HOME))
    widget.draw(surface, NORMAL, text)
    start, end = widget.visible_span(lambda part: width(part) <= room)
    assert start == 0 and 0 < end < len(sentence)
    assert widget._boundaries[0][0] == 0 and widget._boundaries[-1][0] == end


def test_keys_that_move_focus_or_leave_pass_through():
    widget, _ = field()
    for k in (pygame.K_TAB, pygame.K_UP, pygame.K_DOWN, pygame.K_RETURN, pygame.K_ESCAPE):
        assert not widget.handle_key(key(k))
    assert not widget.handle_key(key(pygame.K_z, pygame.KMOD_CTRL))  # Ctrl+Z is the scene's
    assert widget.handle_key(key(pygame.K_a, unicode="a"))  # swallowed: TEXTINPUT brings it


def test_ctrl_a_selects_all_and_typing_or_backspace_replaces_it(text):
    """Issue 14, item 15: Ctrl+A did nothing in text fields."""
    widget, changes = field()
    assert widget.handle_key(key(pygame.K_a, pygame.KMOD_CTRL))
    assert widget.all_selected
    surface = pygame.Surface((400, 70))
    widget.draw(surface, NORMAL, text)  # the selection is shown (a band behind the text)
    widget.insert("a dog ran")
    assert widget.value == "a dog ran" and not widget.all_selected
    assert changes[-1] == "a dog ran"
    widget.handle_key(key(pygame.K_a, pygame.KMOD_CTRL))
    widget.handle_key(key(pygame.K_BACKSPACE))
    assert widget.value == "" and changes[-1] == ""
    widget.set_value("keep me")
    widget.handle_key(key(pygame.K_a, pygame.KMOD_CTRL))
    widget.handle_key(key(pygame.K_END))  # a move ends the selection; nothing is lost
    widget.insert("!")
    assert widget.value == "keep me!"
