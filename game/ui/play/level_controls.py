"""The level's own controls in the play screen's top strip: head tabs, the 1/√d_k
scale, the temperature, the positional scheme and its parameter, the causal mask
(a decoder may peek), and the selected head's weight in W_O (multi-head levels).

`LevelControls` creates all seven once; `shown` lists those the level offers
(a level with one head has no head tabs, one with a fixed scale no toggle), in
the order they sit in the strip. Each control sends its change to the
`PlayController`; `sync` shows the board's settings on them without sending
anything back.
"""

from __future__ import annotations

from collections.abc import Callable

import pygame

from game.levels.schema import MAX_MIX, MAX_TEMPERATURE, MIN_TEMPERATURE, Level
from game.model import Board, Catalog
from game.ui.engine.text import TextCache
from game.ui.engine.theme import Theme
from game.ui.play import layer_strip as layer_strip_module
from game.ui.play.controller import PlayController
from game.ui.play.head_names import head_name, level_layers
from game.ui.play.layer_strip import TAB_W, LayerStrip
from game.ui.play.layout import (
    NOWHERE,
    TOP_H,
    control_rows,
    first_row_room,
    left_top,
    top_bar,
    top_height,
)
from game.ui.widgets import Button, Slider, TabBar, Toggle, Widget
from game.ui.widgets import slider as slider_module
from game.ui.widgets import tabbar as tabbar_module
from game.ui.widgets import toggle as toggle_module

BUTTON_WIDTHS = (84, 84, 124, 96, None)  # undo, redo, start over, steps, ? (square)


class LevelControls:
    def __init__(
        self,
        level: Level,
        board: Board,
        play: PlayController,
        on_head: Callable[[int], None],
    ):
        settings = board.settings
        self.level = level
        self.head_tabs = TabBar(
            NOWHERE, [f"Head {h + 1}" for h in range(len(board.heads))], 0, on_head
        )
        self.scale_toggle = Toggle(NOWHERE, "1/√d_k scale", settings.scale, play.set_scale)
        self.mask_toggle = Toggle(NOWHERE, "Causal mask", settings.causal, play.set_causal)
        self.mix_slider = Slider(
            NOWHERE, "Head 1 mix", -MAX_MIX, MAX_MIX, board.heads[0].mix,
            lambda v: play.set_mix(v, self.mix_slider.gesture),
            steps=32, format=lambda v: f"{v:+.1f}",
        )  # fmt: skip
        self.temperature_slider = Slider(
            NOWHERE, "Temperature", MIN_TEMPERATURE, MAX_TEMPERATURE, settings.temperature,
            lambda t: play.set_temperature(t, self.temperature_slider.gesture),
            log=True, steps=24, format=lambda v: f"{v:.2g}",
        )  # fmt: skip
        self.schemes = list(level.positional)
        self.scheme_tabs = TabBar(
            NOWHERE, self.schemes, self.scheme_index(settings.positional),
            lambda k: play.choose_positional(self.schemes[k]),
        )  # fmt: skip
        self.parameter_slider = Slider(
            NOWHERE, "Parameter", 1.0, 2.0, 1.0,
            lambda v: play.set_positional_parameter(v, self.parameter_slider.gesture),
            format=lambda v: f"{v:.3g}",
        )  # fmt: skip
        self.layers = level_layers(level)  # several: the layer strip takes the head tabs' place
        self.layer_strip = LayerStrip(NOWHERE, self.layers, max(1, level.heads), 0, on_head)
        self.shown: list[Widget] = self._offered(level, board)
        self._wanted = self._wanted_widths(board)

    def _offered(self, level: Level, board: Board) -> list[Widget]:
        """The controls this level offers, in the order they sit in the strip."""
        controls = level.controls
        offered = (
            (self.layer_strip, self.layers > 1),
            (self.head_tabs, len(board.heads) > 1 and self.layers == 1),
            (self.scale_toggle, controls.scale),
            (self.temperature_slider, controls.temperature),
            (self.scheme_tabs, controls.positional and len(self.schemes) > 1),
            (self.parameter_slider, controls.positional_parameter),
            (self.mask_toggle, controls.mask),
            (self.mix_slider, controls.mix and len(board.heads) > 1),
        )
        return [widget for widget, offer in offered if offer]

    def _wanted_widths(self, board: Board) -> dict[Widget, int]:
        """How wide each control would like to be (the strip shrinks them to fit)."""
        return {
            self.head_tabs: min(420, 92 * len(board.heads)),
            self.layer_strip: min(560, TAB_W * self.layer_strip.count),
            self.scale_toggle: 200,
            self.temperature_slider: 230,
            self.scheme_tabs: min(420, 96 * len(self.schemes)),
            self.parameter_slider: 240,
            self.mask_toggle: 200,
            self.mix_slider: 220,
        }

    def scheme_index(self, name: str) -> int:
        return self.schemes.index(name) if name in self.schemes else 0

    @property
    def wanted_widths(self) -> list[int]:
        """How wide each shown control would like to be (the strip shrinks them to fit)."""
        return [self._wanted[widget] for widget in self.shown]

    def widths(self, theme: Theme, text: TextCache) -> list[int]:
        """Each shown control's width: what it would like, and never less than its labels
        need whole at this theme's text size (so no "Hea…" or unlabelled switch)."""
        widths = [max(self._wanted[w], _needed(w, theme, text)) for w in self.shown]
        strip = self.layer_strip
        if strip in self.shown and strip.two_rows and not _strip_fits_first_row(theme):
            k = self.shown.index(strip)  # too wide for the first row: a taller row of its own
            widths[k] = max(widths[k], first_row_room(theme, BUTTON_WIDTHS) + 1)
        return widths

    def rows(self, theme: Theme, text: TextCache) -> list[list[int]]:
        return control_rows(theme, BUTTON_WIDTHS, self.widths(theme, text))

    def strip_heights(self, theme: Theme, text: TextCache) -> tuple[int, int]:
        """(how tall the play screen's top strip is with these controls in it, where the
        left column starts: under the strip's rows across the screen)."""
        widths = self.widths(theme, text)
        rows = control_rows(theme, BUTTON_WIDTHS, widths)
        return top_height(rows, theme), left_top(rows, widths, theme)

    def place(
        self, top: pygame.Rect, theme: Theme, text: TextCache, back: Button, right: list[Button]
    ) -> None:
        """Move Back, the right-hand buttons and the shown controls into the top strip."""
        bar = top_bar(
            top, theme, BUTTON_WIDTHS, self.widths(theme, text), self.tall, self.rows(theme, text)
        )
        back.rect = bar.back
        for widget, rect in zip(right + self.shown, bar.buttons + bar.controls, strict=True):
            widget.rect = rect

    def scheme_note(self, catalog: Catalog, board: Board) -> str:
        """The level text plus, where the player can switch schemes, what the one now
        chosen does (so the text follows the switch)."""
        scheme = catalog.positional.get(board.settings.positional)
        if scheme is None or len(self.schemes) < 2 or not self.level.controls.positional:
            return self.level.explanation
        return f"{self.level.explanation}\n\nNow: {scheme.title}. {scheme.description}"

    @property
    def tall(self) -> list[bool]:
        """Which shown controls take the strip's whole height (sliders: label over track)."""
        return [
            isinstance(widget, Slider) or (isinstance(widget, LayerStrip) and widget.two_rows)
            for widget in self.shown
        ]

    def sync(self, board: Board, head: int, catalog: Catalog) -> None:
        """Show the board's settings and the selected head (no intents are sent)."""
        settings = board.settings
        self.scale_toggle.set(settings.scale, notify=False)
        self.mask_toggle.set(settings.causal, notify=False)
        self.temperature_slider.set_value(settings.temperature, notify=False)
        self.scheme_tabs.select(self.scheme_index(settings.positional), notify=False)
        self.head_tabs.select(head, notify=False)
        self.layer_strip.select(head, notify=False)
        per_layer = self.layer_strip.heads_per_layer
        self.mix_slider.label = f"{head_name(head, per_layer, self.layers)} mix"
        self.mix_slider.set_value(board.heads[head].mix, notify=False)
        scheme = catalog.positional.get(settings.positional)
        slider = self.parameter_slider
        if scheme is not None and scheme.parameters:
            p = scheme.parameters[0]
            slider.set_range(p.title, p.low, p.high, log=p.log_scale)
            slider.enabled = self.level.controls.positional_parameter
            if settings.parameter is not None:
                slider.set_value(settings.parameter, notify=False)
        else:
            slider.enabled = False


def _strip_fits_first_row(theme: Theme) -> bool:
    """Whether the layer strip's two rows of labels fit the first row at full size (big
    text does not: the strip then takes a further, taller row)."""
    return theme.font_px(layer_strip_module.LABEL_PX) <= round((TOP_H - 6) // 2 * 0.6)


def _needed(widget: Widget, theme: Theme, text: TextCache) -> int:
    """The width at which every label of `widget` is drawn whole (see each widget's draw)."""
    if isinstance(widget, TabBar):
        size = theme.font_px(tabbar_module.LABEL_PX)
        widest = max((text.size(label, size, "bold")[0] for label in widget.labels), default=0)
        return len(widget.labels) * (widest + 24) + 8  # the tabs share the width equally
    if isinstance(widget, LayerStrip):  # each head tab (or layer tab) holds its label whole
        size = theme.font_px(layer_strip_module.LABEL_PX)
        labels = ["Layer 4", "Head 4"]
        widest = max(text.size(label, size, "bold")[0] for label in labels)
        return widget.count * (widest + 30) + 8
    if isinstance(widget, Toggle):
        size = theme.font_px(toggle_module.LABEL_PX)
        state = text.size("Off", theme.font_px(18), "bold")[0]
        pill = round(min(44 - 8, theme.font_px(28)) * 1.9)
        return text.size(widget.label, size)[0] + 24 + 14 + state + 10 + pill + 10
    if isinstance(widget, Slider):
        size = theme.font_px(slider_module.LABEL_PX)
        values = (widget.low, widget.high, widget.value)
        value = max(text.size(widget.format(v), size, "bold")[0] for v in values)
        return text.size(widget.label, size)[0] + 28 + value + 14 + 8
    return 0
