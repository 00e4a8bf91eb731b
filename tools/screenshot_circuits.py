"""Render every Circuits level (13–20) on the play screen, headless: the start board and
the reference solution (on its last layer's first head for stacked levels).

    python tools/screenshot_circuits.py OUT_FOLDER [--size 1280x720] [--font-scale 1.0]
        [--theme normal]

One PNG per level and state, drawn exactly as the game draws a frame.
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

import pygame  # noqa: E402
from screenshot_ui import load_registry, shoot  # noqa: E402

from game.model import Board  # noqa: E402
from game.progress import Preferences  # noqa: E402
from game.ui.engine.app import App  # noqa: E402


def main(argv: list[str] | None = None) -> int:
    from game.ui.play import PlayScene

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--size", default="1280x720", help="window size, WIDTHxHEIGHT")
    parser.add_argument("--font-scale", type=float, default=1.0)
    parser.add_argument("--theme", default="normal", choices=("normal", "projector"))
    args = parser.parse_args(argv)
    width, height = (int(v) for v in args.size.lower().split("x"))
    args.out.mkdir(parents=True, exist_ok=True)
    app = App((width, height))
    app.apply_settings(Preferences(theme=args.theme, font_scale=args.font_scale))
    registry = load_registry()
    suffix = f"{args.theme}-{args.font_scale:g}-{width}x{height}"
    for level_id in sorted(registry.levels):
        level = registry.levels[level_id]
        if level.concept != "circuits":
            continue
        for solved in (False, True):
            board = Board.with_solution(level, registry) if solved else Board(level, registry)
            scene = PlayScene(app, level, registry, board=board, on_next=lambda: None)
            if solved:
                scene.select_head(board.heads_in_layer(level.layers - 1)[0])
            state = "solved" if solved else "start"
            shoot(app, [scene], args.out / f"{level_id}-{state}-{suffix}.png")
    pygame.quit()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
