"""The quiz screen: one question at a time, answered with the mouse or the keys 1–4 and Enter.

1–4 (or ↑/↓, or a click) pick a choice; Enter (or the Check button) locks it in.
Then the right answer is marked, the plain-words explanation shows, and Enter
(or Next) goes on; after the last question `on_finish(run)` is called. Time on a
question counts from its appearing to the answer, through `update(dt)`. Each
answer goes to `on_answer` at once (the flow saves it), so a quiz left halfway
keeps what was answered. Esc asks before leaving; a second Esc leaves. F1 lists the keys.
"""

from __future__ import annotations

from collections.abc import Callable

import pygame

from game.quiz.answers import Answer
from game.quiz.run import QuizRun
from game.ui.engine.display import LOGICAL_SIZE
from game.ui.engine.look import Look
from game.ui.engine.scene_stack import Scene
from game.ui.engine.theme import Theme
from game.ui.help.overlay import HelpOverlay
from game.ui.quiz.choice import OTHER, PICKED, PLAIN, RIGHT, WRONG, ChoiceButton
from game.ui.widgets import Button, FocusGroup
from game.ui.widgets.base import draw_box, fit_text, mix

MARGIN = 48
HINT = "1-4 pick  ·  Enter check / next  ·  F1 help  ·  Esc leave"
ASK_LEAVE = "Leave the quiz? Your answers so far are saved. Esc again to leave."
NUMBER_KEYS = {
    **{getattr(pygame, f"K_{n}"): n for n in range(1, 10)},
    **{getattr(pygame, f"K_KP{n}"): n for n in range(1, 10)},
}
ENTER = (pygame.K_RETURN, pygame.K_KP_ENTER)
QUIZ_SHORTCUTS = (
    (
        "Quiz",
        (
            ("1 - 4", "Pick that answer"),
            ("Up / Down", "Pick the answer above / below"),
            ("Enter", "Check the picked answer, then go on"),
            ("Tab, Space", "Move to an answer and pick it"),
            ("Esc, Esc", "Leave the quiz (answers so far are kept)"),
            ("F1", "Show or hide this help"),
        ),
    ),
)


class QuizQuestionScene(Scene):
    def __init__(
        self,
        look: Look,
        run: QuizRun,
        *,
        on_answer: Callable[[Answer], None],
        on_finish: Callable[[QuizRun], None],
        on_leave: Callable[[], None],
        concept_titles: dict[str, str] | None = None,
    ):
        self.look, self.run = look, run
        self.on_answer, self.on_finish, self.on_leave = on_answer, on_finish, on_leave
        self.concept_titles = concept_titles or {}
        self.asking_leave = False
        self.group = FocusGroup(focus=None)
        self.action = Button((0, 0, 1, 1), "Check answer", self.press_action, primary=True)
        self.choices: list[ChoiceButton] = []
        self.sizes = {"prompt": 24, "explain": 18, "header": 18}
        self.prompt_lines: tuple[str, ...] = ()
        self.explain_lines: tuple[str, ...] = ()
        self.prompt_top = self.explain_rect = None
        self._laid_out: tuple[Theme, int] | None = None
        self.build_question()

    # -- the question shown --------------------------------------------------------
    def build_question(self) -> None:
        """Widgets for the question the run is on (after `advance`)."""
        question = self.run.question
        self.choices = [
            ChoiceButton(k + 1, question.choice_text(k), self.pick)
            for k in range(len(question.choices))
        ]
        self.group = FocusGroup([*self.choices, self.action], focus=None)
        self._laid_out = None
        self.refresh()
        self.layout()

    def refresh(self) -> None:
        """Choice states and the action button from the run's state."""
        run = self.run
        for choice in self.choices:
            if not run.revealed:
                choice.state = PICKED if choice.number == run.selected else PLAIN
            elif run.question.is_right(choice.number):
                choice.state = RIGHT
            else:
                choice.state = WRONG if choice.number == run.selected else OTHER
            choice.enabled = not run.revealed
        if run.revealed:
            last = run.index == len(run.questions) - 1
            self.action.label = "See my results" if last else "Next question"
            self.action.enabled = True
        else:
            self.action.label = "Check answer"
            self.action.enabled = run.selected is not None

    # -- intents ---------------------------------------------------------------------
    def pick(self, number: int) -> None:
        if self.run.select(number):
            self.refresh()

    def press_action(self) -> None:
        """Check the picked answer, or go on after the reveal."""
        if not self.run.revealed:
            answer = self.run.confirm()
            if answer is not None:
                self.refresh()
                self.on_answer(answer)
            return
        if self.run.advance():
            self.on_finish(self.run)
            return
        self.build_question()

    def handle(self, event: pygame.event.Event) -> None:
        if event.type == pygame.KEYDOWN:
            if event.key == pygame.K_ESCAPE:
                if self.asking_leave:
                    self.on_leave()
                self.asking_leave = not self.asking_leave
                return
            self.asking_leave = False
            if event.key == pygame.K_F1:
                self.stack.push(HelpOverlay(self.look, QUIZ_SHORTCUTS))
                return
            if self.handle_key(event.key):
                return
        elif event.type == pygame.MOUSEBUTTONDOWN:
            self.asking_leave = False
        self.group.handle(event)

    def handle_key(self, key: int) -> bool:
        if key in NUMBER_KEYS:
            self.pick(NUMBER_KEYS[key])
            return True
        if key in ENTER:
            self.press_action()
            return True
        if key in (pygame.K_UP, pygame.K_DOWN) and not self.run.revealed:
            step = 1 if key == pygame.K_DOWN else -1
            current = self.run.selected or (0 if step > 0 else len(self.choices) + 1)
            self.pick(min(len(self.choices), max(1, current + step)))
            return True
        return False

    def update(self, dt: float) -> None:
        self.run.tick(dt)
        self.layout()

    def interactive_rects(self) -> list[pygame.Rect]:
        return [widget.rect for widget in self.group.widgets]

    # -- layout ----------------------------------------------------------------------
    def layout(self) -> None:
        """Sizes that fit the question, its choices and its explanation on one screen."""
        theme = self.look.theme
        key = (theme, self.run.index)
        if self._laid_out == key or self.run.finished:
            return
        self._laid_out = key
        scale = 1.0
        while scale > 0.5 and self.place(theme, scale) > LOGICAL_SIZE[1] - MARGIN // 2:
            scale *= 0.92

    def place(self, theme: Theme, scale: float) -> int:
        """Put everything at text sizes × `scale`; returns the bottom of the lowest part."""
        text, width = self.look.text, LOGICAL_SIZE[0] - 2 * MARGIN
        px = {name: max(12, round(theme.font_px(size) * scale)) for name, size in
              {"prompt": 24, "choice": 20, "explain": 18, "header": 18}.items()}  # fmt: skip
        self.sizes = px
        y = MARGIN // 2 + round(px["header"] * 1.6) + 12
        self.prompt_top = y
        self.prompt_lines = text.wrap(self.run.question.prompt, width, px["prompt"], "bold")
        y += len(self.prompt_lines) * round(px["prompt"] * 1.3) + 14
        gap = max(6, round(px["choice"] * 0.4))
        for choice in self.choices:
            choice.text_px = px["choice"]
            height = choice.wrap(width, theme, text)
            choice.rect = pygame.Rect(MARGIN, y, width, height)
            y += height + gap
        verdict_h = round(px["explain"] * 1.5)
        self.explain_lines = text.wrap(self.run.question.explanation, width - 32, px["explain"])
        explain_h = verdict_h + len(self.explain_lines) * round(px["explain"] * 1.3) + 20
        self.explain_rect = pygame.Rect(MARGIN, y + 4, width, explain_h)
        y = self.explain_rect.bottom + 12
        button_h = round(theme.font_px(24) * scale) + 20
        button_w = max(240, round(theme.font_px(24) * scale * 10))
        self.action.rect = pygame.Rect(0, y, button_w, button_h)
        self.action.rect.right = LOGICAL_SIZE[0] - MARGIN
        return self.action.rect.bottom

    # -- drawing ---------------------------------------------------------------------
    def draw(self, surface: pygame.Surface) -> None:
        theme, text = self.look.theme, self.look.text
        run, px = self.run, self.sizes
        width = LOGICAL_SIZE[0] - 2 * MARGIN
        count = f"Question {run.index + 1} of {len(run.questions)}"
        head = text.render(count, px["header"], theme.text, "bold")
        surface.blit(head, (MARGIN, MARGIN // 2))
        chapter = self.concept_titles.get(run.question.concept, run.question.concept)
        phase = "before the lessons" if run.phase == "pre" else "after the lessons"
        right = fit_text(text, f"{chapter}  ·  {run.name}, {phase}", width - head.get_width() - 24,
                         px["header"], theme.text_dim)  # fmt: skip
        surface.blit(right, right.get_rect(topright=(LOGICAL_SIZE[0] - MARGIN, MARGIN // 2)))
        bar = pygame.Rect(MARGIN, MARGIN // 2 + round(px["header"] * 1.35), width, 6)
        pygame.draw.rect(surface, theme.panel_edge, bar, border_radius=3)
        done = bar.copy()
        done.width = round(bar.width * (run.index + run.revealed) / len(run.questions))
        pygame.draw.rect(surface, theme.accent, done, border_radius=3)
        line_h = round(px["prompt"] * 1.3)
        for k, line in enumerate(self.prompt_lines):
            surface.blit(text.render(line, px["prompt"], theme.text, "bold"),
                         (MARGIN, self.prompt_top + k * line_h))  # fmt: skip
        self.group.draw(surface, theme, text)
        if run.revealed:
            self.draw_explanation(surface, theme)
        self.draw_hint(surface, theme)

    def draw_explanation(self, surface: pygame.Surface, theme: Theme) -> None:
        text, px, rect = self.look.text, self.sizes["explain"], self.explain_rect
        right = self.run.answers[-1].correct
        colour = theme.good if right else theme.bad
        draw_box(surface, rect, theme, fill=mix(theme.panel, colour, 0.12), edge=colour)
        answer = self.run.question.answer
        verdict = "Right!" if right else f"Not quite: the answer is {answer}."
        image = text.render(verdict, round(px * 1.1), colour, "bold")
        surface.blit(image, (rect.left + 16, rect.top + 10))
        y = rect.top + 10 + round(px * 1.5)
        for k, line in enumerate(self.explain_lines):
            surface.blit(
                text.render(line, px, theme.text), (rect.left + 16, y + k * round(px * 1.3))
            )

    def draw_hint(self, surface: pygame.Surface, theme: Theme) -> None:
        text, rect = self.look.text, self.action.rect
        room = rect.left - MARGIN - 16
        if self.asking_leave:
            hint = fit_text(text, ASK_LEAVE, room, self.sizes["header"], theme.bad, "bold")
        else:
            hint = fit_text(text, HINT, room, self.sizes["header"], theme.text_dim)
        surface.blit(hint, hint.get_rect(midleft=(MARGIN, rect.centery)))
