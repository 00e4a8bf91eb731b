"""The FlashAttention level's live counters: HBM traffic of the player's tiles at the
level's size, part by part, against the naive schedule, with the budget as a bar.

Counts come from `io_sim.count_io` (through `flash_schedule.IOCompare`), the same
numbers the efficiency goal checks. When the tiles do not fit in SRAM the panel
says which part is largest and by how much one step overflows.
"""

from __future__ import annotations

import pygame

from game.ui.engine.text import TextCache
from game.ui.engine.theme import Colour, Theme
from game.ui.play.flash_schedule import IOCompare
from game.ui.widgets.base import draw_box, fit_text, mix


def short(count: int) -> str:
    """An element count in a few characters: 26.5M, 412k, 980."""
    for limit, suffix in ((1e9, "G"), (1e6, "M"), (1e3, "k")):
        if count >= limit:
            return f"{count / limit:.3g}{suffix}"
    return f"{count:,}"


def draw_io_counters(
    surface: pygame.Surface, rect: pygame.Rect, compare: IOCompare, theme: Theme, text: TextCache
) -> None:
    """Per part: a bar of tiled reads+writes on one scale with naive's; totals; budget."""
    draw_box(surface, rect, theme, fill=theme.panel, edge=theme.panel_edge, edge_width=1)
    s, tiled, naive = compare.setup, compare.tiled, compare.naive
    rows_high = 2.0 * (len(tiled.parts) + len(naive.parts) + 2) + 1.4 * 4  # in text sizes
    size = max(9, min(theme.font_px(14), int((rect.height - 24) / rows_high)))
    line = round(size * 1.35)
    x, y, width = rect.left + 8, rect.top + 6, rect.width - 16
    title = f"HBM traffic at n = {s.n:,}, d = {s.d} (elements)"
    surface.blit(fit_text(text, title, width, size + 1, theme.text, "bold"), (x, y))
    y += line + 4
    scale = max(naive.total, tiled.total, s.budget)
    bar_h = max(6, round(size * 0.55))
    rows = [(p.name, p.reads + p.writes, theme.categories[0]) for p in tiled.parts]
    rows.append(("tiled, all parts", tiled.total, theme.accent))
    rows += [(p.name, p.reads + p.writes, theme.text_dim) for p in naive.parts]
    rows.append(("naive, all parts", naive.total, theme.bad))
    for k, (name, count, colour) in enumerate(rows):
        if k == len(tiled.parts) + 1:
            y += 4
            surface.blit(text.render("naive (S and P through HBM)", size, theme.text_dim), (x, y))
            y += line
        label = fit_text(text, f"{name}: {short(count)}", width, size, theme.text)
        surface.blit(label, (x, y))
        y += line - 2
        pygame.draw.rect(surface, mix(theme.panel, theme.text_dim, 0.2), (x, y, width, bar_h))
        pygame.draw.rect(surface, colour, (x, y, max(1, round(width * count / scale)), bar_h))
        budget_x = x + round(width * s.budget / scale)
        pygame.draw.line(surface, theme.good, (budget_x, y - 2), (budget_x, y + bar_h + 1))
        y += bar_h + 4
    y += 2
    verdict, colour = verdict_line(compare, theme)
    for part in text.wrap(verdict, width, size)[:4]:
        if y + line > rect.bottom:
            break
        surface.blit(fit_text(text, part, width, size, colour), (x, y))
        y += line


def verdict_line(compare: IOCompare, theme: Theme) -> tuple[str, Colour]:
    """What the counters come to, in words, and the colour to say it in."""
    good, bad = theme.good, theme.bad
    overflow = compare.overflow()
    if overflow is not None:
        return overflow, bad
    tiled, budget = compare.tiled.total, compare.setup.budget
    share = tiled / compare.naive.total
    if tiled <= budget:
        return f"Within the budget ({short(budget)}, green line): {share:.0%} of naive.", good
    return f"{short(tiled - budget)} over the budget ({short(budget)}, green line).", bad
