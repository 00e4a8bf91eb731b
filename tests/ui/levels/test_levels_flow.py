"""The level list fills the screen (issue 14, item 15): one- and two-level chapters each
took a row and left half the screen empty. Chapters now sit side by side."""

import pygame
import pytest

from game.progress import Progress
from game.ui.engine.theme import themed
from game.ui.flow.game_flow import GameFlow


@pytest.mark.parametrize("look", [("normal", 1.0), ("projector", 1.5)], ids=["normal", "proj-150"])
def test_chapters_share_rows_and_nothing_overlaps(app, registry, tmp_path, look):
    app.theme = themed(*look)
    flow = GameFlow(app, registry, Progress(), progress_path=tmp_path / "p.json", save=False)
    flow.start()
    flow.open_levels()
    app.step(1 / 60, [])
    levels = app.scenes.top
    area = levels.list_rect
    cards = levels.cards
    assert len(cards) == len(levels.order)
    for k, card in enumerate(cards):
        assert area.left <= card.left and card.right <= area.right
        assert card.collidelist(cards[k + 1 :]) == -1
    tops = {card.top for card in cards}
    assert len(tops) < len({lv.concept for lv in levels.order})  # chapters share rows
    assert max(card.right for card in cards) > area.left + 0.75 * area.width
    for _title, (x, y, width) in levels.headings:
        heading = pygame.Rect(x, area.top + y, width, 10)
        assert heading.collidelist(cards) == -1
