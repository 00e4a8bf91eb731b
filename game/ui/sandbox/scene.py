"""The sandbox: free play on any sentence, with any architecture, scheme and head count.

The setup screen collects a sentence (and, for an encoder–decoder, its
translation), an architecture and a positional scheme from the registry, a
number of heads, and which preset features each word has (a word × feature
grid: click a cell, or arrows + Space). Start turns that into a level table in
memory (`sandbox_table`), loads it with the same loader the level files use
(`load_level_table(table, "sandbox", registry)`) and opens the ordinary play
screen on it. A table the loader refuses is shown as its messages, never a crash.

Keys: Tab / Shift+Tab move between controls, typing goes into the focused text
line, Enter starts, Esc goes back, F1 help.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

import pygame

from game.levels.errors import LevelError
from game.levels.loader import load_level_table
from game.levels.schema import CONCEPTS, Level
from game.model import BoardError, Catalog
from game.ui.engine.display import LOGICAL_SIZE
from game.ui.engine.look import Look
from game.ui.engine.text import TextCache
from game.ui.engine.theme import Theme
from game.ui.help.overlay import COMMON_SHORTCUTS, HelpOverlay
from game.ui.widgets import Button, TabBar, Widget
from game.ui.widgets.base import LEFT_BUTTON, blit_centred, draw_box, fit_text, mix
from game.ui.widgets.menu_scene import MenuScene
from game.ui.widgets.text_field import TextField

SANDBOX_ID = "sandbox"
FEATURES = ("noun", "verb", "pronoun", "adj", "det")
POSITION_FEATURE = "position"
MAX_HEADS = 4
DEFAULT_SENTENCE = "the trophy did not fit in the suitcase because it was too big"
DEFAULT_TARGET = "le trophée ne rentrait pas dans la valise car il était trop grand"
SCHEME_ORDER = ("none", "sinusoidal", "learned", "rope", "alibi")
BLOCK_PREFERENCE = ("cross", "decoder self", "encoder self", "self")

# A small lexicon so typed words start with sensible features; the grid changes them.
LEXICON: dict[str, tuple[str, ...]] = {
    **dict.fromkeys(
        ("the", "a", "an", "this", "that", "these", "those", "my", "your", "his", "its", "our",
         "their", "some", "every", "le", "la", "les", "un", "une", "der", "die", "das"),
        ("det",),
    ),
    **dict.fromkeys(
        ("it", "he", "she", "they", "i", "you", "we", "him", "her", "them", "me", "us", "il",
         "elle", "ils", "er", "sie", "es"),
        ("pronoun",),
    ),
    **dict.fromkeys(
        ("is", "was", "are", "were", "be", "did", "do", "does", "fit", "sat", "ran", "saw", "ate",
         "had", "has", "have", "went", "said", "made", "stayed", "sing", "sang", "loves",
         "rentrait", "était", "est", "ist"),
        ("verb",),
    ),
    **dict.fromkeys(
        ("big", "small", "large", "little", "old", "new", "red", "blue", "good", "bad", "tall",
         "short", "heavy", "light", "happy", "sad", "grand", "petit", "petite", "grande"),
        ("adj",),
    ),
    **dict.fromkeys(
        ("trophy", "suitcase", "cat", "dog", "mat", "man", "woman", "ball", "house", "book",
         "city", "tree", "bird", "birds", "home", "trophée", "valise", "chat", "chien"),
        ("noun",),
    ),
}  # fmt: skip


def guess_features(word: str) -> set[str]:
    """The lexicon's features for `word` (case-insensitive); unknown words have none."""
    return set(LEXICON.get(word.lower(), ()))


def distinct_words(*sentences: Sequence[str]) -> list[str]:
    """Every word of the sentences once, in order of first appearance."""
    seen: dict[str, None] = {}
    for sentence in sentences:
        for word in sentence:
            seen.setdefault(word, None)
    return list(seen)


def scheme_names(catalog: Catalog) -> list[str]:
    """The installed positional schemes, the built-ins in teaching order first."""
    names = list(catalog.positional)
    return [n for n in SCHEME_ORDER if n in names] + sorted(
        n for n in names if n not in SCHEME_ORDER
    )


def head_blocks(catalog: Catalog, architecture: str, heads: int) -> list[str]:
    """A block for each head: cross-attention first where there is one, then the others."""
    blocks = [block.name for block in catalog.architectures[architecture].blocks]
    ordered = [b for b in BLOCK_PREFERENCE if b in blocks] + [
        b for b in blocks if b not in BLOCK_PREFERENCE
    ]
    return [ordered[h % len(ordered)] for h in range(heads)]


def sandbox_table(
    catalog: Catalog,
    *,
    words: Sequence[str],
    architecture: str,
    positional: str,
    heads: int,
    features: Mapping[str, set[str] | frozenset[str]],
    target: Sequence[str] = (),
) -> dict[str, Any]:
    """A level table for free play: every control on, one easy goal, no held-out sentences.

    `features` maps a word to its preset features (missing words have none).
    Every installed scheme is in the level's list (the chosen one first), so the
    player can switch in play; they all write position into one extra `position`
    feature (the learned scheme's table marks the first word). The goal, a
    `diagonal` pattern within 1.0, is always met: it is there so the goal panel
    and Check have something to show, not to judge.
    """
    arch = catalog.architectures.get(architecture)
    sequences = tuple(arch.sequences) if arch is not None else ("tokens",)
    sentence: dict[str, Any]
    if sequences == ("source", "target"):
        sentence = {"source": list(words), "target": list(target)}
        all_words = distinct_words(words, target)
    else:
        sentence = {"tokens": list(words)}
        all_words = distinct_words(words)
    schemes = [positional] + [n for n in scheme_names(catalog) if n != positional]
    longest = max(1, len(words), len(target))
    table: dict[str, Any] = {
        "format_version": 1,
        "id": SANDBOX_ID,
        "title": "Sandbox",
        "concept": architecture if architecture in CONCEPTS else "qkv",
        "explanation": (
            f"Free play: the {architecture} architecture with the {positional} positional "
            "scheme. Wire any query feature to any key feature, route values, switch the "
            "scheme, the scale and the temperature, and watch the heatmap follow. The "
            "goal only asks for a roughly diagonal pattern, so Check always has "
            "something to say; there are no unseen sentences here."
        ),
        "hints": [
            "Start with one wire: noun → noun, and see who looks at whom.",
            "A negative wire pushes attention away; try pronoun → det at −3.",
            "Switch the positional scheme in the top bar and wire position → position.",
        ],
        "architecture": architecture,
        "positional": schemes,
        "features": [*FEATURES, POSITION_FEATURE],
        "heads": heads,
        "par": 8,
        "controls": {
            "scale": True,
            "temperature": True,
            "positional": True,
            "positional_parameter": True,
            "wires": True,
            "values": True,
            "mix": True,
        },
        "vocab": {
            word: {f: 1.0 for f in FEATURES if f in features.get(word, ())} for word in all_words
        },
        "sentences": [sentence],
        "goals": [{"type": "pattern", "pattern": "diagonal", "within": 1.0}],
        "positional_features": [POSITION_FEATURE],
    }
    if architecture in catalog.architectures:
        table["start"] = {
            "heads": [{"block": b} for b in head_blocks(catalog, architecture, heads)]
        }
    if "learned" in schemes:
        table["positional_settings"] = {"learned": {"table": [[1.0]] + [[0.0]] * (longest - 1)}}
    return table


def load_sandbox(table: Mapping[str, Any], catalog: Catalog) -> Level:
    """The sandbox level, through the same loader as level files (raises LevelError)."""
    return load_level_table(table, SANDBOX_ID, catalog)


class FeatureGrid(Widget):
    """Words down, features across; a filled cell means the word has that feature.

    Click a cell, or move with the arrows and press Space (Enter is Start). ↑ on the first
    row and ↓ on the last leave the grid (the focus group moves on). The wheel
    scrolls a grid taller than its box.
    """

    def __init__(
        self,
        rect: pygame.Rect | tuple[int, int, int, int],
        features: Sequence[str],
        on_toggle: Callable[[str, str], None],
    ):
        super().__init__(rect)
        self.features = list(features)
        self.on_toggle = on_toggle
        self.words: list[str] = []
        self.on: Mapping[str, set[str]] = {}
        self.row = self.col = 0
        self.scroll = 0
        self.row_px = 28  # set by the scene's layout, from the theme
        self.footer_px = 18  # the "1–13 of 25 words" line under a list that scrolls; ditto

    def set_words(self, words: Sequence[str], on: Mapping[str, set[str]]) -> None:
        self.words, self.on = list(words), on
        self.row = min(self.row, max(0, len(self.words) - 1))
        self._keep_visible()

    # -- geometry ------------------------------------------------------------------
    def header_rect(self) -> pygame.Rect:
        return pygame.Rect(self.rect.left, self.rect.top, self.rect.width, self.row_px + 6)

    def word_width(self) -> int:
        return round(self.rect.width * 0.34)

    def visible_rows(self) -> int:
        room = self.rect.height - self.header_rect().height - 4
        if len(self.words) > room // self.row_px:  # it scrolls: leave room for the count
            room -= self.footer_px
        return max(1, room // self.row_px)

    def cell_rect(self, row: int, col: int) -> pygame.Rect:
        left = self.rect.left + self.word_width()
        width = (self.rect.width - self.word_width()) // max(1, len(self.features))
        top = self.header_rect().bottom + 2 + (row - self.scroll) * self.row_px
        return pygame.Rect(left + col * width, top, width, self.row_px)

    def cell_at(self, pos: tuple[int, int]) -> tuple[int, int] | None:
        for row in range(self.scroll, min(len(self.words), self.scroll + self.visible_rows())):
            for col in range(len(self.features)):
                if self.cell_rect(row, col).collidepoint(pos):
                    return row, col
        return None

    def _keep_visible(self) -> None:
        shown = self.visible_rows()
        most = max(0, len(self.words) - shown)
        if self.row < self.scroll:
            self.scroll = self.row
        elif self.row >= self.scroll + shown:
            self.scroll = self.row - shown + 1
        self.scroll = min(max(0, self.scroll), most)

    # -- input ---------------------------------------------------------------------
    def toggle(self, row: int, col: int) -> None:
        if 0 <= row < len(self.words) and 0 <= col < len(self.features):
            self.on_toggle(self.words[row], self.features[col])

    def handle_wheel(self, event: pygame.event.Event, pos: tuple[int, int] | None) -> bool:
        if pos is None or not self.rect.collidepoint(pos):
            return False
        most = max(0, len(self.words) - self.visible_rows())
        self.scroll = min(most, max(0, self.scroll - (1 if event.y > 0 else -1)))
        self.row = min(max(self.row, self.scroll), self.scroll + self.visible_rows() - 1)
        return True

    def handle_mouse(self, event: pygame.event.Event) -> bool:
        if event.type == pygame.MOUSEBUTTONDOWN and event.button == LEFT_BUTTON:
            cell = self.cell_at(event.pos)
            if cell is not None:
                self.row, self.col = cell
                self.toggle(*cell)
                return True
            return self.rect.collidepoint(event.pos)
        return False

    def handle_key(self, event: pygame.event.Event) -> bool:
        key = event.key
        if key == pygame.K_UP and self.row > 0:
            self.row -= 1
        elif key == pygame.K_DOWN and self.row < len(self.words) - 1:
            self.row += 1
        elif key == pygame.K_LEFT:
            self.col = max(0, self.col - 1)
        elif key == pygame.K_RIGHT:
            self.col = min(len(self.features) - 1, self.col + 1)
        elif key == pygame.K_SPACE and self.words:  # Enter is left for Start
            self.toggle(self.row, self.col)
        else:
            return False
        self._keep_visible()
        return True

    # -- drawing -------------------------------------------------------------------
    def draw(self, surface: pygame.Surface, theme: Theme, text: TextCache) -> None:
        draw_box(surface, self.rect, theme, fill=theme.panel, edge=theme.panel_edge, edge_width=1)
        size = min(theme.font_px(16), self.row_px - 6)
        header = self.header_rect()
        for col, feature in enumerate(self.features):
            cell = self.cell_rect(0, col)
            image = fit_text(text, feature, cell.width - 4, size, theme.text_dim, "bold", 8)
            blit_centred(surface, image, (cell.centerx, header.centery))
        words_title = fit_text(text, "word", self.word_width() - 12, size, theme.text_dim, "bold")
        surface.blit(
            words_title, words_title.get_rect(midleft=(self.rect.left + 10, header.centery))
        )
        pygame.draw.line(
            surface, theme.panel_edge, (self.rect.left + 6, header.bottom),
            (self.rect.right - 6, header.bottom), theme.line_px(1),
        )  # fmt: skip
        last = min(len(self.words), self.scroll + self.visible_rows())
        for row in range(self.scroll, last):
            word = self.words[row]
            cell0 = self.cell_rect(row, 0)
            ink = theme.text if row != self.row or not self.focused else theme.focus
            image = fit_text(text, word, self.word_width() - 16, size, ink, min_size=8)
            surface.blit(image, image.get_rect(midleft=(self.rect.left + 10, cell0.centery)))
            has = self.on.get(word, set())
            for col, feature in enumerate(self.features):
                self._draw_cell(surface, theme, row, col, feature in has)
        if not self.words:
            note = fit_text(text, "Type a sentence to fill the grid.", self.rect.width - 20,
                            size, theme.text_dim)  # fmt: skip
            blit_centred(surface, note, self.rect.center)
        if len(self.words) > self.visible_rows():
            note = text.render(
                f"{self.scroll + 1}–{last} of {len(self.words)} words (wheel scrolls)",
                theme.font_px(12), theme.text_dim,
            )  # fmt: skip
            surface.blit(
                note, note.get_rect(bottomright=(self.rect.right - 8, self.rect.bottom - 2))
            )
        self.draw_focus(surface, theme)

    def _draw_cell(self, surface: pygame.Surface, theme: Theme, row: int, col: int, on: bool):
        cell = self.cell_rect(row, col)
        side = max(8, min(cell.width, cell.height) - 8)
        box = pygame.Rect(0, 0, side, side)
        box.center = cell.center
        cursor = self.focused and (row, col) == (self.row, self.col)
        fill = theme.accent if on else theme.background
        edge = theme.focus if cursor else (fill if on else theme.panel_edge)
        pygame.draw.rect(surface, fill, box, border_radius=4)
        pygame.draw.rect(surface, edge, box, theme.line_px(3 if cursor else 1), border_radius=4)


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
        self.architectures = sorted(catalog.architectures, key=lambda n: (n != "encoder", n))
        self.schemes = scheme_names(catalog)
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
    def heads(self) -> int:
        return self.head_tabs.selected + 1

    @property
    def two_sentences(self) -> bool:
        arch = self.catalog.architectures.get(self.architecture)
        return arch is not None and tuple(arch.sequences) == ("source", "target")

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

__all__ = [
    "DEFAULT_SENTENCE",
    "FeatureGrid",
    "SandboxScene",
    "guess_features",
    "load_sandbox",
    "sandbox_table",
]
