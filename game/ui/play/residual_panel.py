"""The residual stream panel: every feature at one token, after each layer.

In a multi-layer level each head's value routes write into named features of the
residual stream, and later layers' wires read them (CIRCUITS_CONTRACT.md). This
panel is where the player sees that happen, at the token they pick:

    Residual stream at ◀ "b" (5 of 8) ▶
    feature        embed   L1 →   L2
    prev_a ●L1·H1   0.00   0.93   0.93     (the row tinted in head 1's colour)
    a               1.00   1.00   1.00

Columns are x⁰ (the embedding) and the stream after each layer; the column the
selected layer reads (x^l) is outlined, so switching layers keeps the stream in
view and shows what the selected head can key on. A feature written by a head
(`Evaluation.written_by`) carries a chip in that head's colour
(`head_colours`), and its row is tinted when the writer sits in an earlier
layer than the selected one (a feature this layer can read). A feature the
level's fixed maps write (the "MLP (fixed)" step between layers, docs/levels.md
"Maps") carries an "MLP" tag, and the column after that layer is headed
"L1+MLP". Numbers are always shown: colour never carries a value alone.

Keys with the panel focused: ←/→ the token, ↑/↓ scroll; the wheel scrolls;
clicking ◀/▶ steps the token. `show` hands it the numbers (from the scene's
refresh, never from a draw).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np
import pygame

from game.ui.engine.text import TextCache
from game.ui.engine.theme import Theme, head_colours
from game.ui.widgets.base import LEFT_BUTTON, Widget, clipped, draw_box, fit_text, mix

TITLE_PX = 16
CELL_PX = 14
NAME_SHARE = 0.42  # the feature names' share of the panel's width
MIN_SHARE = 0.75  # the rows' text shrinks to fit down to this share of the theme's size


@dataclass
class ResidualData:
    """What the panel shows: the main sequence's stream and who wrote which feature."""

    features: tuple[str, ...] = ()
    tokens: tuple[str, ...] = ()
    residual: tuple[np.ndarray, ...] = ()  # L+1 arrays (n, d_model): x⁰, after each layer
    written_by: Mapping[str, tuple[int, ...]] = field(default_factory=dict)
    heads_per_layer: int = 1
    read: tuple[str, ...] = ()  # a task level's readout: the label read at each token
    mapped: Mapping[str, int] = field(default_factory=dict)  # feature -> the layer (1-based)
    # whose fixed map (the MLP step) writes it

    @property
    def layers(self) -> int:
        return max(0, len(self.residual) - 1)

    def writer_label(self, head: int) -> str:
        """A head's short name: its layer and its place in it (1-based)."""
        return f"L{head // self.heads_per_layer + 1}·H{head % self.heads_per_layer + 1}"


class ResidualPanel(Widget):
    def __init__(self, rect: pygame.Rect | tuple[int, int, int, int]):
        super().__init__(rect)
        self.data = ResidualData()
        self.token = -1  # the token shown (-1 until data arrives: then the last one)
        self.layer = 0  # the selected head's layer: the column x^layer is what it reads
        self.scroll = 0  # rows scrolled off the top
        self._arrows: tuple[pygame.Rect, pygame.Rect] | None = None  # set by the last layout

    # -- the numbers -----------------------------------------------------------------
    def show(self, data: ResidualData, layer: int) -> None:
        """New numbers (and the selected layer); the token picked stays where it was."""
        self.data, self.layer = data, layer
        n = len(data.tokens)
        self.token = n - 1 if self.token < 0 or n == 0 else min(self.token, n - 1)
        self.scroll = min(self.scroll, max(0, len(data.features) - 1))

    def set_token(self, index: int) -> None:
        n = len(self.data.tokens)
        if n:
            self.token = min(max(0, index), n - 1)

    def value(self, feature: int, column: int) -> float:
        """Feature `feature` at the shown token in column `column` (0: x⁰)."""
        return float(self.data.residual[column][self.token, feature])

    def readable(self, feature: str) -> tuple[int, ...]:
        """The heads of earlier layers than the selected one that write `feature`: what
        the selected layer's wires read here came from them."""
        per = self.data.heads_per_layer
        return tuple(h for h in self.data.written_by.get(feature, ()) if h // per < self.layer)

    # -- geometry ----------------------------------------------------------------------
    def _lines(self, theme: Theme) -> tuple[int, int]:
        """(title row height, table row height)."""
        return round(theme.font_px(TITLE_PX) * 1.5), round(self.cell_px(theme) * 1.45)

    def cell_px(self, theme: Theme) -> int:
        """The table's text size: the theme's, or smaller (not under MIN_SHARE of it, nor
        10 px) so every feature's row fits (big text on a short panel); past that the rows
        scroll, and the panel says how many are above and below."""
        title_h = round(theme.font_px(TITLE_PX) * 1.5)
        room = self.rect.height - 10 - title_h  # the header row, the feature rows, the readout
        rows = len(self.data.features) + 1 + (1 if self.data.read else 0)
        fits = int(room / rows / 1.45)
        least = max(10, round(theme.font_px(CELL_PX) * MIN_SHARE))
        return max(least, min(theme.font_px(CELL_PX), fits))

    def _table(self, theme: Theme) -> pygame.Rect:
        title_h, row_h = self._lines(theme)
        inner = self.rect.inflate(-12, -10)
        rows_room = (inner.height - title_h - row_h) // row_h
        overflow = len(self.data.features) > rows_room
        footer = row_h if self.data.read or overflow else 0  # the readout's line, "▼ 3 more"
        return pygame.Rect(inner.left, inner.top + title_h + row_h, inner.width,
                           inner.height - title_h - row_h - footer)  # fmt: skip

    def visible_rows(self, theme: Theme) -> int:
        """How many feature rows fit whole (a row cut in half is not drawn)."""
        return max(1, self._table(theme).height // self._lines(theme)[1])

    def arrows(self, theme: Theme) -> tuple[pygame.Rect, pygame.Rect]:
        """The ◀ and ▶ boxes that step the token, at the title row's ends."""
        title_h = self._lines(theme)[0]
        inner = self.rect.inflate(-12, -10)
        w = title_h
        return (pygame.Rect(inner.left, inner.top, w, title_h - 4),
                pygame.Rect(inner.right - w, inner.top, w, title_h - 4))  # fmt: skip

    # -- input ---------------------------------------------------------------------------
    def handle_mouse(self, event: pygame.event.Event) -> bool:
        if event.type != pygame.MOUSEBUTTONDOWN or event.button != LEFT_BUTTON:
            return False
        if self._arrows is None or not self.rect.collidepoint(event.pos):
            return False
        back, forward = self._arrows
        if back.collidepoint(event.pos):
            self.set_token(self.token - 1)
        elif forward.collidepoint(event.pos):
            self.set_token(self.token + 1)
        return True

    def handle_key(self, event: pygame.event.Event) -> bool:
        if event.key in (pygame.K_LEFT, pygame.K_RIGHT):
            self.set_token(self.token + (1 if event.key == pygame.K_RIGHT else -1))
        elif event.key in (pygame.K_UP, pygame.K_DOWN):
            self.scroll_by(1 if event.key == pygame.K_DOWN else -1)
        else:
            return False
        return True

    def handle_wheel(self, event: pygame.event.Event) -> bool:
        """The wheel over the panel scrolls its rows."""
        if not self.hovered:
            return False
        self.scroll_by(-1 if event.y > 0 else 1)
        return True

    def scroll_by(self, rows: int) -> None:
        self.scroll = min(max(0, self.scroll + rows), max(0, len(self.data.features) - 1))

    # -- drawing ---------------------------------------------------------------------------
    def draw(self, surface: pygame.Surface, theme: Theme, text: TextCache) -> None:
        draw_box(surface, self.rect, theme, fill=theme.panel, edge=theme.panel_edge, edge_width=1)
        self._arrows = self.arrows(theme)  # where clicks land (the layout's last word)
        data = self.data
        if not data.residual or not data.tokens or self.token < 0:
            return
        self._draw_title(surface, theme, text)
        self._draw_header(surface, theme, text)
        table = self._table(theme)
        row_h = self._lines(theme)[1]
        with clipped(surface, table):
            for row, k in enumerate(range(self.scroll, len(data.features))):
                top = table.top + row * row_h
                if top + row_h > table.bottom:
                    break
                self._draw_row(surface, k, pygame.Rect(table.left, top, table.width, row_h),
                               theme, text)  # fmt: skip
        self._draw_read_column(surface, table, theme)
        self._draw_more(surface, table, theme, text)
        if data.read:  # what the level's readout reads here, from the last column
            line = f"Readout: {data.read[self.token]}"
            image = fit_text(text, line, table.width, self.cell_px(theme), theme.text, "bold", 8)
            surface.blit(image, image.get_rect(bottomleft=(table.left + 4, self.rect.bottom - 6)))
        self.draw_focus(surface, theme)

    def _columns(self, row: pygame.Rect) -> list[pygame.Rect]:
        """The value cells of a row: x⁰, then one per layer."""
        names = round(row.width * NAME_SHARE)
        n = self.data.layers + 1
        width = (row.width - names) / n
        return [pygame.Rect(row.left + names + round(c * width), row.top,
                            round(width) - 2, row.height) for c in range(n)]  # fmt: skip

    def _draw_title(self, surface: pygame.Surface, theme: Theme, text: TextCache) -> None:
        back, forward = self._arrows or self.arrows(theme)
        size = theme.font_px(TITLE_PX)
        last = len(self.data.tokens) - 1
        for box, glyph, live in ((back, "◀", self.token > 0), (forward, "▶", self.token < last)):
            draw_box(surface, box, theme, fill=theme.background, edge=theme.panel_edge,
                     edge_width=1)  # fmt: skip
            image = text.render(glyph, size, theme.text if live else theme.text_dim)
            surface.blit(image, image.get_rect(center=box.center))
        word = self.data.tokens[self.token]
        title = f'Residual stream at "{word}" ({self.token + 1} of {len(self.data.tokens)})'
        width = forward.left - back.right - 12
        image = fit_text(text, title, width, size, theme.text, "bold", min_size=9)
        surface.blit(image, image.get_rect(midleft=(back.right + 6, back.centery)))

    def _draw_header(self, surface: pygame.Surface, theme: Theme, text: TextCache) -> None:
        title_h, row_h = self._lines(theme)
        inner = self.rect.inflate(-12, -10)
        row = pygame.Rect(inner.left, inner.top + title_h, inner.width, row_h)
        size = self.cell_px(theme)
        name = fit_text(text, "feature", row.width, size, theme.text_dim)
        surface.blit(name, name.get_rect(midleft=(row.left + 4, row.centery)))
        for c, cell in enumerate(self._columns(row)):
            mlp = c in self.data.mapped.values()
            label = "embed" if c == 0 else f"L{c}+MLP" if mlp else f"after L{c}"
            ink = theme.accent if c == self.layer else theme.text_dim
            image = fit_text(text, label, cell.width - 4, size, ink, "bold", min_size=8)
            surface.blit(image, image.get_rect(midright=(cell.right - 4, cell.centery)))

    def _draw_row(
        self, surface: pygame.Surface, k: int, row: pygame.Rect, theme: Theme, text: TextCache
    ) -> None:
        data, size = self.data, self.cell_px(theme)
        feature = data.features[k]
        colours = head_colours(theme)
        read = self.readable(feature)
        if read:  # written by an earlier layer's head: tinted in the (first) writer's colour
            tint = mix(theme.panel, colours[read[0] % len(colours)], 0.28)
            pygame.draw.rect(surface, tint, row.inflate(0, -2), border_radius=3)
        x = row.left + 4
        end = row.left + round(row.width * NAME_SHARE) - 4
        writers = data.written_by.get(feature, ())
        tag_px = max(8, size - 3)
        tags = [(head, text.size(data.writer_label(head), tag_px)[0]) for head in writers[:2]]
        if feature in data.mapped:  # written by a fixed map: an "MLP" tag, no head colour
            tags.append((-1, text.size("MLP", tag_px)[0]))
        tags_w = sum(w + tag_px + 6 for _, w in tags)
        image = fit_text(text, feature, max(20, end - x - tags_w), size, theme.text,
                         "bold" if read else "regular", min_size=8)  # fmt: skip
        surface.blit(image, image.get_rect(midleft=(x, row.centery)))
        x += image.get_width() + 4
        for head, width in tags:  # who wrote it: a dot in the head's colour and its name
            if x + tag_px + width > end:
                break
            dot = max(3, tag_px // 3)
            ink = theme.text_dim if head < 0 else colours[head % len(colours)]
            pygame.draw.circle(surface, ink, (x + dot, row.centery), dot, 0 if head >= 0 else 1)
            name = "MLP" if head < 0 else data.writer_label(head)
            label = text.render(name, tag_px, theme.text_dim)
            surface.blit(label, label.get_rect(midleft=(x + 2 * dot + 2, row.centery)))
            x += 2 * dot + 4 + width + 4
        top = max((abs(self.value(k, c)) for c in range(data.layers + 1)), default=0.0)
        for c, cell in enumerate(self._columns(row)):
            self._draw_cell(surface, cell, self.value(k, c), top, theme, text, size)

    def _draw_cell(
        self, surface: pygame.Surface, cell: pygame.Rect, value: float, top: float,
        theme: Theme, text: TextCache, size: int,
    ) -> None:  # fmt: skip
        """One number, on a bar as long as its share of the row's largest value ("—" for a
        value that is not finite: a plugin's NaN is shown, never drawn as a bar)."""
        if not np.isfinite(value):
            image = text.render("—", size, theme.text_dim)
            surface.blit(image, image.get_rect(midright=(cell.right - 4, cell.centery)))
            return
        if abs(value) >= 0.005 and np.isfinite(top) and top > 0:
            bar = cell.inflate(-2, -6)
            bar.width = max(2, round(bar.width * min(1.0, abs(value) / top)))
            bar.right = cell.right - 1
            hue = theme.accent if value > 0 else theme.categories[1]
            pygame.draw.rect(surface, mix(theme.panel, hue, 0.35), bar, border_radius=2)
        ink = theme.text if abs(value) >= 0.005 else theme.text_dim
        label = f"{value:.2f}" if abs(value) >= 0.005 else "0"
        image = fit_text(text, label, cell.width - 4, size, ink, min_size=8)
        surface.blit(image, image.get_rect(midright=(cell.right - 4, cell.centery)))

    def _draw_more(
        self, surface: pygame.Surface, table: pygame.Rect, theme: Theme, text: TextCache
    ) -> None:
        """ "▲ 2  ▼ 3 more" under the table when not every feature's row shows (the wheel,
        or ↑/↓ with the panel focused, scroll)."""
        below = len(self.data.features) - self.scroll - self.visible_rows(theme)
        parts = ([f"▲ {self.scroll}"] if self.scroll else []) + (
            [f"▼ {below} more"] if below > 0 else []
        )
        if parts:
            image = text.render("  ".join(parts), max(9, self.cell_px(theme) - 2), theme.accent)
            surface.blit(image, image.get_rect(bottomright=(table.right, self.rect.bottom - 6)))

    def _draw_read_column(self, surface: pygame.Surface, table: pygame.Rect, theme: Theme) -> None:
        """Outline the column the selected layer reads (x^layer)."""
        if not 0 <= self.layer <= self.data.layers:
            return
        _, row_h = self._lines(theme)
        rows = min(len(self.data.features) - self.scroll, self.visible_rows(theme))
        header = pygame.Rect(table.left, table.top - row_h, table.width, (rows + 1) * row_h)
        column = self._columns(header)[self.layer]
        pygame.draw.rect(surface, theme.accent, column.inflate(2, 0), theme.line_px(2),
                         border_radius=3)  # fmt: skip


def residual_data(
    features: Sequence[str],
    tokens: Sequence[str],
    residual: Sequence[np.ndarray],
    written_by: Mapping[str, Sequence[int]],
    heads_per_layer: int,
    read: Sequence[str] = (),
    mapped: Mapping[str, int] | None = None,
) -> ResidualData:
    """The panel's data from an evaluation's fields (copied to tuples)."""
    return ResidualData(
        tuple(features), tuple(tokens), tuple(np.asarray(r) for r in residual),
        {name: tuple(heads) for name, heads in written_by.items()}, max(1, heads_per_layer),
        tuple(read), dict(mapped or {}),
    )  # fmt: skip
