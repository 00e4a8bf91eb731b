"""The unseen sentences of the third star, shown after Check: each one's heatmap and verdict.

While building, the player never sees the held-out sentences (DESIGN §1, stars);
after Check they should see what the third star was about: the same head run on
each sentence it never saw, as a heatmap, with whether every goal held there.
`held_out_rows` gathers that from the board and the `Score` (the verdicts are the
score's own goal results, the weights the board's own evaluation: nothing is
recomputed here); `HeldOutPanel` lays the rows out side by side and draws them.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pygame

from game.model import Board, Score
from game.ui.engine.text import TextCache
from game.ui.engine.theme import Theme
from game.ui.widgets.base import draw_box, fit_text
from game.ui.widgets.heatmap import Heatmap

MAX_SHOWN = 4  # sentences side by side; more would make each heatmap unreadable


@dataclass(frozen=True)
class HeldOutRow:
    """One held-out sentence as the results screen shows it."""

    sentence: int  # index in the level's sentences (1.. : 0 is the one the player saw)
    words: str
    passed: bool
    verdict: str  # the first goal that failed there, or the first goal's message
    weights: np.ndarray  # (n_q, n_k) of the head shown
    mask: np.ndarray | None  # (n_q, n_k) True where masked, None when nothing is
    row_labels: tuple[str, ...]
    col_labels: tuple[str, ...]


def held_out_rows(board: Board, result: Score, head: int) -> list[HeldOutRow]:
    """The held-out sentences (all but the first) with `head`'s weights and the verdicts."""
    rows = []
    for s, goals in enumerate(result.per_sentence[1:], start=1):
        ev = board.evaluate(s)
        shown = ev.head(min(head, len(ev.heads) - 1))
        failed = next((g for g in goals if not g.met), None)
        verdict = (failed or (goals[0] if goals else None)) if goals else None
        masked = ~shown.allowed
        rows.append(
            HeldOutRow(
                sentence=s,
                words=" ".join(ev.tokens[shown.query_sequence]),
                passed=failed is None,
                verdict="" if verdict is None else verdict.message,
                weights=np.array(shown.weights),
                mask=masked if masked.any() else None,
                row_labels=tuple(ev.tokens[shown.query_sequence]),
                col_labels=tuple(ev.tokens[shown.key_sequence]),
            )
        )
    return rows


class HeldOutPanel:
    """Up to MAX_SHOWN held-out sentences side by side: words, ✓/✗ verdict, heatmap."""

    def __init__(self) -> None:
        self.rect = pygame.Rect(0, 0, 1, 1)
        self.rows: list[HeldOutRow] = []
        self.heatmaps: list[Heatmap] = []
        self.caption_h = 0
        self.text_px = 15
        self.card_title = "Unseen"  # "Example" on a task level, whose score is not per card

    def set_rows(self, rows: list[HeldOutRow], revision: object) -> None:
        self.rows = rows[:MAX_SHOWN]
        while len(self.heatmaps) < len(self.rows):
            heatmap = Heatmap((0, 0, 1, 1))
            heatmap.focusable = False
            self.heatmaps.append(heatmap)
        for k, (row, heatmap) in enumerate(zip(self.rows, self.heatmaps, strict=False)):
            heatmap.set_data(
                row.weights, revision=(revision, k), mask=row.mask,
                row_labels=row.row_labels, col_labels=row.col_labels,
            )  # fmt: skip

    def layout(self, rect: pygame.Rect, theme: Theme, *, compact: bool = False) -> None:
        """Columns side by side in `rect`; `compact` (big text) uses a smaller caption."""
        self.rect = pygame.Rect(rect)
        self.text_px = theme.font_px(11 if compact else 15)
        self.caption_h = 4 * round(self.text_px * 1.3) + 4
        n = max(1, len(self.rows))
        gap = 16
        width = (self.rect.width - gap * (n - 1)) // n
        size = max(40, min(width, self.rect.height - self.caption_h))
        for k, heatmap in enumerate(self.heatmaps[: len(self.rows)]):
            left = self.rect.left + k * (width + gap) + (width - size) // 2
            heatmap.set_rect(pygame.Rect(left, self.rect.top + self.caption_h, size, size))

    def column(self, k: int) -> pygame.Rect:
        n = max(1, len(self.rows))
        gap = 16
        width = (self.rect.width - gap * (n - 1)) // n
        return pygame.Rect(self.rect.left + k * (width + gap), self.rect.top, width, self.caption_h)

    def draw(self, surface: pygame.Surface, theme: Theme, text: TextCache) -> None:
        if not self.rows:
            draw_box(surface, self.rect, theme, fill=theme.panel, edge=theme.panel_edge)
            note = fit_text(
                text, "This level has no unseen sentences: the third star comes with the first.",
                self.rect.width - 24, theme.font_px(16), theme.text_dim,
            )  # fmt: skip
            surface.blit(note, note.get_rect(center=self.rect.center))
            return
        size, line = self.text_px, round(self.text_px * 1.3)
        for k, (row, heatmap) in enumerate(zip(self.rows, self.heatmaps, strict=False)):
            box = self.column(k)
            mark, ink = ("passed", theme.good) if row.passed else ("failed", theme.bad)
            head = fit_text(
                text, f"{self.card_title} {k + 1}: {mark}", box.width, size, ink, "bold"
            )
            surface.blit(head, box.topleft)
            words = text.wrap(f"“{row.words}”", box.width, size)
            if len(words) > 2:
                words = [words[0], " ".join(words[1:])]
            for n, part in enumerate(words):
                image = fit_text(text, part, box.width, size, theme.text, min_size=9)
                surface.blit(image, (box.left, box.top + (n + 1) * line))
            verdict = fit_text(text, row.verdict, box.width, size, theme.text_dim, min_size=9)
            surface.blit(verdict, (box.left, box.top + 3 * line))
            heatmap.draw(surface, theme, text)


__all__ = ["MAX_SHOWN", "HeldOutPanel", "HeldOutRow", "held_out_rows"]
