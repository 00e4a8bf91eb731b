"""The play screen's task score while the player edits: a quick sample, then the full set.

Scoring a task level on all its held-out inputs (200 by default) after every
edit costs more than the edit → redraw budget (16 ms, `switchyard bench --only
ui`). While the board keeps changing, the screen scores the first
`LIVE_SAMPLE` held-out inputs and says so on the goal; once the board has been
still for `FULL_SCORE_AFTER` seconds (or Check runs, which always scores the
full set) the full score replaces it. Levels without a task are untouched.
"""

from __future__ import annotations

from dataclasses import dataclass

from game.model.task_score import LIVE_SAMPLE

FULL_SCORE_AFTER = 0.35  # seconds without an edit before the full held-out set is scored


@dataclass
class LiveTaskScore:
    """How long the board has stood still, and so which score the screen shows."""

    task_level: bool  # the level has a [task]; otherwise `sample` is always None
    revision: int = -1  # the board revision last seen (the opening board's: scored in full)
    still: float = FULL_SCORE_AFTER  # seconds since that revision appeared

    def update(self, revision: int, dt: float) -> None:
        """Count the time since the board last changed."""
        if revision != self.revision:
            self.revision, self.still = revision, 0.0
        else:
            self.still += dt

    def settle(self) -> None:
        """Score the full set now (the player asked for the failing examples)."""
        self.still = FULL_SCORE_AFTER

    @property
    def quick(self) -> bool:
        """True while the player is editing a task level (score a sample)."""
        return self.task_level and self.still < FULL_SCORE_AFTER

    @property
    def sample(self) -> int | None:
        """How many held-out inputs to score now: LIVE_SAMPLE while editing, None for all."""
        return LIVE_SAMPLE if self.quick else None
