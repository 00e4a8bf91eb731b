"""Fonts and rendered text, cached: rendering text is the slowest thing a frame does.

Fonts load on first use, never at import time, so importing the UI opens no
files and needs no display.
"""

from __future__ import annotations

from collections import OrderedDict
from pathlib import Path

import pygame

FONT_DIR = Path(__file__).resolve().parents[2] / "assets" / "fonts"  # game/ui/engine/ -> game/
FONT_FILES = {
    "regular": "AtkinsonHyperlegible-Regular.ttf",
    "bold": "AtkinsonHyperlegible-Bold.ttf",
}

# Characters the bundled font lacks (it would draw a box), and what is drawn instead.
# Model and plugin messages use them freely ("pronoun → bulky", "QKᵀ").
GLYPH_FALLBACKS = {"→": "->", "←": "<-", "↑": "^", "↓": "v", "Σ": "sum ", "ᵀ": "^T", "★": "*"}
_FALLBACK_TABLE = str.maketrans(GLYPH_FALLBACKS)


def drawable(text: str) -> str:
    """`text` with the characters the font lacks replaced by plain ones."""
    return text.translate(_FALLBACK_TABLE)


class TextCache:
    """Fonts by (weight, size) and rendered surfaces by (text, weight, size, colour).

    Rendered surfaces are kept in least-recently-used order up to `capacity`,
    so a screen that redraws the same labels every frame renders each once.
    """

    def __init__(self, capacity: int = 2048, font_dir: Path = FONT_DIR):
        self.capacity = capacity
        self.font_dir = font_dir
        self._fonts: dict[tuple[str, int], pygame.font.Font] = {}
        self._rendered: OrderedDict[tuple, pygame.Surface] = OrderedDict()
        self._wrapped: OrderedDict[tuple, tuple[str, ...]] = OrderedDict()
        self.renders = 0  # how many times text was really rendered (for tests and stats)

    def font(self, size: int, weight: str = "regular") -> pygame.font.Font:
        key = (weight, size)
        if key not in self._fonts:
            if not pygame.font.get_init():
                pygame.font.init()
            path = self.font_dir / FONT_FILES[weight]
            self._fonts[key] = pygame.font.Font(path if path.exists() else None, size)
        return self._fonts[key]

    def render(
        self, text: str, size: int, colour: tuple[int, int, int], weight: str = "regular"
    ) -> pygame.Surface:
        key = (text, weight, size, colour)
        surface = self._rendered.get(key)
        if surface is not None:
            self._rendered.move_to_end(key)
            return surface
        surface = self.font(size, weight).render(drawable(text), True, colour)
        self.renders += 1
        self._rendered[key] = surface
        if len(self._rendered) > self.capacity:
            self._rendered.popitem(last=False)
        return surface

    def size(self, text: str, size: int, weight: str = "regular") -> tuple[int, int]:
        """(width, height) in px that `render` would give, without rendering."""
        return self.font(size, weight).size(drawable(text))

    def wrap(self, text: str, width: int, size: int, weight: str = "regular") -> tuple[str, ...]:
        """`text` broken into lines no wider than `width` px at `size` (cached).

        Blank lines in the text start new paragraphs (kept as empty lines); single
        newlines are spaces, as in TOML multi-line strings. A word wider than the
        line is put on a line of its own (the caller's fit_text may shrink it).
        """
        key = (text, width, size, weight)
        lines = self._wrapped.get(key)
        if lines is not None:
            self._wrapped.move_to_end(key)
            return lines
        font = self.font(size, weight)
        out: list[str] = []
        for paragraph in drawable(text).strip().split("\n\n"):
            words = paragraph.split()
            line = ""
            for word in words:
                candidate = f"{line} {word}" if line else word
                if line and font.size(candidate)[0] > width:
                    out.append(line)
                    line = word
                else:
                    line = candidate
            if line:
                out.append(line)
            out.append("")
        lines = tuple(out[:-1]) if out else ()
        self._wrapped[key] = lines
        if len(self._wrapped) > self.capacity:
            self._wrapped.popitem(last=False)
        return lines
