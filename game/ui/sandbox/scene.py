"""The sandbox: free play on any sentence, with any architecture, scheme and head count.

The setup screen collects a sentence (and, for an encoder–decoder, its
translation), an architecture and a positional scheme from the registry, a
number of heads, and which preset features each word has (a word × feature
grid: click a cell, or arrows + Space). Start turns that into a level table in
memory and loads it with the same loader the level files use (both in
`game.levels.sandbox`, with the lexicon and the choice of schemes and blocks),
then opens the ordinary play screen on it. A table the loader refuses is shown
as its messages, never a crash. This module holds only the widgets, the layout
and the drawing.

Keys: Tab / Shift+Tab move between controls, typing goes into the focused text
line, Enter starts, Esc goes back, F1 help.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pygame

from game.levels.errors import LevelError
from game.levels.sandbox import (
    DEFAULT_SENTENCE,
    DEFAULT_TARGET,
    FEATURES,
    MAX_HEADS,
    architecture_names,
    distinct_words,
    guess_features,
    load_sandbox,
    needs_target,
    pattern_names,
    sandbox_table,
    scheme_names,
)
from game.levels.schema import Level
from game.model import BoardError, Catalog
from game.ui.engine.display import LOGICAL_SIZE
from game.ui.engine.failure import describe_failure
from game.ui.engine.look import Look
from game.ui.engine.text import TextCache
from game.ui.engine.theme import Theme
from game.ui.help.overlay import COMMON_SHORTCUTS, HelpOverlay
from game.ui.widgets import Button, TabBar
from game.ui.widgets.base import blit_centred, draw_box, fit_text, mix
from game.ui.widgets.feature_grid import FeatureGrid
from game.ui.widgets.menu_scene import MenuScene
from game.ui.widgets.text_field import TextField

OnStart = Callable[[Level], None]


class SandboxScene(MenuScene):
    """The setup screen; `on_start(level)` opens the play screen (default: push one)."""

    def __init__(
        self,
        look: Look,
        catalog: Catalog,
        *,
        on_start: OnStart | None = None,
        on_back: Callable[[], None] | None = None,
        sentence: str = DEFAULT_SENTENCE,
        target: str = DEFAULT_TARGET,
    ):
        self.catalog = catalog
        self.on_start = on_start
        self.on_back = on_back
        self.architectures = architecture_names(catalog)
        self.schemes = scheme_names(catalog)
        self.patterns = pattern_names(catalog)
        self.sentence_text, self.target_text = sentence, target
        self.features: dict[str, set[str]] = {}
        self.messages: list[str] = []
        self.mouse_pos: tuple[int, int] | None = None
        self.labels: list[tuple[str, pygame.Rect]] = []
        self.heading_y = 0
        self.messages_rect = pygame.Rect(0, 0, 1, 1)
        super().__init__(look)
        self._sync_words()

    # -- state ---------------------------------------------------------------------
    @property
    def architecture(self) -> str:
        return self.architectures[self.arch_tabs.selected] if self.architectures else ""

    @property
    def positional(self) -> str:
        return self.schemes[self.scheme_tabs.selected] if self.schemes else "none"

    @property
    def pattern(self) -> str:
        return self.patterns[self.pattern_tabs.selected]

    @property
    def heads(self) -> int:
        return self.head_tabs.selected + 1

    @property
    def two_sentences(self) -> bool:
        return needs_target(self.catalog, self.architecture)

    def words(self) -> list[str]:
        return self.sentence_text.split()

    def target_words(self) -> list[str]:
        return self.target_text.split() if self.two_sentences else []

    def _sync_words(self) -> None:
        """The grid's rows follow the sentences; new words start with the lexicon's guess."""
        words = distinct_words(self.words(), self.target_words())
        for word in words:
            if word not in self.features:
                self.features[word] = guess_features(word)
        self.grid.set_words(words, self.features)
        self.target_field.enabled = self.two_sentences

    def set_sentence(self, value: str) -> None:
        self.sentence_text = value
        self.messages = []
        self._sync_words()

    def set_target(self, value: str) -> None:
        self.target_text = value
        self.messages = []
        self._sync_words()

    def toggle_feature(self, word: str, feature: str) -> None:
        self.features.setdefault(word, set()).symmetric_difference_update({feature})

    def table(self) -> dict[str, Any]:
        return sandbox_table(
            self.catalog,
            words=self.words(),
            target=self.target_words(),
            architecture=self.architecture,
            positional=self.positional,
            heads=self.heads,
            features=self.features,
            pattern=self.pattern,
        )

    def build_level(self) -> Level | None:
        """The sandbox level, or None with `messages` saying why not."""
        if not self.words():
            self.messages = ["Type a sentence first: the words are the tokens."]
            return None
        if self.two_sentences and not self.target_words():
            self.messages = ["An encoder–decoder needs a target sentence too (its translation)."]
            return None
        try:
            level = load_sandbox(self.table(), self.catalog)
        except LevelError as error:
            self.messages = [str(problem) for problem in error.problems] or [str(error)]
            return None
        self.messages = []
        return level

    def start(self) -> None:
        level = self.build_level()
        if level is None:
            return
        try:
            if self.on_start is not None:
                self.on_start(level)
            else:
                from game.ui.play import PlayScene

                self.stack.push(PlayScene(self.look, level, self.catalog, on_back=self.back_here))
        except BoardError as error:
            self.messages = [f"sandbox: {error}"]
        except Exception as error:  # plugin code (a scheme, a goal) failing on this sentence
            self.messages = [f"sandbox: {describe_failure(error)}"]

    def back_here(self) -> None:
        """From the play screen (or its results) back to this setup screen."""
        while self.stack.top is not None and self.stack.top is not self:
            self.stack.pop()

    def back(self) -> None:
        if self.on_back is not None:
            self.on_back()
        elif self.stack.top is self:
            self.stack.pop()

    # -- widgets ---------------------------------------------------------------------
    def build(self) -> None:
        self.sentence_field = self.group.add(
            TextField((0, 0, 1, 1), "Sentence (the tokens)", self.sentence_text, self.set_sentence)
        )
        self.target_field = self.group.add(
            TextField(
                (0, 0, 1, 1), "Target sentence (the translation, for the decoder)",
                self.target_text, self.set_target,
            )
        )  # fmt: skip
        self.arch_tabs = self.group.add(
            TabBar((0, 0, 1, 1), self.architectures or ["none"], 0, lambda _: self._changed())
        )
        self.scheme_tabs = self.group.add(
            TabBar((0, 0, 1, 1), self.schemes or ["none"], 0, lambda _: self._changed())
        )
        self.pattern_tabs = self.group.add(
            TabBar((0, 0, 1, 1), self.patterns, 0, lambda _: self._changed())
        )
        self.head_tabs = self.group.add(
            TabBar((0, 0, 1, 1), [str(h) for h in range(1, MAX_HEADS + 1)], 0, lambda _: None)
        )
        self.grid = self.group.add(FeatureGrid((0, 0, 1, 1), FEATURES, self.toggle_feature))
        self.back_button = self.group.add(Button((0, 0, 1, 1), "Back", self.back))
        self.start_button = self.group.add(Button((0, 0, 1, 1), "Start", self.start, primary=True))

    def _changed(self) -> None:
        self.messages = []
        self._sync_words()

    def layout(self, theme: Theme) -> None:
        width, height = LOGICAL_SIZE
        margin, gap = 48, max(10, theme.line_px(10))
        heading_px = min(theme.font_px(40), 60)
        self.heading_y = 18 + heading_px // 2 + 4
        top = self.heading_y + round(heading_px * 0.6) + round(theme.font_px(18) * 1.4) + 8
        button_h = theme.font_px(24) + 20
        bottom = height - 20 - button_h
        left_w = round((width - 2 * margin) * 0.52)
        x0, x1 = margin, margin + left_w + 32
        label_h = round(theme.font_px(16) * 1.3)
        field_h = label_h + theme.font_px(22) + 18
        tab_h = theme.font_px(20) + 16
        y = top
        self.sentence_field.rect = pygame.Rect(x0, y, left_w, field_h)
        y += field_h + gap
        self.target_field.rect = pygame.Rect(x0, y, left_w, field_h)
        y += field_h + gap
        self.labels = []
        for label, tabs in (
            ("Architecture", self.arch_tabs),
            ("Positional scheme", self.scheme_tabs),
            ("Attention (dense, sparse or linear)", self.pattern_tabs),
            ("Heads", self.head_tabs),
        ):
            self.labels.append((label, pygame.Rect(x0, y, left_w, label_h)))
            tabs.rect = pygame.Rect(x0, y + label_h, left_w if tabs is not self.head_tabs
                                    else min(left_w, 4 * (tab_h + 40)), tab_h)  # fmt: skip
            y += label_h + tab_h + gap
        self.messages_rect = pygame.Rect(x0, y, left_w, max(20, bottom - gap - y))
        grid_top = top + label_h + theme.line_px(6)  # room for the focus ring under the label
        self.labels.append(
            ("Features of each word", pygame.Rect(x1, top, width - margin - x1, label_h))
        )
        self.grid.rect = pygame.Rect(x1, grid_top, width - margin - x1, bottom - gap - grid_top)
        self.grid.row_px = max(18, min(34, theme.font_px(16) + 12))
        self.grid.footer_px = round(theme.font_px(12) * 1.4)
        self.grid.set_words(self.grid.words, self.features)
        self.back_button.rect = pygame.Rect(
            margin, bottom, max(160, theme.font_px(24) * 6), button_h
        )
        start_w = max(220, theme.font_px(24) * 8)
        self.start_button.rect = pygame.Rect(width - margin - start_w, bottom, start_w, button_h)

    # -- events ----------------------------------------------------------------------
    def handle_event(self, event: pygame.event.Event) -> bool:
        if event.type == pygame.TEXTINPUT:
            focused = self.group.focused
            return isinstance(focused, TextField) and focused.handle_text(event)
        if event.type == pygame.MOUSEMOTION:
            self.mouse_pos = event.pos
        if event.type == pygame.MOUSEWHEEL:
            return self.grid.handle_wheel(event, self.mouse_pos)
        if event.type == pygame.KEYDOWN:
            if event.key == pygame.K_ESCAPE:
                self.back()
                return True
            if event.key == pygame.K_F1:
                self.stack.push(HelpOverlay(self.look, SANDBOX_SHORTCUTS))
                return True
        if super().handle_event(event):
            return True
        if event.type == pygame.KEYDOWN and event.key in (pygame.K_RETURN, pygame.K_KP_ENTER):
            self.start()  # Enter in a text line (or anywhere nothing else uses it) starts
            return True
        return False

    # -- drawing -------------------------------------------------------------------
    def draw(self, surface: pygame.Surface) -> None:
        theme, text = self.look.theme, self.look.text
        width = LOGICAL_SIZE[0]
        heading = text.render("Sandbox", min(theme.font_px(40), 60), theme.text, "bold")
        blit_centred(surface, heading, (width // 2, self.heading_y))
        sub = fit_text(
            text, "Any sentence, any architecture, any scheme: build heads freely.",
            width - 96, theme.font_px(18), theme.text_dim,
        )  # fmt: skip
        blit_centred(
            surface, sub, (width // 2, self.heading_y + round(min(theme.font_px(40), 60) * 0.6)
                           + sub.get_height() // 2 + 2),
        )  # fmt: skip
        for label, rect in self.labels:
            image = fit_text(text, label, rect.width, theme.font_px(16), theme.text_dim)
            surface.blit(image, (rect.left + 2, rect.top))
        self._draw_messages(surface, theme, text)
        super().draw(surface)

    def _draw_messages(self, surface: pygame.Surface, theme: Theme, text: TextCache) -> None:
        rect = self.messages_rect
        size = theme.font_px(15)
        line = round(size * 1.3)
        if not self.messages:
            n = len(self.words())
            info = f"{n} token{'s' if n != 1 else ''}"
            if self.two_sentences:
                info += f" in the source, {len(self.target_words())} in the target"
            info += f" · {len(FEATURES) + 1} features (the last, position, is the scheme's)"
            image = fit_text(text, info, rect.width, size, theme.text_dim)
            surface.blit(image, (rect.left + 2, rect.top))
            return
        box = rect.inflate(0, 0)
        draw_box(surface, box, theme, fill=mix(theme.panel, theme.bad, 0.12), edge=theme.bad,
                 edge_width=1)  # fmt: skip
        lines: list[str] = []
        for message in self.messages:
            lines += text.wrap(message, rect.width - 16, size)
        room = max(1, (rect.height - 8) // line)
        if len(lines) > room:
            lines = [*lines[: room - 1], f"… and {len(lines) - room + 1} more lines"]
        for k, part in enumerate(lines):
            image = fit_text(text, part, rect.width - 16, size, theme.text)
            surface.blit(image, (rect.left + 8, rect.top + 4 + k * line))


SANDBOX_SHORTCUTS = (
    (
        "Sandbox",
        (
            ("Type", "Into the focused sentence line"),
            ("Backspace", "Delete a letter (Ctrl: a word)"),
            ("Arrows + Space", "Move in the feature grid, toggle a cell"),
            ("Enter", "Start: build the level and play it"),
            ("Esc", "Back"),
        ),
    ),
    *COMMON_SHORTCUTS,
)

__all__ = ["SandboxScene"]
