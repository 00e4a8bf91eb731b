"""What the FlashAttention level's schedule view shows, computed once per tile choice.

No drawing here (and no pygame): `FlashSetup` reads the level's efficiency goal
(n, d, SRAM size, budget); `ScheduleRun` runs `io_sim.run_schedule` on real
random Q, K, V at a small `ANIMATION_N` with the player's tiles (clipped to that
n), keeping every step's running m and ℓ for every query row, the output and its
largest difference from `game.attention.attention`; `IOCompare` counts the
level's own n with `count_io`, tiled against naive, part by part, and says in
words which part of SRAM overflows when the tiles do not fit. `ScheduleClock` is
play/pause/step/speed, driven by `update(dt)` like step mode.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np

from game.attention import attention
from game.levels.schema import Level
from game.model.io_sim import IOCount, Schedule, TileStep, count_io, run_schedule

ANIMATION_N = 48  # query and key rows in the animation (the counters use the level's n)
ANIMATION_D = 8  # feature width of the animation's random Q, K, V
SPEEDS = (0.5, 1.0, 2.0, 4.0, 8.0)  # steps per second
SEED = 12


@dataclass(frozen=True)
class FlashSetup:
    """The efficiency goal's numbers: sequence length, width, SRAM size, HBM budget."""

    n: int
    d: int
    sram: int
    budget: int

    @classmethod
    def of(cls, level: Level) -> FlashSetup | None:
        """The first efficiency goal's setup, or None when the level has none (or a bad one)."""
        for goal in level.goals:
            params = goal.params
            if params.get("type") != "efficiency":
                continue
            try:
                return cls(*(int(params[key]) for key in ("n", "d", "sram", "budget")))
            except (KeyError, TypeError, ValueError):
                return None
        return None


def sram_parts(d: int, block_q: int, block_k: int) -> tuple[tuple[str, int], ...]:
    """What one tiled step holds in SRAM, part by part (sum: `io_sim.sram_needed`)."""
    return (
        ("K_j, V_j", 2 * block_k * d),
        ("Q_i, O_i", 2 * block_q * d),
        ("ℓ_i, m_i", 2 * block_q),
        ("score tile S_ij", block_q * block_k),
    )


@dataclass(frozen=True)
class IOCompare:
    """HBM traffic of the player's tiles against the naive schedule at the level's size."""

    setup: FlashSetup
    tiled: IOCount
    naive: IOCount

    @classmethod
    def count(cls, setup: FlashSetup, block_q: int, block_k: int) -> IOCompare:
        s = setup
        tiled = count_io(s.n, s.d, s.sram, Schedule("tiled", block_q, block_k))
        return cls(setup, tiled, count_io(s.n, s.d, s.sram, Schedule("naive")))

    @property
    def within_budget(self) -> bool:
        return self.tiled.fits and self.tiled.total <= self.setup.budget

    def overflow(self) -> str | None:
        """Which part of SRAM is largest and by how much the step overflows; None if it fits."""
        if self.tiled.fits:
            return None
        parts = sram_parts(self.setup.d, self.tiled.block_q, self.tiled.block_k)
        name, size = max(parts, key=lambda part: part[1])
        over = self.tiled.sram_needed - self.setup.sram
        return (
            f"Does not fit: one step needs {self.tiled.sram_needed:,} elements, "
            f"{over:,} over the SRAM's {self.setup.sram:,}. The largest part is "
            f"the {name} ({size:,})."
        )


@dataclass
class ScheduleRun:
    """The tiled loop run on real numbers at a small n, every step recorded."""

    n: int
    d: int
    block_q: int
    block_k: int
    steps: list[TileStep]
    output: np.ndarray  # (n, d) what the tiled loop wrote to HBM
    reference: np.ndarray  # (n, d) game.attention.attention on the same Q, K, V
    count: IOCount
    values: np.ndarray = field(repr=False)  # (n, d) V, to show the output rows against

    @classmethod
    def run(cls, block_q: int, block_k: int, n: int = ANIMATION_N, d: int = ANIMATION_D):
        rng = np.random.default_rng(SEED)
        q, k, v = (rng.standard_normal((n, d)) for _ in range(3))  # (n, d) each
        bq, bk = max(1, min(n, block_q)), max(1, min(n, block_k))
        out, count, steps = run_schedule(q, k, v, Schedule("tiled", bq, bk), every_row=True)
        reference = attention(q, k, v, backend="reference")  # (n, d)
        return cls(n, d, bq, bk, steps, out, reference, count, v)

    @property
    def max_difference(self) -> float:
        return float(np.max(np.abs(self.output - self.reference)))

    def rescaled_rows(self, index: int) -> list[int]:
        """Rows whose running max moved at step `index`: their O and ℓ were rescaled."""
        step = self.steps[index]
        before = self.steps[index - 1].m_rows if index > 0 else (-math.inf,) * self.n
        start, stop = step.q_rows
        return [r for r in range(start, stop) if step.m_rows[r] > before[r] > -math.inf]

    def done_tiles(self, index: int) -> Sequence[TileStep]:
        """The steps run so far, up to and including `index`."""
        return self.steps[: index + 1]


@dataclass
class ScheduleClock:
    """Which step is shown; play/pause, step and speed (steps per second), advanced by dt."""

    length: int
    index: int = 0
    playing: bool = False
    speed_index: int = 2
    _elapsed: float = 0.0

    @property
    def speed(self) -> float:
        return SPEEDS[self.speed_index]

    @property
    def phase(self) -> float:
        """How far into the shown step the tiles have moved, 0..1 (1 when paused)."""
        return min(1.0, self._elapsed * self.speed) if self.playing else 1.0

    def restart(self, length: int) -> None:
        self.length, self.index, self._elapsed = length, 0, 0.0

    def toggle(self) -> None:
        if not self.playing and self.index >= self.length - 1:
            self.index = 0  # play again from the start
        self.playing = not self.playing

    def step(self, direction: int) -> None:
        self.playing = False
        self.index = max(0, min(self.length - 1, self.index + direction))

    def faster(self, direction: int) -> None:
        self.speed_index = max(0, min(len(SPEEDS) - 1, self.speed_index + direction))

    def update(self, dt: float) -> None:
        if not self.playing:
            return
        self._elapsed += dt
        while self._elapsed >= 1.0 / self.speed and self.playing:
            self._elapsed -= 1.0 / self.speed
            self.index = min(self.length - 1, self.index + 1)
            if self.index >= self.length - 1:  # the last step: stop, with the output shown
                self.playing, self._elapsed = False, 0.0
