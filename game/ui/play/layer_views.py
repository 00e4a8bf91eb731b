"""What a multi-layer or task level adds to the play screen, apart from the other screens.

A level with `layers > 1`, or with a `[readout]` (a task level reads its answers
from the stream), gets the residual stream panel in the output bars' place (the
stream's last column is what the readout reads; the bars would show only the
last layer's heads), with the label the readout reads at the token shown; a
level with layers also gets the [ / ] keys that step between layers (the layer
strip itself sits with the level's controls, see level_controls.py). Every
other level gets none of it: its screen is drawn exactly as before.
"""

from __future__ import annotations

from collections.abc import Callable

import pygame

from game.levels.schema import Level
from game.model import Evaluation
from game.ui.engine.theme import Colour, Theme, head_colours
from game.ui.play.head_names import level_layers
from game.ui.play.inspector import InspectorState
from game.ui.play.layout import NOWHERE
from game.ui.play.residual_panel import ResidualPanel, residual_data
from game.ui.play.task_view import task_label
from game.ui.widgets import Button, Widget


class LayerViews:
    def __init__(self, level: Level, on_failures: Callable[[], None] | None = None):
        self.layers = level_layers(level)
        self.heads_per_layer = max(1, level.heads)
        self.readout = level.readout  # a task level reads its answers from the stream
        self.mapped = {m.output: m.after_layer for m in level.maps}  # the fixed MLP step's
        self.active = self.layers > 1 or self.readout is not None
        self.panel = ResidualPanel(NOWHERE)
        # a task level: the held-out accuracy under the stream; a press shows the failures
        self.task_button = Button(NOWHERE, task_label(None), on_failures)
        self.widgets: list[Widget] = [self.panel] if self.active else []
        if level.task is not None:
            self.widgets.append(self.task_button)
        self._inspected: InspectorState | None = None  # the last seen (a new one moves the token)

    @property
    def scrollers(self) -> list[ResidualPanel]:
        """The widgets here that scroll under the mouse wheel (the task button does not)."""
        return [self.panel] if self.active else []

    def marks(self, theme: Theme) -> dict[str, Colour]:
        """Features an earlier layer's head wrote, each in its (first) writer's colour: the
        wire editor tints them, as the residual panel tints their rows."""
        colours = head_colours(theme)
        readable = {name: self.panel.readable(name) for name in self.panel.data.features}
        return {name: colours[heads[0] % len(colours)] for name, heads in readable.items() if heads}

    def layer_of(self, head: int) -> int:
        return head // self.heads_per_layer

    def place(self, outputs: pygame.Rect, theme: Theme) -> None:
        """The panel takes the output bars' room (what the knobs and strip left of it),
        a task level's button the bottom row of it."""
        if not self.active:
            return
        self.panel.rect = pygame.Rect(outputs)
        if self.task_button in self.widgets:
            h = theme.font_px(17) + 14
            self.task_button.rect = pygame.Rect(outputs.left, outputs.bottom - h, outputs.width, h)
            self.panel.rect.height -= h + 6

    def show(self, ev: Evaluation, head: int, inspected: InspectorState | None = None) -> None:
        """The stream at the panel's token, with the selected head's layer marked; a newly
        opened inspector (`inspected`) moves the token to its query."""
        if not self.active:
            return
        read = () if self.readout is None else self.readout.read(ev.residual[-1], ev.features)
        self.task_button.label = task_label(ev.task)
        self.panel.show(
            residual_data(
                ev.features, ev.tokens[ev.main_sequence], ev.residual, ev.written_by,
                self.heads_per_layer, read, self.mapped,
            ),
            self.layer_of(head),
        )  # fmt: skip
        if inspected is not None and inspected is not self._inspected:
            self.panel.set_token(inspected.i)
        self._inspected = inspected
