"""The board: key token cards in a row on top, query token cards in a row below, and a
wire from every key to every query whose width and brightness follow the attention weight.

Only wires above `MIN_WEIGHT` are drawn (a 13-token sentence has 169 pairs; most
carry almost nothing). Dots flow along the wires from key to query, showing
where the values travel; their phase is advanced by `update(dt)`, never by
`draw`. Wires are drawn first and the cards on top, so no wire crosses a word.
In "two-rows" architectures the top row is the source and the bottom the target:
the same drawing, since a head always has one key sequence and one query sequence.

Each card shows its word and a pip per feature (filled when the token has it);
key cards also show, below, the value they hand over (x·W_V), so value routes
are visible on the board. Clicking a wire reports its (query, key) cell;
clicking a query card picks that query, dimming the other rows' wires.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
import pygame

from game.ui.engine.text import TextCache
from game.ui.engine.theme import Colour, Theme
from game.ui.widgets.base import LEFT_BUTTON, Widget, clipped, draw_box, fit_text, mix

if TYPE_CHECKING:
    from game.model import Evaluation

MIN_WEIGHT = 0.02  # lighter wires are not drawn
DOT_WEIGHT = 0.08  # lighter wires carry no dots
MAX_CARD_W = 110
MIN_PIP = 6  # px: the smallest feature marker a card is made wide enough for
CARD_GAP = 4
WORD_PX = 16
LABEL_PX = 14
FLOW_SPEED = 0.45  # wire lengths per second
HIT_DISTANCE = 6  # px from a wire that still counts as on it


def feature_colour(theme: Theme, index: int) -> Colour:
    return theme.categories[index % len(theme.categories)]


@dataclass(frozen=True)
class BoardGeometry:
    """Card rects for the key row (top) and the query row (bottom) inside `rect`."""

    rect: pygame.Rect
    keys: tuple[pygame.Rect, ...]
    queries: tuple[pygame.Rect, ...]

    @classmethod
    def fit(
        cls,
        rect: pygame.Rect,
        n_q: int,
        n_k: int,
        theme: Theme,
        query_words: Sequence[str] | None = None,
        key_words: Sequence[str] | None = None,
        features: int = 0,
    ) -> BoardGeometry:
        """Cards share the row's width in proportion to their words' lengths, so long
        words keep a readable size; without words every card is as wide. No card is
        narrower than its feature pips need (`MIN_PIP` px each), so the markers under
        "it" or "in" stay as readable as under "trophy", unless the row is too full."""
        label_h = round(theme.font_px(LABEL_PX) * 1.5)
        card_h = round(theme.font_px(WORD_PX) * 1.5) + 14
        char_px = theme.font_px(WORD_PX) * 0.6  # a typical glyph's advance
        pip_w = features * (MIN_PIP + 1) + 8 if features else 0

        def row(n: int, words: Sequence[str] | None, top: int) -> tuple[pygame.Rect, ...]:
            room = rect.width - 16 - CARD_GAP * (n - 1)
            if words is None or len(words) != n:
                wanted = [float(MAX_CARD_W)] * n
            else:
                wanted = [min(MAX_CARD_W * 1.5, len(w) * char_px + 14) for w in words]
                wanted = [max(w, min(MAX_CARD_W, room / max(1, n)) * 0.6) for w in wanted]
            widths = share_widths(wanted, room, min(pip_w, room / max(1, n)))
            total = sum(widths) + (n - 1) * CARD_GAP
            left = rect.left + (rect.width - total) // 2
            cards = []
            for width in widths:
                cards.append(pygame.Rect(left, top, width, card_h))
                left += width + CARD_GAP
            return tuple(cards)

        keys = row(n_k, key_words, rect.top + label_h + 4)
        queries = row(n_q, query_words, rect.bottom - card_h - label_h - 6)
        return cls(rect, keys, queries)

    def wire_ends(self, i: int, j: int) -> tuple[tuple[int, int], tuple[int, int]]:
        """(start at key j, end at query i): the key card's bottom to the query card's top."""
        key, query = self.keys[j], self.queries[i]
        return (key.centerx, key.bottom + 12), (query.centerx, query.top)


def share_widths(wanted: Sequence[float], room: float, floor: float) -> list[int]:
    """Card widths: `wanted` shrunk alike to fit `room`, but none below `floor` (those
    are held at the floor and the others shrink a little more to make up for it)."""
    held = [False] * len(wanted)
    for _ in range(len(wanted) + 1):
        spare = room - floor * sum(held)
        free = sum(w for w, h in zip(wanted, held, strict=True) if not h)
        shrink = min(1.0, spare / free) if free > 0 else 1.0
        newly = [not h and w * shrink < floor for w, h in zip(wanted, held, strict=True)]
        if not any(newly):
            break
        held = [h or m for h, m in zip(held, newly, strict=True)]
    return [max(6, int(floor if h else w * shrink)) for w, h in zip(wanted, held, strict=True)]


def distance_to_segment(p: tuple[float, float], a: tuple[float, float], b: tuple[float, float]):
    (px, py), (ax, ay), (bx, by) = p, a, b
    dx, dy = bx - ax, by - ay
    length2 = dx * dx + dy * dy
    t = 0.0 if length2 == 0 else max(0.0, min(1.0, ((px - ax) * dx + (py - ay) * dy) / length2))
    return math.hypot(px - (ax + t * dx), py - (ay + t * dy))


class BoardView(Widget):
    """Draws one head's attention on the board and reports clicks on wires and cards."""

    focusable = False

    def __init__(
        self,
        rect: pygame.Rect | tuple[int, int, int, int],
        on_wire: Callable[[int, int], None] | None = None,
    ):
        super().__init__(rect)
        self.on_wire = on_wire
        self.phase = 0.0
        self._layer: pygame.Surface | None = None  # cached wire picture (see _wire_layer)
        self._layer_key: tuple | None = None
        self._cards: pygame.Surface | None = None  # cached cards and labels (see _cards_layer)
        self._cards_key: tuple | None = None
        self._version = 0  # bumped by set_data: the wire layer is redrawn when it changes
        self.weights = np.zeros((1, 1))
        self.query_words: list[str] = []
        self.key_words: list[str] = []
        self.query_x = np.zeros((1, 1))  # (n_q, d) features of the query tokens
        self.key_x = np.zeros((1, 1))  # (n_k, d)
        self.values = np.zeros((1, 1))  # (n_k, d) what each key hands over (x·W_V)
        self.features: list[str] = []
        self.labels = ("Keys", "Queries")
        self.colour: Colour = (86, 180, 233)
        self.picked_query: int | None = None  # a query card clicked: its wires stand out
        self.highlight: tuple[int, int] | None = None  # the inspected cell
        self.geometry: BoardGeometry | None = None
        self._theme: Theme | None = None
        self._drawn: list[tuple[float, int, int]] = []  # (weight, i, j) of the drawn wires
        self._wires = (np.zeros(0), np.zeros(0, int), np.zeros(0, int))  # the same, as arrays

    def show_head(self, ev: Evaluation, head: int, colour: Colour, theme: Theme) -> None:
        """`set_data` from one head of an evaluation: its weights, words, the features
        it reads (x⁰, or the residual stream x^l for a head in a later layer) and values,
        with the rows named by sequence when queries and keys differ."""
        h = ev.head(head)
        two_rows = h.query_sequence != h.key_sequence
        labels = (
            (f"Keys ({h.key_sequence})", f"Queries ({h.query_sequence})")
            if two_rows
            else ("Keys: who answers", "Queries: who asks")
        )
        self.set_data(
            weights=h.weights, query_words=list(ev.tokens[h.query_sequence]),
            key_words=list(ev.tokens[h.key_sequence]),
            query_x=ev.head_input(head, h.query_sequence),  # x^l: what this head's layer reads
            key_x=ev.head_input(head, h.key_sequence), values=h.v, features=ev.features,
            labels=labels,
            colour=colour, theme=theme,
        )  # fmt: skip

    def set_data(
        self,
        *,
        weights: np.ndarray,
        query_words: Sequence[str],
        key_words: Sequence[str],
        query_x: np.ndarray,
        key_x: np.ndarray,
        values: np.ndarray,
        features: Sequence[str],
        labels: tuple[str, str],
        colour: Colour,
        theme: Theme,
    ) -> None:
        """New numbers from the evaluation (called when the board or the head changes)."""
        self.weights = np.asarray(weights, dtype=np.float64).copy()
        self._version += 1
        self.query_words, self.key_words = list(query_words), list(key_words)
        self.query_x, self.key_x = np.array(query_x), np.array(key_x)
        self.values = np.array(values)
        self.features = list(features)
        self.labels, self.colour = labels, colour
        n_q, n_k = self.weights.shape
        if self.picked_query is not None and self.picked_query >= n_q:
            self.picked_query = None
        finite = np.isfinite(self.weights)  # a NaN or ∞ weight draws no wire
        i, j = np.nonzero(finite & (np.where(finite, self.weights, 0.0) >= MIN_WEIGHT))  # (m,)
        weight = np.minimum(self.weights[i, j], 1.0)  # (m,) a weight is at most 1
        order = np.lexsort((j, i, weight))  # light first, so heavy wires are drawn on top
        self._wires = (weight[order], i[order], j[order])
        self._drawn = list(zip(*(a.tolist() for a in self._wires), strict=True))
        self.relayout(theme)

    def relayout(self, theme: Theme) -> None:
        n_q, n_k = self.weights.shape
        self.geometry = BoardGeometry.fit(
            self.rect, n_q, n_k, theme, self.query_words, self.key_words, len(self.features)
        )
        self._theme = theme

    @property
    def drawn_wires(self) -> list[tuple[float, int, int]]:
        """(weight, query i, key j) of every wire drawn, lightest first."""
        return list(self._drawn)

    def update(self, dt: float) -> None:
        self.phase = (self.phase + dt * FLOW_SPEED) % 1.0

    # -- input ---------------------------------------------------------------------
    def wire_at(self, pos: tuple[int, int]) -> tuple[int, int] | None:
        """The (query, key) of the heaviest drawn wire within HIT_DISTANCE of `pos`."""
        if self.geometry is None:
            return None
        best = None
        for weight, i, j in self._drawn:
            a, b = self.geometry.wire_ends(i, j)
            if distance_to_segment(pos, a, b) <= HIT_DISTANCE and (
                best is None or weight > best[0]
            ):
                best = (weight, i, j)
        return None if best is None else (best[1], best[2])

    def handle_mouse(self, event: pygame.event.Event) -> bool:
        if event.type != pygame.MOUSEBUTTONDOWN or event.button != LEFT_BUTTON:
            return False
        if not self.rect.collidepoint(event.pos) or self.geometry is None:
            return False
        for i, card in enumerate(self.geometry.queries):
            if card.collidepoint(event.pos):
                self.picked_query = None if self.picked_query == i else i
                return True
        cell = self.wire_at(event.pos)
        if cell is not None:
            if self.on_wire is not None:
                self.on_wire(*cell)
            return True
        return False

    # -- drawing -------------------------------------------------------------------
    def draw(self, surface: pygame.Surface, theme: Theme, text: TextCache) -> None:
        geometry = self.geometry
        if geometry is None:
            return
        draw_box(surface, self.rect, theme, fill=theme.panel, edge=theme.panel_edge, edge_width=1)
        with clipped(surface, self.rect):
            self._draw_wires(surface, theme, geometry)
            surface.blit(self._cards_layer(theme, text, geometry), self.rect.topleft)

    def _cards_layer(
        self, theme: Theme, text: TextCache, geometry: BoardGeometry
    ) -> pygame.Surface:
        """Both rows of cards, their pips and the row labels, drawn once per change of
        the numbers, pick, theme or size (like the wire layer): only the dots below
        them move from frame to frame."""
        content = (
            tuple(self.query_words),
            tuple(self.key_words),
            tuple(self.features),
            self.labels,
            self.query_x.tobytes(),
            self.key_x.tobytes(),
            self.values.tobytes(),
        )  # fmt: skip  (not the weights: a wire-strength edit leaves the cards alone)
        key = (content, self.picked_query, theme, self.rect.topleft, self.rect.size)
        if self._cards is not None and self._cards_key == key:
            return self._cards
        layer = pygame.Surface(self.rect.size, pygame.SRCALPHA)
        origin = (-self.rect.left, -self.rect.top)
        keys = tuple(card.move(origin) for card in geometry.keys)
        queries = tuple(card.move(origin) for card in geometry.queries)
        self._draw_row(layer, theme, text, keys, self.key_words, self.key_x, True)
        self._draw_row(layer, theme, text, queries, self.query_words, self.query_x, False)
        size = theme.font_px(LABEL_PX)
        top_label = text.render(self.labels[0], size, theme.text_dim, "bold")
        layer.blit(top_label, (10, 4))
        bottom_label = text.render(self.labels[1], size, theme.text_dim, "bold")
        layer.blit(bottom_label, (10, self.rect.height - bottom_label.get_height() - 4))
        self._cards, self._cards_key = layer, key
        return layer

    def _wire_layer(self, theme: Theme, geometry: BoardGeometry) -> pygame.Surface:
        """The wires themselves, drawn once per change of weights, pick, theme or size.

        Only the flowing dots move from frame to frame, so the thousand-odd
        lines of a 32-token board are a single blit; the layer is a cache of
        the picture, not board state.
        """
        key = (self._version, self.picked_query, theme, self.rect.topleft, self.rect.size)
        if self._layer is not None and self._layer_key == key:
            return self._layer
        layer = pygame.Surface(self.rect.size, pygame.SRCALPHA)
        for colour, width, a, b in self._wire_strokes(theme, geometry):
            pygame.draw.line(layer, colour, a, b, width)
        self._layer, self._layer_key = layer, key
        return layer

    def _wire_strokes(self, theme: Theme, geometry: BoardGeometry) -> list[tuple]:
        """(colour, width, start, end) of every drawn wire, lightest first, worked out with
        NumPy in one go (a 32-token board has a thousand wires: a Python `mix` per wire
        was a third of the edit-to-redraw time). Same arithmetic as `mix`, so the same pixels."""
        weight, i, j = self._wires  # (m,) each, lightest first
        dim = np.zeros(len(weight), bool) if self.picked_query is None else i != self.picked_query
        strength = np.minimum(1.0, 0.15 + 0.85 * weight) * np.where(dim, 0.3, 1.0)  # (m,)
        panel, colour = np.array(theme.panel, float), np.array(self.colour, float)
        colours = np.rint(panel + (colour - panel) * strength[:, None]).astype(int)  # (m, 3)
        scale = theme.line_scale * np.where(dim, 0.5, 1.0)
        widths = np.maximum(1, np.rint((1 + 6 * weight) * scale)).astype(int)  # (m,)
        ox, oy = self.rect.topleft
        keys = np.array([(c.centerx - ox, c.bottom + 12 - oy) for c in geometry.keys])  # (n_k, 2)
        queries = np.array([(c.centerx - ox, c.top - oy) for c in geometry.queries])  # (n_q, 2)
        if not len(weight):
            return []
        ends = (keys[j].tolist(), queries[i].tolist())
        return list(zip(colours.tolist(), widths.tolist(), *ends, strict=True))

    def _draw_wires(self, surface: pygame.Surface, theme: Theme, geometry: BoardGeometry) -> None:
        surface.blit(self._wire_layer(theme, geometry), self.rect.topleft)
        line_scale = theme.line_scale
        n_k = self.weights.shape[1]
        dot_from = max(DOT_WEIGHT, 1.5 / n_k)  # dots only where more flows than an even share
        dot_colour = mix(self.colour, theme.text, 0.35)
        for weight, i, j in self._drawn:
            if weight < dot_from or (self.picked_query is not None and i != self.picked_query):
                continue
            a, b = geometry.wire_ends(i, j)
            r = max(2, round((1.5 + 3 * weight) * line_scale))
            for k in range(2):  # two dots per wire, half a length apart
                t = (self.phase + k * 0.5 + 0.137 * (i + 3 * j)) % 1.0
                x = a[0] + (b[0] - a[0]) * t
                y = a[1] + (b[1] - a[1]) * t
                pygame.draw.circle(surface, dot_colour, (x, y), r)
        if self.highlight is not None:
            i, j = self.highlight
            if i < len(geometry.queries) and j < len(geometry.keys):
                a, b = geometry.wire_ends(i, j)
                pygame.draw.line(surface, theme.focus, a, b, theme.line_px(3))

    def _draw_row(
        self,
        surface: pygame.Surface,
        theme: Theme,
        text: TextCache,
        cards: Sequence[pygame.Rect],
        words: Sequence[str],
        x: np.ndarray,
        keys: bool,
    ) -> None:
        d = len(self.features)
        margin = theme.line_px(2) + 3  # clear of the card's edge, thicker on a projector
        size = theme.font_px(WORD_PX)
        for k, card in enumerate(cards):
            picked = not keys and k == self.picked_query
            fill = mix(theme.background, theme.accent, 0.25) if picked else theme.background
            edge = theme.focus if picked else theme.panel_edge
            draw_box(surface, card, theme, fill=fill, edge=edge, edge_width=2 if picked else 1)
            if k < len(words):
                room = card.width - 2 * margin
                image = fit_text(text, words[k], room, size, theme.text, min_size=8)
                surface.blit(image, image.get_rect(midtop=(card.centerx, card.top + margin)))
            if d and k < len(x):
                self._pips(surface, theme, card, x[k], card.bottom - 9, filled_only=False)
            if keys and d and k < len(self.values):
                self._pips(surface, theme, card, self.values[k], card.bottom + 6, filled_only=True)

    def _pips(self, surface, theme, card, vector, y, *, filled_only: bool) -> None:
        """One small square per feature: filled by how much of it the vector carries."""
        d = len(self.features)
        pip = max(2, min(8, (card.width - 6) // d - 1))
        total = d * (pip + 1) - 1
        left = card.centerx - total // 2
        for f in range(d):
            value = float(vector[f]) if f < len(vector) else 0.0
            rect = pygame.Rect(left + f * (pip + 1), y - pip // 2, pip, pip)
            amount = min(1.0, abs(value))
            if amount > 0.05:
                colour = feature_colour(theme, f) if value > 0 else theme.bad
                pygame.draw.rect(surface, mix(theme.background, colour, 0.35 + 0.65 * amount), rect)
            elif not filled_only:
                pygame.draw.rect(surface, theme.panel_edge, rect, 1)
