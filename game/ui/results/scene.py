"""The results screen: the stars earned, why each was or was not, and the player's head
beside the reference solution ("why it worked", DESIGN §2).

The score comes in from the play screen (`game.model.score`, which ran the
held-out sentences); this scene only shows it, in the words of reasons.py. Two views
share the middle, chosen by a tab bar: the unseen sentences of the third star
(held_out.py: each one's heatmap and whether it passed), and sentence 0 as the
player's board and `Board.with_solution` draw it for the same head. The screen
ends with the level's `takeaways`: what it taught, in two or three lines.
Next level / Retry / Levels are buttons; Esc is Retry (back to the board).
"""

from __future__ import annotations

from collections.abc import Callable

import pygame

from game.levels.schema import Level
from game.model import Board, BoardError, Catalog, Score
from game.ui.engine.display import LOGICAL_SIZE
from game.ui.engine.icons import draw_star, draw_stars
from game.ui.engine.look import Look
from game.ui.engine.theme import Theme
from game.ui.play.head_names import head_name, level_layers
from game.ui.presenter.lock import solutions_hidden
from game.ui.results.held_out import HeldOutPanel, held_out_rows
from game.ui.results.reasons import HEADLINES, learned_note, star_reasons
from game.ui.widgets import Button, TabBar
from game.ui.widgets.base import blit_centred, draw_box, fit_text
from game.ui.widgets.heatmap import Heatmap
from game.ui.widgets.menu_scene import MenuScene

UNSEEN, REFERENCE = 0, 1  # the two views of the middle of the screen
COMPACT_ABOVE_PX = 22  # reasons at 18 px drawn bigger than this: one line each


class ResultsScene(MenuScene):
    def __init__(
        self,
        look: Look,
        level: Level,
        catalog: Catalog,
        board: Board,
        result: Score,
        *,
        on_next: Callable[[], None] | None = None,
        on_levels: Callable[[], None] | None = None,
        learned: bool = False,
    ):
        self.level, self.catalog, self.board, self.result = level, catalog, board, result
        self.learned = learned  # a head on the board is the one gradient descent found
        self.on_next, self.on_levels = on_next, on_levels
        try:
            self.reference: Board | None = Board.with_solution(level, catalog)
        except BoardError:
            self.reference = None
        self.reasons = star_reasons(level, board, result)
        # presenter mode: the reference stays hidden until the presenter asks (A)
        self.reference_hidden = solutions_hidden(look)
        self.head = 0
        self.mine = Heatmap((0, 0, 1, 1))
        self.theirs = Heatmap((0, 0, 1, 1))
        self.mine.focusable = self.theirs.focusable = False
        self.mine.numbers = self.theirs.numbers = None  # numbers on a projector, where they fit
        self.held_out = HeldOutPanel()
        self.view = UNSEEN if len(result.per_sentence) > 1 else REFERENCE
        self.text_top = self.takeaways_top = 0
        super().__init__(look)
        self._show_head()

    def build(self) -> None:
        self.next_button = self.group.add(
            Button(
                (0, 0, 1, 1),
                "Next level",
                self.next,
                enabled=self.on_next is not None,
                primary=True,
            )
        )
        retry = "Build it by hand" if self.learned else "Retry"
        self.retry_button = self.group.add(Button((0, 0, 1, 1), retry, self.retry))
        self.levels_button = self.group.add(
            Button((0, 0, 1, 1), "Levels", self.levels, enabled=self.on_levels is not None)
        )
        passed = sum(all(g.met for g in goals) for goals in self.result.per_sentence[1:])
        unseen = len(self.result.per_sentence) - 1
        first_tab = f"Unseen sentences: {passed} of {unseen} passed"
        if self.level.task is not None:  # the score is on the random inputs; these are examples
            first_tab = f"{unseen} more example inputs"
            self.held_out.card_title = "Example"
        self.view_tabs = self.group.add(
            TabBar(
                (0, 0, 1, 1),
                [first_tab, "Your head and the reference"],
                self.view, self.select_view,
            )
        )  # fmt: skip
        self.head_tabs = None
        if len(self.board.heads) > 1:
            per, layers = max(1, self.level.heads), level_layers(self.level)  # "L2·H1" if stacked
            labels = [head_name(h, per, layers) for h in range(len(self.board.heads))]
            self.head_tabs = self.group.add(TabBar((0, 0, 1, 1), labels, 0, self.select_head))
        if self.on_next is None or self.result.stars == 0:
            self.group.focus(self.retry_button)

    def select_head(self, index: int) -> None:
        self.head = index
        self._show_head()

    def select_view(self, index: int) -> None:
        self.view = index

    def _show_head(self) -> None:
        for heatmap, board in ((self.mine, self.board), (self.theirs, self.reference)):
            if board is None or self.head >= len(board.heads):
                continue
            ev = board.evaluate(0)
            head = ev.head(self.head)
            mask = ~head.allowed
            heatmap.set_data(
                head.weights, revision=(board.revision, self.head, id(board)),
                mask=mask if mask.any() else None,
                row_labels=ev.tokens[head.query_sequence], col_labels=ev.tokens[head.key_sequence],
            )  # fmt: skip
        self.held_out.set_rows(
            held_out_rows(self.board, self.result, self.head), (self.board.revision, self.head)
        )
        self._laid_out_for = None  # the rows may have changed size: lay out again

    @staticmethod
    def compact(theme: Theme) -> bool:
        """Big text (projector, 150%): one line per reason and per takeaway, shrunk to fit,
        so the sentences in the middle keep room to be seen."""
        return theme.font_px(18) > COMPACT_ABOVE_PX

    def sizes(self, theme: Theme) -> tuple[int, int, int]:
        """(title, reason, takeaway) text sizes: smaller steps when compact."""
        if self.compact(theme):
            return theme.font_px(28), theme.font_px(14), theme.font_px(12)
        return theme.font_px(40), theme.font_px(18), theme.font_px(16)

    def wrapped_reasons(self, theme: Theme) -> list[list[str]]:
        """Each star's reason wrapped to the screen, at most two lines (one when compact)."""
        width = LOGICAL_SIZE[0] - 140
        if self.compact(theme):
            return [[why] for _, why in self.reasons]
        return [self.look.text.wrap(why, width, theme.font_px(18))[:2] for _, why in self.reasons]

    def takeaway_lines(self, theme: Theme) -> list[str]:
        """The level's takeaways wrapped to the screen, and the note on a learned head."""
        width = LOGICAL_SIZE[0] - 120
        lines = []
        for line in ([learned_note()] if self.learned else []) + list(self.level.takeaways):
            lines += (
                [line]
                if self.compact(theme)
                else self.look.text.wrap(line, width, theme.font_px(16))
            )
        return lines

    def layout(self, theme: Theme) -> None:
        """Top to bottom: headline, the three stars' reasons, the view tabs (and the head
        tabs), the view, what the level taught, the buttons."""
        width, height = LOGICAL_SIZE
        title_px, reason_px, taught_px = self.sizes(theme)
        line = round(reason_px * 1.35)
        self.text_top = 30 + round(title_px * 1.3) + 10
        tabs_top = self.text_top + sum(len(w) * line + 4 for w in self.wrapped_reasons(theme)) + 6
        button_h = theme.font_px(22) + 18
        buttons_top = height - 20 - button_h
        taught = self.takeaway_lines(theme)
        taught_h = (len(taught) + 1) * round(taught_px * 1.3) if taught else 0
        self.takeaways_top = buttons_top - 10 - taught_h
        tabs_h = theme.font_px(17) + 16
        tabs_w = width - 120
        if self.head_tabs is not None:
            head_w = min(360, 110 * len(self.board.heads))
            self.head_tabs.rect = pygame.Rect(width - 60 - head_w, tabs_top, head_w, tabs_h)
            tabs_w -= head_w + 20
        self.view_tabs.rect = pygame.Rect(60, tabs_top, min(tabs_w, 900), tabs_h)
        view = pygame.Rect(60, tabs_top + tabs_h + 10, width - 120, 0)
        view.height = max(60, self.takeaways_top - 10 - view.top)
        self.held_out.layout(view, theme, compact=self.compact(theme))
        label_h = round(theme.font_px(17) * 1.5)
        size = max(60, min(view.height - label_h, 440))
        captions = [  # each caption is centred over its grid: small grids move apart
            self.look.text.render(c, theme.font_px(17), theme.text, "bold").get_width()
            for c in ("Your head", "Reference solution")
        ]  # fmt: skip
        gap = max(60, sum(captions) // 2 - size + 30)
        left = (width - 2 * size - gap) // 2
        self.mine.set_rect(pygame.Rect(left, view.top + label_h, size, size))
        self.theirs.set_rect(pygame.Rect(left + size + gap, view.top + label_h, size, size))
        bw = max(180, theme.font_px(22) * 7)
        for k, button in enumerate((self.retry_button, self.levels_button, self.next_button)):
            button.rect = pygame.Rect(0, buttons_top, bw, button_h)
            button.rect.centerx = width // 2 + (k - 1) * (bw + 24)

    def next(self) -> None:
        if self.on_next is not None:
            self.on_next()

    def retry(self) -> None:
        """Back to the board; after a learned head, to an empty one (Ctrl+Z brings it back)."""
        if self.learned and self.board.wire_count:
            self.board.reset()
        self.back_to_board()

    def back_to_board(self) -> None:
        if self.stack.top is self:
            self.stack.pop()

    def levels(self) -> None:
        if self.on_levels is not None:
            self.on_levels()

    def handle_event(self, event: pygame.event.Event) -> bool:
        if event.type == pygame.KEYDOWN and event.key == pygame.K_ESCAPE:
            self.back_to_board()
            return True
        return super().handle_event(event)

    def draw(self, surface: pygame.Surface) -> None:
        theme, text = self.look.theme, self.look.text
        width, _ = LOGICAL_SIZE
        stars = self.result.stars
        headline = f"{HEADLINES.get(stars, '')}  {self.level.title}"
        title_px, size, _ = self.sizes(theme)
        title = fit_text(text, headline, width - 360, title_px, theme.text, "bold")
        top = 30 + title.get_height() // 2
        surface.blit(title, title.get_rect(midleft=(40, top)))
        radius = round(title_px * 0.55)
        draw_stars(surface, (width - 40 - 7 * radius, top), radius, stars, theme)
        line = round(size * 1.35)
        y = self.text_top
        for (earned, _), lines in zip(self.reasons, self.wrapped_reasons(theme), strict=True):
            draw_star(surface, (58, y + line // 2), round(line * 0.45), theme, filled=earned)
            ink = theme.text if earned else theme.text_dim
            for k, part in enumerate(lines):
                image = fit_text(text, part, width - 124, size, ink, min_size=theme.font_px(12))
                surface.blit(image, (84, y + k * line))
            y += len(lines) * line + 4
        if self.view == UNSEEN:
            self.held_out.draw(surface, theme, text)
        else:
            self._draw_reference(surface, theme)
        self._draw_takeaways(surface, theme)
        super().draw(surface)

    def _draw_reference(self, surface: pygame.Surface, theme: Theme) -> None:
        text = self.look.text
        for heatmap, caption in ((self.mine, "Your head"), (self.theirs, "Reference solution")):
            grid = heatmap.rect
            label = text.render(caption, theme.font_px(17), theme.text, "bold")
            blit_centred(surface, label, (grid.centerx, grid.top - label.get_height()))
            hidden = self.reference is None or self.reference_hidden
            if caption == "Your head" or not hidden:
                heatmap.draw(surface, theme, text)
                continue
            draw_box(surface, grid, theme, fill=theme.panel, edge=theme.panel_edge)
            words = "Hidden: A shows it" if self.reference is not None else "No reference solution"
            note = fit_text(text, words, grid.width - 16, theme.font_px(16), theme.text_dim)
            blit_centred(surface, note, grid.center)

    def reveal_reference(self) -> None:
        """Presenter mode's A: the hidden reference solution, shown because asked."""
        self.reference_hidden = False
        self.view = self.view_tabs.selected = REFERENCE

    def _draw_takeaways(self, surface: pygame.Surface, theme: Theme) -> None:
        """What the level taught, last on the screen (the level file's `takeaways`)."""
        lines = self.takeaway_lines(theme)
        if not lines:
            return
        text, size = self.look.text, self.sizes(theme)[2]
        step = round(size * 1.3)
        head = text.render("What this level taught", size, theme.text, "bold")
        surface.blit(head, (60, self.takeaways_top))
        width, smallest = LOGICAL_SIZE[0] - 120, theme.font_px(11)
        for k, part in enumerate(lines):
            image = fit_text(text, part, width, size, theme.text, min_size=smallest)
            surface.blit(image, (60, self.takeaways_top + (k + 1) * step))
