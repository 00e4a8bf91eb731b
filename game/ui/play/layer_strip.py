"""The layer strip: Layer 1 · Layer 2 … with each layer's head tabs under it.

A board with several layers has L·H head slots, ordered layer by layer (global
head h = layer·H + i, see CIRCUITS_CONTRACT.md). The strip shows every slot at
once, grouped by layer, so the player sees the whole stack and picks any head of
any layer with one click:

    ┌──── Layer 1 ────┬──── Layer 2 ────┐
    │ Head 1 │ Head 2 │ Head 1 │ Head 2 │   (each head's chip in its colour)
    └─────────────────┴─────────────────┘

With one head a layer the head row is left out (a layer tab is its head). With
the strip focused: ←/→ step through every head (across layers), ↑/↓ move to the
previous or next layer keeping the head's place in it, Home/End the first/last.
The play screen's [ and ] keys call `step_layer` from anywhere. The selection is
a global head index; `on_change(h)` reports a new one.
"""

from __future__ import annotations

from collections.abc import Callable

import pygame

from game.ui.engine.text import TextCache
from game.ui.engine.theme import Theme, head_colours
from game.ui.widgets.base import LEFT_BUTTON, Widget, blit_centred, fit_text, mix, radius

LABEL_PX = 16
TAB_W = 92  # each head tab's wanted width (the strip is shrunk to fit its row)


class LayerStrip(Widget):
    def __init__(
        self,
        rect: pygame.Rect | tuple[int, int, int, int],
        layers: int,
        heads_per_layer: int,
        selected: int = 0,
        on_change: Callable[[int], None] | None = None,
    ):
        super().__init__(rect)
        if layers < 1 or heads_per_layer < 1:
            raise ValueError(
                f"a layer strip needs ≥ 1 layer and head, got {layers}×{heads_per_layer}"
            )
        self.layers = layers
        self.heads_per_layer = heads_per_layer
        self.selected = min(max(0, selected), self.count - 1)
        self.on_change = on_change
        self.hovered_head: int | None = None

    # -- the slots ---------------------------------------------------------------------
    @property
    def count(self) -> int:
        """How many head slots the board has (every layer's)."""
        return self.layers * self.heads_per_layer

    @property
    def two_rows(self) -> bool:
        """Layer tabs over head tabs; one row when each layer has a single head."""
        return self.heads_per_layer > 1

    @property
    def layer(self) -> int:
        """The selected head's layer (0-based)."""
        return self.selected // self.heads_per_layer

    def layer_of(self, head: int) -> int:
        return head // self.heads_per_layer

    def layer_label(self, layer: int) -> str:
        return f"Layer {layer + 1}"

    def head_label(self, head: int) -> str:
        """A head's name in the strip: its place in its own layer."""
        if not self.two_rows:
            return self.layer_label(self.layer_of(head))
        return f"Head {head % self.heads_per_layer + 1}"

    def layer_rect(self, layer: int) -> pygame.Rect:
        """The layer's column (its tab on top, its heads under it in two-row strips)."""
        left = self.rect.left + self.rect.width * layer // self.layers
        right = self.rect.left + self.rect.width * (layer + 1) // self.layers
        top_h = self.rect.height // 2 if self.two_rows else self.rect.height
        return pygame.Rect(left, self.rect.top, right - left, top_h)

    def head_rect(self, head: int) -> pygame.Rect:
        """Where head `head` (global) is clicked; in one-row strips its layer's tab."""
        column = self.layer_rect(self.layer_of(head))
        if not self.two_rows:
            return column
        i, n = head % self.heads_per_layer, self.heads_per_layer
        top = self.rect.top + self.rect.height // 2
        left = column.left + column.width * i // n
        right = column.left + column.width * (i + 1) // n
        return pygame.Rect(left, top, right - left, self.rect.bottom - top)

    def head_at(self, pos: tuple[int, int]) -> int | None:
        """The head under `pos`; a click on a layer's tab picks that layer's first head
        (or, for the selected layer, keeps the head selected)."""
        for head in range(self.count):
            if self.head_rect(head).collidepoint(pos):
                return head
        for layer in range(self.layers):
            if self.layer_rect(layer).collidepoint(pos):
                return self._in_layer(layer)
        return None

    def _in_layer(self, layer: int) -> int:
        """The head at the selected head's place in `layer`."""
        return layer * self.heads_per_layer + self.selected % self.heads_per_layer

    # -- changing the selection --------------------------------------------------------
    def select(self, head: int, *, notify: bool = True) -> None:
        """Select a head; `notify=False` shows a choice the screen already has."""
        head = min(max(0, head), self.count - 1)
        if head != self.selected:
            self.selected = head
            if notify and self.on_change is not None:
                self.on_change(head)

    def step_layer(self, direction: int) -> None:
        """The next (+1) or previous (-1) layer, at the same place in it; stops at the ends."""
        layer = min(max(0, self.layer + direction), self.layers - 1)
        self.select(self._in_layer(layer))

    def handle_mouse(self, event: pygame.event.Event) -> bool:
        head = self.head_at(event.pos)
        if event.type == pygame.MOUSEMOTION:
            self.hovered_head = head
            return False
        if (
            event.type == pygame.MOUSEBUTTONDOWN
            and event.button == LEFT_BUTTON
            and head is not None
        ):
            self.select(head)
            return True
        return False

    def handle_key(self, event: pygame.event.Event) -> bool:
        moves = {
            pygame.K_LEFT: lambda: self.select(self.selected - 1),
            pygame.K_RIGHT: lambda: self.select(self.selected + 1),
            pygame.K_UP: lambda: self.step_layer(-1),
            pygame.K_DOWN: lambda: self.step_layer(1),
            pygame.K_HOME: lambda: self.select(0),
            pygame.K_END: lambda: self.select(self.count - 1),
        }
        move = moves.get(event.key)
        if move is None:
            return False
        move()
        return True

    # -- drawing -----------------------------------------------------------------------
    def label_px(self, theme: Theme) -> int:
        """The labels' size: the theme's, smaller where two rows share a short strip."""
        row_h = self.rect.height // 2 if self.two_rows else self.rect.height
        return max(9, min(theme.font_px(LABEL_PX), round(row_h * 0.6)))

    def draw(self, surface: pygame.Surface, theme: Theme, text: TextCache) -> None:
        r = radius(theme)
        pygame.draw.rect(surface, theme.panel, self.rect, border_radius=r)
        size = self.label_px(theme)
        for layer in range(self.layers):
            self._draw_layer_tab(surface, layer, theme, text, size)
        if self.two_rows:
            for head in range(self.count):
                self._draw_head_tab(surface, head, theme, text, size)
        for layer in range(1, self.layers):  # the edges between layers
            x = self.layer_rect(layer).left
            pygame.draw.line(
                surface, theme.panel_edge, (x, self.rect.top + 3), (x, self.rect.bottom - 4),
                theme.line_px(2),
            )  # fmt: skip
        pygame.draw.rect(surface, theme.panel_edge, self.rect, theme.line_px(2), border_radius=r)
        self.draw_focus(surface, theme)

    def _draw_layer_tab(
        self, surface: pygame.Surface, layer: int, theme: Theme, text: TextCache, size: int
    ) -> None:
        rect = self.layer_rect(layer).inflate(-6, -4)
        chosen = layer == self.layer
        r = radius(theme)
        if chosen and not self.two_rows:
            pygame.draw.rect(surface, theme.accent, rect, border_radius=r)
        elif chosen:  # the selected layer: a tinted tab, its selected head in accent below
            pygame.draw.rect(surface, mix(theme.panel, theme.accent, 0.35), rect, border_radius=r)
        elif not self.two_rows and self.hovered and self.hovered_head is not None:
            if self.layer_of(self.hovered_head) == layer:
                pygame.draw.rect(
                    surface, mix(theme.panel, theme.accent, 0.2), rect, border_radius=r
                )
        ink = theme.background if chosen and not self.two_rows else theme.text
        image = fit_text(
            text, self.layer_label(layer), rect.width - 30, size, ink,
            "bold" if chosen else "regular", min_size=9,
        )  # fmt: skip
        blit_centred(surface, image, rect.center)
        if not self.two_rows:  # the layer's one head: its colour chip beside the label
            self._chip(surface, layer, rect, image.get_width(), theme)

    def _draw_head_tab(
        self, surface: pygame.Surface, head: int, theme: Theme, text: TextCache, size: int
    ) -> None:
        rect = self.head_rect(head).inflate(-6, -4)
        chosen = head == self.selected
        r = radius(theme)
        if chosen:
            pygame.draw.rect(surface, theme.accent, rect, border_radius=r)
        elif self.hovered and head == self.hovered_head:
            pygame.draw.rect(surface, mix(theme.panel, theme.accent, 0.2), rect, border_radius=r)
        ink = theme.background if chosen else theme.text
        image = fit_text(
            text, self.head_label(head), rect.width - 26, size, ink,
            "bold" if chosen else "regular", min_size=9,
        )  # fmt: skip
        blit_centred(surface, image, (rect.centerx + 6, rect.centery))
        self._chip(surface, head, rect, image.get_width() - 12, theme)

    def _chip(
        self, surface: pygame.Surface, head: int, rect: pygame.Rect, label_w: int, theme: Theme
    ) -> None:
        """A dot in the head's colour left of its label: the colour its features carry in
        the residual stream panel and its wires on the board."""
        colours = head_colours(theme)
        dot = max(4, rect.height // 6)
        x = max(rect.left + dot + 3, rect.centerx - label_w // 2 - dot - 6)
        pygame.draw.circle(surface, colours[head % len(colours)], (x, rect.centery), dot)
        pygame.draw.circle(surface, theme.panel_edge, (x, rect.centery), dot, theme.line_px(1))
