"""`LessonScene`: a lesson on the projector, one step at a time, over the real play screen.

The scene holds the play screen of the current step (`slide.step_scene`) and
hands it every event it does not take itself; it draws that screen, then the
prompt (covers, card, heatmap marks) and the caption bar above it: the play
screen lays out below the bar (`PlayScene.top_inset`), so its top strip (Undo,
Redo, Steps) stays clickable and no caption covers the board.
Keys: → / Page Down next step, ← / Page Up previous (in step mode the arrows
step the computation, as in presenter mode; in presenter mode the presenter's
Page Up / Down reach the same `LessonRun`), and while a prompt is
open: 1–4 pick a choice (↑ / ↓ move between them), or ← / → move along the
query's row of the heatmap; Enter picks, Space reveals the real answer. The
mouse picks a choice or a heatmap cell and clicks ◀ ▶. Esc leaves the lesson
(after closing step mode or the inspector).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

import pygame

from game.lessons.answers import reveal
from game.lessons.schema import Lesson
from game.levels.schema import Level
from game.model import Catalog
from game.ui.engine.display import LOGICAL_SIZE
from game.ui.engine.failure import describe_failure
from game.ui.engine.look import Look
from game.ui.engine.scene_stack import Scene, SceneStack
from game.ui.lesson.caption_bar import CaptionBar
from game.ui.lesson.prompt_card import (
    choice_rects,
    draw_blank_heatmap,
    draw_card,
    draw_covers,
    mark_reveal,
)
from game.ui.lesson.run import LessonRun, PromptState
from game.ui.lesson.slide import step_scene
from game.ui.play import PlayScene
from game.ui.play.layout import TOP_H
from game.ui.widgets.base import LEFT_BUTTON, mods
from game.ui.widgets.heatmap import Heatmap

NEXT_KEYS = (pygame.K_RIGHT, pygame.K_PAGEDOWN)
PREVIOUS_KEYS = (pygame.K_LEFT, pygame.K_PAGEUP)
NUMBER_KEYS = {pygame.K_1: 1, pygame.K_2: 2, pygame.K_3: 3, pygame.K_4: 4}
NUMBER_KEYS |= {pygame.K_KP1: 1, pygame.K_KP2: 2, pygame.K_KP3: 3, pygame.K_KP4: 4}
ENTER_KEYS = (pygame.K_RETURN, pygame.K_KP_ENTER)


class LessonScene(Scene):
    def __init__(
        self,
        look: Look,
        lesson: Lesson | LessonRun,
        levels: Mapping[str, Level],
        catalog: Catalog,
        *,
        on_exit: Callable[[], None] | None = None,
    ):
        self.look = look
        self.run = lesson if isinstance(lesson, LessonRun) else LessonRun(lesson)
        self.levels = levels
        self.catalog = catalog
        self.on_exit = on_exit
        self.stack: SceneStack | None = None
        self.play: PlayScene | None = None
        self.prompt: PromptState | None = None
        self._answer = None
        self.shown = 0  # the step on screen (the run moves first, then the screen follows)
        self.build_step()  # the first step: a failure here is the opener's to report

    # -- the current step -----------------------------------------------------------------
    def build_step(self) -> None:
        """The play screen and the prompt of the step the run is on, built before the
        one shown is let go, so a step that cannot be shown leaves the last one up."""
        step = self.run.step
        play = step_scene(self.look, step, self.levels, self.catalog, on_back=self.leave)
        answer = None
        no_grid = step.prompt is not None and step.prompt.kind == "cell" and play.machinery.active
        if no_grid:  # a FlashAttention or scaling level shows its machinery, not a heatmap
            play.toasts.show("This level shows no heatmap: its cell question is left out.")
        elif step.prompt is not None and play.evaluation is not None:
            answer = reveal(step.prompt, play.evaluation, play.head)
        if self.play is not None:
            self.play.exit()
        self.play, self._answer = play, answer
        self.fit_play()
        self.prompt = PromptState(answer.options) if answer is not None else None
        self.shown = self.run.index
        if self.stack is not None:
            self.play.enter(self.stack)

    def show_current(self, _stop: object = None) -> bool:
        """Show the step the run is on (the presenter's `show` for a lesson). A step whose
        level fails (a plugin's scheme or goal raising) is skipped back with a toast."""
        try:
            self.build_step()
        except Exception as error:  # plugin code on this step's level: say so, keep the last
            failed = self.run.index + 1
            self.run.go(self.shown)
            message = f"Step {failed} could not be shown: {describe_failure(error)}"
            self.play.toasts.show(message, "error", 6.0)
            return False
        return True

    def go(self, direction: int) -> bool:
        """The next (+1) or previous (-1) step; a toast and False at either end."""
        stop = self.run.next() if direction > 0 else self.run.previous()
        if stop is None:
            end = "last" if direction > 0 else "first"
            self.play.toasts.show(f"This is the {end} step of the lesson.", "info", 2.0)
            return False
        return self.show_current()

    def leave(self) -> None:
        if self.on_exit is not None:
            self.on_exit()
        elif self.stack is not None and self.stack.top is self:
            self.stack.pop()

    # -- what the presenter layer reads (it treats the lesson like the play screen) ---------
    @property
    def level(self) -> Level:
        return self.play.level

    @property
    def controller(self):
        return self.play.controller

    @property
    def hint_button(self):
        return self.play.hint_button

    @property
    def step_mode(self):
        return self.play.step_mode

    @property
    def group(self):
        return self.play.group

    # -- input ------------------------------------------------------------------------------
    def handle(self, event: pygame.event.Event) -> None:
        self.fit_play()
        if event.type == pygame.KEYDOWN and self._key(event):
            return
        if event.type == pygame.MOUSEBUTTONDOWN and event.button == LEFT_BUTTON:
            if self._click(event.pos):
                return
        self.play.handle(event)

    def _key(self, event: pygame.event.Event) -> bool:
        """The lesson's keys; False for the play screen's."""
        key = event.key
        if mods(event) & (pygame.KMOD_CTRL | pygame.KMOD_ALT | pygame.KMOD_SHIFT):
            return False
        if self._prompt_key(key):
            return True
        if key in (pygame.K_LEFT, pygame.K_RIGHT) and self.play.step_mode.active:
            return False  # step mode's arrows step the computation, as in presenter mode
        if key in NEXT_KEYS or key in PREVIOUS_KEYS:
            self.go(+1 if key in NEXT_KEYS else -1)
            return True
        return False

    def _prompt_key(self, key: int) -> bool:
        prompt = self.prompt
        if prompt is None:
            return False
        open_, choice = not prompt.revealed, self.run.step.prompt.kind == "choice"
        moves = (pygame.K_UP, pygame.K_DOWN) if choice else (pygame.K_LEFT, pygame.K_RIGHT)
        if open_ and key in NUMBER_KEYS and choice:
            prompt.pick_number(NUMBER_KEYS[key])
        elif open_ and key in moves:
            prompt.move(+1 if key in (pygame.K_DOWN, pygame.K_RIGHT) else -1)
        elif open_ and key in ENTER_KEYS:
            prompt.confirm()
        elif key == pygame.K_SPACE and open_:
            self.reveal()
        else:
            return False
        return True

    def reveal(self) -> bool:
        """Space: the real answer beside the prediction (the class answers first)."""
        if self.prompt is None:
            return False
        if self.prompt.picked is None:
            self.play.toasts.show("Let the class answer first: pick an option.", "info", 2.5)
            return False
        return self.prompt.show(self._answer)

    def _click(self, pos: tuple[float, float]) -> bool:
        bar = self.caption_bar()
        if bar.back.collidepoint(pos) or bar.forward.collidepoint(pos):
            self.go(+1 if bar.forward.collidepoint(pos) else -1)
            return True
        if bar.rect.collidepoint(pos):
            return True
        prompt = self.prompt
        if prompt is None or prompt.revealed:
            return False
        if self.run.step.prompt.kind == "choice":
            for rect, column in zip(self._choice_rects(), prompt.options, strict=True):
                if rect.collidepoint(pos):
                    prompt.pick(column)
                    return True
            return self.card_rect().collidepoint(pos)
        cell = self.grid().cell_at(pos)
        if cell is not None:
            prompt.pick(cell[1])  # the column: the row is the prompt's query
            return True
        return self.card_rect().collidepoint(pos)

    # -- geometry ---------------------------------------------------------------------------
    def caption_bar(self) -> CaptionBar:
        theme, text = self.look.theme, self.look.text
        return CaptionBar.fit(self.run.step.caption, LOGICAL_SIZE[0], TOP_H, theme, text)

    @property
    def overlay_top(self) -> int:
        """Where the screen below the caption bar starts (presenter mode's lock badge goes
        there, clear of the caption)."""
        return self.caption_bar().rect.bottom

    def fit_play(self) -> None:
        """Lay the play screen out below the caption bar (its height follows the caption and
        the text size, so this runs before every update and event)."""
        inset = self.caption_bar().rect.height
        if self.play.top_inset != inset:
            self.play.top_inset = inset
            self.play.resume()  # relayout and refresh the views at their new sizes

    def card_rect(self) -> pygame.Rect:
        """The prompt's card. A cell question sits in the left column, beside the grid the
        class picks on; a multiple-choice one over the board (and step mode's left part),
        under the caption bar."""
        lay = self.play.layout
        top = self.caption_bar().rect.bottom
        if self.run.step.prompt.kind == "cell":
            left = lay.left.inflate(-8, -8)
            top = max(top, lay.explanation.top)
            return pygame.Rect(left.left, top, left.width, left.bottom - top)
        area = lay.board.union(lay.editor) if self.play.step_mode.active else lay.board
        top = max(area.top, top)  # no sliver of the board between
        return pygame.Rect(area.left, top, area.width, area.bottom - top)

    def _card_shown(self) -> list[pygame.Rect]:
        """The prompt's card, while one is drawn over the play screen: not once a choice
        question is revealed and step mode opens, so the matrices are not under it."""
        if self.prompt is None or self._answer is None:
            return []
        stepping = self.prompt.revealed and self.play.step_mode.active
        return [] if stepping and self.run.step.prompt.kind == "choice" else [self.card_rect()]

    def grid(self) -> Heatmap:
        """The heatmap a cell question is answered on: step mode's matrix while it shows
        (a query × key step), else the play screen's heatmap."""
        return self.play.step_view.heatmap if self.play.step_mode.active else self.play.heatmap

    def _choice_rects(self) -> list[pygame.Rect]:
        prompt, look = self.run.step.prompt, self.look
        return choice_rects(
            self.card_rect(), prompt, len(self.prompt.options), look.theme, look.text
        )

    def covers(self) -> list[pygame.Rect]:
        """What would give the answer away before the reveal (a cell question's grid is
        blanked instead, so the class can pick on it)."""
        lay, play = self.play.layout, self.play
        rects = [lay.goals.union(lay.stars)]
        if not play.step_mode.active:
            rects += [play.outputs_rect, lay.board]  # the wires' thickness is the weights
            if self.run.step.prompt.kind == "choice":
                rects.append(lay.heatmap)
        elif self.run.step.prompt.kind == "choice":
            rects.append(play.step_view.rect)
        return rects

    # -- the rest of the scene protocol -------------------------------------------------------
    def enter(self, stack: SceneStack) -> None:
        self.stack = stack
        self.play.enter(stack)

    def pause(self) -> None:
        self.play.pause()

    def resume(self) -> None:
        self.play.resume()

    def exit(self) -> None:
        self.play.exit()

    def update(self, dt: float) -> None:
        self.fit_play()
        self.play.update(dt)

    def interactive_rects(self) -> list[pygame.Rect]:
        bar = self.caption_bar()
        # the whole bar and the card, not only ◀ ▶: a toast must not hide what the room reads
        return [*self.play.interactive_rects(), bar.rect, *self._card_shown()]

    def animating(self) -> bool:
        return self.play.animating()

    def draw(self, surface: pygame.Surface) -> None:
        theme, text = self.look.theme, self.look.text
        asking = self.prompt is not None and not self.prompt.revealed
        self.play.step_view.space_does = "reveal the answer" if asking else "play/pause"
        self.play.toast_avoid = [self.caption_bar().rect, *self._card_shown()]
        self.play.draw(surface)
        prompt, step = self.prompt, self.run.step
        if prompt is not None and step.prompt is not None:
            answer = self._answer
            query_word = self.play.evaluation.tokens[
                self.play.evaluation.head(self.play.head).query_sequence
            ][answer.query]
            if not prompt.revealed:
                draw_covers(surface, self.covers(), theme, text)
                if step.prompt.kind == "cell":
                    draw_blank_heatmap(surface, self.grid(), answer.query, prompt, theme)
            else:
                mark_reveal(surface, self.grid(), prompt, theme)
            for card in self._card_shown():
                draw_card(surface, card, step.prompt, prompt, answer.keys, query_word, theme, text)
        bar = self.caption_bar()
        bar.draw(surface, self.run.lesson.title, self.shown_position(), theme, text)

    def shown_position(self) -> str:
        """The step count ("step 3 of 9"), after the shown head's name where the level has layers
        ("L2·H1 · step 31 of 34"), so the bar the teacher reads says which head is shown."""
        from game.ui.play.head_names import head_name

        level, position = self.play.level, self.run.position
        layers, per_layer = getattr(level, "layers", 1), level.heads
        if layers <= 1:
            return position
        return f"{head_name(self.play.head, per_layer, layers)} · {position}"
