"""The math inspector: every number between q·k and the weight, for one cell of one head.

The numbers are `Evaluation.inspect(head, i, j)`, the model's own, never
recomputed here; the panel only formats them, one row per step of
`softmax((q·k · scale + bias) / T)`, with the words of the query and the key.
It follows the board live: the scene calls `follow` with each new evaluation.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import pygame

from game.model import Evaluation, Inspection
from game.model.qk_terms import QKTerms, qk_terms
from game.ui.engine.text import TextCache
from game.ui.engine.theme import Theme
from game.ui.play.head_names import head_name
from game.ui.widgets.base import LEFT_BUTTON, blit_centred, draw_box, fit_text

TITLE_PX = 20
ROW_PX = 17


def number(value: float) -> str:
    """A value for the inspector: −∞ is a mask and says so; NaN is "—"."""
    if math.isinf(value):
        return "−∞" if value < 0 else "∞"
    if math.isnan(value):
        return "—"
    return f"{value:.4g}"


def inspection_rows(ins: Inspection) -> list[tuple[str, str, str]]:
    """(name, value, what it is) in the order the computation goes.

    Under linear attention the weight is φ(q)·φ(k) over its row sum, so those
    rows replace exp and its row sum, and the softmax weight is shown beside it.
    """
    if ins.kernel is not None and ins.kernel_sum is not None and ins.exact_weight is not None:
        return [
            ("q·k", number(ins.qk), "query vector · key vector"),
            ("logit", number(ins.logit), "q·k × scale / T (what softmax uses)"),
            ("mask", "allowed" if ins.mask else "masked", "may query i see key j?"),
            ("f(q)·f(k)", number(ins.kernel), "feature map f on q, k × √(scale/T)"),
            ("row sum", number(ins.kernel_sum), "f(q)·f(k) of the row added up"),
            ("weight", number(ins.weight), "f(q)·f(k) / row sum (linear)"),
            ("softmax", number(ins.exact_weight), "exp(logit) / row sum (exact)"),
            ("difference", number(ins.weight - ins.exact_weight), "linear − softmax"),
        ]
    return [
        ("q·k", number(ins.qk), "query vector · key vector"),
        ("scale", number(ins.scale), "1/√d_k" if ins.scale != 1 else "scale off"),
        ("scaled", number(ins.scaled), "q·k × scale"),
        ("bias", number(ins.bias), "from the positional scheme"),
        ("temperature", number(ins.temperature), "T divides the logit"),
        ("logit", number(ins.logit), "(scaled + bias) / T"),
        ("mask", "allowed" if ins.mask else "masked", "may query i see key j?"),
        ("row max", number(ins.row_max), "subtracted before exp"),
        ("exp", number(ins.exp), "exp(logit − row max)"),
        ("row sum", number(ins.row_sum), "the exps of the row added up"),
        ("weight", number(ins.weight), "exp / row sum"),
    ]


MAX_TERMS = 3  # wire terms written out; more are summed as "+ n more"


def qk_lines(parts: QKTerms) -> list[str]:
    """Where q·k comes from, in two lines of the model's own numbers."""
    if not parts.terms:
        return ["q·k is 0: this head has no wires, so no query feature asks for any key feature."]
    shown = [
        f"{t.query}→{t.key}: {number(t.strength)} × {number(t.x_query)} × {number(t.x_key)}"
        for t in parts.terms[:MAX_TERMS]
    ]
    if len(parts.terms) > MAX_TERMS:
        shown.append(f"{len(parts.terms) - MAX_TERMS} more")
    first = "Each wire adds strength × query word's feature × key word's feature: " + " + ".join(
        shown
    )
    base = sum(t.value for t in parts.terms)
    if not parts.adds_up:
        second = (
            f"The wires give {number(parts.total)}; the positional scheme turned q and k, "
            f"which makes it {number(parts.qk)}."
        )
    elif parts.repeats > 1:
        second = (
            f"= {number(base)}, and d_k = {parts.d_k} repeats the features {parts.repeats} "
            f"times: {parts.repeats} × {number(base)} = {number(parts.qk)}."
        )
    else:
        second = f"= {number(parts.qk)}."
    return [first, second]


@dataclass
class InspectorState:
    """Which cell is open; the scene fills `inspection` and the words from the evaluation."""

    head: int
    i: int
    j: int
    inspection: Inspection | None = None
    query_word: str = ""
    key_word: str = ""
    qk_why: tuple[str, ...] = ()  # where q·k comes from (qk_lines)
    head_label: str = ""  # "Head 2", or "L2·H1" on a stacked board


class InspectorPanel:
    """Draws an `InspectorState` in `rect`; a click on × (or Esc, in the scene) closes it."""

    def __init__(self, rect: pygame.Rect):
        self.rect = pygame.Rect(rect)
        self.state: InspectorState | None = None

    @property
    def open(self) -> bool:
        return self.state is not None

    def follow(self, ev: Evaluation) -> None:
        """Refill the open cell's numbers and words from a new evaluation (the board
        changed); close the panel when that cell or head is no longer there."""
        state = self.state
        if state is None:
            return
        try:
            state.inspection = ev.inspect(state.head, state.i, state.j)
            head = ev.head(state.head)
            state.query_word = ev.tokens[head.query_sequence][state.i]
            state.key_word = ev.tokens[head.key_sequence][state.j]
            state.qk_why = tuple(qk_lines(qk_terms(ev, state.head, state.i, state.j)))
            per_layer = max(1, len(ev.heads) // max(1, ev.layers))
            state.head_label = head_name(state.head, per_layer, ev.layers)
        except (IndexError, LookupError, ValueError):
            self.state = None

    def close_rect(self) -> pygame.Rect:
        return pygame.Rect(self.rect.right - 40, self.rect.top + 6, 32, 32)

    def handle_click(self, event: pygame.event.Event) -> bool:
        """True when the click was the panel's (it swallows clicks inside itself)."""
        if self.state is None or event.type != pygame.MOUSEBUTTONDOWN:
            return False
        if event.button == LEFT_BUTTON and self.close_rect().collidepoint(event.pos):
            self.state = None
            return True
        return self.rect.collidepoint(event.pos)

    def draw(self, surface: pygame.Surface, theme: Theme, text: TextCache) -> None:
        state = self.state
        if state is None or state.inspection is None:
            return
        draw_box(surface, self.rect, theme, fill=theme.panel, edge=theme.accent, edge_width=2)
        close = self.close_rect()
        pygame.draw.line(
            surface,
            theme.text,
            close.inflate(-14, -14).topleft,
            close.inflate(-14, -14).bottomright,
            theme.line_px(3),
        )
        pygame.draw.line(
            surface,
            theme.text,
            close.inflate(-14, -14).topright,
            close.inflate(-14, -14).bottomleft,
            theme.line_px(3),
        )
        title = (
            f'{state.head_label or f"Head {state.head + 1}"}: "{state.query_word}" '
            f"(query {state.i}) looks at "
            f'"{state.key_word}" (key {state.j})'
        )
        image = fit_text(
            text, title, self.rect.width - 60, theme.font_px(TITLE_PX), theme.text, "bold"
        )
        surface.blit(image, (self.rect.left + 14, self.rect.top + 12))
        rows = inspection_rows(state.inspection)
        top = self.rect.top + 20 + image.get_height()
        why_px = theme.font_px(14)
        why = [
            part for line in state.qk_why for part in text.wrap(line, self.rect.width - 40, why_px)
        ][:4]
        why_h = len(why) * round(why_px * 1.25) + 6
        room = self.rect.bottom - 30 - top - why_h
        line = min(round(theme.font_px(ROW_PX) * 1.35), room // len(rows))
        size = min(theme.font_px(ROW_PX), max(9, round(line / 1.3)))
        name_x = self.rect.left + 20
        value_right = self.rect.left + round(self.rect.width * 0.48)
        for k, (name, value, what) in enumerate(rows):
            y = top + k * line + line // 2
            emphasis = name == "weight"
            ink = theme.accent if emphasis else theme.text
            label = text.render(name, size, theme.text_dim)
            surface.blit(label, label.get_rect(midleft=(name_x, y)))
            shown = text.render(value, size, ink, "bold")
            surface.blit(shown, shown.get_rect(midright=(value_right, y)))
            note = fit_text(text, what, self.rect.right - value_right - 34, size, theme.text_dim)
            surface.blit(note, note.get_rect(midleft=(value_right + 20, y)))
        y = top + len(rows) * line + 4
        for part in why:
            image = fit_text(text, part, self.rect.width - 40, why_px, theme.text, min_size=9)
            surface.blit(image, (name_x, y))
            y += round(why_px * 1.25)
        hint = text.render("Esc or × closes", theme.font_px(13), theme.text_dim)
        blit_centred(surface, hint, (self.rect.centerx, self.rect.bottom - 14))
