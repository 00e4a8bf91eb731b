"""The level select: the campaign grouped by concept, in the order of DESIGN §2.

Each level is a card with its title, concept and stars. A level is locked until
the level before it (in this order) has at least one star; the first is always
open, and `unlock_all` (teacher mode, or starting with `--level`) opens them
all. Arrows move between cards (←/→ along the list, ↑/↓ to the nearest card in
the row above or below), Enter or a click opens one, the wheel or the arrows
scroll, Esc goes back. Level files that failed to load, and plugins that
failed, are listed in a "Problems" panel as `FILE:LINE: message`, so a teacher
sees why their level is missing.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping, Sequence

import pygame

from game.api import Concept
from game.levels.registry import concept_title, in_campaign_order
from game.levels.schema import Level
from game.ui.engine.display import LOGICAL_SIZE
from game.ui.engine.icons import draw_lock, draw_stars
from game.ui.engine.look import Look
from game.ui.engine.scene_stack import Scene
from game.ui.engine.theme import Theme
from game.ui.engine.toast import Toasts
from game.ui.help.overlay import HelpOverlay
from game.ui.widgets import Button
from game.ui.widgets.base import LEFT_BUTTON, clipped, draw_box, fit_text, mix

CARD_W, CARD_GAP = 280, 16
PANEL_W = 330
TOP = 78
STARS_LEGEND = (
    "Stars: goals met · at or under par, the fewest wires that solve it · "
    "works on the unseen sentences"
)


def campaign_order(levels: Mapping[str, Level], concepts: Mapping[str, Concept]) -> list[Level]:
    """Levels by registered concept order (DESIGN §2 for the campaign), then by id."""
    return in_campaign_order(levels.values(), concepts)


def unlocked(order: Sequence[Level], stars: Mapping[str, int], unlock_all: bool) -> list[bool]:
    """Which levels can be opened: the first, and each whose predecessor has a star."""
    return [unlock_all or k == 0 or stars.get(order[k - 1].id, 0) >= 1 for k in range(len(order))]


class LevelSelectScene(Scene):
    def __init__(
        self,
        look: Look,
        levels: Mapping[str, Level],
        stars: Mapping[str, int],
        *,
        learned: Collection[str] = (),
        on_open: Callable[[str], None],
        on_back: Callable[[], None] | None = None,
        concepts: Mapping[str, Concept],
        problems: Sequence[str] = (),
        unlock_all: bool = False,
    ):
        self.look = look
        self.concepts = concepts  # id -> registered Concept: the chapter order and titles
        self.order = campaign_order(levels, concepts)
        self.stars = stars
        self.learned = learned  # levels whose stars so far came from gradient descent only
        self.on_open, self.on_back = on_open, on_back
        self.problems = list(problems)
        self.unlock_all = unlock_all
        self.cursor = 0
        self.scroll = 0
        self.toasts = Toasts()
        self.back_button = Button((20, 14, 110, 44), "Back", self.back)
        self.back_button.focusable = False
        self.cards: list[pygame.Rect] = []  # unscrolled rects, one per level in `order`
        self.headings: list[tuple[str, tuple[int, int, int]]] = []  # (title, (x, y, width))
        self.content_h = 0
        self._laid_out_for: Theme | None = None
        self._relayout()

    # -- layout --------------------------------------------------------------------
    @property
    def list_rect(self) -> pygame.Rect:
        width, height = LOGICAL_SIZE
        right = width - 20 - (PANEL_W + 20 if self.problems else 0)
        return pygame.Rect(20, TOP, right - 20, height - TOP - 16)

    def card_height(self, theme: Theme) -> int:
        return (
            round(theme.font_px(19) * 1.35)
            + round(theme.font_px(14) * 1.4)
            + theme.font_px(22)
            + 22
        )

    def _relayout(self) -> None:
        theme = self.look.theme
        if theme == self._laid_out_for:
            return
        self._laid_out_for = theme
        area = self.list_rect
        self._flow_chapters(area, self.card_height(theme), round(theme.font_px(20) * 1.7))
        self.back_button.rect = pygame.Rect(
            20, 14, max(110, theme.font_px(20) * 5), min(48, theme.font_px(22) + 18)
        )
        self._keep_visible()

    def _flow_chapters(self, area: pygame.Rect, card_h: int, heading_h: int) -> None:
        """Chapters side by side, left to right, as long as a row has room (a chapter of
        one or two levels no longer leaves the rest of its row empty); a chapter wider
        than the list wraps its own cards."""
        columns = max(1, (area.width + CARD_GAP) // (CARD_W + CARD_GAP))
        chapters: list[tuple[str, list[int]]] = []
        for index, level in enumerate(self.order):
            if not chapters or chapters[-1][0] != level.concept:
                chapters.append((level.concept, []))
            chapters[-1][1].append(index)
        self.cards, self.headings = [], []
        x = y = row_h = 0
        for concept, indices in chapters:
            cols = min(len(indices), columns)
            width = cols * (CARD_W + CARD_GAP) - CARD_GAP
            height = heading_h + -(-len(indices) // cols) * (card_h + CARD_GAP) - CARD_GAP
            if x and x + width > area.width:
                x, y, row_h = 0, y + row_h + CARD_GAP, 0
            title = concept_title(self.concepts, concept)
            self.headings.append((title, (area.left + x, y, width)))
            for k, _ in enumerate(indices):
                left = area.left + x + (k % cols) * (CARD_W + CARD_GAP)
                top = area.top + y + heading_h + (k // cols) * (card_h + CARD_GAP)
                self.cards.append(pygame.Rect(left, top, CARD_W, card_h))
            x += width + 2 * CARD_GAP
            row_h = max(row_h, height)
        self.content_h = y + row_h if self.order else 0

    def card_rect(self, index: int) -> pygame.Rect:
        """Where card `index` is on screen now (after scrolling)."""
        return self.cards[index].move(0, -self.scroll)

    def _keep_visible(self) -> None:
        if not self.cards:
            return
        area = self.list_rect
        card = self.cards[self.cursor]
        top_room = round(self.look.theme.font_px(20) * 1.7)
        if card.top - top_room - self.scroll < area.top:
            self.scroll = max(0, card.top - top_room - area.top)
        if card.bottom - self.scroll > area.bottom:
            self.scroll = card.bottom - area.bottom
        self.scroll = max(0, min(self.scroll, max(0, self.content_h - area.height)))

    # -- actions -------------------------------------------------------------------
    @property
    def open_flags(self) -> list[bool]:
        return unlocked(self.order, self.stars, self.unlock_all)

    def open_level(self, index: int) -> None:
        level = self.order[index]
        if not self.open_flags[index]:
            previous = self.order[index - 1].title
            self.toasts.show(f'Locked: earn a star on "{previous}" first.', "error")
            return
        self.on_open(level.id)

    def back(self) -> None:
        if self.on_back is not None:
            self.on_back()
        elif self.stack.top is self:
            self.stack.pop()

    def move_vertical(self, direction: int) -> None:
        """To the card in the next row up or down whose centre is nearest in x."""
        here = self.cards[self.cursor]
        rows = sorted({c.top for c in self.cards})
        k = rows.index(here.top) + direction
        if not 0 <= k < len(rows):
            return
        candidates = [n for n, c in enumerate(self.cards) if c.top == rows[k]]
        self.cursor = min(candidates, key=lambda n: abs(self.cards[n].centerx - here.centerx))

    # -- input ---------------------------------------------------------------------
    def handle(self, event: pygame.event.Event) -> None:
        self._relayout()
        if event.type == pygame.KEYDOWN:
            self._key(event)
        elif event.type == pygame.MOUSEWHEEL:
            area = self.list_rect
            self.scroll = max(
                0, min(self.scroll - 40 * event.y, max(0, self.content_h - area.height))
            )
        elif event.type in (pygame.MOUSEBUTTONDOWN, pygame.MOUSEBUTTONUP, pygame.MOUSEMOTION):
            if self.back_button.handle(event):
                return
            if event.type == pygame.MOUSEBUTTONDOWN and event.button == LEFT_BUTTON:
                for index in range(len(self.cards)):
                    if self.card_rect(index).collidepoint(
                        event.pos
                    ) and self.list_rect.collidepoint(event.pos):
                        self.cursor = index
                        self.open_level(index)
                        return

    def _key(self, event: pygame.event.Event) -> None:
        key = event.key
        if key == pygame.K_ESCAPE:
            self.back()
            return
        if key == pygame.K_F1:
            self.stack.push(HelpOverlay(self.look))
            return
        if not self.cards:
            return
        if key in (pygame.K_RIGHT, pygame.K_TAB):
            self.cursor = min(len(self.cards) - 1, self.cursor + 1)
        elif key == pygame.K_LEFT:
            self.cursor = max(0, self.cursor - 1)
        elif key == pygame.K_DOWN:
            self.move_vertical(+1)
        elif key == pygame.K_UP:
            self.move_vertical(-1)
        elif key == pygame.K_HOME:
            self.cursor = 0
        elif key == pygame.K_END:
            self.cursor = len(self.cards) - 1
        elif key in (pygame.K_RETURN, pygame.K_KP_ENTER, pygame.K_SPACE):
            self.open_level(self.cursor)
        self._keep_visible()

    def resume(self) -> None:
        self._laid_out_for = None  # the theme or the stars may have changed meanwhile
        self._relayout()

    def update(self, dt: float) -> None:
        self._relayout()
        self.toasts.update(dt)

    def animating(self) -> bool:
        return bool(self.toasts.items)

    def interactive_rects(self) -> list[pygame.Rect]:
        """The Back button and every level card on screen (toasts never cover them)."""
        area = self.list_rect
        cards = [self.card_rect(i).clip(area) for i in range(len(self.order))]
        return [self.back_button.rect, *(card for card in cards if card.width and card.height)]

    # -- drawing -------------------------------------------------------------------
    def draw(self, surface: pygame.Surface) -> None:
        theme, text = self.look.theme, self.look.text
        width, height = LOGICAL_SIZE
        heading = text.render("Choose a level", min(theme.font_px(34), 52), theme.text, "bold")
        surface.blit(
            heading,
            heading.get_rect(
                midleft=(self.back_button.rect.right + 24, self.back_button.rect.centery)
            ),
        )
        total = sum(self.stars.get(lv.id, 0) for lv in self.order)
        tally = text.render(
            f"{total} of {3 * len(self.order)} stars", theme.font_px(18), theme.text_dim
        )
        legend = fit_text(
            text, STARS_LEGEND, width // 2 - 40, theme.font_px(13), theme.text_dim, min_size=8
        )
        middle = self.back_button.rect.centery
        surface.blit(tally, tally.get_rect(bottomright=(width - 24, middle + 2)))
        surface.blit(legend, legend.get_rect(topright=(width - 24, middle + 4)))
        self.back_button.draw(surface, theme, text)
        area = self.list_rect
        with clipped(surface, area):
            for title, (x, y, room) in self.headings:
                image = fit_text(text, title, room, theme.font_px(20), theme.accent, "bold")
                surface.blit(image, (x, area.top + y - self.scroll))
            flags = self.open_flags
            for index, level in enumerate(self.order):
                self._draw_card(surface, theme, text, index, level, flags[index])
        if not self.order:
            note = text.render(
                "No levels loaded: see the problems on the right.",
                theme.font_px(20),
                theme.text_dim,
            )
            surface.blit(note, (area.left, area.top))
        if self.problems:
            self._draw_problems(surface, theme, text)
        area = pygame.Rect(0, 0, width, height)
        self.toasts.draw(surface, area, theme, text, self.interactive_rects())

    def _draw_card(
        self, surface, theme: Theme, text, index: int, level: Level, is_open: bool
    ) -> None:
        rect = self.card_rect(index)
        chosen = index == self.cursor
        fill = mix(theme.panel, theme.accent, 0.18) if chosen else theme.panel
        draw_box(
            surface,
            rect,
            theme,
            fill=fill,
            edge=theme.accent if chosen else theme.panel_edge,
            edge_width=2,
        )
        ink = theme.text if is_open else theme.text_dim
        pad = 12
        room = rect.width - 2 * pad - (30 if not is_open else 0)
        title = fit_text(text, level.title, room, theme.font_px(19), ink, "bold")
        surface.blit(title, (rect.left + pad, rect.top + 8))
        y = rect.top + 8 + round(theme.font_px(19) * 1.35)
        concept = f"{concept_title(self.concepts, level.concept)}  ·  {level.id}"
        sub = fit_text(text, concept, rect.width - 2 * pad, theme.font_px(14), theme.text_dim)
        surface.blit(sub, (rect.left + pad, y))
        radius = theme.font_px(22) // 2
        draw_stars(
            surface,
            (rect.left + pad, rect.bottom - radius - 8),
            radius,
            self.stars.get(level.id, 0),
            theme,
        )
        if level.id in self.learned:  # starred by the machine: invite a replay by hand
            room = rect.width - 2 * pad - 7 * radius - 8
            size = theme.font_px(13)
            while (
                size > 8
                and text.render("gradient descent", size, theme.accent, "bold").get_width() > room
            ):
                size -= 1  # one size for both lines: the one the longer fits at
            for k, part in enumerate(("learned by", "gradient descent")):
                mark = fit_text(text, part, room, size, theme.accent, "bold", min_size=8)
                bottom = rect.bottom - 8 - (1 - k) * round(size * 1.2)
                surface.blit(mark, mark.get_rect(bottomright=(rect.right - pad, bottom)))
        if not is_open:
            draw_lock(surface, (rect.right - 22, rect.top + 22), 22, theme)
        if chosen:
            ring = rect.inflate(8, 8)
            pygame.draw.rect(surface, theme.focus, ring, theme.line_px(3), border_radius=10)

    def _draw_problems(self, surface, theme: Theme, text) -> None:
        width, height = LOGICAL_SIZE
        panel = pygame.Rect(width - 20 - PANEL_W, TOP, PANEL_W, height - TOP - 16)
        draw_box(surface, panel, theme, fill=theme.panel, edge=theme.bad, edge_width=2)
        title = text.render(
            f"Problems ({len(self.problems)})", theme.font_px(18), theme.bad, "bold"
        )
        surface.blit(title, (panel.left + 12, panel.top + 10))
        note = text.render(
            "These levels or plugins did not load:", theme.font_px(13), theme.text_dim
        )
        y = panel.top + 14 + title.get_height()
        surface.blit(note, (panel.left + 12, y))
        y += note.get_height() + 8
        size = theme.font_px(13)
        line = round(size * 1.3)
        for index, problem in enumerate(self.problems):
            lines = text.wrap(problem, panel.width - 24, size)
            if y + len(lines) * line > panel.bottom - line - 8:
                more = text.render(
                    f"… and {len(self.problems) - index} more (run: switchyard plugins)",
                    size,
                    theme.text_dim,
                )
                surface.blit(more, (panel.left + 12, y))
                break
            for part in lines:
                surface.blit(
                    fit_text(text, part, panel.width - 24, size, theme.text, min_size=8),
                    (panel.left + 12, y),
                )
                y += line
            y += 6
