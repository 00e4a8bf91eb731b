"""A task level's held-out score on the play screen, and its failing examples on request.

A circuits level with a `[task]` is scored on random inputs the player never
sees (`game.model.task_score`; every evaluation carries the score as
`Evaluation.task`). The play screen shows the accuracy on a button under the
stream panel ("Task 87.5%: show failures"); pressing it (or F) opens
`FailuresOverlay` over the board: the accuracy and how it is counted (per
position, and the share of inputs right throughout), then the first wrong
tokens, each input written out with the wrong token boxed and what was
expected beside what the readout read. ↑/↓, Page Up/Down or the wheel scroll;
Esc, F or a click closes it. Nothing here scores: it reads the score the model
already made.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import pygame

from game.ui.engine.display import LOGICAL_SIZE
from game.ui.engine.look import Look
from game.ui.engine.scene_stack import Scene
from game.ui.engine.text import TextCache
from game.ui.engine.theme import Theme
from game.ui.play.refresh import refresh
from game.ui.widgets.base import blit_centred, draw_box, fit_text
from game.views import TaskScore

if TYPE_CHECKING:
    from game.ui.play.scene import PlayScene

CLOSE_KEYS = (pygame.K_ESCAPE, pygame.K_f)
VEIL_ALPHA = 170
BODY_PX = 17
TITLE_PX = 28


def task_label(score: TaskScore | None) -> str:
    """The top strip button's label: the held-out accuracy, and what pressing it shows."""
    if score is None:
        return "Task: not scored"
    if score.is_sample:  # editing: a quick sample; the full set comes once the board is still
        return f"Task ~{score.accuracy:.0%} (sample): show failures"
    return f"Task {score.accuracy:.1%}: show failures"


def score_summary(score: TaskScore) -> str:
    """The accuracy in words, saying how it is counted."""
    return (
        f"{score.accuracy:.1%} right {score.unit} ({score.correct} of {score.positions} tokens) "
        f"on {score.examples} inputs you never saw; {score.sequences:.0%} of the inputs "
        "are right at every token."
    )


def open_failures(scene: PlayScene) -> None:
    """Push the failing examples over the play screen (when the level has a score)."""
    ev = scene.evaluation
    if ev is not None and ev.task is not None and ev.task.is_sample:
        scene.live_task.settle()  # the failures of every held-out input, not of the sample
        refresh(scene)
        ev = scene.evaluation
    score = None if ev is None else ev.task
    if score is not None:
        scene.stack.push(FailuresOverlay(scene.look, score))


class FailuresOverlay(Scene):
    opaque = False

    def __init__(self, look: Look, score: TaskScore):
        self.look = look
        self.score = score
        self.scroll = 0  # failures scrolled off the top
        self._veil = pygame.Surface(LOGICAL_SIZE, pygame.SRCALPHA)
        self._veil.fill((0, 0, 0, VEIL_ALPHA))

    def close(self) -> None:
        if self.stack.top is self:
            self.stack.pop()

    def scroll_by(self, rows: int) -> None:
        last = max(0, len(self.score.failures) - 1)
        self.scroll = min(max(0, self.scroll + rows), last)

    def handle(self, event: pygame.event.Event) -> None:
        steps = {pygame.K_UP: -1, pygame.K_DOWN: 1, pygame.K_PAGEUP: -5, pygame.K_PAGEDOWN: 5}
        if event.type == pygame.KEYDOWN and event.key in CLOSE_KEYS:
            self.close()
        elif event.type == pygame.KEYDOWN and event.key in steps:
            self.scroll_by(steps[event.key])
        elif event.type == pygame.MOUSEWHEEL:
            self.scroll_by(-1 if event.y > 0 else 1)
        elif event.type == pygame.MOUSEBUTTONDOWN and event.button == 1:
            self.close()

    def panel(self) -> pygame.Rect:
        return pygame.Rect(60, 40, LOGICAL_SIZE[0] - 120, LOGICAL_SIZE[1] - 80)

    def draw(self, surface: pygame.Surface) -> None:
        theme, text = self.look.theme, self.look.text
        surface.blit(self._veil, (0, 0))
        panel = self.panel()
        draw_box(surface, panel, theme, fill=theme.panel, edge=theme.accent, edge_width=2)
        inner = panel.inflate(-40, -28)
        title = fit_text(text, "Failing examples", inner.width, theme.font_px(TITLE_PX),
                         theme.text, "bold")  # fmt: skip
        surface.blit(title, inner.topleft)
        y = inner.top + round(theme.font_px(TITLE_PX) * 1.4)
        size = theme.font_px(BODY_PX)
        for line in text.wrap(score_summary(self.score), inner.width, size)[:3]:
            surface.blit(text.render(line, size, theme.text), (inner.left, y))
            y += round(size * 1.35)
        hint_px = theme.font_px(15)
        bottom = inner.bottom - round(hint_px * 1.6)
        self._draw_failures(surface, pygame.Rect(inner.left, y + 8, inner.width, bottom - y - 8),
                            theme, text)  # fmt: skip
        hint = "Up / Down or the wheel scroll;  Esc, F or a click closes this"
        blit_centred(surface, text.render(hint, hint_px, theme.text_dim),
                     (panel.centerx, inner.bottom - hint_px // 2))  # fmt: skip

    def _draw_failures(
        self, surface: pygame.Surface, room: pygame.Rect, theme: Theme, text: TextCache
    ) -> None:
        """One line per wrong token: the input, the wrong token boxed, expected and read."""
        size = theme.font_px(BODY_PX)
        row_h = round(size * 1.9)
        failures = self.score.failures
        if not failures:
            note = "Every held-out token is read right: nothing fails."
            surface.blit(text.render(note, size, theme.good), room.topleft)
            return
        wrong = self.score.positions - self.score.correct
        lead = f"The first {len(failures)} of {wrong} wrong tokens, each boxed in its input:"
        surface.blit(text.render(lead, theme.font_px(15), theme.text_dim), room.topleft)
        note_h = round(theme.font_px(14) * 1.4)
        room = pygame.Rect(room.left, room.top + note_h, room.width, room.height - 2 * note_h)
        shown = failures[self.scroll : self.scroll + max(1, room.height // row_h)]
        number_w = text.size(f"{len(failures)}.", size)[0]  # the tokens start in one column
        for k, failure in enumerate(shown):
            y = room.top + k * row_h
            verdict = f"expected {failure.expected}, read {failure.got}"
            verdict_img = text.render(verdict, size, theme.bad, "bold")
            number = text.render(f"{self.scroll + k + 1}.", size, theme.text_dim)
            surface.blit(number, (room.left, y + (row_h - number.get_height()) // 2))
            x = room.left + number_w + 10
            end = room.right - verdict_img.get_width() - 16
            for i, token in enumerate(failure.tokens):
                wrong = i == failure.position
                image = text.render(token, size, theme.text, "bold" if wrong else "regular")
                if x + image.get_width() > end:
                    surface.blit(text.render("…", size, theme.text_dim), (x, y + 4))
                    break
                box = pygame.Rect(x - 4, y + 2, image.get_width() + 8, row_h - 6)
                if wrong:
                    pygame.draw.rect(surface, theme.bad, box, theme.line_px(2), border_radius=4)
                surface.blit(image, image.get_rect(midleft=(x, box.centery)))
                x += image.get_width() + 12
            surface.blit(verdict_img, verdict_img.get_rect(midright=(room.right, y + row_h // 2)))
        more = len(failures) - self.scroll - len(shown)
        if more > 0:
            note = text.render(f"{more} more below", theme.font_px(14), theme.text_dim)
            surface.blit(note, note.get_rect(topright=(room.right, room.bottom + 2)))
