"""The end of a quiz: the score, every question with right or wrong and the time taken, and
Export CSV, which writes every answer saved on this computer for the teacher.

Rows shrink (or split into two columns) to fit the screen at any text size, and
right or wrong is written as a word as well as shown in colour. `on_export()`
returns the line to show under the buttons (where the file went, or why not).
"""

from __future__ import annotations

from collections.abc import Callable

import pygame

from game.quiz.run import QuizRun
from game.ui.engine.display import LOGICAL_SIZE
from game.ui.engine.look import Look
from game.ui.engine.theme import Theme
from game.ui.widgets import Button
from game.ui.widgets.base import blit_centred, fit_text
from game.ui.widgets.menu_scene import MenuScene

MARGIN = 48


def duration(seconds: float) -> str:
    """'45 s', '3 min 05 s': how long, in words a student reads at a glance."""
    whole = round(seconds)
    return f"{whole} s" if whole < 60 else f"{whole // 60} min {whole % 60:02d} s"


class QuizSummaryScene(MenuScene):
    def __init__(
        self,
        look: Look,
        run: QuizRun,
        *,
        on_export: Callable[[], str],
        on_done: Callable[[], None],
        before: tuple[int, int] | None = None,
        concept_titles: dict[str, str] | None = None,
    ):
        self.concept_titles = concept_titles or {}
        self.run, self.on_export, self.on_done = run, on_export, on_done
        self.before = before  # (right, asked) of this student's latest pre quiz, after a post
        self.status = ""
        self.list_top = self.row_h = self.row_px = self.columns = 0
        super().__init__(look)

    def build(self) -> None:
        self.export_button = self.group.add(
            Button((0, 0, 1, 1), "Export CSV", self.export, primary=True)
        )
        self.done_button = self.group.add(Button((0, 0, 1, 1), "Done", self.on_done))

    def export(self) -> None:
        self.status = self.on_export()

    def layout(self, theme: Theme) -> None:
        width, height = LOGICAL_SIZE
        button_h, button_w = theme.font_px(24) + 22, max(220, theme.font_px(24) * 8)
        bottom = height - MARGIN // 2 - button_h - round(theme.font_px(16) * 1.6)
        self.export_button.rect = pygame.Rect(width - MARGIN - button_w, bottom, button_w, button_h)
        self.done_button.rect = pygame.Rect(MARGIN, bottom, button_w, button_h)
        self.list_top = (
            MARGIN // 2 + round(theme.font_px(32) * 1.3) + round(theme.font_px(18) * 1.5)
        )
        room = bottom - 16 - self.list_top
        rows = len(self.run.questions)
        want = theme.font_px(18)
        self.columns = 1 if rows * round(want * 1.45) <= room else 2
        per_column = -(-rows // self.columns)
        self.row_h = min(round(want * 1.45), room // per_column)
        self.row_px = max(10, min(want, round(self.row_h / 1.35)))

    def handle_event(self, event: pygame.event.Event) -> bool:
        if event.type == pygame.KEYDOWN and event.key == pygame.K_ESCAPE:
            self.on_done()
            return True
        return super().handle_event(event)

    def headline(self) -> str:
        run = self.run
        phase = "before the lessons" if run.phase == "pre" else "after the lessons"
        return f"{run.name}, {phase}: {run.score} of {len(run.answers)} right"

    def draw(self, surface: pygame.Surface) -> None:
        theme, text = self.look.theme, self.look.text
        width = LOGICAL_SIZE[0]
        size = theme.font_px(32)
        head = fit_text(text, self.headline(), width - 2 * MARGIN, size, theme.text, "bold")
        blit_centred(surface, head, (width // 2, MARGIN // 2 + round(size * 0.65)))
        sub = f"Time: {duration(sum(answer.seconds for answer in self.run.answers))}"
        if self.before is not None:
            sub = f"Before the lessons: {self.before[0]} of {self.before[1]}  ·  " + sub
        image = fit_text(text, sub, width - 2 * MARGIN, theme.font_px(18), theme.text_dim)
        blit_centred(surface, image, (width // 2, self.list_top - round(theme.font_px(18) * 0.8)))
        self.draw_rows(surface, theme)
        super().draw(surface)
        if self.status:
            note = fit_text(text, self.status, width - 2 * MARGIN, theme.font_px(16), theme.text)
            blit_centred(
                surface,
                note,
                (width // 2, self.done_button.rect.bottom + round(theme.font_px(16) * 0.9)),
            )

    def draw_rows(self, surface: pygame.Surface, theme: Theme) -> None:
        text, px = self.look.text, self.row_px
        column_w = (LOGICAL_SIZE[0] - 2 * MARGIN - 24 * (self.columns - 1)) // self.columns
        per_column = -(-len(self.run.questions) // self.columns)
        by_id = {answer.question_id: answer for answer in self.run.answers}
        for k, question in enumerate(self.run.questions):
            left = MARGIN + (k // per_column) * (column_w + 24)
            y = self.list_top + (k % per_column) * self.row_h
            answer = by_id.get(question.id)
            if answer is None:
                verdict, colour = "not answered", theme.text_dim
            elif answer.correct:
                verdict, colour = f"Right  {duration(answer.seconds)}", theme.good
            else:
                you = f"you {answer.choice}, " if self.columns == 1 else ""  # narrow: shorter
                verdict = f"Wrong ({you}answer {question.answer})  {duration(answer.seconds)}"
                colour = theme.bad
            mark = text.render(verdict, px, colour, "bold")
            surface.blit(mark, mark.get_rect(topright=(left + column_w, y)))
            room = column_w - mark.get_width() - 16
            chapter = self.concept_titles.get(question.concept, question.concept)
            label = f"{k + 1}. {chapter}" + (f": {question.prompt}" if self.columns == 1 else "")
            label = fit_text(text, label, room, px, theme.text, min_size=px)
            surface.blit(label, (left, y))
