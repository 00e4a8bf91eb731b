"""Token cards stay readable (issue 14, item 12): the feature markers under a narrow word
("it", "in") are as big as the card's pips allow anywhere, and in the projector theme a
word keeps clear of its card's thick edge."""

import numpy as np
import pygame
import pytest

from game.ui.engine.text import TextCache
from game.ui.engine.theme import themed
from game.ui.play.board_view import MIN_PIP, BoardGeometry, BoardView, share_widths

WORDS = "the trophy did not fit in the suitcase because it was too big".split()


@pytest.mark.parametrize("theme", ["normal", "projector"])
@pytest.mark.parametrize("scale", [1.0, 1.5])
def test_narrow_words_get_cards_wide_enough_for_full_size_feature_markers(theme, scale):
    look = themed(theme, scale)
    rect = pygame.Rect(340, 66, 560, 360)
    geometry = BoardGeometry.fit(rect, len(WORDS), len(WORDS), look, WORDS, WORDS, features=4)
    for cards in (geometry.keys, geometry.queries):
        assert min(card.width for card in cards) >= 4 * (MIN_PIP + 1) + 8
        assert cards[-1].right <= rect.right and cards[0].left >= rect.left


def test_share_widths_holds_the_floor_and_still_fits():
    widths = share_widths([20, 200, 200, 20, 200], room=300, floor=40)
    assert min(widths) >= 40 and sum(widths) <= 300
    assert share_widths([50, 50], room=300, floor=10) == [50, 50]  # room to spare: as wanted


def test_projector_words_keep_clear_of_the_card_edge():
    pygame.font.init()
    look = themed("projector", 1.5)
    view = BoardView((0, 0, 560, 360))
    n = len(WORDS)
    view.set_data(
        weights=np.full((n, n), 1 / n), query_words=WORDS, key_words=WORDS,
        query_x=np.zeros((n, 4)), key_x=np.zeros((n, 4)), values=np.zeros((n, 4)),
        features=["a", "b", "c", "d"], labels=("Keys", "Queries"), colour=look.accent, theme=look,
    )  # fmt: skip
    surface = pygame.Surface((560, 360))
    view.draw(surface, look, TextCache())
    edge = look.line_px(1)
    for card in view.geometry.keys:
        y = card.top + card.height // 3  # at the word's height
        xs = (
            card.left + edge + 1,
            card.left + edge + 2,
            card.right - edge - 2,
            card.right - edge - 3,
        )
        for x in xs:  # the two pixels just inside the edge are card fill, not ink
            assert surface.get_at((x, y))[:3] == look.background, (card, x, y)
