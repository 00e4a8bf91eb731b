"""The title screen: the name, one line on what the game is, and the main menu.

Play / Sandbox / Quiz / Settings / Help / Quit, in a column the keyboard walks with
Tab or ↑/↓ and Enter. The scene knows no other screen: each button calls the
callback the caller gave (a button without one is shown disabled), except Help,
which opens the shortcut overlay by default, and Quit, which closes the title
(and so the game, when it is the last scene) by default. F1 is help. Esc asks
first: the hint line says "Esc again quits" and a second Esc quits; any other key
or click takes the question back (a stray Esc must not end a lesson).
"""

from __future__ import annotations

from collections.abc import Callable

import pygame

from game.ui.engine.display import LOGICAL_SIZE
from game.ui.engine.look import Look
from game.ui.engine.theme import Theme, head_colours
from game.ui.help.overlay import HelpOverlay
from game.ui.widgets import Button
from game.ui.widgets.base import blit_centred, fit_text
from game.ui.widgets.menu_scene import MenuScene

TITLE = "Switchyard"
TAGLINE = "Build the attention heads that let words find each other."
HINT = "Tab or Up/Down to move  ·  Enter to choose  ·  F1 help  ·  Esc quit"
ASK_QUIT = "Quit Switchyard?  Press Esc again to quit, any other key to stay."
MENU = ("Play", "Sandbox", "Quiz", "Settings", "Help", "Quit")

Action = Callable[[], None]


class TitleScene(MenuScene):
    def __init__(
        self,
        look: Look,
        *,
        on_play: Action | None = None,
        on_sandbox: Action | None = None,
        on_settings: Action | None = None,
        on_quiz: Action | None = None,
        on_help: Action | None = None,
        on_quit: Action | None = None,
    ):
        self.actions: dict[str, Action | None] = {
            "Play": on_play,
            "Sandbox": on_sandbox,
            "Quiz": on_quiz,
            "Settings": on_settings,
            "Help": on_help or self.open_help,
            "Quit": on_quit or self.quit,
        }
        self.buttons: dict[str, Button] = {}
        self.title_px = self.tagline_px = self.tagline_y = self.title_y = 0
        self.asking_quit = False  # the first Esc asks; the second quits
        super().__init__(look)

    def open_help(self) -> None:
        self.stack.push(HelpOverlay(self.look))

    def quit(self) -> None:
        self.stack.pop()

    def build(self) -> None:
        for index, name in enumerate(MENU):
            action = self.actions[name]
            button = Button(
                (0, 0, 1, 1), name, action, enabled=action is not None, primary=index == 0
            )
            self.buttons[name] = self.group.add(button)

    def layout(self, theme: Theme) -> None:
        """Menu first: with big text the title and tagline shrink so the buttons still fit."""
        width, height = LOGICAL_SIZE
        top, gap, title_gap = 40, 14, 32
        footer_top = height - theme.font_px(18) - 40
        button_w = max(340, theme.font_px(24) * 11)
        room = footer_top - 12 - top
        for padding in (30, 18):
            button_h = theme.font_px(24) + padding
            block = len(MENU) * button_h + (len(MENU) - 1) * gap
            if room - block >= 200:
                break
        self.title_px = min(theme.font_px(88), 128)
        self.tagline_px = min(theme.font_px(26), round(self.title_px * 0.45))
        need = round(self.title_px * 1.2) + round(self.tagline_px * 1.4) + title_gap
        if need > room - block:
            self.title_px = max(36, round((room - block - title_gap) / (1.2 + 1.4 * 0.45)))
            self.tagline_px = min(theme.font_px(26), round(self.title_px * 0.45))
        tag_h = round(self.tagline_px * 1.4)
        self.title_y = top + round(self.title_px * 0.6)
        self.tagline_y = top + round(self.title_px * 1.2) + tag_h // 2
        start = top + round(self.title_px * 1.2) + tag_h + title_gap
        for index, name in enumerate(MENU):
            rect = pygame.Rect(0, 0, button_w, button_h)
            rect.midtop = (width // 2, start + index * (button_h + gap))
            self.buttons[name].rect = rect

    def handle_event(self, event: pygame.event.Event) -> bool:
        if event.type == pygame.KEYDOWN and event.key == pygame.K_ESCAPE:
            if self.asking_quit:
                self.asking_quit = False
                self.buttons["Quit"].activate()
            else:
                self.asking_quit = True
            return True
        if event.type in (pygame.KEYDOWN, pygame.MOUSEBUTTONDOWN):
            self.asking_quit = False  # anything else: stay
        if event.type == pygame.KEYDOWN and event.key == pygame.K_F1:
            self.buttons["Help"].activate()
            return True
        return super().handle_event(event)

    def draw(self, surface: pygame.Surface) -> None:
        theme, text = self.look.theme, self.look.text
        width, height = LOGICAL_SIZE
        title = text.render(TITLE, self.title_px, theme.text, "bold")
        blit_centred(surface, title, (width // 2, self.title_y))
        underline = title.get_rect(center=(width // 2, self.title_y))
        y = underline.bottom - round(self.title_px * 0.08)
        for k, colour in enumerate(head_colours(theme)):  # four heads, four colours
            x0 = underline.left + k * underline.width // 4
            x1 = underline.left + (k + 1) * underline.width // 4 - 6
            pygame.draw.line(surface, colour, (x0, y), (x1, y), theme.line_px(4))
        tagline = fit_text(text, TAGLINE, width - 80, self.tagline_px, theme.text_dim)
        blit_centred(surface, tagline, (width // 2, self.tagline_y))
        super().draw(surface)
        if self.asking_quit:
            hint = fit_text(text, ASK_QUIT, width - 40, theme.font_px(22), theme.bad, "bold")
        else:
            hint = text.render(HINT, theme.font_px(18), theme.text_dim)
        blit_centred(surface, hint, (width // 2, height - 24 - hint.get_height() // 2))
