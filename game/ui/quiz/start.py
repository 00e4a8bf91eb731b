"""The quiz's first screen: the student types a name and says whether this is before or after
the lessons, then starts.

The name is whatever the student types (no account); an empty name is refused
with a line saying so. Tab moves between the name, the phase and the buttons;
Enter anywhere starts; Esc goes back.
"""

from __future__ import annotations

from collections.abc import Callable

import pygame

from game.ui.engine.display import LOGICAL_SIZE
from game.ui.engine.look import Look
from game.ui.engine.theme import Theme
from game.ui.widgets import Button, TabBar
from game.ui.widgets.base import blit_centred, fit_text
from game.ui.widgets.menu_scene import MenuScene
from game.ui.widgets.text_field import TextField

PHASES = ("pre", "post")
PHASE_TITLES = ("Before the lessons", "After the lessons")
MAX_NAME = 60


class QuizStartScene(MenuScene):
    def __init__(
        self,
        look: Look,
        *,
        title: str,
        description: str,
        counts: dict[str, int],
        on_start: Callable[[str, str], None],
        on_back: Callable[[], None],
        phase: str = "pre",
        name: str = "",
    ):
        self.title, self.description, self.counts = title, description, counts
        self.on_start, self.on_back = on_start, on_back
        self.phase, self.name = phase, name
        self.problem = ""
        self.heading_y = self.note_y = 0
        self.description_lines: tuple[str, ...] = ()
        super().__init__(look)

    def build(self) -> None:
        self.name_field = self.group.add(
            TextField((0, 0, 1, 1), "Your name", self.name, self.set_name, max_length=MAX_NAME)
        )
        self.phase_tabs = self.group.add(
            TabBar((0, 0, 1, 1), PHASE_TITLES, PHASES.index(self.phase), self.set_phase)
        )
        self.start_button = self.group.add(Button((0, 0, 1, 1), "Start", self.start, primary=True))
        self.back_button = self.group.add(Button((0, 0, 1, 1), "Back", self.on_back))

    def set_name(self, name: str) -> None:
        self.name, self.problem = name, ""

    def set_phase(self, index: int) -> None:
        self.phase, self.problem = PHASES[index], ""

    def start(self) -> None:
        name = " ".join(self.name.split())
        if not name:
            self.problem = "Type your name first, so your teacher can find your answers."
            self.group.focus(self.name_field)
            return
        if not self.counts.get(self.phase):
            when = PHASE_TITLES[PHASES.index(self.phase)].lower()
            self.problem = f"This quiz has no questions for {when}."
            return
        self.on_start(name, self.phase)

    def layout(self, theme: Theme) -> None:
        width, height = LOGICAL_SIZE
        column = min(width - 96, max(640, theme.font_px(22) * 26))
        left = (width - column) // 2
        self.heading_y = 40 + theme.font_px(40) // 2
        self.description_lines = self.look.text.wrap(self.description, column, theme.font_px(18))
        y = self.heading_y + theme.font_px(40) // 2 + 16
        y += len(self.description_lines) * round(theme.font_px(18) * 1.3) + 24
        field_h = round(theme.font_px(16) * 1.3) + theme.font_px(22) + 22
        self.name_field.rect = pygame.Rect(left, y, column, field_h)
        y += field_h + 24
        tabs_h = theme.font_px(20) + 22
        self.phase_tabs.rect = pygame.Rect(left, y, column, tabs_h)
        self.note_y = y + tabs_h + 10
        y = self.note_y + round(theme.font_px(18) * 1.4) * 2 + 16
        button_h, button_w = theme.font_px(24) + 22, max(200, theme.font_px(24) * 8)
        self.start_button.rect = pygame.Rect(left + column - button_w, y, button_w, button_h)
        self.back_button.rect = pygame.Rect(left, y, button_w, button_h)

    def handle_event(self, event: pygame.event.Event) -> bool:
        if event.type == pygame.TEXTINPUT:
            return self.name_field.handle_text(event)
        if event.type == pygame.KEYDOWN and event.key == pygame.K_ESCAPE:
            self.on_back()
            return True
        if event.type == pygame.KEYDOWN and event.key in (pygame.K_RETURN, pygame.K_KP_ENTER):
            if self.group.focused is self.back_button:
                return super().handle_event(event)
            self.start()
            return True
        return super().handle_event(event)

    def draw(self, surface: pygame.Surface) -> None:
        theme, text = self.look.theme, self.look.text
        width = LOGICAL_SIZE[0]
        heading = fit_text(text, self.title, width - 96, theme.font_px(40), theme.text, "bold")
        blit_centred(surface, heading, (width // 2, self.heading_y))
        line_h = round(theme.font_px(18) * 1.3)
        top = self.heading_y + theme.font_px(40) // 2 + 16
        for k, line in enumerate(self.description_lines):
            image = text.render(line, theme.font_px(18), theme.text_dim)
            blit_centred(surface, image, (width // 2, top + k * line_h + line_h // 2))
        count = self.counts.get(self.phase, 0)
        note = (
            f"{count} questions, one at a time. Pick with the mouse or the keys 1-4, "
            "then press Enter. Your answers stay on this computer."
        )
        lines = text.wrap(note, self.phase_tabs.rect.width, theme.font_px(18))[:2]
        for k, line in enumerate(lines):
            image = text.render(line, theme.font_px(18), theme.text_dim)
            surface.blit(
                image, (self.phase_tabs.rect.left, self.note_y + k * round(theme.font_px(18) * 1.4))
            )
        if self.problem:
            bad = fit_text(text, self.problem, width - 96, theme.font_px(18), theme.bad, "bold")
            blit_centred(surface, bad, (width // 2, self.start_button.rect.bottom + 30))
        super().draw(surface)
