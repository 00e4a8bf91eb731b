"""Fonts and rendered text, cached: rendering text is the slowest thing a frame does.

Fonts load on first use, never at import time, so importing the UI opens no
files and needs no display. Atkinson Hyperlegible draws the text; it has no
Greek and few math signs, so characters it lacks (θ in a RoPE level, √, ≤)
are drawn from the bundled DejaVu Sans instead, in runs on the same baseline:
no glyph a level uses is ever drawn as an empty box.
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

FALLBACK_FILES = {"regular": "DejaVuSans.ttf", "bold": "DejaVuSans-Bold.ttf"}
PROBE_PX = 24  # size at which glyph coverage is tested (it does not depend on size)
NOT_A_CHARACTER = "\U0010fffd"  # private use: no font has it, so it draws the "missing" box

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
        self._glyphs: dict[tuple[str, str, bool], bool] = {}  # (char, weight, fallback) -> drawn
        self.renders = 0  # how many times text was really rendered (for tests and stats)

    def font(self, size: int, weight: str = "regular", fallback: bool = False) -> pygame.font.Font:
        key = (weight + ("+fallback" if fallback else ""), size)
        if key not in self._fonts:
            if not pygame.font.get_init():
                pygame.font.init()
            path = self.font_dir / (FALLBACK_FILES if fallback else FONT_FILES)[weight]
            self._fonts[key] = pygame.font.Font(path if path.exists() else None, size)
        return self._fonts[key]

    def _has_glyph(self, char: str, weight: str, fallback: bool) -> bool:
        """Whether the font draws `char` itself, not its "missing" box (cached per font)."""
        key = (char, weight, fallback)
        known = self._glyphs.get(key)
        if known is None:
            font = self.font(PROBE_PX, weight, fallback)
            box = pygame.image.tobytes(font.render(NOT_A_CHARACTER, True, (255, 255, 255)), "RGBA")
            drawn = pygame.image.tobytes(font.render(char, True, (255, 255, 255)), "RGBA")
            known = char.isspace() or drawn != box
            self._glyphs[key] = known
        return known

    def runs(self, text: str, weight: str = "regular") -> list[tuple[str, bool]]:
        """`text` (already `drawable`) cut into (piece, from the fallback font) runs."""
        out: list[tuple[str, bool]] = []
        for char in text:
            fallback = not self._has_glyph(char, weight, False) and self._has_glyph(
                char, weight, True
            )
            if out and out[-1][1] == fallback:
                out[-1] = (out[-1][0] + char, fallback)
            else:
                out.append((char, fallback))
        return out

    def missing(self, text: str, weight: str = "regular") -> str:
        """The characters of `text` that neither bundled font can draw (each once)."""
        chars = dict.fromkeys(drawable(text))
        return "".join(
            c
            for c in chars
            if not (self._has_glyph(c, weight, False) or self._has_glyph(c, weight, True))
        )

    def render(
        self, text: str, size: int, colour: tuple[int, int, int], weight: str = "regular"
    ) -> pygame.Surface:
        key = (text, weight, size, colour)
        surface = self._rendered.get(key)
        if surface is not None:
            self._rendered.move_to_end(key)
            return surface
        surface = self._render_runs(drawable(text), size, colour, weight)
        self.renders += 1
        self._rendered[key] = surface
        if len(self._rendered) > self.capacity:
            self._rendered.popitem(last=False)
        return surface

    def _render_runs(
        self, text: str, size: int, colour: tuple[int, int, int], weight: str
    ) -> pygame.Surface:
        runs = self.runs(text, weight)
        if len(runs) <= 1 and not (runs and runs[0][1]):
            return self.font(size, weight).render(text, True, colour)
        main = self.font(size, weight)
        pieces = [
            (self.font(size, weight, fallback).render(piece, True, colour), fallback)
            for piece, fallback in runs
        ]
        ascent = max(self.font(size, weight, f).get_ascent() for _, f in pieces)
        descent = max(-self.font(size, weight, f).get_descent() for _, f in pieces)
        height = max(main.get_height(), ascent + descent)
        surface = pygame.Surface((sum(p.get_width() for p, _ in pieces), height), pygame.SRCALPHA)
        x = 0
        for image, fallback in pieces:  # every run on one baseline
            surface.blit(image, (x, ascent - self.font(size, weight, fallback).get_ascent()))
            x += image.get_width()
        return surface

    def size(self, text: str, size: int, weight: str = "regular") -> tuple[int, int]:
        """(width, height) in px that `render` would give, without rendering."""
        runs = self.runs(drawable(text), weight)
        if len(runs) <= 1 and not (runs and runs[0][1]):
            return self.font(size, weight).size(drawable(text))
        return self._render_runs(drawable(text), size, (0, 0, 0), weight).get_size()

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
        out: list[str] = []
        for paragraph in drawable(text).strip().split("\n\n"):
            words = paragraph.split()
            line = ""
            for word in words:
                candidate = f"{line} {word}" if line else word
                if line and self.size(candidate, size, weight)[0] > width:
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
