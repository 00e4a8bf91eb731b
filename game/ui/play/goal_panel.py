"""The goals and the star preview in the left column.

Each goal shows the goal type's own message (the same `GoalResult` that scores
the stars, so what turns green is what counts) and a progress bar, green when
met. The preview shows the three stars as the player can know them while
building: goals met on this sentence, wires against par, and generalisation,
which stays unknown until Check runs the held-out sentences.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import pygame

from game.api import GoalResult, TaskScore
from game.ui.engine.icons import draw_star
from game.ui.engine.text import TextCache
from game.ui.engine.theme import Theme
from game.ui.play.layout import (
    GOAL_TEXT_W,
    HINT_MAX_LINES,
    TOP_H,
    PlayLayout,
    board_split,
)
from game.ui.widgets.base import fit_text, mix

if TYPE_CHECKING:
    from game.model import Evaluation

HEAD_PX = 18
BODY_PX = 15
BAR_H = 8
GOAL_MIN_PX = 14  # goal messages shrink (on a crowded column) but never below this
MIN_EXPLANATION_AFTER_GOALS = 2  # lines of level text the goals always leave (it scrolls)


@dataclass(frozen=True)
class StarPreview:
    goals_met: bool
    wires: int
    par: int
    checked: bool | None = None  # generalisation: None until Check
    goal_par: bool | None = None  # a knob level's own par (GoalResult.par_met); None: wires
    # a stacked level's (used layers, used heads) and its (par_layers, par_heads); None: no par
    used: tuple[int, int] | None = None
    layer_par: tuple[int | None, int | None] = (None, None)
    task: TaskScore | None = None  # a task level's held-out score (its goal is scored on it)

    def within_layer_par(self) -> bool:
        """Layers and heads in use at most the level's par_layers and par_heads."""
        if self.used is None:
            return True
        return all(p is None or n <= p for n, p in zip(self.used, self.layer_par, strict=True))

    def par_text(self) -> str:
        """What the second star counts: wires, and a stacked level's layers and heads."""
        plural = lambda n, word: f"{n} {word}{'s' if n != 1 else ''}"  # noqa: E731
        if self.used is None:
            return f"{plural(self.wires, 'wire')}; par {self.par}: the fewest that solve it"
        pars = ", ".join("any" if p is None else str(p) for p in self.layer_par)
        layers, heads = self.used
        return (
            f"{plural(self.wires, 'wire')}, {plural(layers, 'layer')}, {plural(heads, 'head')};"
            f" par {self.par}, {pars}"
        )

    def rows(self) -> list[tuple[bool | None, str]]:
        """(earned: True / False / None unknown, what the star is for)."""
        under = self.wires <= self.par and self.within_layer_par()
        if self.goal_par is not None:  # the par is the goal's own (traffic, loss)
            return [
                (self.goals_met, "Goals met" if self.goals_met else "Goals not met yet"),
                (self.goals_met and self.goal_par, "At par" if self.goal_par else "Not at par yet"),
                (self.checked, "Held-out setup: press Check"),
            ]
        return [
            (self.goals_met, "Goals met" if self.goals_met else "Goals not met yet"),
            (self.goals_met and under, self.par_text()),
            self.held_out_row(),
        ]

    def held_out_row(self) -> tuple[bool | None, str]:
        """The third star: unseen sentences after Check, or on a task level the random
        inputs its goal is already scored on (known live, once the full set is scored)."""
        task = self.task
        if task is None:
            return self.checked, "Unseen sentences: press Check"
        if task.is_sample:
            return None, f"{task.sample_of} unseen random inputs: scoring…"
        return self.goals_met, f"{task.examples} unseen random inputs, per token"


def goal_line_counts(
    results: Sequence[GoalResult], width: int, size: int, text: TextCache
) -> list[int]:
    """How many lines each goal message wraps to at `width` and `size` px."""
    return [max(1, len(text.wrap(result.message, width, size))) for result in results]


@dataclass
class GoalRoom:
    """Lines per goal message for the layout: the most each has needed so far in a
    theme, so the left column grows once rather than jumping as a percentage changes."""

    seen: dict[tuple[Theme, int], tuple[int, ...]] = field(default_factory=dict)

    def lines(
        self, ev: Evaluation | None, theme: Theme, size: int, text: TextCache
    ) -> tuple[int, ...] | None:
        if ev is None:
            return None
        now = goal_line_counts(ev.goal_results, GOAL_TEXT_W, size, text)
        before = self.seen.get((theme, size), (0,) * len(now))
        most = tuple(max(a, b) for a, b in zip(before, now, strict=False))
        self.seen[theme, size] = most
        return most

    def fit(
        self,
        ev: Evaluation | None,
        theme: Theme,
        n_goals: int,
        hint_lines: int,
        text: TextCache,
        top_h: int,
        left_top: int = TOP_H,
        features: int = 0,
        inset: int = 0,
    ) -> PlayLayout:
        """The play layout with every goal line shown: at the theme's size if that leaves
        the explanation MIN_EXPLANATION_AFTER_GOALS lines, else at the largest size that does;
        a level with many `features` gives the editors more of the centre (`board_split`);
        `inset`: px at the top left to a layer over the screen, see `PlayLayout.fit`."""
        split = board_split(features)
        if ev is None:
            return PlayLayout.fit(
                theme,
                n_goals,
                hint_lines,
                top_h=top_h,
                left_top=left_top,
                split=split,
                inset=inset,
            )
        need = MIN_EXPLANATION_AFTER_GOALS * round(theme.font_px(15) * 1.3)
        for size in self.sizes(theme):
            lines = self.lines(ev, theme, size, text)
            # Sized as if the longest hint showed, so the goals (and the hint button on
            # them) stay put as hints are shown one by one.
            probe = PlayLayout.fit(
                theme, n_goals, HINT_MAX_LINES, lines, size, top_h, left_top, split, inset
            )
            if probe.explanation.height >= need:
                break
        return PlayLayout.fit(
            theme, n_goals, hint_lines, lines, size, top_h, left_top, split, inset
        )

    def sizes(self, theme: Theme) -> list[int]:
        """Text sizes to try for the goals, the theme's own first, down to a readable floor."""
        size, floor = theme.font_px(BODY_PX), GOAL_MIN_PX
        return list(range(size, floor - 1, -1)) or [size]


def draw_goals(
    surface: pygame.Surface,
    rect: pygame.Rect,
    results: Sequence[GoalResult],
    theme: Theme,
    text: TextCache,
    lines_per_goal: int = 2,
    size: int = 0,
) -> None:
    size = size or theme.font_px(BODY_PX)
    line = round(size * 1.3)
    head = text.render("Goals", theme.font_px(HEAD_PX), theme.text, "bold")
    surface.blit(head, rect.topleft)
    y = rect.top + round(theme.font_px(HEAD_PX) * 1.3)
    for result in results:
        colour = theme.good if result.met else theme.text
        if lines_per_goal == 0:  # the layout made room for every line: never cut
            lines: tuple[str, ...] = tuple(t for t in text.wrap(result.message, rect.width, size))
        elif lines_per_goal == 1:
            lines = (result.message,)  # fit_text shrinks it, then cuts it
        else:
            wrapped = text.wrap(result.message, rect.width, size)
            lines = wrapped[:lines_per_goal]
            if len(wrapped) > lines_per_goal:  # keep the lines there is room for, cut the rest
                lines = (*lines[:-1], lines[-1] + "…")
        smallest = min(size, theme.font_px(12))  # cut with "…" rather than shrink below readable
        for k, part in enumerate(lines):
            image = fit_text(text, part, rect.width, size, colour, min_size=smallest)
            surface.blit(image, (rect.left, y + k * line))
        y += (len(lines) if lines_per_goal == 0 else lines_per_goal) * line + 2
        bar = pygame.Rect(rect.left, y, rect.width, BAR_H)
        pygame.draw.rect(surface, mix(theme.panel, theme.panel_edge, 0.6), bar, border_radius=4)
        filled = bar.copy()
        filled.width = round(bar.width * max(0.0, min(1.0, result.progress)))
        if filled.width:
            pygame.draw.rect(
                surface, theme.good if result.met else theme.accent, filled, border_radius=4
            )
        y += BAR_H + 6  # with the 2 above: layout.GOAL_BAR_ROOM


def draw_star_preview(
    surface: pygame.Surface, rect: pygame.Rect, preview: StarPreview, theme: Theme, text: TextCache
) -> None:
    line = round(theme.font_px(16) * 1.3)
    radius = max(6, line // 2 - 2)
    for k, (earned, label) in enumerate(preview.rows()):
        cy = rect.top + k * line + line // 2
        centre = (rect.left + radius + 2, cy)
        draw_star(surface, centre, radius, theme, filled=bool(earned))
        if earned is None:
            mark = text.render("?", theme.font_px(13), theme.text, "bold")
            surface.blit(mark, mark.get_rect(center=centre))
        ink = theme.text if earned else theme.text_dim
        image = fit_text(text, label, rect.width - 2 * radius - 12, theme.font_px(15), ink)
        surface.blit(image, image.get_rect(midleft=(rect.left + 2 * radius + 10, cy)))
