"""The "real run" panel of the FlashAttention level: the game's own backend at a real size.

The player picks n (1k … 100k) on tabs and presses Run: a `RealRun` goes to a
worker thread and the panel shows its progress bar and a Cancel button; the
screen keeps drawing (the run never blocks a frame). When it ends: the backend,
the measured time, the peak memory, the largest error against naive where naive
fits, and what naive's n × n score matrix alone would need in fp16 and fp32.
"""

from __future__ import annotations

import pygame

from game.ui.engine.text import TextCache
from game.ui.engine.theme import Theme
from game.ui.play.layout import NOWHERE
from game.ui.play.real_run import SIZES, RealRun, naive_bytes
from game.ui.widgets import Button, TabBar
from game.ui.widgets.base import draw_box, fit_text, mix


def size_text(n: int) -> str:
    return f"{n // 1000}k"


def byte_text(count: float) -> str:
    for limit, unit in ((2**30, "GiB"), (2**20, "MiB"), (2**10, "KiB")):
        if count >= limit:
            return f"{count / limit:.3g} {unit}"
    return f"{count:.0f} B"


class RealRunPanel:
    """Size tabs, Run/Cancel, and the run's numbers."""

    def __init__(self) -> None:
        self.rect = pygame.Rect(NOWHERE)
        self.sizes = TabBar(NOWHERE, [size_text(n) for n in SIZES], 0, lambda _: None)
        self.run_button = Button(NOWHERE, "Run", self.toggle)
        self.run: RealRun | None = None
        self.widgets = [self.sizes, self.run_button]

    @property
    def n(self) -> int:
        return SIZES[self.sizes.selected]

    def toggle(self) -> None:
        """Run at the chosen n, or cancel the run going."""
        if self.run is not None and self.run.running:
            self.run.cancel()
            return
        self.run = RealRun(self.n)
        self.run.start()

    def update(self, dt: float) -> None:
        running = self.run is not None and self.run.running
        self.run_button.label = "Cancel" if running else "Run"
        self.sizes.enabled = not running

    def close(self) -> None:
        """Leaving the screen: stop a run going (it ends within one chunk)."""
        if self.run is not None:
            self.run.cancel()

    def layout(self, rect: pygame.Rect, theme: Theme) -> None:
        self.rect = pygame.Rect(rect)
        h = min(40, theme.font_px(16) + 12)
        top = rect.top + round(theme.font_px(15) * 1.4) + 8
        run_w = max(90, theme.font_px(16) * 5)
        self.sizes.rect = pygame.Rect(rect.left + 8, top, rect.width - 16, h)
        self.run_button.rect = pygame.Rect(rect.left + 8, top + h + 6, run_w, h)

    def draw(self, surface: pygame.Surface, theme: Theme, text: TextCache) -> None:
        """The panel and its numbers (the tabs and button draw as the scene's widgets)."""
        rect = self.rect
        draw_box(surface, rect, theme, fill=theme.panel, edge=theme.panel_edge, edge_width=1)
        size = theme.font_px(14)
        line = round(size * 1.35)
        x, width = rect.left + 8, rect.width - 16
        title = "Real run: the game's own tiled kernel at this n"
        surface.blit(
            fit_text(text, title, width, theme.font_px(15), theme.text, "bold"), (x, rect.top + 6)
        )
        y = self.run_button.rect.bottom + 8
        need = naive_bytes(self.n if self.run is None else self.run.state.n)
        rows = [(f"naive's n × n scores alone: {byte_text(need['fp16'])} in fp16, "
                 f"{byte_text(need['fp32'])} in fp32", theme.text_dim)]  # fmt: skip
        state = self.run.state if self.run is not None else None
        if state is not None:
            bar = pygame.Rect(x, y, width, max(6, round(size * 0.6)))
            pygame.draw.rect(surface, mix(theme.panel, theme.text_dim, 0.25), bar)
            pygame.draw.rect(
                surface, theme.accent, (x, y, round(width * state.progress), bar.height)
            )
            y = bar.bottom + 4
            rows.insert(
                0, (self._status(state), theme.bad if state.status == "failed" else theme.text)
            )
            if state.status == "done":
                error = (
                    "naive does not fit" if state.max_error is None else f"{state.max_error:.1e}"
                )
                rows.insert(
                    1,
                    (
                        f"peak memory {byte_text(state.peak_bytes)}; max error vs naive: {error}",
                        theme.text,
                    ),
                )
        for words, colour in rows:
            for part in text.wrap(words, width, size)[:3]:
                if y + line > rect.bottom - 4:
                    return
                surface.blit(fit_text(text, part, width, size, colour), (x, y))
                y += line

    @staticmethod
    def _status(state) -> str:
        n = f"n = {state.n:,} on {state.backend}"
        if state.status == "running":
            return f"{n}: {state.progress:.0%} after {state.seconds:.1f} s"
        if state.status == "done":
            return f"{n}: done in {state.seconds:.2f} s"
        if state.status == "cancelled":
            return f"{n}: cancelled at {state.progress:.0%}"
        return f"{n}: {state.status} {state.message}"
