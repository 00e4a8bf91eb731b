"""Presenter mode, headless, screen by screen: what a class sees during `switchyard demo`.

    python tools/screenshot_presenter.py OUT_FOLDER [--size 1920x1080] [--theme projector]
                                          [--font-scale 1.0]

Drives the real screens with the presenter's keys (as tests/ui/presenter does) and
saves one PNG per moment: the first level opened with Page Down (numbers in the
heatmap, the pointer ring), a hint shown with H, the lock badge (L), the magnifier
(Z), step mode across the screen, the solution asked for (A), the results with the
reference hidden and then shown, the F1 sheet with the presenter's keys, and a level
further on. Nothing is read from or written to any progress file.
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

from game.model import STEP_NAMES  # noqa: E402
from game.progress import Progress  # noqa: E402
from game.ui.engine.app import App  # noqa: E402
from game.ui.engine.theme import themed  # noqa: E402
from game.ui.flow.game_flow import GameFlow  # noqa: E402
from game.ui.presenter.layer import Presenter  # noqa: E402
from tools.drive import key, point  # noqa: E402


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--size", default="1920x1080", help="window size, WIDTHxHEIGHT")
    parser.add_argument("--theme", default="projector", choices=["normal", "projector"])
    parser.add_argument("--font-scale", type=float, default=1.0)
    args = parser.parse_args(argv)
    width, height = (int(v) for v in args.size.lower().split("x"))
    args.out.mkdir(parents=True, exist_ok=True)
    from game.plugins import load_plugins

    registry = load_plugins(use_user_dir=False, entry_points=False)
    app = App((width, height))
    app.theme = themed(args.theme, args.font_scale)
    flow = GameFlow(app, registry, Progress(), save=False, teacher=True, presenter=True)
    app.presenter = Presenter(flow)
    flow.start()
    suffix = f"{args.theme}-{args.font_scale:g}-{width}x{height}"

    def shot(name: str) -> None:
        app.step(10.0, [])  # the toasts have said their piece: the screen as the room sees it
        path = args.out / f"presenter-{name}-{suffix}.png"
        pygame.image.save(app.window, str(path))
        print(path)

    key(app, pygame.K_PAGEDOWN)  # the clicker: the first level, on its start board
    point(app, (1020, 330))
    shot("01-first-level")
    key(app, pygame.K_h)
    shot("02-hint")
    key(app, pygame.K_l)
    shot("03-locked")
    key(app, pygame.K_l)
    key(app, pygame.K_z)
    shot("04-magnifier")
    key(app, pygame.K_z)
    key(app, pygame.K_s)
    app.scenes.top.step_mode.index = STEP_NAMES.index("softmax")
    shot("05-step-mode")
    key(app, pygame.K_s)
    key(app, pygame.K_a)  # asked for: the reference solution
    shot("06-solution")
    key(app, pygame.K_RETURN, pygame.KMOD_CTRL)
    app.scenes.top.select_view(1)
    app.scenes.top.view_tabs.selected = 1
    shot("07-results-hidden")
    key(app, pygame.K_a)
    shot("08-results-shown")
    key(app, pygame.K_ESCAPE)  # Retry: back to the board, for the F1 sheet
    key(app, pygame.K_F1)
    shot("09-help")
    key(app, pygame.K_F1)
    for _ in range(5):
        key(app, pygame.K_PAGEDOWN)
    shot("10-sixth-stop")
    pygame.quit()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
