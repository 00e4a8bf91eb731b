"""What the presenter's next / previous keys walk through: a `Navigator` of `Stop`s.

The presenter (layer.py) never knows what a lesson is: → and Page Down call
`next()`, ← and Page Up call `previous()`, and it shows the `Stop` it gets
back. `LevelPlaylist`, the default, walks the campaign's levels in order; a
lesson (a TOML playlist of levels and steps) plugs in its own navigator with
the same four methods, and may hand back its own `Stop` subclass (a caption for
the teacher, a prompt) together with its own `show` (see `Presenter`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol, runtime_checkable


@dataclass(frozen=True)
class Stop:
    """One place in a presentation: a level opened on its start board.

    `title` is what the presenter's toast names it by; `caption` is what the teacher
    says there (a lesson's step; "" for a plain level)."""

    level_id: str
    title: str = ""
    caption: str = ""
    index: int = 0  # 0-based place in the navigator
    count: int = 1  # how many stops the navigator holds

    @property
    def label(self) -> str:
        """How the presenter announces it: "3 of 15: Temperature"."""
        return f"{self.index + 1} of {self.count}: {self.title or self.level_id}"


@runtime_checkable
class Navigator(Protocol):
    """An ordered walk through stops, with a cursor; before the first `next()` none is shown."""

    def current(self) -> Stop | None:
        """The stop on screen, or None before the first."""

    def next(self) -> Stop | None:
        """Move to the following stop and return it; None (the cursor stays) at the end."""

    def previous(self) -> Stop | None:
        """Move to the stop before and return it; None (the cursor stays) at the start."""

    def follow(self, level_id: str) -> None:
        """The presenter opened `level_id` some other way (the level select): move the
        cursor there when this navigator holds it, so → goes on from there."""


class LevelPlaylist:
    """The default navigator: the given levels (the campaign's order), one stop each."""

    def __init__(self, level_ids: Sequence[str], titles: dict[str, str] | None = None):
        self.level_ids = list(level_ids)
        self.titles = dict(titles or {})
        self.at = -1  # nothing shown yet: the first next() opens the first level

    def _stop(self, index: int) -> Stop:
        level_id = self.level_ids[index]
        return Stop(level_id, self.titles.get(level_id, ""), "", index, len(self.level_ids))

    def current(self) -> Stop | None:
        return self._stop(self.at) if 0 <= self.at < len(self.level_ids) else None

    def next(self) -> Stop | None:
        if self.at + 1 >= len(self.level_ids):
            return None
        self.at += 1
        return self._stop(self.at)

    def previous(self) -> Stop | None:
        if self.at <= 0:
            return None
        self.at -= 1
        return self._stop(self.at)

    def follow(self, level_id: str) -> None:
        if level_id in self.level_ids:
            self.at = self.level_ids.index(level_id)
