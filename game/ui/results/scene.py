"""The results screen: the stars earned, why each was or was not, and the player's head
beside the reference solution ("why it worked", DESIGN §2).

The score comes in from the play screen (`game.model.score`, which ran the
held-out sentences); this scene only shows it, in the words of reasons.py. The two heatmaps show
sentence 0: the player's board and `Board.with_solution` for the same head.
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
from game.ui.results.reasons import HEADLINES, star_reasons
from game.ui.widgets import Button, TabBar
from game.ui.widgets.base import blit_centred, draw_box, fit_text
from game.ui.widgets.heatmap import Heatmap
from game.ui.widgets.menu_scene import MenuScene


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
    ):
        self.level, self.catalog, self.board, self.result = level, catalog, board, result
        self.on_next, self.on_levels = on_next, on_levels
        try:
            self.reference: Board | None = Board.with_solution(level, catalog)
        except BoardError:
            self.reference = None
        self.reasons = star_reasons(level, board, result)
        self.head = 0
        self.mine = Heatmap((0, 0, 1, 1))
        self.theirs = Heatmap((0, 0, 1, 1))
        self.mine.focusable = self.theirs.focusable = False
        self.text_top = 0
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
        self.retry_button = self.group.add(Button((0, 0, 1, 1), "Retry", self.retry))
        self.levels_button = self.group.add(
            Button((0, 0, 1, 1), "Levels", self.levels, enabled=self.on_levels is not None)
        )
        self.head_tabs = None
        if len(self.board.heads) > 1:
            labels = [f"Head {h + 1}" for h in range(len(self.board.heads))]
            self.head_tabs = self.group.add(TabBar((0, 0, 1, 1), labels, 0, self.select_head))
        if self.on_next is None or self.result.stars == 0:
            self.group.focus(self.retry_button)

    def select_head(self, index: int) -> None:
        self.head = index
        self._show_head()

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

    def layout(self, theme: Theme) -> None:
        width, height = LOGICAL_SIZE
        line = round(theme.font_px(18) * 1.35)
        self.text_top = 40 + round(theme.font_px(40) * 1.3) + 16
        maps_top = self.text_top + 3 * (2 * line + 6) + 16
        button_h = theme.font_px(22) + 18
        buttons_top = height - 30 - button_h
        tabs_h = theme.font_px(20) + 16 if self.head_tabs is not None else 0
        label_h = round(theme.font_px(17) * 1.5)
        size = max(120, buttons_top - 16 - maps_top - tabs_h - label_h)
        size = min(size, 440)
        gap = 60
        left = (width - 2 * size - gap) // 2
        top = maps_top + tabs_h + label_h
        self.mine.set_rect(pygame.Rect(left, top, size, size))
        self.theirs.set_rect(pygame.Rect(left + size + gap, top, size, size))
        if self.head_tabs is not None:
            self.head_tabs.rect = pygame.Rect(
                0, maps_top, min(400, 120 * len(self.board.heads)), tabs_h - 6
            )
            self.head_tabs.rect.centerx = width // 2
        bw = max(180, theme.font_px(22) * 7)
        for k, button in enumerate((self.retry_button, self.levels_button, self.next_button)):
            button.rect = pygame.Rect(0, buttons_top, bw, button_h)
            button.rect.centerx = width // 2 + (k - 1) * (bw + 24)

    def next(self) -> None:
        if self.on_next is not None:
            self.on_next()

    def retry(self) -> None:
        if self.stack.top is self:
            self.stack.pop()

    def levels(self) -> None:
        if self.on_levels is not None:
            self.on_levels()

    def handle_event(self, event: pygame.event.Event) -> bool:
        if event.type == pygame.KEYDOWN and event.key == pygame.K_ESCAPE:
            self.retry()
            return True
        return super().handle_event(event)

    def draw(self, surface: pygame.Surface) -> None:
        theme, text = self.look.theme, self.look.text
        width, _ = LOGICAL_SIZE
        stars = self.result.stars
        headline = f"{HEADLINES.get(stars, '')}  {self.level.title}"
        title = fit_text(text, headline, width - 360, theme.font_px(40), theme.text, "bold")
        surface.blit(title, title.get_rect(midleft=(40, 40 + title.get_height() // 2)))
        radius = round(theme.font_px(40) * 0.55)
        draw_stars(
            surface, (width - 40 - 7 * radius, 40 + title.get_height() // 2), radius, stars, theme
        )
        line = round(theme.font_px(18) * 1.35)
        y = self.text_top
        size = theme.font_px(18)
        for earned, why in self.reasons:
            draw_star(surface, (58, y + line // 2), round(line * 0.45), theme, filled=earned)
            ink = theme.text if earned else theme.text_dim
            for k, part in enumerate(text.wrap(why, width - 140, size)[:2]):
                surface.blit(text.render(part, size, ink), (84, y + k * line))
            y += 2 * line + 6
        for heatmap, caption in ((self.mine, "Your head"), (self.theirs, "Reference solution")):
            grid = heatmap.rect
            label = text.render(caption, theme.font_px(17), theme.text, "bold")
            blit_centred(surface, label, (grid.centerx, grid.top - label.get_height()))
            if caption == "Your head" or self.reference is not None:
                heatmap.draw(surface, theme, text)
            else:
                draw_box(surface, grid, theme, fill=theme.panel, edge=theme.panel_edge)
                note = text.render(
                    "This level has no reference solution", theme.font_px(16), theme.text_dim
                )
                blit_centred(surface, note, grid.center)
        super().draw(surface)
