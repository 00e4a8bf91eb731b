"""Render the title, settings and help screens (and a sample heatmap) to PNG files, headless.

    python tools/screenshot_ui.py OUT_FOLDER [--size 1280x720]

One PNG per screen and theme, drawn exactly as the game draws a frame, for
looking at layout, clipping and contrast without opening a window.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

os.environ.setdefault("SDL_VIDEODRIVER", "dummy")
os.environ.setdefault("SDL_AUDIODRIVER", "dummy")
os.environ.setdefault("PYGAME_HIDE_SUPPORT_PROMPT", "1")
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import numpy as np  # noqa: E402
import pygame  # noqa: E402

from game.progress import Settings  # noqa: E402
from game.ui.app import App  # noqa: E402
from game.ui.heatmap import Heatmap  # noqa: E402
from game.ui.scenes import Scene  # noqa: E402
from game.ui.scenes_help import HelpOverlay  # noqa: E402
from game.ui.scenes_settings import SettingsScene  # noqa: E402
from game.ui.scenes_title import TitleScene  # noqa: E402

WORDS = [
    "The",
    "trophy",
    "did",
    "not",
    "fit",
    "in",
    "the",
    "suitcase",
    "because",
    "it",
    "was",
    "big",
]


class HeatmapDemo(Scene):
    """A causal 12-token heatmap with labels, one focused cell and one hovered."""

    def __init__(self, app: App):
        self.app = app
        n = len(WORDS)
        rng = np.random.default_rng(3)
        scores = rng.normal(size=(n, n)) * 1.5
        scores[9, 1] += 6  # "it" -> "trophy"
        mask = np.triu(np.ones((n, n), dtype=bool), k=1)
        scores[mask] = -np.inf
        weights = np.exp(scores - scores.max(axis=1, keepdims=True))
        weights /= weights.sum(axis=1, keepdims=True)
        self.heatmap = Heatmap((340, 40, 640, 640))
        self.heatmap.set_data(weights, mask=mask, revision=0, row_labels=WORDS, col_labels=WORDS)
        self.heatmap.hover, self.heatmap.cursor, self.heatmap.focused = (9, 1), (4, 2), True

    def draw(self, surface: pygame.Surface) -> None:
        self.heatmap.draw(surface, self.app.theme, self.app.text)


def shoot(app: App, scenes: list[Scene], path: Path) -> None:
    while len(app.scenes):
        app.scenes.pop()
    for scene in scenes:
        app.scenes.push(scene)
    app.step(0.0, [])
    pygame.image.save(app.canvas, str(path))
    print(path)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--size", default="1280x720", help="window size, WIDTHxHEIGHT")
    parser.add_argument("--font-scale", type=float, default=1.0)
    args = parser.parse_args(argv)
    width, height = (int(v) for v in args.size.lower().split("x"))
    args.out.mkdir(parents=True, exist_ok=True)
    app = App((width, height))
    for theme in ("normal", "projector"):
        settings = Settings(theme=theme, font_scale=args.font_scale)
        app.apply_settings(settings)
        suffix = theme if args.font_scale == 1.0 else f"{theme}-{args.font_scale:g}"

        def title() -> TitleScene:
            return TitleScene(app, on_play=lambda: None, on_settings=lambda: None)

        settings_scene = SettingsScene(app, settings, app.apply_settings)
        shoot(app, [title()], args.out / f"title-{suffix}.png")
        settings_scene.group.move(+1)  # focus on the text size slider, to show the ring
        shoot(app, [settings_scene], args.out / f"settings-{suffix}.png")
        shoot(app, [title(), HelpOverlay(app)], args.out / f"help-{suffix}.png")
        shoot(app, [HeatmapDemo(app)], args.out / f"heatmap-{suffix}.png")
    pygame.quit()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
