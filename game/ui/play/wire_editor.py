"""The wire editor: feature sockets in two columns and the links between them.

One `LinkEditor` edits one kind of link of the selected head: query feature →
key feature wires (with a signed strength), or key feature → output feature
value routes. It never changes the board itself: it calls `on_add`,
`on_strength` and `on_remove`, which the play scene turns into Board intents,
and it shows the links the board has (`set_links`).

Mouse: drag from a socket in one column to a socket in the other (or click one,
then the other) to add a link; click a link to select it; the wheel over a link
changes its strength; right-click removes it.
Keyboard: Tab walks every socket (left column, then right) before leaving the
editor; ↑/↓ move in a column, ←/→ between the two socket columns and on to
the links; Enter on a socket picks it, Enter on a socket of the other column
makes the link. On a link: ←/→ change the strength (Shift: finer), Delete or
Backspace removes it, ↑ from the first link goes back to the sockets.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import pygame

from game.ui.engine.text import TextCache
from game.ui.engine.theme import Theme
from game.ui.play.board_view import distance_to_segment, feature_colour
from game.ui.widgets.base import (
    ACTIVATE_KEYS,
    LEFT_BUTTON,
    Widget,
    blit_centred,
    clipped,
    draw_box,
    fit_text,
    mix,
    shift_held,
)

RIGHT_BUTTON = 3
STEP = 0.5
FINE_STEP = 0.1
SOCKET_PX = 15
HEAD_PX = 15
LEFT, RIGHT, LINKS = 0, 1, 2  # cursor columns
HIT_DISTANCE = 6
PORT_REACH = 22  # px beyond a socket, toward the links, that still grab it (its dot sits at 4)
PORT_RADIUS = 6


@dataclass(frozen=True)
class Link:
    left: str
    right: str
    strength: float


class LinkEditor(Widget):
    def __init__(
        self,
        rect: pygame.Rect | tuple[int, int, int, int],
        title: str,
        left_title: str,
        right_title: str,
        *,
        on_add: Callable[[str, str], None],
        on_remove: Callable[[str, str], None],
        on_strength: Callable[[str, str, float], None] | None = None,
        enabled: bool = True,
    ):
        super().__init__(rect, enabled=enabled)
        self.title, self.left_title, self.right_title = title, left_title, right_title
        self.on_add, self.on_remove, self.on_strength = on_add, on_remove, on_strength
        self.features: list[str] = []
        self.links: list[Link] = []
        self.column = LEFT
        self.row = 0
        self.picked: tuple[int, str] | None = None  # (column, feature) waiting for its partner
        self.drag_from: tuple[int, str] | None = None
        self.drag_pos: tuple[int, int] | None = None
        self.mouse_pos: tuple[int, int] | None = None
        self.disabled_note = ""
        # features tinted in a head's colour: on a stacked board, what an earlier layer's
        # head wrote into the stream (the selected layer's wires and values can read it)
        self.marks: dict[str, tuple[int, int, int]] = {}

    # -- data ----------------------------------------------------------------------
    def set_features(self, features: Sequence[str]) -> None:
        self.features = list(features)
        self.row = min(self.row, max(0, len(self.features) - 1))

    def set_links(self, links: Sequence[Link]) -> None:
        self.links = list(links)
        if self.column == LINKS:
            if not self.links:
                self.column, self.row = RIGHT, 0
            else:
                self.row = min(self.row, len(self.links) - 1)

    def link(self, left: str, right: str) -> Link | None:
        return next((k for k in self.links if (k.left, k.right) == (left, right)), None)

    @property
    def selected_link(self) -> Link | None:
        if self.column == LINKS and 0 <= self.row < len(self.links):
            return self.links[self.row]
        return None

    @property
    def has_strength(self) -> bool:
        return self.on_strength is not None

    # -- geometry --------------------------------------------------------------------
    def _frame(self) -> tuple[pygame.Rect, pygame.Rect, int]:
        """(left column, right column, socket height)."""
        inner = self.rect.inflate(-16, -12)
        top = inner.top + 44
        col_w = round(inner.width * 0.34)
        height = inner.bottom - top
        n = max(1, len(self.features))
        socket_h = max(12, min(30, (height - 4 * (n - 1)) // n))
        left = pygame.Rect(inner.left, top, col_w, height)
        right = pygame.Rect(inner.right - col_w, top, col_w, height)
        return left, right, socket_h

    def socket_rect(self, column: int, index: int) -> pygame.Rect:
        left, right, h = self._frame()
        col = left if column == LEFT else right
        return pygame.Rect(col.left, col.top + index * (h + 4), col.width, h)

    def handle_rect(self, column: int, index: int) -> pygame.Rect:
        """What grabs a socket: its card, its dot and a generous margin around the dot
        (toward the links), so a drag may start on the dot the player sees."""
        rect = self.socket_rect(column, index).inflate(0, 4)  # half the gap above and below
        if column == LEFT:
            return pygame.Rect(rect.left, rect.top, rect.width + PORT_REACH, rect.height)
        return pygame.Rect(rect.left - PORT_REACH, rect.top, rect.width + PORT_REACH, rect.height)

    def socket_at(self, pos: tuple[int, int]) -> tuple[int, str] | None:
        for column in (LEFT, RIGHT):
            for index, feature in enumerate(self.features):
                if self.handle_rect(column, index).collidepoint(pos):
                    return column, feature
        return None

    def port(self, column: int, feature: str) -> tuple[int, int]:
        rect = self.socket_rect(column, self.features.index(feature))
        return (rect.right + 4, rect.centery) if column == LEFT else (rect.left - 4, rect.centery)

    def link_ends(self, link: Link) -> tuple[tuple[int, int], tuple[int, int]]:
        return self.port(LEFT, link.left), self.port(RIGHT, link.right)

    def link_at(self, pos: tuple[int, int]) -> int | None:
        best = None
        for index, link in enumerate(self.links):
            if link.left not in self.features or link.right not in self.features:
                continue
            distance = distance_to_segment(pos, *self.link_ends(link))
            if distance <= HIT_DISTANCE and (best is None or distance < best[0]):
                best = (distance, index)
        return None if best is None else best[1]

    # -- actions ---------------------------------------------------------------------
    def _connect(self, a: tuple[int, str], b: tuple[int, str]) -> None:
        if a[0] == b[0]:
            return
        left, right = (a[1], b[1]) if a[0] == LEFT else (b[1], a[1])
        self.picked = None
        self.on_add(left, right)

    def _pick(self, socket: tuple[int, str]) -> None:
        """Enter or a click on a socket: pick it, or complete the pair with the picked one."""
        if self.picked is not None and self.picked[0] != socket[0]:
            self._connect(self.picked, socket)
        elif self.picked == socket:
            self.picked = None
        else:
            self.picked = socket

    def nudge(self, index: int, steps: float) -> None:
        if self.on_strength is None or not 0 <= index < len(self.links):
            return
        link = self.links[index]
        value = round((link.strength + steps) * 100) / 100
        self.on_strength(link.left, link.right, value)

    def remove(self, index: int) -> None:
        if 0 <= index < len(self.links):
            link = self.links[index]
            self.on_remove(link.left, link.right)

    # -- input -----------------------------------------------------------------------
    def handle_tab(self, direction: int) -> bool:
        """Tab walks every socket: the left column top to bottom, then the right one."""
        n = len(self.features)
        if self.column == LINKS or not n:
            return False
        at = (0 if self.column == LEFT else n) + self.row + direction
        if not 0 <= at < 2 * n:
            return False
        self.column, self.row = (LEFT, at) if at < n else (RIGHT, at - n)
        return True

    def enter_focus(self, direction: int) -> None:
        n = len(self.features)
        self.column, self.row = (LEFT, 0) if direction > 0 else (RIGHT, max(0, n - 1))

    def handle_wheel(self, event: pygame.event.Event) -> bool:
        """The wheel over a link (or over the editor, on the selected link) changes strength."""
        if not self.enabled or self.mouse_pos is None or not self.rect.collidepoint(self.mouse_pos):
            return False
        index = self.link_at(self.mouse_pos)
        if index is None and self.selected_link is not None:
            index = self.row
        if index is None:
            return False
        self.column, self.row = LINKS, index
        self.nudge(index, STEP * (1 if event.y > 0 else -1))
        return True

    def handle_mouse(self, event: pygame.event.Event) -> bool:
        if event.type == pygame.MOUSEMOTION:
            self.mouse_pos = event.pos
            if self.drag_from is not None:
                self.drag_pos = event.pos
                return True
            return False
        inside = self.rect.collidepoint(event.pos)
        if event.type == pygame.MOUSEBUTTONDOWN and inside:
            self.mouse_pos = event.pos
            socket = self.socket_at(event.pos)
            if event.button == LEFT_BUTTON and socket is not None:
                self.drag_from, self.drag_pos = socket, event.pos
                self.column, self.row = socket[0], self.features.index(socket[1])
                return True
            index = self.link_at(event.pos)
            if index is not None and event.button == RIGHT_BUTTON:
                self.remove(index)
                return True
            if index is not None and event.button == LEFT_BUTTON:
                self.column, self.row = LINKS, index
                return True
            return event.button in (LEFT_BUTTON, RIGHT_BUTTON)
        if event.type == pygame.MOUSEBUTTONUP and event.button == LEFT_BUTTON and self.drag_from:
            start, self.drag_from, self.drag_pos = self.drag_from, None, None
            end = self.socket_at(event.pos)
            if end == start:
                self._pick(start)  # a click without a drag
            elif end is not None and end[0] != start[0]:
                self._connect(start, end)
            return True
        return False

    def handle_key(self, event: pygame.event.Event) -> bool:
        key = event.key
        n = len(self.features)
        if self.column == LINKS:
            fine = shift_held(event)
            if key in (pygame.K_LEFT, pygame.K_RIGHT) and self.has_strength:
                sign = 1 if key == pygame.K_RIGHT else -1
                self.nudge(self.row, sign * (FINE_STEP if fine else STEP))
                return True
            if key == pygame.K_LEFT:
                self.column, self.row = RIGHT, 0
                return True
            if key in (pygame.K_DELETE, pygame.K_BACKSPACE):
                self.remove(self.row)
                return True
            if key == pygame.K_UP:
                if self.row == 0:
                    self.column = RIGHT
                else:
                    self.row -= 1
                return True
            if key == pygame.K_DOWN:
                self.row = min(len(self.links) - 1, self.row + 1)
                return True
            return False  # Enter on a wire: left to the scene (Check, when the goals are met)
        if key == pygame.K_UP:
            self.row = max(0, self.row - 1)
            return True
        if key == pygame.K_DOWN:
            self.row = min(n - 1, self.row + 1)
            return True
        if key == pygame.K_LEFT:
            self.column = LEFT
            return True
        if key == pygame.K_RIGHT:
            if self.column == LEFT:
                self.column = RIGHT
            elif self.links:
                self.column, self.row = LINKS, 0
            return True
        if key in ACTIVATE_KEYS and n:
            self._pick((self.column, self.features[self.row]))
            return True
        return False

    # -- drawing ---------------------------------------------------------------------
    def draw(self, surface: pygame.Surface, theme: Theme, text: TextCache) -> None:
        draw_box(surface, self.rect, theme, fill=theme.panel, edge=theme.panel_edge, edge_width=1)
        ink = theme.text if self.enabled else theme.text_dim
        head = fit_text(text, self.title, self.rect.width - 20, theme.font_px(HEAD_PX), ink, "bold")
        surface.blit(head, (self.rect.left + 10, self.rect.top + 6))
        left, right, _ = self._frame()
        small = theme.font_px(12)
        for column, title in ((left, self.left_title), (right, self.right_title)):
            image = fit_text(text, title, column.width, small, theme.text_dim)
            surface.blit(image, image.get_rect(midbottom=(column.centerx, column.top - 3)))
        if not self.enabled:
            note = fit_text(text, self.disabled_note, self.rect.width - 20, small, theme.text_dim)
            surface.blit(note, note.get_rect(midbottom=(self.rect.centerx, self.rect.bottom - 4)))
        with clipped(surface, self.rect):  # a crowded editor's labels stay inside it
            self._draw_links(surface, theme, text)
        for column in (LEFT, RIGHT):
            for index, feature in enumerate(self.features):
                self._draw_socket(surface, theme, text, column, index, feature)
        if self.drag_from is not None and self.drag_pos is not None:
            start = self.port(*self.drag_from)
            pygame.draw.line(surface, theme.focus, start, self.drag_pos, theme.line_px(2))
        self.draw_focus(surface, theme)

    def _draw_socket(self, surface, theme, text, column: int, index: int, feature: str) -> None:
        rect = self.socket_rect(column, index)
        cursor = self.focused and self.column == column and self.row == index
        picked = self.picked == (column, feature)
        fill = mix(theme.background, theme.accent, 0.35) if picked else theme.background
        if feature in self.marks and not picked:
            fill = mix(theme.background, self.marks[feature], 0.3)
        edge = theme.focus if cursor else (theme.accent if picked else theme.panel_edge)
        draw_box(surface, rect, theme, fill=fill, edge=edge, edge_width=3 if cursor else 1)
        swatch = pygame.Rect(0, 0, 6, max(4, rect.height - 8))
        swatch.midleft = (rect.left + 5, rect.centery)
        pygame.draw.rect(surface, feature_colour(theme, index), swatch)
        size = min(theme.font_px(SOCKET_PX), max(9, rect.height - 6))
        ink = theme.text if self.enabled else theme.text_dim
        label = fit_text(text, feature, rect.width - 18, size, ink, min_size=8)
        blit_centred(surface, label, (rect.centerx + 4, rect.centery))
        port = self.port(column, feature)
        hover = self.mouse_pos is not None and self.enabled
        hover = hover and self.handle_rect(column, index).collidepoint(self.mouse_pos)
        # big themes grow the dot, but never past its row (many features: dots would merge)
        r = min(
            max(PORT_RADIUS, round(PORT_RADIUS * theme.line_scale)), max(4, rect.height // 2 - 1)
        )
        pygame.draw.circle(surface, feature_colour(theme, index), port, r)
        ring = theme.focus if hover or self.drag_from == (column, feature) else theme.panel_edge
        pygame.draw.circle(surface, ring, port, r + theme.line_px(1), theme.line_px(2))

    def _draw_links(self, surface, theme, text) -> None:
        chips: list[tuple[pygame.Rect, pygame.Surface, tuple]] = []
        for index, link in enumerate(self.links):
            if link.left not in self.features or link.right not in self.features:
                continue
            a, b = self.link_ends(link)
            selected = self.column == LINKS and self.row == index
            colour = theme.accent if link.strength >= 0 else theme.bad
            if selected and self.focused:
                colour = theme.focus
            width = max(2, round(1 + abs(link.strength) * 0.6 * theme.line_scale))
            pygame.draw.line(surface, colour, a, b, width)
            if self.has_strength:  # the label no taller than a socket row, when rows are short
                size = min(theme.font_px(13), max(10, self._frame()[2] - 2))
                label = text.render(f"{link.strength:+.1f}", size, theme.text, "bold")
                chip = _free_spot(label.get_rect().inflate(8, 2), a, b, [c for c, _, _ in chips])
                chips.append((chip, label, colour))
        # Labels last, each at the first point along its wire where it overlaps no other.
        for chip, label, colour in chips:
            pygame.draw.rect(surface, theme.panel, chip, border_radius=4)
            pygame.draw.rect(surface, colour, chip, 1, border_radius=4)
            blit_centred(surface, label, chip.center)


LABEL_SPOTS = (0.5, 0.32, 0.68, 0.2, 0.8)  # fractions along a wire where its label may sit


def _free_spot(chip: pygame.Rect, a, b, taken: list[pygame.Rect]) -> pygame.Rect:
    """`chip` moved to the first LABEL_SPOTS point of a→b (or just above or below it) that
    overlaps no taken chip; crossing wires between close sockets need the nudge."""
    step = chip.height + 2
    for dy in (0, step, -step, 2 * step, -2 * step):
        for t in LABEL_SPOTS:
            spot = chip.copy()
            x, y = a[0] + (b[0] - a[0]) * t, a[1] + (b[1] - a[1]) * t
            spot.center = (round(x), round(y) + dy)
            if spot.collidelist(taken) == -1:
                return spot
    spot = chip.copy()
    spot.center = ((a[0] + b[0]) // 2, (a[1] + b[1]) // 2)
    return spot
