"""A value that is not finite never raises in the drawing code: it is drawn as "—" (issue 16).

Plugin arrays are checked at the boundary (game.plugin_calls), so NaN should never
get this far; these widgets are the last line, and must hold on their own.
"""

from __future__ import annotations

import numpy as np
import pygame
import pytest

from game.ui.engine.text import TextCache
from game.ui.engine.theme import NORMAL
from game.ui.play.board_view import BoardView
from game.ui.play.inspector import number
from game.ui.play.output_bars import NOT_A_NUMBER, draw_output_bars
from game.ui.play.step_mode import cell_text
from game.ui.widgets.heatmap import Heatmap

BAD = [np.nan, np.inf, -np.inf, 1e308]


@pytest.fixture(scope="module")
def text():
    pygame.font.init()
    return TextCache()


class Recording(TextCache):
    """A text cache that remembers what it was asked to draw."""

    def __init__(self):
        super().__init__()
        self.asked: list[str] = []

    def render(self, text, *args, **kwargs):
        self.asked.append(text)
        return super().render(text, *args, **kwargs)


def grid(value, shape=(3, 4)):
    rng = np.random.default_rng(1)
    array = rng.random(shape)
    array[-1, -1] = value
    array[0, 0] = value
    return array


@pytest.mark.parametrize("value", BAD)
def test_output_bars_draw_a_dash_for_a_value_that_is_not_finite(value):
    pygame.font.init()
    text = Recording()
    surface = pygame.Surface((600, 300))
    outputs = grid(value)
    draw_output_bars(surface, pygame.Rect(0, 0, 600, 300), outputs, ["a", "b", "c"],
                     ["f1", "f2", "f3", "f4"], NORMAL, text)  # fmt: skip
    dashes = text.asked.count(NOT_A_NUMBER)
    assert dashes == (0 if np.isfinite(value) else 2)


@pytest.mark.parametrize("value", BAD)
def test_the_heatmap_draws_a_dash_in_a_cell_that_is_not_finite(value):
    pygame.font.init()
    text = Recording()
    heatmap = Heatmap((0, 0, 400, 300))
    heatmap.set_data(grid(value), revision=1, row_labels=["a", "b", "c"])
    surface = pygame.Surface((400, 300))
    heatmap.draw(surface, NORMAL, text)
    assert ("—" in text.asked) == (not np.isfinite(value))


@pytest.mark.parametrize("value", BAD)
def test_the_board_draws_weights_and_features_that_are_not_finite(value, text):
    view = BoardView((0, 0, 800, 500))
    view.set_data(
        weights=grid(value), query_words=["a", "b", "c"], key_words=["w", "x", "y", "z"],
        query_x=grid(value, (3, 2)), key_x=grid(value, (4, 2)), values=grid(value, (4, 2)),
        features=["f1", "f2"], labels=("K", "Q"), colour=(1, 2, 3), theme=NORMAL,
    )  # fmt: skip
    surface = pygame.Surface((800, 500))
    view.update(0.25)
    view.draw(surface, NORMAL, text)
    assert all(np.isfinite(w) for w, _, _ in view._drawn)


def test_numbers_in_the_inspector_and_step_mode():
    assert number(float("nan")) == "—" and cell_text(float("nan")) == "—"
    assert number(float("-inf")) == "−∞"  # a mask, and said so
