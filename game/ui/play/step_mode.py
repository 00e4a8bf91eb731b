"""Step mode: the computation of one head played as a sequence of arrays.

Q, K, QKᵀ, scaled, bias, masked, softmax, ·V, concat, W_O (the model's
`STEP_NAMES`), each drawn as a small labelled matrix heatmap with the numbers
written in when the cells are big enough. The arrays are
`Evaluation.steps(head).arrays()`; this module only scales them to colours.
Space plays and pauses (one step per `INTERVAL` seconds of `update(dt)`),
Left/Right step by hand, a click on a step's name jumps to it.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
import pygame

from game.model import STEP_NAMES
from game.ui.engine.text import TextCache
from game.ui.engine.theme import Theme
from game.ui.widgets.base import LEFT_BUTTON, blit_centred, draw_box, fit_text, mix
from game.ui.widgets.heatmap import Heatmap

INTERVAL = 1.6  # seconds per step while playing
MIN_NUMBER_PX = 9  # the smallest number drawn in a cell

CAPTIONS = {
    "Q": "Each token's query: its features times W_Q.",
    "K": "Each token's key: its features times W_K.",
    "QKᵀ": "Every query dotted with every key: the raw scores.",
    "scaled": "The scores times the scale 1/√d_k (unchanged when the scale is off).",
    "bias": "Plus the positional bias, all divided by the temperature: the logits.",
    "masked": "Cells a query may not see become −∞ (hatched).",
    "softmax": "Each row becomes weights that add up to 1 (rounded).",
    "·V": "The weights times the values: this head's output.",
    "concat": "The outputs of the heads side by side.",
    "W_O": "W_O mixes the heads' outputs into one output.",
}
LINEAR_CAPTIONS = {"softmax": "Linear attention: each row's f(q)·f(k) over its sum, not softmax."}
# A head in a stacked level reads the residual stream x^l, not the embedding ({x}: "x¹"…).
LAYER_CAPTIONS = {
    "Q": "Each token's query: the residual stream {x} (every feature so far) times W_Q.",
    "K": "Each token's key: the residual stream {x} (every feature so far) times W_K.",
    "concat": "The outputs of this layer's heads side by side.",
    "W_O": "W_O mixes this layer's heads into what it adds to the residual stream.",
}
SUPERSCRIPTS = "⁰¹²³⁴⁵⁶⁷⁸⁹"


def normalise(array: np.ndarray, name: str) -> tuple[np.ndarray, np.ndarray]:
    """(values in [0, 1] for the colour map, mask of cells that are −∞ or NaN)."""
    array = np.atleast_2d(np.asarray(array, dtype=np.float64))
    hidden = ~np.isfinite(array)
    if name == "softmax":
        return np.clip(np.nan_to_num(array), 0, 1), hidden
    finite = array[~hidden]
    if finite.size == 0:
        return np.zeros_like(array), hidden
    low, high = float(finite.min()), float(finite.max())
    span = high - low if high > low else 1.0
    scaled = np.where(hidden, 0.0, (np.where(hidden, low, array) - low) / span)
    return scaled, hidden


def cell_text(value: float) -> str:
    if math.isinf(value):
        return "−∞" if value < 0 else "∞"
    if math.isnan(value):
        return "—"
    return f"{value:.2g}" if abs(value) < 100 else f"{value:.0f}"


@dataclass
class StepMode:
    """Which step shows, and whether it plays; the arrays come from `set_steps`."""

    active: bool = False
    index: int = 0
    playing: bool = False
    timer: float = 0.0
    arrays: list[tuple[str, np.ndarray]] = field(default_factory=list)
    labels: list[tuple[list[str], list[str]]] = field(default_factory=list)  # (rows, cols)
    linear: bool = False  # the head runs linear attention: its "softmax" step is f(q)·f(k)
    layer: int | None = None  # the head's layer (0-based) in a stacked level, else None

    def toggle_play(self) -> None:
        self.playing = not self.playing
        self.timer = 0.0

    def step(self, direction: int) -> None:
        self.index = (self.index + direction) % len(STEP_NAMES)
        self.timer = 0.0

    def update(self, dt: float) -> None:
        if self.active and self.playing:
            self.timer += dt
            while self.timer >= INTERVAL:
                self.timer -= INTERVAL
                self.index = (self.index + 1) % len(STEP_NAMES)

    @property
    def name(self) -> str:
        return STEP_NAMES[self.index]


class StepView:
    """Draws a StepMode in `rect`: the step ribbon, a caption, and the current matrix."""

    def __init__(self, rect: pygame.Rect):
        self.rect = pygame.Rect(rect)
        self.heatmap = Heatmap((0, 0, 1, 1))
        self.heatmap.focusable = False
        self.heatmap.square = False  # cells as wide as there is room: the numbers fit
        self._numbers: tuple[tuple, pygame.Surface, int] | None = None  # (key, layer, unprinted)
        # What Space does, for the footer: a layer that takes Space (a lesson's open
        # question reveals its answer with it) says so here.
        self.space_does = "play/pause"

    def ribbon_rects(self, theme: Theme) -> list[pygame.Rect]:
        n = len(STEP_NAMES)
        inner = self.rect.inflate(-16, 0)
        h = theme.font_px(15) + 12
        return [
            pygame.Rect(
                inner.left + inner.width * k // n,
                self.rect.top + 8,
                inner.width // n - 4,
                h,
            )  # fmt: skip
            for k in range(n)
        ]

    def matrix_rect(self, theme: Theme) -> pygame.Rect:
        top = self.ribbon_rects(theme)[0].bottom + round(theme.font_px(15) * 2.5) + 8
        bottom = self.rect.bottom - round(theme.font_px(13) * 1.6) - 4
        return pygame.Rect(self.rect.left + 8, top, self.rect.width - 16, bottom - top)

    def set_step(self, mode: StepMode, revision: object, theme: Theme) -> None:
        """Give the heatmap the current step's array (only when `revision` moved)."""
        if not mode.arrays:
            return
        name, array = mode.arrays[mode.index]
        values, hidden = normalise(array, name)
        rows, cols = mode.labels[mode.index] if mode.labels else ([], [])
        self.heatmap.set_rect(self.matrix_rect(theme))
        self.heatmap.set_data(
            values,
            revision=revision,
            mask=hidden if hidden.any() else None,
            row_labels=rows[: values.shape[0]] if len(rows) >= values.shape[0] else None,
            col_labels=cols[: values.shape[1]] if len(cols) >= values.shape[1] else None,
        )

    def step_at(self, pos: tuple[int, int], theme: Theme) -> int | None:
        for k, rect in enumerate(self.ribbon_rects(theme)):
            if rect.collidepoint(pos):
                return k
        return None

    def handle_click(self, event: pygame.event.Event, mode: StepMode, theme: Theme) -> bool:
        if event.type != pygame.MOUSEBUTTONDOWN or event.button != LEFT_BUTTON:
            return False
        k = self.step_at(event.pos, theme)
        if k is not None:
            mode.index, mode.timer = k, 0.0
            return True
        return self.rect.collidepoint(event.pos)

    def draw(self, surface: pygame.Surface, mode: StepMode, theme: Theme, text: TextCache) -> None:
        draw_box(surface, self.rect, theme, fill=theme.panel, edge=theme.accent, edge_width=2)
        for k, rect in enumerate(self.ribbon_rects(theme)):
            current = k == mode.index
            fill = theme.accent if current else mix(theme.panel, theme.background, 0.5)
            pygame.draw.rect(surface, fill, rect, border_radius=5)
            ink = theme.background if current else theme.text
            label = fit_text(text, STEP_NAMES[k], rect.width - 6, theme.font_px(15), ink, "bold", 8)
            blit_centred(surface, label, rect.center)
        if not mode.arrays:
            return
        name, array = mode.arrays[mode.index]
        caption_y = self.ribbon_rects(theme)[0].bottom + 6
        layer, unprinted = self.numbers(np.atleast_2d(array), theme, text)
        caption = step_caption(
            mode.index, name, array, unprinted, linear=mode.linear, layer=mode.layer
        )
        for k, line in enumerate(text.wrap(caption, self.rect.width - 24, theme.font_px(15))[:2]):
            image = fit_text(text, line, self.rect.width - 24, theme.font_px(15), theme.text)
            surface.blit(image, (self.rect.left + 12, caption_y + k * image.get_height()))
        self.heatmap.draw(surface, theme, text)
        surface.blit(layer, self.heatmap.layout.grid)
        state = "playing" if mode.playing else "paused"
        hint = f"Step mode ({state}): Space {self.space_does}  ·  Left/Right step  ·  Esc close"
        footer = fit_text(text, hint, self.rect.width - 24, theme.font_px(13), theme.text_dim)
        blit_centred(surface, footer, (self.rect.centerx, self.rect.bottom - footer.get_height()))

    def numbers(
        self, array: np.ndarray, theme: Theme, text: TextCache
    ) -> tuple[pygame.Surface, int]:
        """Every cell's number, in a layer over the grid (drawn once per change), and how
        many did not fit their cell even in their shortest form at the smallest size."""
        layout = self.heatmap.layout
        key = (array.tobytes(), array.shape, layout, theme)
        if self._numbers is not None and self._numbers[0] == key:
            return self._numbers[1], self._numbers[2]
        layer = pygame.Surface(layout.grid.size, pygame.SRCALPHA)
        values = self.heatmap.weights
        largest = theme.font_px(17 if theme.name == "projector" else 13)  # the back row
        unprinted = 0
        for i in range(array.shape[0]):
            for j in range(array.shape[1]):
                rect = layout.cell_rect(i, j).move(-layout.grid.left, -layout.grid.top)
                light = values[i, j] > 0.55 and np.isfinite(array[i, j])
                ink = (20, 20, 20) if light else (245, 245, 245)
                fitted = fitted_number(text, float(array[i, j]), rect, largest, ink)
                if fitted is None:
                    unprinted += 1
                else:
                    blit_centred(layer, fitted[2], rect.center)
        self._numbers = (key, layer, unprinted)
        return layer, unprinted


def step_caption(
    index: int,
    name: str,
    array: np.ndarray,
    unprinted: int,
    *,
    linear: bool = False,
    layer: int | None = None,
) -> str:
    """The line over the matrix; it says plainly how many numbers are not printed, under
    linear attention that the "softmax" step is f(q)·f(k) over its sum, and for a head of
    a stacked level (`layer`, 0-based) that its q and k come from the residual stream."""
    captions = {**CAPTIONS, **LINEAR_CAPTIONS} if linear else dict(CAPTIONS)
    if layer is not None:
        x = "x" + "".join(SUPERSCRIPTS[int(d)] for d in str(layer))
        captions.update({k: v.format(x=x) for k, v in LAYER_CAPTIONS.items()})
    shape = "×".join(str(s) for s in np.shape(array))
    caption = f"{index + 1}/{len(STEP_NAMES)} {name} ({shape}): {captions.get(name, '')}"
    if unprinted:
        caption += f" {unprinted} of {np.size(array)} numbers are too long for their cells."
    return caption


def number_forms(value: float) -> list[tuple[str, ...]]:
    """Ways to write `value`, most exact first, each as (narrowest, ...) forms with the
    same digits: 0.054 -> (.054, 0.054), (.05, 0.05), (.1, 0.1)."""
    first = cell_text(value)
    if not math.isfinite(value) or abs(value) >= 100:
        return [(first,)]
    groups: list[tuple[str, ...]] = []
    for form in dict.fromkeys((first, f"{value:.2f}", f"{value:.1f}")):
        bare = form.lstrip("-")
        short = form.replace("0.", ".", 1) if bare.startswith("0.") else None
        groups.append((short, form) if short else (form,))
    return groups


def fitted_number(
    text: TextCache, value: float, rect: pygame.Rect, largest: int, ink
) -> tuple[str, int, pygame.Surface] | None:
    """(form, px, image) of the number in its most exact form that fits `rect` at a size
    not much below the largest (the narrow ".077" before a smaller "0.077"), else any
    form down to MIN_NUMBER_PX; None when nothing fits. Exactness first: a row of 0.077s written
    as 0.1 would no longer add up to 1."""
    top = max(MIN_NUMBER_PX, min(largest, int(rect.height * 0.75)))
    readable = max(MIN_NUMBER_PX, round(top * 0.7))
    groups = number_forms(value)
    tries = [
        (form, size)
        for group in groups
        for size in range(top, readable - 1, -1)
        for form in reversed(group)  # the usual form first, the narrow one at the same size
    ]
    tries += [
        (form, size)
        for size in range(readable - 1, MIN_NUMBER_PX - 1, -1)
        for group in groups
        for form in group
    ]
    for form, size in tries:
        image = text.render(form, size, ink)
        if image.get_width() <= rect.width - 2 and image.get_height() <= rect.height + 4:
            return form, size, image
    return None


def step_labels(
    rows_q: Sequence[str], rows_k: Sequence[str], features: Sequence[str], d_k: int, heads: int
) -> list[tuple[list[str], list[str]]]:
    """(row labels, column labels) for each step, in STEP_NAMES order."""
    feats = list(features)
    repeat = max(1, d_k // max(1, len(feats)))
    dk_cols = feats * repeat if len(feats) * repeat == d_k else [str(k) for k in range(d_k)]
    concat_cols = [f"{h + 1}:{f}" for h in range(heads) for f in feats]
    q, k = list(rows_q), list(rows_k)
    return [
        (q, dk_cols),  # Q
        (k, dk_cols),  # K
        (q, k),  # QKᵀ
        (q, k),  # scaled
        (q, k),  # bias
        (q, k),  # masked
        (q, k),  # softmax
        (q, feats),  # ·V
        (q, concat_cols),  # concat
        (concat_cols, feats),  # W_O
    ]
