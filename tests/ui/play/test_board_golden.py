"""Golden image of the board's wires: the region between the key and query rows, which
holds no text, must match a stored picture pixel for pixel.

The picture is regenerated with SWITCHYARD_UPDATE_GOLDEN=1 after a deliberate change
to how wires are drawn; look at tests/ui/play/golden/board_wires_*.png before committing it.
"""

import os
from pathlib import Path

import numpy as np
import pygame
import pytest

from game.ui.engine.text import TextCache
from game.ui.engine.theme import NORMAL, PROJECTOR
from game.ui.play.board_view import BoardView

GOLDEN = Path(__file__).parent / "golden"
WEIGHTS = np.array(  # (n_q, n_k) a fixed attention pattern: a strong diagonal, a spread row
    [[0.7, 0.2, 0.1, 0.0], [0.05, 0.9, 0.05, 0.0], [0.25, 0.25, 0.25, 0.25]]
)


def wire_region(theme) -> pygame.Surface:
    pygame.font.init()
    view = BoardView((0, 0, 560, 340))
    view.set_data(
        weights=WEIGHTS,
        query_words=["it", "was", "big"],
        key_words=["the", "trophy", "fit", "in"],
        query_x=np.eye(3, 2),
        key_x=np.eye(4, 2),
        values=np.zeros((4, 2)),
        features=["noun", "pronoun"],
        labels=("Keys", "Queries"),
        colour=theme.accent,
        theme=theme,
    )
    surface = pygame.Surface((560, 340))
    surface.fill((255, 0, 255))
    view.draw(surface, theme, TextCache())  # phase 0: the dots sit at fixed places
    geometry = view.geometry
    top = max(card.bottom for card in geometry.keys) + 14
    bottom = min(card.top for card in geometry.queries) - 1
    return surface.subsurface(pygame.Rect(0, top, 560, bottom - top)).copy()


@pytest.mark.parametrize("theme", [NORMAL, PROJECTOR], ids=["normal", "projector"])
def test_the_wires_match_the_golden_image(theme):
    region = wire_region(theme)
    path = GOLDEN / f"board_wires_{theme.name}.png"
    if os.environ.get("SWITCHYARD_UPDATE_GOLDEN") == "1":
        pygame.image.save(region, str(path))
    golden = pygame.image.load(str(path))
    assert golden.get_size() == region.get_size()
    want = pygame.surfarray.array3d(golden)
    got = pygame.surfarray.array3d(region)
    differs = np.argwhere((want != got).any(axis=-1))
    assert len(differs) == 0, f"{len(differs)} pixels differ, first at {differs[:5].tolist()}"


def test_the_golden_image_is_not_blank():
    """A stored picture of nothing would pass forever: the wires must be visible in it."""
    golden = pygame.surfarray.array3d(pygame.image.load(str(GOLDEN / "board_wires_normal.png")))
    pixels = golden.reshape(-1, 3)
    background = np.median(pixels, axis=0)
    drawn = (pixels != background).any(axis=1).mean()
    assert len({tuple(c) for c in pixels}) >= 4 and drawn > 0.01
