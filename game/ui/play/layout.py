"""Where the play screen's regions go on the 1280×720 logical canvas.

    ┌──────────────── top: back, head tabs, level controls, undo/redo/reset ───────────────┐
    │ left: title,      │ board: key cards, wires, query cards  │ right: heatmap             │
    │ explanation,      ├───────────────────────────────────────┼────────────────────────────┤
    │ hint, goals,      │ editor: query→key wires, value routes │ output feature bars        │
    │ stars, Check      │                                       │                            │
    └───────────────────┴───────────────────────────────────────┴────────────────────────────┘

Pure geometry from the theme (text sizes change how tall the left column's
parts are), so tests and screenshots agree with the game. `PlayLayout` gives
the regions; `editor_halves`, `hint_row` and `top_bar` give the rects the
scene's widgets move to inside them.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import pygame

from game.ui.engine.display import LOGICAL_SIZE
from game.ui.engine.theme import Theme

MARGIN = 10
GAP = 10
TOP_H = 60
LEFT_W = 320
RIGHT_W = 360
SPLIT = 0.56  # the board's share of the centre column's height
MIN_EXPLANATION_LINES = 4
GOAL_BAR_ROOM = 16  # px under each goal message: its progress bar and a gap
GOAL_TEXT_W = LEFT_W - 16  # the goal messages' wrap width (the left column's inside)
HINT_MAX_LINES = 4
NOWHERE = (0, 0, 1, 1)  # a widget's rect from its creation until the first layout moves it


@dataclass(frozen=True)
class PlayLayout:
    top: pygame.Rect
    left: pygame.Rect
    board: pygame.Rect
    editor: pygame.Rect
    heatmap: pygame.Rect
    outputs: pygame.Rect
    # inside the left column, top to bottom
    title: pygame.Rect
    explanation: pygame.Rect
    hint_button: pygame.Rect
    hint_text: pygame.Rect
    goals: pygame.Rect
    stars: pygame.Rect
    check: pygame.Rect

    goal_lines: int = 2  # lines per goal message: 1 when the column is cramped, 0: all it needs
    goal_px: int = 0  # the goal messages' text size (0: the theme's body size)

    @classmethod
    def fit(
        cls,
        theme: Theme,
        n_goals: int,
        hint_lines: int = 0,
        goal_text_lines: Sequence[int] | None = None,
        goal_px: int = 0,
    ) -> PlayLayout:
        """The layout for `theme`; `hint_lines` is the height of the hint shown (0: none).

        With `goal_text_lines` (how many lines each goal message wraps to in the
        column, see `goal_panel.goal_line_counts`) every goal gets all its lines:
        a goal is never cut, and the scrolling explanation gives up the room.
        Without, goal messages get two lines unless that leaves the explanation
        fewer than MIN_EXPLANATION_LINES, in which case they get one."""
        if goal_text_lines is not None:
            return cls._fit(theme, n_goals, hint_lines, 0, sum(goal_text_lines), goal_px)
        for goal_lines in (2, 1):
            layout = cls._fit(theme, n_goals, hint_lines, goal_lines, n_goals * goal_lines)
            if layout.explanation.height >= MIN_EXPLANATION_LINES * round(theme.font_px(15) * 1.3):
                break
        return layout

    @classmethod
    def _fit(
        cls,
        theme: Theme,
        n_goals: int,
        hint_lines: int,
        goal_lines: int,
        total_lines: int,
        goal_px: int = 0,
    ) -> PlayLayout:
        width, height = LOGICAL_SIZE
        top = pygame.Rect(0, 0, width, TOP_H)
        body_top = TOP_H + 4
        body_h = height - body_top - MARGIN
        left = pygame.Rect(MARGIN, body_top, LEFT_W, body_h)
        centre_x = left.right + GAP
        centre_w = width - MARGIN - RIGHT_W - GAP - centre_x
        board_h = round(body_h * SPLIT)
        board = pygame.Rect(centre_x, body_top, centre_w, board_h)
        editor = pygame.Rect(centre_x, board.bottom + GAP, centre_w, body_h - board_h - GAP)
        right_x = board.right + GAP
        heatmap = pygame.Rect(right_x, body_top, RIGHT_W, board_h)
        outputs = pygame.Rect(right_x, editor.top, RIGHT_W, editor.height)

        inner = left.inflate(-16, -16)
        line = lambda px: round(theme.font_px(px) * 1.3)  # noqa: E731
        title_h = line(24) + line(15) + 4
        title = pygame.Rect(inner.left, inner.top, inner.width, title_h)
        check_h = theme.font_px(22) + 18
        check = pygame.Rect(inner.left, inner.bottom - check_h, inner.width, check_h)
        stars_h = 3 * line(16) + 4
        stars = pygame.Rect(inner.left, check.top - 6 - stars_h, inner.width, stars_h)
        goal_line = round((goal_px or theme.font_px(15)) * 1.3)
        goal_h = line(18) + total_lines * goal_line + n_goals * GOAL_BAR_ROOM
        goals = pygame.Rect(inner.left, stars.top - 6 - goal_h, inner.width, goal_h)
        hint_text_h = hint_lines * round(theme.font_px(15) * 1.25)
        hint_text = pygame.Rect(inner.left, goals.top - 8 - hint_text_h, inner.width, hint_text_h)
        button_h = theme.font_px(18) + 14
        hint_button = pygame.Rect(inner.left, hint_text.top - 4 - button_h, inner.width, button_h)
        explanation = pygame.Rect(
            inner.left,
            title.bottom + 4,
            inner.width,
            max(20, hint_button.top - 8 - title.bottom - 4),
        )
        return cls(
            top, left, board, editor, heatmap, outputs,
            title, explanation, hint_button, hint_text, goals, stars, check, goal_lines, goal_px,
        )  # fmt: skip


def editor_halves(editor: pygame.Rect) -> tuple[pygame.Rect, pygame.Rect]:
    """The wire editor (left) and the value-route editor (right) side by side in `editor`."""
    half = editor.width // 2
    wires = pygame.Rect(editor.left, editor.top, half - 4, editor.height)
    values = pygame.Rect(editor.left + half + 4, editor.top, editor.width - half - 4, editor.height)
    return wires, values


def hint_row(row: pygame.Rect) -> tuple[pygame.Rect, pygame.Rect]:
    """The hint button and "Watch it learn" sharing the hint button's row, half each."""
    half = row.width // 2
    hint = pygame.Rect(row.left, row.top, half - 3, row.height)
    learn = pygame.Rect(row.left + half + 3, row.top, row.width - half - 3, row.height)
    return hint, learn


@dataclass(frozen=True)
class TopBar:
    back: pygame.Rect
    buttons: list[pygame.Rect]  # the right-hand buttons, left to right
    controls: list[pygame.Rect]  # the level's controls between Back and them, left to right


def top_bar(
    top: pygame.Rect,
    theme: Theme,
    button_widths: Sequence[int | None],
    control_widths: Sequence[int],
    tall: Sequence[bool],
) -> TopBar:
    """Rects in the top strip: Back on the left, buttons on the right (width None: square),
    and the level's controls between them at their wanted widths, shrunk together to fit.
    A `tall` control (a slider, with its label above the track) takes the strip's height."""
    h = min(44, theme.font_px(22) + 18)
    y = top.centery - h // 2
    back = pygame.Rect(10, y, max(90, theme.font_px(20) * 4), h)
    right = top.right - 10
    buttons = []
    for width in reversed(button_widths):
        w = h if width is None else width
        buttons.append(pygame.Rect(right - w, y, w, h))
        right -= w + 6
    buttons.reverse()
    left = back.right + 14
    room = right - 8 - left - 8 * max(0, len(control_widths) - 1)
    factor = min(1.0, room / (sum(control_widths) or 1))
    controls, x = [], left
    for wanted, is_tall in zip(control_widths, tall, strict=True):
        w = int(wanted * factor)
        if is_tall:
            controls.append(pygame.Rect(x, top.top + 3, w, top.height - 6))
        else:
            controls.append(pygame.Rect(x, y, w, h))
        x += w + 8
    return TopBar(back, buttons, controls)
