"""The FlashAttention level's schedule view: the tiled loop played step by step.

Drawn in the board's place. Left, HBM (large, slow) holds Q, K, V and O as
strips of rows; in the middle SRAM (small, fast) holds the step's tiles, with a
bar of how full one step keeps it at the level's size, and the n × n score table
filling tile by tile (it never exists in HBM); right, every query row's running
maximum m and sum ℓ, rows whose m moved this step marked "rescaled". While it
plays, the Q_i/O_i and K_j/V_j tiles fly HBM → SRAM and O_i flies back. Below,
play/pause, step back and forth, slower/faster, and at the end the output's
largest difference from `attention()`.

Everything shown comes from `flash_schedule.ScheduleRun` (io_sim's real run).
"""

from __future__ import annotations

import math

import pygame

from game.ui.engine.text import TextCache
from game.ui.engine.theme import Theme
from game.ui.play.flash_schedule import (
    FlashSetup,
    IOCompare,
    ScheduleClock,
    ScheduleRun,
    sram_parts,
)
from game.ui.play.layout import NOWHERE
from game.ui.widgets import Button
from game.ui.widgets.base import draw_box, fit_text, mix

STRIPS = ("Q", "K", "V", "O")


def lerp_rect(a: pygame.Rect, b: pygame.Rect, t: float) -> pygame.Rect:
    """The rect `t` of the way from a to b (position and size)."""
    return pygame.Rect(*(round(x + (y - x) * t) for x, y in zip(a, b, strict=True)))


class ScheduleView:
    """The schedule view and its buttons; `show(block_q, block_k)` reruns when tiles change."""

    def __init__(self, setup: FlashSetup):
        self.setup = setup
        self.rect = pygame.Rect(NOWHERE)
        self.run: ScheduleRun | None = None
        self.compare: IOCompare | None = None
        self.clock = ScheduleClock(1)
        self._tiles: tuple[int, int] | None = None
        self.play_button = Button(NOWHERE, "Play", self.toggle)
        self.back_button = Button(NOWHERE, "< Step", lambda: self.clock.step(-1))
        self.step_button = Button(NOWHERE, "Step >", lambda: self.clock.step(+1))
        self.slower_button = Button(NOWHERE, "Slower", lambda: self.clock.faster(-1))
        self.faster_button = Button(NOWHERE, "Faster", lambda: self.clock.faster(+1))
        self.buttons = [self.play_button, self.back_button, self.step_button,
                        self.slower_button, self.faster_button]  # fmt: skip

    def show(self, block_q: int, block_k: int) -> None:
        """Run the loop for these tiles (only when they changed) and start from step one."""
        if self._tiles == (block_q, block_k):
            return
        self._tiles = (block_q, block_k)
        self.run = ScheduleRun.run(block_q, block_k)
        self.compare = IOCompare.count(self.setup, block_q, block_k)
        self.clock.restart(len(self.run.steps))
        self.clock.playing = False

    def toggle(self) -> None:
        self.clock.toggle()

    def update(self, dt: float) -> None:
        self.clock.update(dt)
        self.play_button.label = "Pause" if self.clock.playing else "Play"

    def layout(self, rect: pygame.Rect, theme: Theme) -> None:
        self.rect = pygame.Rect(rect)
        h = theme.font_px(16) + 14
        y = rect.bottom - 8 - h
        widths = (90, 90, 90, 80, 80)
        x = rect.left + 8
        scale = min(1.0, (rect.width - 16 - 6 * 4) / sum(widths))
        for button, w in zip(self.buttons, widths, strict=True):
            button.rect = pygame.Rect(x, y, round(w * scale), h)
            x += round(w * scale) + 6

    # -- drawing ---------------------------------------------------------------------
    def draw(self, surface: pygame.Surface, theme: Theme, text: TextCache) -> None:
        draw_box(surface, self.rect, theme, fill=theme.panel, edge=theme.panel_edge, edge_width=1)
        run = self.run
        if run is None or not run.steps:
            return
        index = min(self.clock.index, len(run.steps) - 1)
        step = run.steps[index]
        small = theme.font_px(14)
        line = round(small * 1.35)
        caption = (
            f"Tiled run on {run.n} tokens (d = {run.d}), tiles {run.block_q} × {run.block_k}: "
            f"step {index + 1} of {len(run.steps)} (query tile {step.i + 1}, key tile {step.j + 1})"
        )
        top = self.rect.top + 6
        surface.blit(
            fit_text(text, caption, self.rect.width - 16, small, theme.text),
            (self.rect.left + 8, top),
        )
        body_top = top + line + 2
        body_bottom = self.play_button.rect.top - line - 8
        body = pygame.Rect(
            self.rect.left + 8, body_top, self.rect.width - 16, body_bottom - body_top
        )
        third = body.width // 3
        hbm = pygame.Rect(body.left, body.top, third - 8, body.height)
        sram = pygame.Rect(hbm.right + 8, body.top, third + 20, body.height)
        stats = pygame.Rect(sram.right + 8, body.top, body.right - sram.right - 8, body.height)
        strips = self._draw_hbm(surface, hbm, run, step, theme, text)
        tiles = self._draw_sram(surface, sram, run, index, theme, text)
        self._draw_stats(surface, stats, run, index, theme, text)
        self._draw_flight(surface, strips, tiles, step, theme)
        self._draw_footer(surface, run, index, theme, text)

    def _label(self, surface, rect, title, theme, text) -> pygame.Rect:
        """A titled box; the rect inside it, under the title."""
        draw_box(
            surface,
            rect,
            theme,
            fill=mix(theme.panel, theme.background, 0.5),
            edge=theme.panel_edge,
            edge_width=1,
        )
        size = theme.font_px(14)
        surface.blit(
            fit_text(text, title, rect.width - 10, size, theme.accent, "bold"),
            (rect.left + 5, rect.top + 4),
        )
        head = round(size * 1.35) + 6
        return pygame.Rect(rect.left + 5, rect.top + head, rect.width - 10, rect.height - head - 5)

    def _draw_hbm(self, surface, rect, run, step, theme, text) -> dict[str, pygame.Rect]:
        """Q, K, V, O as strips of n rows; the step's tiles outlined. Returns the tiles' rects."""
        inner = self._label(surface, rect, "HBM: large, slow", theme, text)
        size = theme.font_px(13)
        label_h = round(size * 1.3)
        col = inner.width // 4
        rows = pygame.Rect(inner.left, inner.top + label_h, inner.width, inner.height - label_h)
        row_h = rows.height / run.n
        tiles: dict[str, pygame.Rect] = {}
        for c, name in enumerate(STRIPS):
            x = inner.left + c * col
            strip = pygame.Rect(x + 3, rows.top, col - 6, rows.height)
            surface.blit(
                text.render(name, size, theme.text, "bold"), (strip.centerx - size // 3, inner.top)
            )
            pygame.draw.rect(surface, mix(theme.panel, theme.text_dim, 0.25), strip)
            start, stop = step.q_rows if name in ("Q", "O") else step.k_rows
            tile = pygame.Rect(
                strip.left,
                rows.top + round(start * row_h),
                strip.width,
                max(2, round((stop - start) * row_h)),
            )
            colour = theme.categories[0] if name in ("Q", "O") else theme.categories[1]
            pygame.draw.rect(surface, colour, tile)
            tiles[name] = tile
        return tiles

    def _draw_sram(self, surface, rect, run, index, theme, text) -> dict[str, pygame.Rect]:
        """How full SRAM is at the level's size, the tiles held, and the score table filling."""
        setup, compare = self.setup, self.compare
        inner = self._label(
            surface, rect, f"SRAM: small, fast ({setup.sram:,} numbers)", theme, text
        )
        bar = pygame.Rect(inner.left, inner.top, inner.width, max(8, theme.font_px(10)))
        pygame.draw.rect(surface, mix(theme.panel, theme.text_dim, 0.25), bar)
        x = bar.left
        parts = sram_parts(setup.d, compare.tiled.block_q, compare.tiled.block_k) if compare else ()
        need = max(1, sum(size for _, size in parts))
        room = max(need, setup.sram)
        for k, (_, size) in enumerate(parts):
            w = round(bar.width * size / room)
            pygame.draw.rect(
                surface, theme.categories[k % len(theme.categories)], (x, bar.top, w, bar.height)
            )
            x += w
        cap_x = bar.left + round(bar.width * setup.sram / room)
        pygame.draw.line(
            surface,
            theme.bad if need > setup.sram else theme.good,
            (cap_x, bar.top - 3),
            (cap_x, bar.bottom + 3),
            theme.line_px(2),
        )
        grid_top = bar.bottom + 8
        side = min(inner.width, inner.bottom - grid_top - round(theme.font_px(12) * 1.3))
        grid = pygame.Rect(inner.centerx - side // 2, grid_top, side, side)
        pygame.draw.rect(surface, mix(theme.panel, theme.background, 0.7), grid)
        cell = side / run.n
        current = None
        for k, done in enumerate(run.done_tiles(index)):
            (q0, q1), (k0, k1) = done.q_rows, done.k_rows
            w, h = max(1, round((k1 - k0) * cell)), max(1, round((q1 - q0) * cell))
            area = pygame.Rect(grid.left + round(k0 * cell), grid.top + round(q0 * cell), w, h)
            fill = theme.accent if k == index else mix(theme.panel, theme.accent, 0.35)
            pygame.draw.rect(surface, fill, area)
            current = area
        pygame.draw.rect(surface, theme.panel_edge, grid, 1)
        size = theme.font_px(12)
        note = fit_text(
            text, "scores S_ij: one tile at a time, never stored", inner.width, size, theme.text_dim
        )
        surface.blit(note, (inner.left, min(inner.bottom - note.get_height(), grid.bottom + 2)))
        return {"S": current or grid}

    def _draw_stats(self, surface, rect, run, index, theme, text) -> None:
        """Every query row's running max m and sum ℓ; rows just rescaled in the accent colour."""
        step = run.steps[index]
        rescaled = set(run.rescaled_rows(index))
        title = f"m | ℓ per row ({len(rescaled)} rescaled now)"
        inner = self._label(surface, rect, title, theme, text)
        finite = [m for m in step.m_rows if math.isfinite(m)] or [0.0]
        low, high = min(finite), max(finite)
        l_high = max(max(step.l_rows), 1e-9)
        row_h = inner.height / run.n
        half = inner.width // 2
        for r in range(run.n):
            y = inner.top + round(r * row_h)
            h = max(1, round(row_h) - 1)
            m, l = step.m_rows[r], step.l_rows[r]
            colour = theme.accent if r in rescaled else theme.categories[0]
            if step.q_rows[0] <= r < step.q_rows[1]:
                pygame.draw.rect(
                    surface,
                    mix(theme.panel, theme.categories[0], 0.25),
                    (inner.left, y, inner.width, h),
                )
            if math.isfinite(m):
                w = round((half - 4) * (m - low + 0.1) / (high - low + 0.1))
                pygame.draw.rect(surface, colour, (inner.left, y, max(1, w), h))
            w = round((half - 4) * l / l_high)
            pygame.draw.rect(
                surface, theme.categories[1], (inner.left + half, y, max(1 if l else 0, w), h)
            )

    def _draw_flight(self, surface, strips, tiles, step, theme) -> None:
        """While playing: Q_i, K_j, V_j fly to the score tile, then O_i flies back."""
        t = self.clock.phase
        if t >= 1.0:
            return
        target = tiles["S"]
        if t < 0.6:
            for name in ("Q", "K", "V"):
                moving = lerp_rect(strips[name], target, t / 0.6)
                pygame.draw.rect(surface, theme.focus, moving, theme.line_px(2))
        else:
            moving = lerp_rect(target, strips["O"], (t - 0.6) / 0.4)
            pygame.draw.rect(surface, theme.good, moving, theme.line_px(2))

    def _draw_footer(self, surface, run, index, theme, text) -> None:
        size = theme.font_px(14)
        y = self.play_button.rect.top - round(size * 1.35) - 4
        if index >= len(run.steps) - 1:
            line = f"Done: O equals attention() to {run.max_difference:.1e} (largest difference)"
            colour = theme.good
        else:
            line = f"{self.clock.speed:g} steps a second; O is right only after the last key tile"
            colour = theme.text_dim
        right = self.rect.right - 8
        surface.blit(
            fit_text(text, line, right - self.rect.left - 16, size, colour), (self.rect.left + 8, y)
        )

    def draw_buttons(self, surface: pygame.Surface, theme: Theme, text: TextCache) -> None:
        for button in self.buttons:
            button.draw(surface, theme, text)
