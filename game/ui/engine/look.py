"""What a scene draws with: the current theme and the shared text cache.

`App` has both attributes, so scenes take the app (or, in tests and tools, a
`StaticLook`) and read `look.theme` at draw time: a theme change made in the
settings applies on the next frame without rebuilding any scene.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Protocol

from game.ui.engine.text import TextCache
from game.ui.engine.theme import NORMAL, Theme


class Look(Protocol):
    theme: Theme
    text: TextCache


@dataclass
class StaticLook:
    theme: Theme = NORMAL
    text: TextCache = field(default_factory=TextCache)
