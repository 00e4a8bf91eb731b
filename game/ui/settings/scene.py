"""The settings screen: theme, text size, sound, attention backend, fullscreen, teacher mode.

Every change is applied at once: the scene builds the new `Preferences` and hands
it to `on_change`, whose owner applies it (`App.apply_settings`, the mixer, the
model's backend) and saves the progress. The screen re-flows for the new theme
on the next event or frame. Esc or Back closes it; F1 opens the help overlay.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import replace

import pygame

from game.progress import Preferences
from game.ui.engine.display import LOGICAL_SIZE
from game.ui.engine.look import Look
from game.ui.engine.theme import FONT_SCALE_RANGE, THEMES, Theme
from game.ui.help.overlay import HelpOverlay
from game.ui.widgets import Button, Slider, TabBar, Toggle
from game.ui.widgets.base import blit_centred, draw_box, fit_text
from game.ui.widgets.menu_scene import MenuScene

THEME_TITLES = {"normal": "Desktop", "projector": "Projector"}
BACKEND_TITLES = {
    "auto": "Fastest",
    "reference": "Reference",
    "tiled": "Tiled",
    "cupy": "GPU (CuPy)",
}
PANEL_WIDTH = 820
LABEL_COLUMN = 250


def available_backends(registry: object = None) -> list[str]:
    """'auto' and whatever `game.attention.backends()` says can run here, plugins' included.

    `registry` is the game's loaded plugin registry (None: the default one), so a
    backend from `--plugin PATH` is offered and `--no-plugins` offers none."""
    from game.attention import backends

    return ["auto", *backends(registry)]


def backend_title(name: str, registry: object = None) -> str:
    """A built-in backend's title, else the title its plugin registered, else the name."""
    from game.attention import registered_backends

    if name in BACKEND_TITLES:
        return BACKEND_TITLES[name]
    plugin = registered_backends(registry).get(name)
    return plugin.title if plugin is not None else name


def fastest_backend_note() -> str:
    """One line under the backend choice: what "Fastest" runs on here, and why not the GPU."""
    from game.attention import gpu

    reason = gpu.unusable_reason()
    if reason is None:
        return f"Fastest runs on the GPU: {gpu.device_name()}"
    return f"Fastest runs on the CPU (NumPy). No GPU: {reason.split(' (')[0]}."


class SettingsScene(MenuScene):
    def __init__(
        self,
        look: Look,
        settings: Preferences,
        on_change: Callable[[Preferences], None],
        *,
        backends: Sequence[str] | None = None,
        registry: object = None,
    ):
        self.settings = replace(settings)
        self.registry = registry  # the game's plugins: which backends there are, their titles
        self.on_change = on_change
        self.themes = list(THEMES)
        self.backends = list(backends) if backends is not None else available_backends(registry)
        if self.settings.theme not in self.themes:
            self.themes.append(self.settings.theme)
        if self.settings.backend not in self.backends:
            self.backends.append(self.settings.backend)  # saved on a machine with a GPU
        self.backend_note = fastest_backend_note()
        self.note_rect = pygame.Rect(0, 0, 0, 0)
        self.rows: list[tuple[str | None, pygame.Rect]] = []
        self.heading_y = 0
        super().__init__(look)

    def change(self, **values: object) -> None:
        self.settings = replace(self.settings, **values)
        self.on_change(replace(self.settings))

    def build(self) -> None:
        s = self.settings
        low, high = FONT_SCALE_RANGE
        self.theme_tabs = self.group.add(
            TabBar(
                (0, 0, 1, 1),
                [THEME_TITLES.get(name, name) for name in self.themes],
                self.themes.index(s.theme),
                lambda i: self.change(theme=self.themes[i]),
            )
        )
        self.font_slider = self.group.add(
            Slider(
                (0, 0, 1, 1),
                "Text size",
                low,
                high,
                s.font_scale,
                lambda v: self.change(font_scale=round(v, 3)),
                steps=round((high - low) / 0.1),
                format=lambda v: f"{v:.0%}",
            )
        )
        self.sound_toggle = self.group.add(
            Toggle((0, 0, 1, 1), "Sound", s.sound, lambda v: self.change(sound=v))
        )
        self.backend_tabs = self.group.add(
            TabBar(
                (0, 0, 1, 1),
                [backend_title(name, self.registry) for name in self.backends],
                self.backends.index(s.backend),
                lambda i: self.change(backend=self.backends[i]),
            )
        )
        self.fullscreen_toggle = self.group.add(
            Toggle((0, 0, 1, 1), "Full screen", s.fullscreen, lambda v: self.change(fullscreen=v))
        )
        self.teacher_toggle = self.group.add(
            Toggle(
                (0, 0, 1, 1), "Teacher mode: every level open", s.teacher,
                lambda v: self.change(teacher=v),
            )
        )  # fmt: skip
        self.back_button = self.group.add(Button((0, 0, 1, 1), "Back", self.close))

    def _relayout(self) -> None:
        """While the text-size slider is dragged the page holds still (the text already
        shows the new size): moving the slider from under the mouse would make it jump.
        It is laid out for the new size when the button is let go."""
        if self.font_slider.dragging:
            return
        super()._relayout()

    def close(self) -> None:
        if self.stack.top is self:
            self.stack.pop()

    def layout(self, theme: Theme) -> None:
        width, height = LOGICAL_SIZE
        for padding, slider_factor, heading_factor in ((30, 1.45, 1.5), (12, 1.35, 1.2)):
            row_h = theme.font_px(22) + padding  # big text: tighter rows so all fit
            slider_h = round(row_h * slider_factor)
            gap = max(10, theme.line_px(8))
            heading_h = round(min(theme.font_px(40), 64) * heading_factor) + 12
            rows = [
                ("Theme", self.theme_tabs, row_h),
                (None, self.font_slider, slider_h),
                (None, self.sound_toggle, row_h),
                ("Backend", self.backend_tabs, row_h),
                ("note", None, theme.font_px(16) + 2),
                (None, self.fullscreen_toggle, row_h),
                (None, self.teacher_toggle, row_h),
            ]
            total = heading_h + sum(h + gap for _, _, h in rows) + row_h + 2 * gap
            if total <= height - 24:
                break
        top = max(12, (height - total) // 2)
        self.heading_y = top + heading_h // 2
        left = (width - PANEL_WIDTH) // 2
        y = top + heading_h
        self.rows = []
        for label, widget, h in rows:
            row = pygame.Rect(left, y, PANEL_WIDTH, h)
            if widget is None:  # the note under the backend row, tucked up against it
                self.note_rect = row.move(0, -gap // 2)
            elif label is None:
                widget.rect = row
            else:  # a labelled row: the widget sits in the right part of a row box
                widget.rect = pygame.Rect(
                    left + LABEL_COLUMN, y + 5, PANEL_WIDTH - LABEL_COLUMN - 5, h - 10
                )
                self.rows.append((label, row))
            y += h + gap
        back = pygame.Rect(0, 0, max(200, theme.font_px(24) * 7), row_h)
        back.midtop = (width // 2, y + gap)
        self.back_button.rect = back

    def handle_event(self, event: pygame.event.Event) -> bool:
        if event.type == pygame.KEYDOWN and event.key == pygame.K_ESCAPE:
            self.close()
            return True
        if event.type == pygame.KEYDOWN and event.key == pygame.K_F1:
            self.stack.push(HelpOverlay(self.look))
            return True
        return super().handle_event(event)

    def update(self, dt: float) -> None:
        """F11 switches fullscreen behind this screen's back: show what the window did."""
        super().update(dt)
        full = getattr(self.look, "fullscreen", None)
        if isinstance(full, bool) and full != self.settings.fullscreen:
            self.settings = replace(self.settings, fullscreen=full)
            self.fullscreen_toggle.set(full, notify=False)

    def draw(self, surface: pygame.Surface) -> None:
        theme, text = self.look.theme, self.look.text
        heading = text.render("Settings", min(theme.font_px(40), 64), theme.text, "bold")
        blit_centred(surface, heading, (LOGICAL_SIZE[0] // 2, self.heading_y))
        for label, row in self.rows:
            draw_box(surface, row, theme, fill=theme.panel, edge=theme.panel_edge, edge_width=1)
            room = LABEL_COLUMN - 28
            image = fit_text(text, label, room, theme.font_px(22), theme.text)
            surface.blit(image, image.get_rect(midleft=(row.left + 14, row.centery)))
        where = self.note_rect
        size, colour = theme.font_px(16), theme.text_dim
        note = fit_text(text, self.backend_note, where.width - 28, size, colour)
        surface.blit(note, note.get_rect(midleft=(where.left + 14, where.centery)))
        super().draw(surface)
