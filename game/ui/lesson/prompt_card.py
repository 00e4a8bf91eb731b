"""Drawing a predict-then-see prompt: the question card, the covers, the reveal.

Before the reveal the numbers that would give the answer away are covered (the
board's wires, the goals, the output bars, the heatmap's colours, step mode);
the heatmap keeps its grid and labels so the class can pick a cell. After the
reveal the real board shows, with the prediction and the real answer marked
side by side in the card and on the heatmap.
"""

from __future__ import annotations

import pygame

from game.lessons.schema import Prompt
from game.ui.engine.text import TextCache
from game.ui.engine.theme import Theme
from game.ui.lesson.run import PromptState
from game.ui.widgets.base import draw_box, fit_text
from game.ui.widgets.heatmap import Heatmap


def question_bottom(card: pygame.Rect, prompt: Prompt, theme: Theme, text: TextCache) -> int:
    """Where the card's question ends (it wraps in a narrow card)."""
    size = theme.font_px(18)
    lines = len(text.wrap(prompt.question, card.width - 24, size, "bold"))
    return card.top + 10 + lines * round(size * 1.3) + round(size * 0.3)


def choice_rects(
    card: pygame.Rect, prompt: Prompt, count: int, theme: Theme, text: TextCache
) -> list[pygame.Rect]:
    """The rows of a multiple-choice card, under its question."""
    row_h = round(theme.font_px(18) * 1.9)
    top = question_bottom(card, prompt, theme, text) + 4
    return [
        pygame.Rect(card.left + 12, top + k * row_h, card.width - 24, row_h - 6)
        for k in range(count)
    ]


def draw_covers(
    surface: pygame.Surface, rects: list[pygame.Rect], theme: Theme, text: TextCache
) -> None:
    """Panels over what would show the answer before the reveal."""
    for rect in rects:
        draw_box(surface, rect, theme, fill=theme.panel, edge=theme.panel_edge, edge_width=1)
        note = fit_text(
            text, "hidden until the reveal", rect.width - 16, theme.font_px(13), theme.text_dim
        )
        if rect.height > note.get_height() + 8:
            surface.blit(note, note.get_rect(center=rect.center))


def draw_blank_heatmap(
    surface: pygame.Surface, heatmap: Heatmap, query: int, state: PromptState, theme: Theme
) -> None:
    """The heatmap's cells without their colours; the query's row marked, the pick filled."""
    layout = heatmap.layout
    pygame.draw.rect(surface, theme.panel, layout.grid)
    for i in range(layout.n_q):
        for j in range(layout.n_k):
            cell = heatmap.cell_rect(i, j)
            fill = theme.accent if (i == query and j == state.picked) else theme.background
            pygame.draw.rect(surface, fill, cell.inflate(-2, -2))
    row = heatmap.cell_rect(query, 0).union(heatmap.cell_rect(query, layout.n_k - 1))
    pygame.draw.rect(surface, theme.accent, row.inflate(4, 4), theme.line_px(2))
    cursor = heatmap.cell_rect(query, state.options[state.cursor])
    pygame.draw.rect(surface, theme.focus, cursor.inflate(4, 4), theme.line_px(2) + 1)


def mark_reveal(
    surface: pygame.Surface, heatmap: Heatmap, state: PromptState, theme: Theme
) -> None:
    """After the reveal: the real answer ringed in green, the prediction in the focus colour."""
    reveal = state.reveal
    if reveal is None:
        return
    width = theme.line_px(3)
    for j in reveal.right:
        pygame.draw.rect(
            surface, theme.good, heatmap.cell_rect(reveal.query, j).inflate(6, 6), width
        )
    if state.picked is not None and state.picked not in reveal.right:
        pygame.draw.rect(
            surface, theme.bad, heatmap.cell_rect(reveal.query, state.picked).inflate(6, 6), width
        )


def _percent(value: float) -> str:
    return f"{100 * value:.0f}%"


def verdict(prompt: Prompt, state: PromptState, query_word: str) -> list[tuple[str, str]]:
    """The reveal's lines (text, colour role): the prediction beside the real answer."""
    reveal = state.reveal
    if reveal is None or state.picked is None:
        return []
    picked = reveal.keys[state.picked]
    right = " / ".join(f'"{reveal.keys[j]}"' for j in reveal.right)
    share = _percent(reveal.weight(reveal.right[0]))
    lines = [
        (
            f'You predicted "{picked}": {_percent(reveal.weight(state.picked))} '
            f'of the attention of "{query_word}".',
            "text",
        ),
        (f"Real answer: {right}, {share}." + ("  (a tie)" if reveal.tie else ""), "good"),
    ]
    lines.append(
        (
            "Right!" if reveal.is_right(state.picked) else "Not this time.",
            "good" if reveal.is_right(state.picked) else "bad",
        )
    )
    return lines


def _paragraph(
    surface: pygame.Surface, at: tuple[int, int], width: int, words: str, style: tuple, text
) -> int:
    """`words` wrapped to `width` from `at`; style = (size, colour, weight). The y below it."""
    size, colour, weight = style
    x, y = at
    for line in text.wrap(words, width, size, weight):
        surface.blit(fit_text(text, line, width, size, colour, weight), (x, y))
        y += round(size * 1.3)
    return y + round(size * 0.3)


def card_lines(prompt: Prompt, state: PromptState, keys: tuple[str, ...], query_word: str):
    """What the card says under the question (and the choices): (text, role) pairs."""
    if state.revealed:
        return verdict(prompt, state, query_word)
    lines = []
    if prompt.kind == "cell":
        lines.append(("Click a cell in the marked row, or Left / Right and Enter.", "dim"))
        if state.picked is not None:
            lines.append((f'Your prediction: "{keys[state.picked]}"', "pick"))
    if state.picked is not None:
        lines.append(("Space reveals the real answer.", "dim"))
    else:
        lines.append(("The class answers first (Page Down skips the question).", "dim"))
    return lines


def draw_card(
    surface: pygame.Surface,
    card: pygame.Rect,
    prompt: Prompt,
    state: PromptState,
    keys: tuple[str, ...],
    query_word: str,
    theme: Theme,
    text: TextCache,
) -> None:
    """The question, the choices (or how to pick a cell), then the verdict after the reveal;
    every line wraps, so the card reads the same over the board or in the left column."""
    edge = theme.line_px(2)
    draw_box(surface, card, theme, fill=theme.background, edge=theme.accent, edge_width=edge)
    width, x = card.width - 24, card.left + 12
    size = theme.font_px(18)
    y = _paragraph(
        surface, (x, card.top + 10), width, prompt.question, (size, theme.text, "bold"), text
    )
    if prompt.kind == "choice":
        y = _draw_choices(surface, card, prompt, state, keys, theme, text)
    colours = {"text": theme.text, "good": theme.good, "bad": theme.bad, "dim": theme.text_dim,
               "pick": theme.accent}  # fmt: skip
    for line, role in card_lines(prompt, state, keys, query_word):
        weight = "regular" if role == "dim" else "bold"
        y = _paragraph(
            surface, (x, y), width, line, (theme.font_px(16), colours[role], weight), text
        )


def _draw_choices(
    surface: pygame.Surface,
    card: pygame.Rect,
    prompt: Prompt,
    state: PromptState,
    keys: tuple[str, ...],
    theme: Theme,
    text: TextCache,
) -> int:
    """Numbered choices; after the reveal each with its real weight as a bar and a number."""
    rows = choice_rects(card, prompt, len(state.options), theme, text)
    reveal = state.reveal if state.revealed else None
    for k, (rect, column) in enumerate(zip(rows, state.options, strict=True)):
        picked, cursor = column == state.picked, k == state.cursor and not state.revealed
        edge, width = (theme.focus, theme.line_px(2)) if cursor else (theme.panel_edge, 1)
        draw_box(surface, rect, theme, fill=theme.panel, edge=edge, edge_width=width)
        if reveal is not None:
            share = pygame.Rect(
                rect.left + 1,
                rect.top + 1,
                round((rect.width - 2) * reveal.weight(column)),
                rect.height - 2,
            )
            pygame.draw.rect(
                surface, theme.good if reveal.is_right(column) else theme.panel_edge, share
            )
        label = f"{k + 1}   {keys[column]}"
        if reveal is not None:
            label += f"   {_percent(reveal.weight(column))}"
        colour = theme.accent if picked and reveal is None else theme.text
        image = fit_text(
            text,
            label,
            rect.width - 110,
            theme.font_px(18),
            colour,
            "bold" if picked else "regular",
        )
        surface.blit(image, image.get_rect(midleft=(rect.left + 12, rect.centery)))
        tag = "real answer" if reveal is not None and reveal.is_right(column) else ""
        tag = "prediction" + (" ✓" if tag else "") if picked else tag
        if tag:
            note = fit_text(text, tag, 130, theme.font_px(13), theme.text, "bold")
            surface.blit(note, note.get_rect(midright=(rect.right - 8, rect.centery)))
    return rows[-1].bottom + 8 if rows else card.top
