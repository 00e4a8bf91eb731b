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
from game.ui.engine.text import TextCache
from game.ui.engine.theme import Theme

MARGIN = 10
GAP = 10
TOP_H = 60
CONTROL_ROW_H = 56  # each further row of level controls under the top strip
LEFT_W = 320
RIGHT_W = 360
SPLIT = 0.56  # the board's share of the centre column's height
CROWDED_SPLIT = 0.42  # …on a level with more than CROWDED_FEATURES features (the editors
CROWDED_FEATURES = 10  # and the stream panel list every feature: they get the room)
MIN_EXPLANATION_LINES = 4
GOAL_BAR_ROOM = 16  # px under each goal message: its progress bar and a gap
SIDE_X = MARGIN + LEFT_W + GAP  # where the centre column starts; further control rows too
NARROW_ROW = LOGICAL_SIZE[0] - 10 - SIDE_X  # a further row over the centre and right columns
WIDE_ROW = LOGICAL_SIZE[0] - 20  # a further row across the screen, for one wide control
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

    @property
    def strips(self) -> list[pygame.Rect]:
        """The top strip as drawn: its rows across the whole screen (the first, and any row
        too wide for the centre), then the other rows over the centre and right columns."""
        across = self.left.top - 4 - self.top.top  # the left column starts under these rows
        first = pygame.Rect(0, self.top.top, self.top.width, across)
        if self.top.height <= across:
            return [first]
        below = pygame.Rect(
            SIDE_X - GAP // 2, first.bottom, self.top.width, self.top.height - across
        )
        return [first, below.clip(self.top)]

    @classmethod
    def fit(
        cls,
        theme: Theme,
        n_goals: int,
        hint_lines: int = 0,
        goal_text_lines: Sequence[int] | None = None,
        goal_px: int = 0,
        top_h: int = TOP_H,
        left_top: int = TOP_H,
        split: float = SPLIT,
        inset: int = 0,
    ) -> PlayLayout:
        """The layout for `theme` under a top strip `top_h` tall (taller when the level's
        controls need more rows, see `control_rows`), whose rows across the whole screen
        end at `left_top` (where the left column starts); `hint_lines` is the height of
        the hint shown (0: none). `inset` px at the top of the screen are left to a layer
        drawn over it (a lesson's caption bar): everything lays out below them.

        With `goal_text_lines` (how many lines each goal message wraps to in the
        column, see `goal_panel.goal_line_counts`) every goal gets all its lines:
        a goal is never cut, and the scrolling explanation gives up the room.
        Without, goal messages get two lines unless that leaves the explanation
        fewer than MIN_EXPLANATION_LINES, in which case they get one."""
        if goal_text_lines is not None:
            total = sum(goal_text_lines)
            return cls._fit(
                theme, n_goals, hint_lines, 0, total, goal_px, top_h, left_top, split, inset
            )
        for goal_lines in (2, 1):
            layout = cls._fit(
                theme, n_goals, hint_lines, goal_lines, n_goals * goal_lines, 0, top_h, left_top,
                split, inset,
            )  # fmt: skip
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
        top_h: int = TOP_H,
        left_top: int = TOP_H,
        split: float = SPLIT,
        inset: int = 0,
    ) -> PlayLayout:
        """The regions, top to bottom (see `fit`). Long because it is one geometry: every
        rect is placed from the ones above it, and split in two it would be read in two."""
        width, height = LOGICAL_SIZE
        top = pygame.Rect(0, inset, width, top_h)
        body_top = inset + top_h + 4
        left_top += inset
        body_h = height - body_top - MARGIN
        # The left column (the level's text, hints, goals, stars) starts under the strip's
        # rows across the screen; its other rows of controls sit over the centre and right.
        left = pygame.Rect(MARGIN, left_top + 4, LEFT_W, height - left_top - 4 - MARGIN)
        centre_x = left.right + GAP
        centre_w = width - MARGIN - RIGHT_W - GAP - centre_x
        board_h = round(body_h * split)
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
        # The hint button sits on the goals and the hint grows above it, so "Show a hint"
        # stays under the mouse however long the hints shown get.
        button_h = theme.font_px(18) + 14
        hint_button = pygame.Rect(inner.left, goals.top - 8 - button_h, inner.width, button_h)
        hint_text = pygame.Rect(
            inner.left, hint_button.top - 4 - hint_text_h, inner.width, hint_text_h
        )
        if hint_text.top - 8 - title.bottom - 4 < line(15):  # crowded: the title alone, so
            title.height = line(24) + 4  # the explanation keeps at least a line to scroll
        explanation = pygame.Rect(
            inner.left,
            title.bottom + 4,
            inner.width,
            max(20, hint_text.top - 8 - title.bottom - 4),
        )
        return cls(
            top, left, board, editor, heatmap, outputs,
            title, explanation, hint_button, hint_text, goals, stars, check, goal_lines, goal_px,
        )  # fmt: skip


def hint_lines(hint: str | None, theme: Theme, text: TextCache) -> int:
    """How many lines the shown hint takes in the left column (0: none shown)."""
    if hint is None:
        return 0
    width = LEFT_W - 16 - 8
    return min(HINT_MAX_LINES, len(text.wrap(hint, width, theme.font_px(15))))


def board_split(features: int) -> float:
    """The board's share of the centre column: less on a level with many features, whose
    editors (a row per feature) and stream panel would be unreadable in the usual share."""
    return CROWDED_SPLIT if features > CROWDED_FEATURES else SPLIT


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
    controls: list[pygame.Rect]  # the level's controls, in order (row by row)


def _strip(
    theme: Theme, button_widths: Sequence[int | None], top: int = 0
) -> tuple[pygame.Rect, list, int]:
    """Back, the right-hand buttons and the x where they start, in a strip at y = `top`."""
    h = min(44, theme.font_px(22) + 18)
    y = top + TOP_H // 2 - h // 2
    back = pygame.Rect(10, y, max(90, theme.font_px(20) * 4), h)
    right = LOGICAL_SIZE[0] - 10
    buttons = []
    for width in reversed(button_widths):
        w = h if width is None else width
        buttons.append(pygame.Rect(right - w, y, w, h))
        right -= w + 6
    buttons.reverse()
    return back, buttons, right


def first_row_room(theme: Theme, button_widths: Sequence[int | None]) -> int:
    """How wide the top strip's first row is between Back and the right-hand buttons."""
    back, _, right = _strip(theme, button_widths)
    return right - 8 - (back.right + 14)


def control_rows(
    theme: Theme, button_widths: Sequence[int | None], control_widths: Sequence[int]
) -> list[list[int]]:
    """The level's controls (indices) packed into rows at their wanted widths: the first
    row between Back and the buttons, more rows below over the centre and right columns
    (the left column keeps its height for the level's text and goals). Each
    control goes in the first row with room for it (order kept within a row), so as
    few rows as possible are added. A control too wide for the centre gets a row of its
    own across the whole screen; such rows come first, so the left column starts below
    them (`rows_across`)."""
    back, _, right = _strip(theme, button_widths)
    rows: list[list[int]] = [[]]
    rooms = [right - 8 - (back.right + 14)]
    used = [0]
    for k, wanted in enumerate(control_widths):
        for r, row in enumerate(rows):
            need = wanted + (8 if row else 0)
            if used[r] + need <= rooms[r]:
                row.append(k)
                used[r] += need
                break
        else:
            rows.append([k])
            rooms.append(NARROW_ROW if wanted <= NARROW_ROW else WIDE_ROW)
            used.append(wanted)
    further = sorted(rows[1:], key=lambda row: not _across(row, control_widths))
    return [rows[0], *further]  # the first row may be empty: everything went below


def _across(row: Sequence[int], control_widths: Sequence[int]) -> bool:
    """A further row too wide for the centre and right columns: it spans the screen."""
    return sum(control_widths[k] for k in row) + 8 * max(0, len(row) - 1) > NARROW_ROW


def rows_across(rows: Sequence[Sequence[int]], control_widths: Sequence[int]) -> int:
    """How many further rows span the whole screen (they come first, see control_rows)."""
    return sum(_across(row, control_widths) for row in rows[1:])


def control_row_h(theme: Theme) -> int:
    """The height of each further row of controls: a slider's label and track fit in it."""
    return max(CONTROL_ROW_H, round(theme.font_px(22) * 2.3))


def top_height(rows: Sequence[Sequence[int]], theme: Theme) -> int:
    """The top strip's height: one TOP_H row, and a control row for each further row."""
    return TOP_H + control_row_h(theme) * max(0, len(rows) - 1)


def left_top(rows: Sequence[Sequence[int]], control_widths: Sequence[int], theme: Theme) -> int:
    """Where the left column starts: under the first row and the rows across the screen."""
    return TOP_H + control_row_h(theme) * rows_across(rows, control_widths)


def top_bar(
    top: pygame.Rect,
    theme: Theme,
    button_widths: Sequence[int | None],
    control_widths: Sequence[int],
    tall: Sequence[bool],
    rows: Sequence[Sequence[int]] | None = None,
) -> TopBar:
    """Rects in the top strip: Back on the left, buttons on the right (width None: square),
    and the level's controls in `rows` (default: all between Back and the buttons), each
    row's controls at their wanted widths, shrunk together only if a row is too narrow.
    A `tall` control (a slider, with its label above the track) takes its row's height."""
    back, buttons, right = _strip(theme, button_widths, top.top)
    rows = [list(range(len(control_widths)))] if rows is None else rows
    h = back.height
    controls: dict[int, pygame.Rect] = {}
    for r, row in enumerate(rows):
        row_top = top.top + (0 if r == 0 else TOP_H + (r - 1) * control_row_h(theme))
        row_h = TOP_H if r == 0 else control_row_h(theme)
        across = r > 0 and _across(row, control_widths)
        left = back.right + 14 if r == 0 else (10 if across else SIDE_X)
        end = right - 8 if r == 0 else LOGICAL_SIZE[0] - 10
        room = end - left - 8 * max(0, len(row) - 1)
        factor = min(1.0, room / (sum(control_widths[k] for k in row) or 1))
        x = left
        for k in row:
            w = int(control_widths[k] * factor)
            if tall[k]:
                controls[k] = pygame.Rect(x, row_top + 3, w, row_h - 6)
            else:
                controls[k] = pygame.Rect(x, row_top + row_h // 2 - h // 2, w, h)
            x += w + 8
    return TopBar(back, buttons, [controls[k] for k in range(len(control_widths))])
