"""The layer strip and the residual stream panel on made-up data (no board, no level)."""

import numpy as np
import pygame
import pytest

from game.ui.engine.text import TextCache
from game.ui.engine.theme import NORMAL, PROJECTOR, head_colours, themed
from game.ui.play.layer_strip import LayerStrip
from game.ui.play.residual_panel import ResidualPanel, residual_data


def key(k):
    return pygame.event.Event(pygame.KEYDOWN, key=k, mod=0)


def click(pos):
    return pygame.event.Event(pygame.MOUSEBUTTONDOWN, pos=pos, button=1)


def motion(pos):
    return pygame.event.Event(pygame.MOUSEMOTION, pos=pos, rel=(0, 0), buttons=(0, 0, 0))


@pytest.fixture(scope="module")
def text():
    pygame.font.init()
    return TextCache()


# -- the layer strip ---------------------------------------------------------------------
def test_strip_clicks_pick_any_head_of_any_layer():
    picked = []
    strip = LayerStrip((0, 0, 400, 54), 2, 2, on_change=picked.append)
    assert strip.count == 4 and strip.two_rows
    strip.handle(click(strip.head_rect(3).center))  # layer 2, head 2
    assert strip.selected == 3 and strip.layer == 1 and picked == [3]
    strip.handle(click(strip.head_rect(1).center))
    assert strip.selected == 1 and strip.layer == 0
    # a click on a layer's tab keeps the head's place in that layer
    strip.handle(click(strip.layer_rect(1).center))
    assert strip.selected == 3 and picked == [3, 1, 3]
    assert strip.head_label(3) == "Head 2" and strip.layer_label(1) == "Layer 2"


def test_strip_keys_step_heads_and_layers_and_stop_at_the_ends():
    picked = []
    strip = LayerStrip((0, 0, 600, 54), 3, 2, selected=1, on_change=picked.append)
    strip.focused = True
    strip.handle(key(pygame.K_DOWN))  # the layer below, same place: head 2 of layer 2
    assert strip.selected == 3
    strip.handle(key(pygame.K_DOWN))
    strip.handle(key(pygame.K_DOWN))  # already the last layer
    assert strip.selected == 5 and strip.layer == 2
    strip.handle(key(pygame.K_LEFT))  # through every head, across the layer edge
    strip.handle(key(pygame.K_LEFT))
    assert strip.selected == 3
    strip.handle(key(pygame.K_HOME))
    assert strip.selected == 0
    strip.step_layer(-1)  # no layer above the first
    assert strip.selected == 0 and picked == [3, 5, 4, 3, 0]
    assert not strip.handle(key(pygame.K_a))


def test_one_head_a_layer_is_one_row_of_layer_tabs():
    strip = LayerStrip((0, 0, 300, 40), 2, 1)
    assert not strip.two_rows
    assert strip.head_rect(1) == strip.layer_rect(1)
    strip.handle(click(strip.layer_rect(1).center))
    assert strip.selected == 1 and strip.head_label(1) == "Layer 2"
    with pytest.raises(ValueError):
        LayerStrip((0, 0, 10, 10), 0, 1)


@pytest.mark.parametrize("theme", [NORMAL, PROJECTOR, themed("projector", 1.5)])
def test_strip_draws_each_head_in_its_colour_and_drawing_changes_nothing(theme, text):
    strip = LayerStrip((10, 10, 420, 54), 2, 2, selected=2)
    surface = pygame.Surface((440, 80))
    strip.handle(motion(strip.head_rect(1).center))
    before = (strip.selected, strip.hovered_head)
    strip.draw(surface, theme, text)
    assert (strip.selected, strip.hovered_head) == before
    colours = head_colours(theme)
    for head in range(4):  # each head's chip shows its colour inside its tab
        rect = strip.head_rect(head)
        pixels = {
            tuple(surface.get_at((x, y)))[:3]
            for x in range(rect.left, rect.right)
            for y in range(rect.top, rect.bottom)
        }
        assert colours[head] in pixels, head


# -- the residual stream panel --------------------------------------------------------------
def _data():
    features = ("a", "b", "prev_a", "prev_b")
    x0 = np.array([[1, 0, 0, 0], [0, 1, 0, 0], [1, 0, 0, 0]], float)  # (n=3, d=4)
    x1 = x0 + np.array([[0, 0, 0, 0], [0, 0, 0.9, 0], [0, 0, 0, 0.8]])
    x2 = x1 + np.array([[0, 0, 0, 0], [0, 0, 0, 0], [0, 0.7, 0, 0]])
    written = {"prev_a": (0,), "prev_b": (0,), "b": (2,)}
    return residual_data(features, ("a", "b", "a"), (x0, x1, x2), written, heads_per_layer=2)


def test_panel_reads_the_stream_at_the_chosen_token():
    panel = ResidualPanel((0, 0, 360, 260))
    panel.show(_data(), layer=1)
    assert panel.token == 2  # the last token until the player picks another
    assert panel.value(3, 1) == pytest.approx(0.8) and panel.value(1, 2) == pytest.approx(0.7)
    panel.focused = True
    panel.handle(key(pygame.K_LEFT))
    assert panel.token == 1 and panel.value(2, 1) == pytest.approx(0.9)
    panel.handle(key(pygame.K_RIGHT))
    panel.handle(key(pygame.K_RIGHT))  # already the last token
    assert panel.token == 2
    panel.show(_data(), layer=0)  # new numbers keep the token picked
    assert panel.token == 2


def test_panel_marks_what_earlier_layers_wrote():
    panel = ResidualPanel((0, 0, 360, 260))
    data = _data()
    assert data.writer_label(2) == "L2·H1" and data.layers == 2
    panel.show(data, layer=1)  # layer 2 reads what layer 1's head 0 wrote, not head 2's
    assert panel.readable("prev_a") == (0,) and panel.readable("b") == ()
    panel.show(data, layer=0)  # layer 1 reads only the embedding
    assert panel.readable("prev_a") == ()


def test_panel_arrows_step_the_token(text):
    panel = ResidualPanel((0, 0, 360, 260))
    panel.show(_data(), layer=1)
    panel.draw(pygame.Surface((400, 300)), NORMAL, text)
    back, forward = panel.arrows(NORMAL)
    panel.handle(click(back.center))
    panel.handle(click(back.center))
    assert panel.token == 0
    panel.handle(click(forward.center))
    assert panel.token == 1


@pytest.mark.parametrize("theme", [NORMAL, PROJECTOR, themed("projector", 1.5)])
def test_panel_tints_rows_written_by_earlier_heads_in_their_colour(theme, text):
    panel = ResidualPanel((0, 0, 360, 260))
    panel.show(_data(), layer=1)
    surface = pygame.Surface((360, 260))
    panel.draw(surface, theme, text)
    colours = {tuple(surface.get_at((x, y)))[:3] for x in range(0, 360, 2) for y in range(260)}
    writer = head_colours(theme)[0]
    assert writer in colours  # head 0's chips beside prev_a and prev_b
    from game.ui.widgets.base import mix

    assert mix(theme.panel, writer, 0.28) in colours  # their rows' tint
    panel.show(_data(), layer=0)  # nothing earlier than layer 1: no tint
    surface.fill((0, 0, 0))
    panel.draw(surface, theme, text)
    colours = {tuple(surface.get_at((x, y)))[:3] for x in range(0, 360, 2) for y in range(260)}
    assert mix(theme.panel, writer, 0.28) not in colours


def test_panel_scrolls_long_feature_lists():
    panel = ResidualPanel((0, 0, 360, 120))
    panel.show(_data(), layer=0)
    panel.focused = True
    panel.handle(key(pygame.K_DOWN))
    assert panel.scroll == 1
    for _ in range(10):
        panel.handle(key(pygame.K_DOWN))
    assert panel.scroll == 3  # the last feature stays in view
    panel.handle(key(pygame.K_UP))
    assert panel.scroll == 2


def test_the_star_preview_counts_layers_and_heads_against_their_par():
    from game.ui.play.goal_panel import StarPreview

    within = StarPreview(True, 4, 4, used=(2, 2), layer_par=(2, 2)).rows()[1]
    assert within == (True, "4 wires, 2 layers, 2 heads; par 4, 2, 2")
    over = StarPreview(True, 4, 4, used=(2, 3), layer_par=(2, 2)).rows()[1]
    assert over[0] is False  # one head too many: no second star, though the wires are at par
    assert StarPreview(True, 1, 4, used=(1, 1), layer_par=(None, 1)).rows()[1] == (
        True,
        "1 wire, 1 layer, 1 head; par 4, any, 1",
    )
    assert StarPreview(True, 4, 4).rows()[1] == (True, "4 wires; par 4: the fewest that solve it")


@pytest.mark.parametrize("name", ["normal", "projector"])
@pytest.mark.parametrize("scale", [1.0, 1.5])
def test_the_play_help_sheet_with_the_layer_keys_fits_the_screen(name, scale, text):
    from types import SimpleNamespace

    from game.ui.engine.display import LOGICAL_SIZE
    from game.ui.help.overlay import HelpOverlay
    from game.ui.play.shortcuts import PLAY_SHORTCUTS

    sheet = HelpOverlay(SimpleNamespace(theme=themed(name, scale), text=text), PLAY_SHORTCUTS)
    keys = [key for _, items in PLAY_SHORTCUTS for key, _ in items]
    assert any("[ / ]" in key for key in keys) and "F" in keys
    card = sheet.card()
    assert card.width <= LOGICAL_SIZE[0] - 40 and card.height <= LOGICAL_SIZE[1] - 24
    assert card.px["body"] >= 12  # still readable: two columns before the text gets tiny


def test_a_panel_too_short_for_every_row_says_how_many_are_hidden(text):
    panel = ResidualPanel((0, 0, 360, 150))
    panel.show(_data(), layer=0)
    theme = themed("projector", 1.5)
    hidden = len(panel.data.features) - panel.visible_rows(theme)
    assert hidden > 0 and panel.cell_px(theme) >= round(theme.font_px(14) * 0.75)
    surface = pygame.Surface((360, 150))
    panel.draw(surface, theme, text)
    foot = [  # "▼ N more" at the panel's bottom right, in the accent colour
        tuple(surface.get_at((x, y)))[:3] for x in range(290, 354) for y in range(120, 146)
    ]
    assert theme.accent in foot
    panel.show(_data(), layer=0)
    tall = ResidualPanel((0, 0, 360, 400))  # every row fits: no marker
    tall.show(_data(), layer=0)
    surface = pygame.Surface((360, 400))
    tall.draw(surface, theme, text)
    foot = [tuple(surface.get_at((x, y)))[:3] for x in range(290, 354) for y in range(370, 396)]
    assert theme.accent not in foot
    panel.focused = True
    for _ in range(hidden):
        panel.handle(key(pygame.K_DOWN))
    assert len(panel.data.features) - panel.scroll - panel.visible_rows(theme) <= 0
