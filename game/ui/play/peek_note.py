"""The banner over the board while the causal mask is lifted: what peeking buys and costs.

It shows `game.model.peek.peek_report` for the visible sentence, in words: how
much attention lands on later words, and how many next words come out right
with the mask lifted (training, where the text is all there) and with it on
(writing, where the later words do not exist yet). Numbers from the model only.
"""

from __future__ import annotations

import pygame

from game.model.peek import PeekReport
from game.ui.engine.text import TextCache
from game.ui.engine.theme import Theme
from game.ui.widgets.base import fit_text, mix


def peek_lines(report: PeekReport) -> list[str]:
    return [
        f"Mask off: {report.later_share:.0%} of the attention goes to later words, words "
        "that do not exist yet when the model writes.",
        f"Training (whole text there): next word right at {report.right_training} of "
        f"{report.total}.  Writing (mask on): {report.right_writing} of {report.total}.",
        "Put the mask back before you Check.",
    ]


def draw_peek_note(
    surface: pygame.Surface, board: pygame.Rect, report: PeekReport, theme: Theme, text: TextCache
) -> None:
    """Three lines in a box across the middle of the board's region (over the wires, whose
    upward strokes are the peeking; the key and query cards stay in sight)."""
    size = theme.font_px(13)
    line = round(size * 1.3)
    lines = peek_lines(report)
    box = pygame.Rect(board.left + 8, 0, board.width - 16, len(lines) * line + 10)
    box.centery = board.centery
    pygame.draw.rect(surface, mix(theme.panel, theme.bad, 0.15), box, border_radius=6)
    pygame.draw.rect(surface, theme.bad, box, theme.line_px(2), border_radius=6)
    for k, part in enumerate(lines):
        weight = "bold" if k == 1 else "regular"
        image = fit_text(text, part, box.width - 16, size, theme.text, weight, min_size=9)
        surface.blit(image, (box.left + 8, box.top + 5 + k * line))


__all__ = ["draw_peek_note", "peek_lines"]
