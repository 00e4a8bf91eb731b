"""The fixed logical canvas and its letterboxed fit into any window.

Everything is drawn on a 1280×720 logical surface; the window shows it scaled
by one uniform factor and centred, with bars where the aspect ratios differ.
Mouse positions come back through the inverse of the same transform, so
scenes only ever see logical coordinates.
"""

from __future__ import annotations

from dataclasses import dataclass

LOGICAL_SIZE = (1280, 720)


@dataclass(frozen=True)
class Viewport:
    """Where the logical canvas lands inside a window of `window_size` pixels."""

    window_size: tuple[int, int]
    logical_size: tuple[int, int] = LOGICAL_SIZE

    @property
    def scale(self) -> float:
        (ww, wh), (lw, lh) = self.window_size, self.logical_size
        return max(min(ww / lw, wh / lh), 1e-6)

    @property
    def rect(self) -> tuple[int, int, int, int]:
        """(x, y, width, height) of the scaled canvas in window pixels."""
        (ww, wh), (lw, lh) = self.window_size, self.logical_size
        width, height = round(lw * self.scale), round(lh * self.scale)
        return (ww - width) // 2, (wh - height) // 2, width, height

    def to_logical(self, pos: tuple[float, float]) -> tuple[int, int] | None:
        """Window pixel -> logical pixel, or None where the point is on a letterbox bar."""
        x, y, width, height = self.rect
        lx = (pos[0] - x) / self.scale
        ly = (pos[1] - y) / self.scale
        lw, lh = self.logical_size
        if not (0 <= lx < lw and 0 <= ly < lh):
            return None
        return int(lx), int(ly)

    def to_window(self, pos: tuple[float, float]) -> tuple[int, int]:
        """Logical pixel -> window pixel (for placing the OS text-input box, tests)."""
        x, y, _, _ = self.rect
        return round(x + pos[0] * self.scale), round(y + pos[1] * self.scale)
