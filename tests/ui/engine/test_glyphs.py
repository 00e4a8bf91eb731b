"""Every character a shipped level uses can be drawn (issue 14, item 14): θ in the RoPE
level was an empty box because the bundled font has no Greek. Every string of every
shipped level (texts, hints, goals, words, chapter, scheme and architecture texts, and
the goal messages a fresh board produces) must be drawn by the bundled fonts."""

import dataclasses

import pygame
import pytest

from game.model import Board
from game.ui.engine.text import FONT_DIR, TextCache


def strings_in(value):
    """Every str inside a pydantic model, dataclass, mapping or sequence."""
    if isinstance(value, str):
        yield value
    elif hasattr(value, "model_dump"):
        yield from strings_in(value.model_dump())
    elif dataclasses.is_dataclass(value) and not isinstance(value, type):
        for f in dataclasses.fields(value):
            yield from strings_in(getattr(value, f.name))
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from strings_in(key)
            yield from strings_in(item)
    elif isinstance(value, list | tuple | set | frozenset):
        for item in value:
            yield from strings_in(item)


def level_strings(level, registry):
    yield from strings_in(level)
    board = Board(level, registry)
    for index in range(len(level.sentences)):
        for result in board.evaluate(index).goal_results:
            yield result.message


@pytest.fixture(scope="module")
def text():
    pygame.font.init()
    return TextCache()


def test_a_character_no_bundled_font_has_is_reported(text):
    assert text.missing("θ √ ≤ → Σ") == ""
    assert text.missing("attention 注意") == "注意"  # the check itself can fail


def test_theta_is_drawn_from_the_fallback_font_not_as_a_box(text):
    assert ("θ", True) in text.runs("by θ")
    box = text.render("\U0010fffd", 24, (255, 255, 255))
    theta = text.render("θ", 24, (255, 255, 255))
    assert pygame.image.tobytes(theta, "RGBA") != pygame.image.tobytes(box, "RGBA")
    assert text.size("by θ", 24) == text.render("by θ", 24, (255, 255, 255)).get_size()


def test_every_string_of_every_shipped_level_renders_with_the_bundled_fonts(registry, text):
    assert (FONT_DIR / "DejaVuSans.ttf").exists() and (FONT_DIR / "DejaVu-LICENSE.txt").exists()
    problems = []
    for level_id, level in sorted(registry.levels.items()):
        for string in set(level_strings(level, registry)):
            for weight in ("regular", "bold"):
                gone = text.missing(string, weight)
                if gone:
                    problems.append(f"{level_id} ({weight}): {gone!r} in {string[:60]!r}")
    catalog = [registry.concepts, registry.positional, registry.architectures]
    for string in set(strings_in([list(c.values()) for c in catalog])):
        gone = text.missing(string)
        if gone:
            problems.append(f"catalog: {gone!r} in {string[:60]!r}")
    assert not problems, "\n".join(problems)
