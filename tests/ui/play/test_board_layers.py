"""The board view's cached layers (issue 14, item 17: edit → redraw): the wires are worked
out with NumPy and the cards are drawn once per change of what they show, never per
frame; the caches must still follow every change that shows on screen."""

import numpy as np
import pygame

from game.ui.engine.text import TextCache
from game.ui.engine.theme import NORMAL
from game.ui.play.board_view import MIN_WEIGHT, BoardView


def view_with(weights, values=None):
    pygame.font.init()
    n_q, n_k = weights.shape
    view = BoardView((0, 0, 560, 340))
    view.set_data(
        weights=weights, query_words=[f"q{i}" for i in range(n_q)],
        key_words=[f"k{j}" for j in range(n_k)], query_x=np.eye(n_q, 2), key_x=np.eye(n_k, 2),
        values=np.zeros((n_k, 2)) if values is None else values, features=["a", "b"],
        labels=("Keys", "Queries"), colour=NORMAL.accent, theme=NORMAL,
    )  # fmt: skip
    return view


def test_drawn_wires_are_every_wire_above_the_floor_lightest_first():
    weights = np.random.default_rng(3).random((7, 9)) ** 3
    weights[2, 4] = weights[5, 1] = 0.5  # a tie: (query, key) order breaks it
    expected = sorted(
        (float(weights[i, j]), i, j)
        for i in range(7)
        for j in range(9)
        if weights[i, j] >= MIN_WEIGHT
    )
    assert view_with(weights).drawn_wires == expected


def test_a_weight_change_keeps_the_cards_and_a_value_change_redraws_them():
    text = TextCache()
    surface = pygame.Surface((560, 340))
    view = view_with(np.full((3, 4), 0.25))
    view.draw(surface, NORMAL, text)
    cards = view._cards
    # the same view gets new weights only: the cards layer is reused
    view.set_data(
        weights=np.eye(3, 4), query_words=view.query_words, key_words=view.key_words,
        query_x=view.query_x, key_x=view.key_x, values=view.values, features=view.features,
        labels=view.labels, colour=view.colour, theme=NORMAL,
    )  # fmt: skip
    view.draw(surface, NORMAL, text)
    assert view._cards is cards
    new_values = np.ones((4, 2))
    view.set_data(
        weights=np.eye(3, 4), query_words=view.query_words, key_words=view.key_words,
        query_x=view.query_x, key_x=view.key_x, values=new_values, features=view.features,
        labels=view.labels, colour=view.colour, theme=NORMAL,
    )  # fmt: skip
    view.draw(surface, NORMAL, text)
    assert view._cards is not cards  # the value pips under the key cards changed
    cards = view._cards
    view.picked_query = 1
    view.draw(surface, NORMAL, text)
    assert view._cards is not cards  # the picked card is highlighted
