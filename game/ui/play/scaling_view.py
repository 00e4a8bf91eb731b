"""The scaling level's plots: loss against compute, and loss against model size at the budget.

Drawn with the reusable `LogLogPlot`. Left (the board's place): loss against
training compute C ≈ 6·N·D, with the player's (N, D) point, the budget as a
vertical line, the target loss, Kaplan et al.'s straight power law L(C) for
comparison, and, once the goals are met, the compute-optimal frontier of the
Chinchilla fit (the lowest loss each C can buy). Right (the heatmap's place):
the iso-compute curve, loss against N when the whole budget is spent, with the
player's N on it. The fit is the level's own (DESIGN: Hoffmann et al. 2022).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pygame

from game.levels.schema import Level
from game.model import Board
from game.ui.engine.text import TextCache
from game.ui.engine.theme import Theme
from game.ui.play.layout import PlayLayout
from game.ui.widgets.base import draw_box, fit_text
from game.ui.widgets.loglog_plot import Axes, LogLogPlot, Series

# L(N, D) = E + A/N^α + B/D^β, as plugins/goals/scaling.py checks it (a test holds them equal).
CHINCHILLA = {"E": 1.69, "A": 406.4, "B": 410.7, "alpha": 0.34, "beta": 0.28}
KAPLAN_C, KAPLAN_ALPHA = 3.1e8 * 8.64e19, 0.050  # L(C) = (C_c / C)^0.050, C_c in FLOPs
COMPUTE = (1e17, 1e25)
LOSS = (1.8, 4.0)
PARAMS = (1e6, 1e13)
AGAIN = ("again_params_log10", "again_tokens_log10")  # the point placed again (held out)


def loss(n_params: float | np.ndarray, n_tokens: float | np.ndarray) -> float | np.ndarray:
    c = CHINCHILLA
    return c["E"] + c["A"] / n_params ** c["alpha"] + c["B"] / n_tokens ** c["beta"]


def iso_compute(budget: float, count: int = 120) -> list[tuple[float, float]]:
    """(N, loss) when the whole budget is spent on N parameters (D = C / 6N)."""
    n = np.logspace(math.log10(PARAMS[0]), math.log10(PARAMS[1]), count)  # (count,)
    return list(zip(n.tolist(), loss(n, budget / (6 * n)).tolist(), strict=True))


def frontier(count: int = 60) -> list[tuple[float, float]]:
    """(C, the lowest loss C can buy): the minimum of each iso-compute curve."""
    points = []
    for c in np.logspace(math.log10(COMPUTE[0]), math.log10(COMPUTE[1]), count):
        points.append((float(c), min(y for _, y in iso_compute(float(c), 400))))
    return points


def kaplan(count: int = 2) -> list[tuple[float, float]]:
    """Kaplan et al.'s compute law, a straight line on log-log axes."""
    cs = np.logspace(math.log10(COMPUTE[0]), math.log10(COMPUTE[1]), count)
    return [(float(c), float((KAPLAN_C / c) ** KAPLAN_ALPHA)) for c in cs]


@dataclass(frozen=True)
class ScalingSetup:
    budget: float
    target: float
    held_out_budget: float | None = None  # the budget the point is placed again for

    @classmethod
    def of(cls, level: Level) -> ScalingSetup | None:
        for goal in level.goals:
            params = goal.params
            if params.get("type") == "scaling":
                try:
                    again = all(level.knob(name) is not None for name in AGAIN)
                    held = params.get("held_out") if again else None
                    other = float(held["budget"]) if isinstance(held, dict) else None
                    return cls(float(params["budget"]), float(params["loss"]), other)
                except (KeyError, TypeError, ValueError):
                    return None
        return None


class ScalingView:
    """The two plots and a readout of the player's choice."""

    def __init__(self, setup: ScalingSetup):
        self.setup = setup
        self.compute_plot = LogLogPlot(
            Axes(*COMPUTE, *LOSS, "training compute C = 6·N·D (FLOPs)", "loss")
        )
        self.size_plot = LogLogPlot(
            Axes(*PARAMS, *LOSS, "parameters N (the whole budget spent)", "loss at the budget")
        )
        self.n_params, self.n_tokens = 1e9, 1e10
        self.again: tuple[float, float] | None = None  # (N, D) placed for the held-out budget
        self._iso = iso_compute(setup.budget)
        other = setup.held_out_budget
        self._iso_again = iso_compute(other) if other is not None else []
        self._frontier: list[tuple[float, float]] | None = None

    def layout(self, lay: PlayLayout, theme: Theme) -> None:
        self.compute_plot.layout(lay.board, theme)
        self.size_plot.layout(lay.heatmap, theme)
        self.readout = pygame.Rect(lay.outputs)

    def sync(self, board: Board) -> None:
        knobs = dict(board.settings.knobs)
        self.n_params = 10.0 ** knobs.get("params_log10", 9.0)
        self.n_tokens = 10.0 ** knobs.get("tokens_log10", 10.0)
        if self.setup.held_out_budget is not None and all(name in knobs for name in AGAIN):
            self.again = (10.0 ** knobs[AGAIN[0]], 10.0 ** knobs[AGAIN[1]])

    @property
    def compute(self) -> float:
        return 6.0 * self.n_params * self.n_tokens

    @property
    def loss(self) -> float:
        return float(loss(self.n_params, self.n_tokens))

    def draw(self, surface: pygame.Surface, theme: Theme, text: TextCache, won: bool) -> None:
        budget, target = self.setup.budget, self.setup.target
        good, bad, cats = theme.good, theme.bad, theme.categories
        over = self.compute > budget * (1 + 1e-9)
        you = Series("your model", [(self.compute, self.loss)], bad if over else theme.focus, True)
        series = [
            Series("Kaplan 2020: a straight line", kaplan(), cats[0], width=1),
            Series("your budget", [(budget, LOSS[0]), (budget, LOSS[1])], cats[-1], width=1),
            Series("target loss", [(COMPUTE[0], target), (COMPUTE[1], target)], good, width=1),
        ]
        if won:
            if self._frontier is None:
                self._frontier = frontier()  # computed once, the first time it is shown
            series.append(Series("compute-optimal frontier", self._frontier, theme.accent, width=3))
        spent = [(self.n_params, loss(self.n_params, budget / (6 * self.n_params)))]
        sizes = [
            Series(f"iso-compute: all of {budget:.0e} FLOPs", self._iso, cats[1]),
            Series("target", [(PARAMS[0], target), (PARAMS[1], target)], good, width=1),
            Series("your N", spent, theme.focus, True),
        ]
        if won and self.again is not None:  # the held-out budget, answered again
            n, d = self.again
            other = self.setup.held_out_budget
            series.append(Series("again, at the held-out budget", [(6 * n * d, loss(n, d))],
                                 cats[5 % len(cats)], True))  # fmt: skip
            sizes.insert(1, Series(f"all of {other:.0e}", self._iso_again, cats[5 % len(cats)]))
            sizes.append(Series("", [(n, loss(n, other / (6 * n)))], cats[5 % len(cats)], True))
        self.compute_plot.draw(surface, [*series, you], theme, text)
        self.size_plot.draw(surface, sizes, theme, text)
        self._draw_readout(surface, theme, text, over)

    def _draw_readout(self, surface: pygame.Surface, theme: Theme, text: TextCache, over) -> None:
        rect = self.readout
        draw_box(surface, rect, theme, fill=theme.panel, edge=theme.panel_edge, edge_width=1)
        size = theme.font_px(15)
        line = round(size * 1.4)
        rows = [
            (f"N = {self.n_params:.2g} parameters, D = {self.n_tokens:.2g} tokens", theme.text),
            (f"{self.n_tokens / self.n_params:.3g} tokens per parameter", theme.text),
            (
                f"compute {self.compute:.2e} of {self.setup.budget:.0e} FLOPs",
                theme.bad if over else theme.text,
            ),
            (
                f"loss {self.loss:.3f} (target {self.setup.target:.3f})",
                theme.good if self.loss <= self.setup.target and not over else theme.text,
            ),
        ]
        while size > 10 and max(text.render(w, size, theme.text).get_width() for w, _ in rows) > (
            rect.width - 16
        ):
            size -= 1  # one size for every line, the largest that fits them all
        line = round(size * 1.4)
        y = rect.top + 8
        for words, colour in rows:
            surface.blit(fit_text(text, words, rect.width - 16, size, colour), (rect.left + 8, y))
            y += line
