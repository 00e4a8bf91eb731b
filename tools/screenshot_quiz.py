"""Render the quiz screens to PNG files, headless: the title (with its Quiz button), the
start screen, a question with a choice picked, a question answered wrongly with its
explanation, the longest question answered, and the summary after Export CSV.

    python tools/screenshot_quiz.py OUT_FOLDER [--size 1280x720] [--font-scale 1.0]

One PNG per screen and theme (normal and projector), drawn as the game draws a frame.
Answers and exports go to a temporary folder, never the real data folder.
"""

from __future__ import annotations

import argparse
import itertools
import os
import sys
import tempfile
from pathlib import Path

os.environ.setdefault("SDL_VIDEODRIVER", "dummy")
os.environ.setdefault("SDL_AUDIODRIVER", "dummy")
os.environ.setdefault("PYGAME_HIDE_SUPPORT_PROMPT", "1")
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import pygame  # noqa: E402

from game.progress import Progress  # noqa: E402
from game.ui.engine.app import App  # noqa: E402
from game.ui.engine.theme import themed  # noqa: E402
from game.ui.flow.game_flow import GameFlow  # noqa: E402
from game.ui.quiz import flow as quiz_flow  # noqa: E402

DT = 1 / 60


def key(app: App, code: int) -> None:
    app.step(DT, [pygame.event.Event(pygame.KEYDOWN, key=code, mod=0)])


def save(app: App, out: Path, name: str) -> None:
    app.step(0.0, [])
    pygame.image.save(app.window, str(out / f"{name}.png"))


def thinking_clock():
    """A clock for answer times: each read is a few seconds after the last (a student thinking)."""
    now = [0.0]
    steps = itertools.cycle((6.2, 11.5, 4.1, 23.0, 8.7))

    def read() -> float:
        now[0] += next(steps)
        return now[0]

    return read


def shoot(app: App, registry, out: Path, suffix: str) -> None:
    """Walk the quiz as a student would, saving a picture at each screen."""
    quiz_flow.TIMER = thinking_clock()
    flow = GameFlow(app, registry, Progress(), save=False)
    flow.start()
    save(app, out, f"quiz-title-{suffix}")
    flow.open_quiz("pre")
    start = app.scenes.top
    for ch in "Ada Lovelace":
        app.step(DT, [pygame.event.Event(pygame.TEXTINPUT, text=ch)])
    save(app, out, f"quiz-start-{suffix}")
    key(app, pygame.K_RETURN)
    scene = app.scenes.top
    key(app, pygame.K_3)
    save(app, out, f"quiz-picked-{suffix}")
    key(app, pygame.K_RETURN)
    save(app, out, f"quiz-wrong-{suffix}")
    longest = max(range(1, len(scene.run.questions)), key=lambda k: _length(scene.run.questions[k]))
    while scene.run.index < len(scene.run.questions) and app.scenes.top is scene:
        if scene.run.index == longest and not scene.run.revealed:
            key(app, getattr(pygame, f"K_{scene.run.question.answer}"))
            key(app, pygame.K_RETURN)
            save(app, out, f"quiz-longest-{suffix}")
        if not scene.run.revealed:
            key(app, pygame.K_1 + scene.run.index % 2)
            key(app, pygame.K_RETURN)
        key(app, pygame.K_RETURN)
    summary = app.scenes.top
    summary.export()
    save(app, out, f"quiz-summary-{suffix}")
    del start


def _length(question) -> int:
    return (
        len(question.prompt)
        + sum(len(question.choice_text(k)) for k in range(len(question.choices)))
        + len(question.explanation)
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out")
    parser.add_argument("--size", default="1280x720")
    parser.add_argument("--font-scale", type=float, default=1.0)
    args = parser.parse_args(argv)
    width, height = (int(part) for part in args.size.split("x"))
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    from game.plugins import load_plugins

    registry = load_plugins(use_user_dir=False, entry_points=False)
    with tempfile.TemporaryDirectory() as data:
        os.environ["SWITCHYARD_DATA_DIR"] = data
        for theme in ("normal", "projector"):
            app = App((width, height))
            app.theme = themed(theme, args.font_scale)
            suffix = f"{theme}-{width}x{height}" + (
                "" if args.font_scale == 1.0 else f"-{args.font_scale:g}"
            )
            shoot(app, registry, out, suffix)
    print(f"wrote the quiz screens to {out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
