"""The attention-pattern strip above the output bars: what a sparse or linear head saves and costs.

A level with a sparse pattern shows how many of the n_q·n_k scores the head
computes (the hatched heatmap cells are the ones it never computes). A level
with linear attention shows how far its weights are from exact softmax, in
total and at the worst cell, and a button that switches the heatmap between
the linear weights (what the goals check), the softmax weights and the
per-cell difference |linear − softmax|. Every number is the evaluation's own
(`HeadEvaluation.computed_scores`, `.weights`, `.exact_weights`).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np
import pygame

from game.api import AttentionPattern
from game.model import Evaluation
from game.ui.engine.text import TextCache
from game.ui.engine.theme import Theme
from game.ui.widgets.base import draw_box, fit_text
from game.ui.widgets.button import Button

TITLE_PX = 15
LINE_PX = 14
HEATMAP_MODES = ("linear", "softmax", "difference")
MODE_LABELS = {
    "linear": "Heatmap: linear",
    "softmax": "Heatmap: softmax",
    "difference": "Heatmap: |difference|",
}


@dataclass(frozen=True)
class PatternSummary:
    """The strip's words: a title and one or two lines of numbers."""

    title: str
    lines: tuple[str, ...]
    linear: bool  # True: the heatmap-mode button belongs in the strip


def pattern_summary(ev: Evaluation, head_index: int, title: str) -> PatternSummary | None:
    """What the strip says for one head, or None when the level has no pattern."""
    head = ev.head(head_index)
    total = head.qk.size
    if head.exact_weights is not None:
        gap = 0.5 * np.abs(head.weights - head.exact_weights).sum(axis=-1)  # (n_q,) per row
        cell = np.abs(head.weights - head.exact_weights)  # (n_q, n_k)
        i, j = np.unravel_index(int(np.argmax(cell)), cell.shape) if cell.size else (0, 0)
        words_q, words_k = ev.tokens[head.query_sequence], ev.tokens[head.key_sequence]
        worst = (
            f'worst row "{words_q[int(np.argmax(gap))]}": {gap.max():.0%}; '
            f'worst cell "{words_q[i]}"→"{words_k[j]}": {cell[i, j]:.2f}'
            if cell.size
            else ""
        )
        return PatternSummary(
            title=f"{title} vs exact softmax",
            lines=(f"Difference from softmax: {gap.mean():.0%} on average per row", worst),
            linear=True,
        )
    if head.pattern_mask is None:
        return None
    computed = head.computed_scores
    return PatternSummary(
        title=title,
        lines=(
            f"{computed} of {total} scores computed ({computed / max(total, 1):.0%})",
            f"{total - computed} skipped (hatched); dense needs all {total}",
        ),
        linear=False,
    )


def heatmap_matrix(ev: Evaluation, head_index: int, mode: str) -> np.ndarray:
    """(n_q, n_k) what the heatmap shows for `mode` (linear, softmax or |difference|)."""
    head = ev.head(head_index)
    if head.exact_weights is None or mode == "linear":
        return head.weights
    if mode == "softmax":
        return head.exact_weights
    return np.abs(head.weights - head.exact_weights)  # (n_q, n_k)


def split_outputs(outputs: pygame.Rect, theme: Theme, linear: bool) -> tuple[pygame.Rect, ...]:
    """(the strip, the output bars, the mode button) inside the outputs region."""
    line = round(theme.font_px(LINE_PX) * 1.3)
    button_h = theme.font_px(16) + 12 if linear else 0
    strip_h = round(theme.font_px(TITLE_PX) * 1.35) + 2 * line + 14
    strip_h += button_h + 6 if linear else 0
    strip_h = min(strip_h, outputs.height // 2)  # large text: the output bars keep half
    strip = pygame.Rect(outputs.left, outputs.top, outputs.width, strip_h)
    rest_h = outputs.bottom - strip.bottom - 6
    rest = pygame.Rect(outputs.left, strip.bottom + 6, outputs.width, rest_h)
    button = pygame.Rect(strip.left + 8, strip.bottom - 6 - button_h, strip.width - 16, button_h)
    return strip, rest, button


def draw_pattern_strip(
    surface: pygame.Surface,
    rect: pygame.Rect,
    summary: PatternSummary,
    theme: Theme,
    text: TextCache,
    bottom: int | None = None,
) -> None:
    """The strip's box, title and the lines that fit above `bottom` (default: the box's)."""
    draw_box(surface, rect, theme, fill=theme.panel, edge=theme.accent, edge_width=1)
    inner = rect.inflate(-16, -10)
    title = fit_text(text, summary.title, inner.width, theme.font_px(TITLE_PX), theme.text, "bold")
    surface.blit(title, inner.topleft)
    y = inner.top + round(theme.font_px(TITLE_PX) * 1.35)
    line = round(theme.font_px(LINE_PX) * 1.3)
    bottom = inner.bottom if bottom is None else bottom
    for k, words in enumerate(summary.lines):
        if y + (k + 1) * line > bottom + 2:
            break  # large text: the detail lines that do not fit are left out
        ink = theme.accent if k == 0 else theme.text_dim
        image = fit_text(text, words, inner.width, theme.font_px(LINE_PX), ink, min_size=9)
        surface.blit(image, (inner.left, y + k * line))


def next_mode(mode: str, modes: Sequence[str] = HEATMAP_MODES) -> str:
    return modes[(modes.index(mode) + 1) % len(modes)] if mode in modes else modes[0]


class PatternStrip:
    """The play screen's pattern strip: where it goes, and the linear heatmap-mode button.

    `pattern` is the level's registered pattern (None: no strip, the output bars
    keep their whole region). `widgets` is what the scene adds to its focus
    group: the mode button, for linear attention only. `on_change` tells the
    scene to show the heatmap again after the mode changed.
    """

    def __init__(self, pattern: AttentionPattern | None, on_change: Callable[[], None]):
        self.pattern = pattern
        self.mode = "linear"
        self.on_change = on_change
        self.button = Button((0, 0, 1, 1), MODE_LABELS[self.mode], self.cycle)
        self.linear = pattern is not None and pattern.feature_map is not None
        self.widgets = [self.button] if self.linear else []
        self.rect: pygame.Rect | None = None  # the strip; None without a pattern
        self.outputs: pygame.Rect | None = None  # what is left for the output bars

    def cycle(self) -> None:
        """Show the next matrix on the heatmap: linear → softmax → |difference| → linear."""
        self.mode = next_mode(self.mode)
        self.button.label = MODE_LABELS[self.mode]
        self.on_change()

    def layout(self, outputs: pygame.Rect, theme: Theme) -> None:
        self.rect, self.outputs = None, pygame.Rect(outputs)
        if self.pattern is not None:
            self.rect, self.outputs, self.button.rect = split_outputs(outputs, theme, self.linear)

    def matrix(self, ev: Evaluation, head_index: int) -> np.ndarray:
        """(n_q, n_k) for the heatmap: the head's weights, or softmax / |Δ| when so switched."""
        return heatmap_matrix(ev, head_index, self.mode)

    def draw(self, surface: pygame.Surface, ev: Evaluation, head: int, theme, text) -> None:
        """The strip and its button (the output bars go in `outputs`, drawn by the caller)."""
        if self.pattern is None or self.rect is None:
            return
        summary = pattern_summary(ev, head, self.pattern.title)
        if summary is not None:
            bottom = self.button.rect.top - 2 if summary.linear else None
            draw_pattern_strip(surface, self.rect, summary, theme, text, bottom)
            if summary.linear:
                self.button.draw(surface, theme, text)
