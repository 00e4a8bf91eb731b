"""The level's knobs on the play screen: one labelled slider per `[[knobs]]` entry.

Levels about the machinery around attention (FlashAttention's tile sizes, the
scaling chapter's model and data sizes) give the player numbers that are not
wires. `KnobPanel` makes one `KnobSlider` per knob, in the level's order; the
scene adds the sliders to its focus group (Tab reaches them), and `sync` shows
the board's values on them without sending anything back.

A knob slider moves in whole numbers where the knob says `integer = true`,
in tenths of a power where its name ends in `_log10` (shown as 10^x), and in
a hundredth of its range otherwise; ←/→ move one step, Page Up/Down ten, and
each drag or key press is one undo step (`Board.set_knob(merge=...)`).
"""

from __future__ import annotations

import math
from collections.abc import Callable

import pygame

from game.levels.schema import Knob, Level
from game.model import Board
from game.ui.engine.text import TextCache
from game.ui.engine.theme import Theme
from game.ui.play.layout import NOWHERE, PlayLayout
from game.ui.widgets import Slider
from game.ui.widgets.base import draw_box, fit_text

BIG_STEP = 10  # Page Up/Down move this many steps
MAX_STEPS = 2000  # an integer knob wider than this steps in larger whole numbers
SLIDER_H = 58  # px of one slider at text scale 1 (label over track)

OnKnob = Callable[[str, float, int], None]  # (name, value, gesture)


def knob_steps(knob: Knob) -> int:
    """How many steps the knob's track has: one per whole number, tenth of a power, or 1%."""
    span = knob.high - knob.low
    if knob.integer:
        return max(1, min(MAX_STEPS, round(span)))
    if is_power_of_ten(knob):
        return max(1, min(MAX_STEPS, round(span * 10)))
    return 100


def is_power_of_ten(knob: Knob) -> bool:
    """A knob holding an exponent (its name ends in `_log10`): shown as 10^x."""
    return knob.name.endswith("_log10")


def knob_text(knob: Knob, value: float) -> str:
    """The value as the slider shows it, with the knob's unit."""
    if knob.integer:
        shown = f"{round(value):,}"
    elif is_power_of_ten(knob):
        shown = f"10^{value:.1f}"
    else:
        shown = f"{value:.3g}"
    return f"{shown} {knob.unit}" if knob.unit else shown


def snap(knob: Knob, value: float) -> float:
    """The value the board is sent: whole, or rounded to the knob's step (no float noise)."""
    if not math.isfinite(value):
        return knob.low
    if knob.integer:
        return float(round(value))
    return round(value, 1 if is_power_of_ten(knob) else 4)


class KnobSlider(Slider):
    """A slider for one knob: Page Up/Down jump ten steps (one undo step per press)."""

    label_px = 18  # the value carries a unit: a little smaller, so the label keeps its room

    def __init__(self, knob: Knob, value: float, on_knob: OnKnob):
        self.knob = knob
        super().__init__(
            NOWHERE, knob.title, knob.low, knob.high, value,
            lambda v: on_knob(knob.name, snap(knob, v), self.gesture),
            log=knob.log and knob.low > 0, steps=knob_steps(knob),
            format=lambda v: knob_text(knob, v),
        )  # fmt: skip

    @property
    def held_back(self) -> bool:
        """Waiting for the goals: an `after_goals` knob not yet offered (not drawn, no focus)."""
        return self.knob.after_goals and not self.enabled

    def draw(self, surface: pygame.Surface, theme: Theme, text: TextCache) -> None:
        if not self.held_back:
            super().draw(surface, theme, text)

    def jump(self, direction: int, count: int) -> None:
        """Move `count` steps at once along the step grid."""
        position = self.fraction * self.steps
        base = math.floor(position + 1e-9) if direction > 0 else math.ceil(position - 1e-9)
        self.set_value(self.value_at((base + direction * count) / self.steps))

    def handle_key(self, event: pygame.event.Event) -> bool:
        if event.key in (pygame.K_PAGEUP, pygame.K_PAGEDOWN):
            self.gesture += 1
            self.jump(+1 if event.key == pygame.K_PAGEUP else -1, BIG_STEP)
            return True
        return super().handle_key(event)


class KnobPanel:
    """The knob sliders of one level, stacked in a panel of their own."""

    def __init__(self, level: Level, board: Board, on_knob: OnKnob):
        values = dict(board.settings.knobs)
        self.sliders = [
            KnobSlider(knob, values.get(knob.name, knob.default), on_knob) for knob in level.knobs
        ]
        self.rect = pygame.Rect(NOWHERE)
        self.offered = False  # the goals were met once: `after_goals` knobs are offered
        for slider in self.sliders:
            slider.enabled = not slider.knob.after_goals

    @property
    def shown(self) -> bool:
        return bool(self.sliders)

    @property
    def held_back(self) -> list[KnobSlider]:
        return [slider for slider in self.sliders if slider.knob.after_goals]

    def layout(self, rect: pygame.Rect, theme: Theme) -> None:
        """Stack the sliders under the panel's heading, each as tall as its text needs."""
        self.rect = pygame.Rect(rect)
        head = round(theme.font_px(16) * 1.4) + 8
        room = rect.height - head - 8
        want = round(SLIDER_H * max(1.0, theme.font_px(22) / 22))
        n = max(1, len(self.sliders))
        h = max(36, min(want, (room - 6 * (n - 1)) // n))
        y = rect.top + head
        for slider in self.sliders:
            slider.rect = pygame.Rect(rect.left + 8, y, rect.width - 16, h)
            y += h + 6

    def place(
        self,
        lay: PlayLayout,
        hidden: tuple[bool, bool],
        halves: tuple[pygame.Rect, pygame.Rect],
        outputs: pygame.Rect,
        theme: Theme,
    ) -> pygame.Rect:
        """Lay the knobs out where `knob_region` puts them; what is left for the output bars."""
        knobs, bars = knob_region(lay, hidden, halves, outputs, self.height_for(theme))
        self.layout(knobs, theme)
        return bars

    def height_for(self, theme: Theme) -> int:
        """How tall the panel is with every slider at its full height."""
        head = round(theme.font_px(16) * 1.4) + 8
        want = round(SLIDER_H * max(1.0, theme.font_px(22) / 22))
        n = len(self.sliders)
        return head + n * want + 6 * max(0, n - 1) + 8 if n else 0

    def handle_wheel(self, event: pygame.event.Event) -> bool:
        """The wheel over a slider steps it (one undo step per notch)."""
        for slider in self.sliders:
            if slider.enabled and slider.hovered:
                slider.gesture += 1
                slider.step(+1 if event.y > 0 else -1)
                return True
        return False

    def sync(self, board: Board, goals_met: bool = False) -> None:
        """Show the board's knob values (no intents are sent); once the goals are met,
        offer the knobs held back until then."""
        self.offered = self.offered or goals_met
        for slider in self.held_back:
            slider.enabled = self.offered
        values = dict(board.settings.knobs)
        for slider in self.sliders:
            if slider.knob.name in values and not slider.dragging:
                slider.set_value(values[slider.knob.name], notify=False)

    def draw(self, surface: pygame.Surface, theme: Theme, text: TextCache) -> None:
        """The panel and its heading (the sliders draw themselves as widgets of the scene)."""
        if not self.sliders:
            return
        draw_box(surface, self.rect, theme, fill=theme.panel, edge=theme.panel_edge, edge_width=1)
        heading = "Your settings: ←/→ step, Page Up/Down jump, drag to slide"
        image = fit_text(text, heading, self.rect.width - 16, theme.font_px(16), theme.text_dim)
        surface.blit(image, (self.rect.left + 8, self.rect.top + 6))
        later = self.held_back
        if later and not self.offered:  # say what is coming where it will appear
            note = "Meet the goal: then place it again here, without hints."
            image = fit_text(text, note, self.rect.width - 16, theme.font_px(16), theme.accent)
            surface.blit(image, (self.rect.left + 8, later[0].rect.top + 4))


def knob_region(
    layout: PlayLayout,
    hidden: tuple[bool, bool],
    halves: tuple[pygame.Rect, pygame.Rect],
    outputs: pygame.Rect,
    height: int,
) -> tuple[pygame.Rect, pygame.Rect]:
    """(where the knobs go, what is left for the output bars): the editors' place when both
    are hidden (wires, values), the half of the one hidden, else the bottom `height` of the
    output bars' place `outputs` (at most its lower half; the bars keep the rest)."""
    if all(hidden):
        return pygame.Rect(layout.editor), pygame.Rect(outputs)
    if any(hidden):
        return pygame.Rect(halves[hidden.index(True)]), pygame.Rect(outputs)
    if height <= 0:
        return pygame.Rect(outputs.left, outputs.bottom, outputs.width, 0), pygame.Rect(outputs)
    h = min(height, outputs.height // 2)
    knobs = pygame.Rect(outputs.left, outputs.bottom - h, outputs.width, h)
    return knobs, pygame.Rect(outputs.left, outputs.top, outputs.width, outputs.height - h - 6)
