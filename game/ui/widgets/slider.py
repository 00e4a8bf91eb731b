"""A continuous slider, linear or logarithmic, for the mouse and the keyboard.

Drag (or click) on the track to set it; ←/→ move it by one of `steps` steps
along the track, Shift+←/→ by a tenth of a step, Home/End to the ends (↑/↓ are
left to the focus group, which moves the focus with them). Keyboard moves snap to the step grid so
repeated presses land on round values. With `log=True` the track position is
proportional to log(value), for ranges like a temperature of 0.1…10.
"""

from __future__ import annotations

import math
from collections.abc import Callable

import pygame

from game.ui.engine.text import TextCache
from game.ui.engine.theme import Theme
from game.ui.widgets.base import LEFT_BUTTON, Widget, draw_box, fit_text, mix, shift_held

LABEL_PX = 22
FINE = 10  # Shift divides a step by this


def default_format(value: float) -> str:
    return f"{value:.3g}"


class Slider(Widget):
    label_px = LABEL_PX  # text size of the label and value (a subclass may choose smaller)

    def __init__(
        self,
        rect: pygame.Rect | tuple[int, int, int, int],
        label: str,
        low: float,
        high: float,
        value: float,
        on_change: Callable[[float], None] | None = None,
        *,
        log: bool = False,
        steps: int = 20,
        format: Callable[[float], str] = default_format,
        enabled: bool = True,
    ):
        super().__init__(rect, enabled=enabled)
        if not high > low:
            raise ValueError(f"slider range must have high > low, got {low}..{high}")
        if log and low <= 0:
            raise ValueError(f"a log slider needs low > 0, got {low}")
        if steps < 1:
            raise ValueError("steps must be at least 1")
        self.label, self.low, self.high, self.log, self.steps = label, low, high, log, steps
        self.format = format
        self.on_change = on_change
        self.dragging = False
        # One number per gesture (a whole drag, or one key press): changes made within the
        # same gesture can be one undo step.
        self.gesture = 0
        self._value = self.clamp(value)

    @property
    def value(self) -> float:
        return self._value

    def set_range(self, label: str, low: float, high: float, *, log: bool = False) -> None:
        """Make the slider control another quantity (a positional scheme's own parameter).

        The value stays as it is until the next `set_value`, which clamps it to the
        new range; nothing is notified. The range comes from plugin data and is taken
        as given, as the play screen always has (a bad one draws oddly, never raises)."""
        self.label, self.low, self.high, self.log = label, low, high, log

    def clamp(self, value: float) -> float:
        if math.isnan(value):
            return self.low
        return min(self.high, max(self.low, float(value)))

    def set_value(self, value: float, *, notify: bool = True) -> None:
        """Move the knob; `notify=False` shows a value the model already has (no callback)."""
        value = self.clamp(value)
        if value != self._value:
            self._value = value
            if notify and self.on_change is not None:
                self.on_change(value)

    # track position t in [0, 1] <-> value
    def fraction_of(self, value: float) -> float:
        value = self.clamp(value)
        if self.log:
            return math.log(value / self.low) / math.log(self.high / self.low)
        return (value - self.low) / (self.high - self.low)

    def value_at(self, t: float) -> float:
        t = min(1.0, max(0.0, t))
        if self.log:
            return self.clamp(self.low * (self.high / self.low) ** t)
        return self.clamp(self.low + t * (self.high - self.low))

    @property
    def fraction(self) -> float:
        return self.fraction_of(self._value)

    def step(self, direction: int, fine: bool = False) -> None:
        """Move by one step (or one fine step) along the track, snapped to the step grid."""
        grid = self.steps * (FINE if fine else 1)
        position = self.fraction * grid
        target = (
            math.floor(position + 1e-9) + 1 if direction > 0 else math.ceil(position - 1e-9) - 1
        )
        self.set_value(self.value_at(target / grid))

    def track_rect(self) -> pygame.Rect:
        """The line the knob runs on, in the lower part of the widget (logical pixels)."""
        inset = 18
        y = self.rect.top + round(self.rect.height * 0.72)
        return pygame.Rect(self.rect.left + inset, y, self.rect.width - 2 * inset, 0)

    def _set_from_x(self, x: int) -> None:
        track = self.track_rect()
        self.set_value(self.value_at((x - track.left) / max(1, track.width)))

    def handle_mouse(self, event: pygame.event.Event) -> bool:
        if (
            event.type == pygame.MOUSEBUTTONDOWN
            and event.button == LEFT_BUTTON
            and self.rect.collidepoint(event.pos)
        ):
            self.dragging = True
            self.gesture += 1
            self._set_from_x(event.pos[0])
            return True
        if event.type == pygame.MOUSEMOTION and self.dragging:
            self._set_from_x(event.pos[0])
            return True
        if event.type == pygame.MOUSEBUTTONUP and event.button == LEFT_BUTTON and self.dragging:
            self.dragging = False
            self._set_from_x(event.pos[0])
            return True
        return False

    def handle_key(self, event: pygame.event.Event) -> bool:
        self.gesture += 1
        fine = shift_held(event)
        if event.key == pygame.K_RIGHT:
            self.step(+1, fine)
        elif event.key == pygame.K_LEFT:
            self.step(-1, fine)
        elif event.key == pygame.K_HOME:
            self.set_value(self.low)
        elif event.key == pygame.K_END:
            self.set_value(self.high)
        else:
            return False
        return True

    def draw(self, surface: pygame.Surface, theme: Theme, text: TextCache) -> None:
        ink = theme.text if self.enabled else theme.text_dim
        fill = (
            mix(theme.panel, theme.accent, 0.15) if self.hovered or self.dragging else theme.panel
        )
        draw_box(surface, self.rect, theme, fill=fill, edge=theme.panel_edge, edge_width=1)
        size = theme.font_px(self.label_px)
        value = text.render(self.format(self._value), size, ink, "bold")
        label_y = self.rect.top + round(self.rect.height * 0.32)
        value_rect = value.get_rect(midright=(self.rect.right - 14, label_y))
        surface.blit(value, value_rect)
        label = fit_text(text, self.label, value_rect.left - self.rect.left - 28, size, ink)
        surface.blit(label, label.get_rect(midleft=(self.rect.left + 14, label_y)))
        track = self.track_rect()
        thickness = theme.line_px(4)
        knob_x = track.left + round(self.fraction * track.width)
        pygame.draw.line(surface, theme.panel_edge, track.topleft, track.topright, thickness)
        pygame.draw.line(surface, theme.accent, track.topleft, (knob_x, track.top), thickness)
        knob_r = max(7, theme.line_px(8))
        pygame.draw.circle(surface, theme.background, (knob_x, track.top), knob_r + 2)
        pygame.draw.circle(
            surface, theme.accent if self.enabled else ink, (knob_x, track.top), knob_r
        )
        self.draw_focus(surface, theme)
