"""The √d_k lab of the scale level: a d_k slider over random q and k, with the board's scale.

The player slides d_k from 1 to 1024 and sees, computed by `game.model.dk_lab`
with the real attention code, the spread of q·k grow like √d_k and one row's
softmax weights pile onto a single key (saturation); the level's own
"1/√d_k scale" switch, read from the board, brings the spread back to about 1
and the weights back to sharing. The panel sits where the value editor would be
(the scale level's values are fixed); its slider is a normal widget in the play
screen's focus group, so the keys reach it too. Drawing reads the sample; the
sample is recomputed only when d_k or the scale changes.
"""

from __future__ import annotations

import math

import pygame

from game.model.dk_lab import DkSample, dk_sample
from game.ui.engine.text import TextCache
from game.ui.engine.theme import Theme
from game.ui.widgets import Slider
from game.ui.widgets.base import draw_box, fit_text, mix

LOW, HIGH = 1, 1024  # d_k range: powers of two
SATURATED = 0.8  # a mean top weight above this reads as "almost all on one key"


def power_of_two(value: float) -> int:
    return int(2 ** round(math.log2(max(LOW, min(HIGH, value)))))


class DkLab:
    def __init__(self, d_k: int):
        self.rect = pygame.Rect(0, 0, 1, 1)
        self.d_k = power_of_two(d_k)
        self.slider = Slider(
            (0, 0, 1, 1), "d_k", LOW, HIGH, self.d_k, self.set_d_k,
            log=True, steps=10, format=lambda v: str(power_of_two(v)),
        )  # fmt: skip
        self.sample: DkSample | None = None

    def set_d_k(self, value: float) -> None:
        self.d_k = power_of_two(value)

    def follow(self, scaled: bool) -> DkSample:
        """The sample for the slider's d_k and the board's scale (recomputed on change)."""
        if self.sample is None or (self.sample.d_k, self.sample.scaled) != (self.d_k, scaled):
            self.sample = dk_sample(self.d_k, scaled)
        return self.sample

    def layout(self, rect: pygame.Rect, theme: Theme) -> None:
        self.rect = pygame.Rect(rect)
        inner = self.rect.inflate(-16, -12)
        title_h = round(theme.font_px(15) * 1.3)
        height = max(36, theme.font_px(14) * 2 + 20)
        self.slider.rect = pygame.Rect(inner.left, inner.top + title_h + 2, inner.width, height)

    def lines(self) -> list[tuple[str, bool]]:
        """(text, emphasis) lines under the slider, all from the sample."""
        s = self.sample
        if s is None:
            return []
        spread = f"Spread of q·k: {s.spread:.2f}   (√d_k = {s.sqrt_d_k:.2f})"
        if s.scaled:
            used = f"Scale on: softmax gets q·k / √d_k, spread {s.used_spread:.2f}."
        else:
            used = "Scale off: softmax gets q·k as it is."
        verdict = f"Top key takes {s.top_weight:.0%} on average: " + (
            "saturated, almost one-hot." if s.top_weight > SATURATED else "weights shared."
        )
        return [(spread, False), (used, False), (verdict, s.top_weight > SATURATED)]

    def draw(self, surface: pygame.Surface, theme: Theme, text: TextCache) -> None:
        draw_box(surface, self.rect, theme, fill=theme.panel, edge=theme.panel_edge, edge_width=1)
        inner = self.rect.inflate(-16, -12)
        title = fit_text(
            text, "Why √d_k? Random q and k", inner.width, theme.font_px(15), theme.text, "bold"
        )
        surface.blit(title, inner.topleft)
        self.slider.draw(surface, theme, text)
        size = theme.font_px(13)
        y = self.slider.rect.bottom + 6
        for line, strong in self.lines():
            ink = theme.bad if strong else theme.text
            image = fit_text(text, line, inner.width, size, ink, min_size=9)
            surface.blit(image, (inner.left, y))
            y += round(size * 1.3)
        bars = pygame.Rect(inner.left, y + 4, inner.width, inner.bottom - y - 4)
        if self.sample is not None and bars.height > 12:
            self._draw_row(surface, bars, theme, text)

    def _draw_row(self, surface, rect: pygame.Rect, theme: Theme, text: TextCache) -> None:
        """One row's softmax weights as bars, 0 to 1."""
        row = self.sample.row
        pygame.draw.rect(surface, mix(theme.panel, theme.background, 0.5), rect, border_radius=4)
        gap = 4
        width = (rect.width - gap * (len(row) + 1)) // len(row)
        for n, weight in enumerate(row):
            height = round((rect.height - 4) * float(weight))
            bar = pygame.Rect(
                rect.left + gap + n * (width + gap), rect.bottom - 2 - height, width, height
            )
            pygame.draw.rect(surface, theme.accent, bar)
        label = fit_text(
            text, "one query's weights on 8 keys", rect.width - 8, theme.font_px(11), theme.text_dim
        )
        surface.blit(label, (rect.left + 4, rect.top + 2))


__all__ = ["DkLab", "power_of_two"]
