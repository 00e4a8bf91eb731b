"""The goals and the star preview in the left column.

Each goal shows the goal type's own message (the same `GoalResult` that scores
the stars, so what turns green is what counts) and a progress bar, green when
met. The preview shows the three stars as the player can know them while
building: goals met on this sentence, wires against par, and generalisation,
which stays unknown until Check runs the held-out sentences.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import pygame

from game.api import GoalResult
from game.ui.engine.icons import draw_star
from game.ui.engine.text import TextCache
from game.ui.engine.theme import Theme
from game.ui.widgets.base import fit_text, mix

HEAD_PX = 18
BODY_PX = 15
BAR_H = 8


@dataclass(frozen=True)
class StarPreview:
    goals_met: bool
    wires: int
    par: int
    checked: bool | None = None  # generalisation: None until Check
    goal_par: bool | None = None  # a knob level's own par (GoalResult.par_met); None: wires

    def rows(self) -> list[tuple[bool | None, str]]:
        """(earned: True / False / None unknown, what the star is for)."""
        under = self.wires <= self.par
        if self.goal_par is not None:  # the par is the goal's own (traffic, loss)
            return [
                (self.goals_met, "Goals met" if self.goals_met else "Goals not met yet"),
                (self.goals_met and self.goal_par, "At par" if self.goal_par else "Not at par yet"),
                (self.checked, "Held-out setup: press Check"),
            ]
        return [
            (self.goals_met, "Goals met" if self.goals_met else "Goals not met yet"),
            (
                self.goals_met and under,
                f"{self.wires} wire{'s' if self.wires != 1 else ''}, par {self.par}",
            ),
            (self.checked, "Unseen sentences: press Check"),
        ]


def draw_goals(
    surface: pygame.Surface,
    rect: pygame.Rect,
    results: Sequence[GoalResult],
    theme: Theme,
    text: TextCache,
    lines_per_goal: int = 2,
) -> None:
    line = round(theme.font_px(BODY_PX) * 1.3)
    head = text.render("Goals", theme.font_px(HEAD_PX), theme.text, "bold")
    surface.blit(head, rect.topleft)
    y = rect.top + round(theme.font_px(HEAD_PX) * 1.3)
    size = theme.font_px(BODY_PX)
    for result in results:
        colour = theme.good if result.met else theme.text
        if lines_per_goal == 1:
            lines: tuple[str, ...] = (result.message,)  # fit_text shrinks it, then cuts it
        else:
            wrapped = text.wrap(result.message, rect.width, size)
            lines = wrapped[:lines_per_goal]
            if len(wrapped) > lines_per_goal:  # keep the lines there is room for, cut the rest
                lines = (*lines[:-1], lines[-1] + "…")
        smallest = theme.font_px(12)  # cut with "…" rather than shrink below readable
        for k, part in enumerate(lines):
            image = fit_text(text, part, rect.width, size, colour, min_size=smallest)
            surface.blit(image, (rect.left, y + k * line))
        y += lines_per_goal * line + 2
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
