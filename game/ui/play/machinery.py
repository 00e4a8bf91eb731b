"""The views a level about the machinery around attention shows instead of tokens.

A level whose goals are about FlashAttention's tiles (an `efficiency` goal over
the knobs `block_q`, `block_k`) shows the schedule view in the board's place and
the HBM counters in the heatmap's; one about scaling (a `scaling` goal over
`params_log10`, `tokens_log10`) shows the scaling plot. Any level, built-in or a
plugin's, gets them by using those goal types and knobs. Other levels get none
(`active` is False) and the play screen is unchanged.
"""

from __future__ import annotations

import pygame

from game.levels.schema import Level
from game.model import Board
from game.ui.engine.text import TextCache
from game.ui.engine.theme import Theme
from game.ui.play.flash_schedule import FlashSetup
from game.ui.play.io_counters import draw_io_counters
from game.ui.play.layout import PlayLayout
from game.ui.play.real_run_panel import RealRunPanel
from game.ui.play.scaling_view import ScalingSetup, ScalingView
from game.ui.play.schedule_view import ScheduleView
from game.ui.widgets import Widget

TILE_KNOBS = ("block_q", "block_k")
SCALING_KNOBS = ("params_log10", "tokens_log10")


class Machinery:
    """The schedule view and counters (FlashAttention), or nothing for other levels."""

    def __init__(self, level: Level):
        setup = FlashSetup.of(level)
        has_tiles = all(level.knob(name) is not None for name in TILE_KNOBS)
        self.schedule = ScheduleView(setup) if setup is not None and has_tiles else None
        self.real_run = RealRunPanel() if self.schedule is not None else None
        scaling = ScalingSetup.of(level)
        has_sizes = all(level.knob(name) is not None for name in SCALING_KNOBS)
        self.scaling = ScalingView(scaling) if scaling is not None and has_sizes else None
        self.won = False  # the goals were met once: the scaling plot shows the frontier

    @property
    def active(self) -> bool:
        return self.schedule is not None or self.scaling is not None

    @property
    def widgets(self) -> list[Widget]:
        """Widgets for the scene's focus group (the schedule's buttons)."""
        if self.schedule is None or self.real_run is None:
            return []
        return [*self.schedule.buttons, *self.real_run.widgets]

    def layout(self, lay: PlayLayout, theme: Theme) -> None:
        if self.schedule is not None:
            self.schedule.layout(lay.board, theme)
        if self.real_run is not None:
            self.real_run.layout(lay.outputs, theme)
        if self.scaling is not None:
            self.scaling.layout(lay, theme)

    def sync(self, board: Board, goals_met: bool) -> None:
        """Follow the board's knobs (the schedule reruns only when the tiles change)."""
        knobs = dict(board.settings.knobs)
        self.won = self.won or goals_met
        if self.schedule is not None:
            self.schedule.show(*(int(knobs[name]) for name in TILE_KNOBS))
        if self.scaling is not None:
            self.scaling.sync(board)

    @property
    def animating(self) -> bool:
        """The schedule is playing or a real run is going: the screen must keep drawing
        (the game loop sleeps between events otherwise)."""
        playing = self.schedule is not None and self.schedule.clock.playing
        running = self.real_run is not None and self.real_run.run is not None
        return playing or (running and self.real_run.run.running)

    def update(self, dt: float) -> None:
        if self.schedule is not None:
            self.schedule.update(dt)
        if self.real_run is not None:
            self.real_run.update(dt)

    def close(self) -> None:
        """The screen is going: cancel a real run still going."""
        if self.real_run is not None:
            self.real_run.close()

    def draw(self, surface: pygame.Surface, lay: PlayLayout, theme: Theme, text: TextCache) -> None:
        """The board's place and the heatmap's (the buttons draw as the scene's widgets)."""
        schedule = self.schedule
        if schedule is not None:
            schedule.draw(surface, theme, text)
            if schedule.compare is not None:
                draw_io_counters(surface, lay.heatmap, schedule.compare, theme, text)
        if self.real_run is not None:
            self.real_run.draw(surface, theme, text)
        if self.scaling is not None:
            self.scaling.draw(surface, theme, text, self.won)
