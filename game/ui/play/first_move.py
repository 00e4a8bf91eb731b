"""The guided first move of a tutorial level: how to lay a wire, shown on the editor itself.

A level with `first_move` (docs/levels.md) names a query feature and a key
feature. While the head has no wires, `FirstMoveGuide` highlights those two
sockets of the wire editor, moves a ghost dot along the drag from one to the
other, and says in a line how to do it with the mouse and with the keys alone
(the editor's cursor waits on the query socket, so Enter starts the move). Once
a wire is laid the guide turns to the second half of the move, the strength:
"scroll over the wire (or ←/→)", and it is gone for good once the strength has
changed. Time comes in as `update(dt)`; drawing reads the guide and never
changes it.
"""

from __future__ import annotations

import math

import pygame

from game.ui.engine.text import TextCache
from game.ui.engine.theme import Theme
from game.ui.play.wire_editor import LEFT, RIGHT, LinkEditor
from game.ui.widgets.base import fit_text, mix

DRAG_SECONDS = 1.6  # one ghost drag from the query socket to the key socket
LAY, STRENGTH, DONE = "lay", "strength", "done"


class FirstMoveGuide:
    """The two steps of the first move: lay one wire, then change its strength."""

    def __init__(self, editor: LinkEditor, query: str, key: str):
        self.editor, self.query, self.key = editor, query, key
        self.stage = LAY
        self.clock = 0.0
        self.strength: float | None = None  # the first wire's strength when it was laid

    @classmethod
    def for_level(cls, editor: LinkEditor, level) -> FirstMoveGuide | None:
        """The level's guide, or None when it has none (or names features it does not have)."""
        move = level.first_move
        if move is None or not level.controls.wires:
            return None
        if move.query not in level.features or move.key not in level.features:
            return None
        return cls(editor, move.query, move.key)

    @property
    def active(self) -> bool:
        return self.stage != DONE

    def place_cursor(self) -> None:
        """Put the editor's keyboard cursor on the query socket, so Enter starts the move."""
        if self.stage == LAY:
            self.editor.column, self.editor.row = LEFT, self.editor.features.index(self.query)

    def follow(self, links) -> None:
        """Move on as the board changes: a wire laid, then its strength changed."""
        if self.stage == LAY and links:
            self.stage, self.strength = STRENGTH, links[0].strength
        elif self.stage == STRENGTH:
            if not links:
                return  # undone: wait for a wire again
            if self.strength is not None and links[0].strength != self.strength:
                self.stage = DONE

    def update(self, dt: float) -> None:
        self.clock += dt

    def keys_line(self) -> str:
        """How to lay the wire with the keys alone, from where the cursor waits."""
        rows = self.editor.features.index(self.key) - self.editor.features.index(self.query)
        arrow = "down" if rows > 0 else "up"
        moves = (
            ""
            if rows == 0
            else f", the {arrow} arrow{' ×' + str(abs(rows)) if abs(rows) > 1 else ''}"
        )
        return f"Keys: Enter, the right arrow{moves}, Enter."

    def caption(self) -> tuple[str, str]:
        if self.stage == LAY:
            return (f"First move: drag from {self.query} to {self.key}.", self.keys_line())
        return (
            "Now scroll over the wire to change its strength.",
            "Keys: the right arrow onto the wire, then the left and right arrows.",
        )

    # -- drawing ---------------------------------------------------------------------
    def draw(self, surface: pygame.Surface, theme: Theme, text: TextCache) -> None:
        if not self.active or self.query not in self.editor.features:
            return
        pulse = 0.5 + 0.5 * math.sin(self.clock * 4.0)
        glow = mix(theme.focus, theme.accent, pulse)
        width = theme.line_px(3)
        if self.stage == LAY:
            for column, feature in ((LEFT, self.query), (RIGHT, self.key)):
                rect = self.editor.socket_rect(column, self.editor.features.index(feature))
                pygame.draw.rect(surface, glow, rect.inflate(6, 6), width, border_radius=6)
            start, end = self.editor.port(LEFT, self.query), self.editor.port(RIGHT, self.key)
            t = (self.clock % DRAG_SECONDS) / DRAG_SECONDS
            t = t * t * (3 - 2 * t)  # ease in and out
            at = (
                round(start[0] + (end[0] - start[0]) * t),
                round(start[1] + (end[1] - start[1]) * t),
            )
            dash = mix(theme.panel, theme.focus, 0.5)
            pygame.draw.line(surface, dash, start, at, max(1, width - 1))
            pygame.draw.circle(surface, theme.focus, at, max(5, width * 2))
        self._draw_caption(surface, theme, text)

    def _draw_caption(self, surface: pygame.Surface, theme: Theme, text: TextCache) -> None:
        """Two lines in a box over the editor's heading (the sockets stay in sight)."""
        rect = self.editor.rect
        size = theme.font_px(13)
        lines = [
            fit_text(text, line, rect.width - 24, size, theme.text, "bold" if k == 0 else "regular")
            for k, line in enumerate(self.caption())
        ]
        height = sum(image.get_height() for image in lines) + 8
        box = pygame.Rect(rect.left + 4, rect.top + 3, rect.width - 8, height)
        pygame.draw.rect(surface, mix(theme.panel, theme.focus, 0.18), box, border_radius=6)
        pygame.draw.rect(surface, theme.focus, box, theme.line_px(1), border_radius=6)
        y = box.top + 4
        for image in lines:
            surface.blit(image, image.get_rect(midtop=(box.centerx, y)))
            y += image.get_height()


__all__ = ["FirstMoveGuide"]
