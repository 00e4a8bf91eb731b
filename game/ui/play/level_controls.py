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

from game.levels.schema import MAX_MIX, MAX_TEMPERATURE, MIN_TEMPERATURE, Level
from game.model import Board, Catalog
from game.ui.play.controller import PlayController
from game.ui.play.layout import NOWHERE
from game.ui.widgets import Slider, TabBar, Toggle, Widget


class LevelControls:
    def __init__(
        self, level: Level, board: Board, play: PlayController, on_head: Callable[[int], None]
    ):
        settings, controls = board.settings, level.controls
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
        offered = (
            (self.head_tabs, len(board.heads) > 1),
            (self.scale_toggle, controls.scale),
            (self.temperature_slider, controls.temperature),
            (self.scheme_tabs, controls.positional and len(self.schemes) > 1),
            (self.parameter_slider, controls.positional_parameter),
            (self.mask_toggle, controls.mask),
            (self.mix_slider, controls.mix and len(board.heads) > 1),
        )
        self.shown: list[Widget] = [widget for widget, offer in offered if offer]
        self._wanted = {
            self.head_tabs: min(420, 92 * len(board.heads)),
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

    @property
    def tall(self) -> list[bool]:
        """Which shown controls take the strip's whole height (sliders: label over track)."""
        return [isinstance(widget, Slider) for widget in self.shown]

    def sync(self, board: Board, head: int, catalog: Catalog) -> None:
        """Show the board's settings and the selected head (no intents are sent)."""
        settings = board.settings
        self.scale_toggle.set(settings.scale, notify=False)
        self.mask_toggle.set(settings.causal, notify=False)
        self.temperature_slider.set_value(settings.temperature, notify=False)
        self.scheme_tabs.select(self.scheme_index(settings.positional), notify=False)
        self.head_tabs.select(head, notify=False)
        self.mix_slider.label = f"Head {head + 1} mix"
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
