"""The pictures of docs/classroom.md, headless: a lesson on the projector as a class sees it.

    python tools/screenshot_classroom.py OUT_FOLDER [--size 1920x1080] [--theme projector]
                                         [--font-scale 1.0]

Drives the real screens of `switchyard demo --lesson what-is-attention` with the
presenter's keys (as tests/ui/lesson does) and saves one PNG per moment, named as
the walkthrough links them (`classroom-NN-name.png`): the first step's caption,
a question asked, the class's answer and the reveal, a cell question, step mode,
the follow-along lock, the magnifier, the F1 sheet, an export, and the quiz's
start screen and summary; and docs/lessons.md's `lesson_*.png` (a question picked,
then revealed, for a choice and for a cell in step mode). Exports and quiz answers
go to a temporary home folder, never the real data folder. For the docs, reduce each
PNG after:
`mogrify +dither -colors 128 -define png:format=png8 OUT_FOLDER/*.png`.
"""

from __future__ import annotations

import argparse
import os
import shutil
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
from game.ui.lesson.opening import open_lesson  # noqa: E402
from game.ui.presenter.layer import Presenter  # noqa: E402
from tools.drive import key, point  # noqa: E402


def go_to(app: App, lesson, test) -> None:
    """Page Down (a clicker) until the lesson's step passes `test`."""
    scene = app.scenes.top
    target = next(k for k, step in enumerate(lesson.steps) if test(step))
    while scene.run.index < target:
        key(app, pygame.K_PAGEDOWN)


def lesson_shots(app: App, registry, shot) -> None:
    """Long because it is the walkthrough's script, one moment after another."""
    flow = GameFlow(app, registry, Progress(), save=False, presenter=True)
    app.presenter = Presenter(flow)
    flow.start()
    shot("01-title")
    lesson = registry.lessons["what-is-attention"]
    open_lesson(flow, lesson)
    point(app, (900, 330))
    shot("02-lesson-caption")
    go_to(app, lesson, lambda s: s.prompt is not None and s.prompt.kind == "choice")
    shot("03-question")
    key(app, pygame.K_2)  # the class says "suitcase"
    key(app, pygame.K_SPACE)
    shot("04-reveal")
    go_to(app, lesson, lambda s: s.step is not None and s.prompt is None)
    shot("05-step-mode")
    go_to(app, lesson, lambda s: s.prompt is not None and s.prompt.kind == "cell")
    key(app, pygame.K_RIGHT)
    key(app, pygame.K_RETURN)
    shot("06-cell-question")
    key(app, pygame.K_SPACE)
    key(app, pygame.K_l)
    shot("07-locked")
    key(app, pygame.K_l)
    point(app, (1120, 200))
    key(app, pygame.K_z)
    shot("08-magnifier")
    key(app, pygame.K_z)
    key(app, pygame.K_F1)
    shot("09-help")
    key(app, pygame.K_F1)
    key(app, pygame.K_e)
    app.step(0.5, [])
    pygame.image.save(app.window, str(shot.path("10-export")))  # the toast still showing
    print(shot.path("10-export"))


def lessons_doc_shots(app: App, registry, shot) -> None:
    """docs/lessons.md's four pictures (`lesson_*.png`): a choice answered, then revealed;
    a cell question in step mode (campaign-tour) picked, then revealed."""
    flow = GameFlow(app, registry, Progress(), save=False, presenter=True)
    app.presenter = Presenter(flow)
    flow.start()
    for lesson_id, kind, names in (
        ("what-is-attention", "choice", ("lesson_prompt", "lesson_reveal")),
        ("campaign-tour", "cell", ("lesson_cell_prompt", "lesson_cell_reveal")),
    ):
        lesson = registry.lessons[lesson_id]
        open_lesson(flow, lesson)
        go_to(app, lesson, lambda s, kind=kind: s.prompt is not None and s.prompt.kind == kind
              and (kind == "choice" or s.step is not None))  # fmt: skip
        key(app, pygame.K_2 if kind == "choice" else pygame.K_RIGHT)
        if kind == "cell":
            key(app, pygame.K_RETURN)
        shot(names[0], plain=True)
        key(app, pygame.K_SPACE)
        shot(names[1], plain=True)
        key(app, pygame.K_ESCAPE)
        key(app, pygame.K_ESCAPE)


def quiz_shots(app: App, registry, shot) -> None:
    """The quiz on a student's laptop, walked by tools/screenshot_quiz.py: the start screen
    with a name, then the summary after Export CSV."""
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    import screenshot_quiz

    with tempfile.TemporaryDirectory() as folder:
        screenshot_quiz.shoot(app, registry, Path(folder), "shot")
        for name, saved in (
            ("11-quiz-start", "quiz-start-shot"),
            ("12-quiz-summary", "quiz-summary-shot"),
        ):
            shutil.copy(Path(folder) / f"{saved}.png", shot.path(name))
            print(shot.path(name))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--size", default="1920x1080", help="window size, WIDTHxHEIGHT")
    parser.add_argument("--theme", default="projector", choices=["normal", "projector"])
    parser.add_argument("--font-scale", type=float, default=1.0)
    args = parser.parse_args(argv)
    width, height = (int(v) for v in args.size.lower().split("x"))
    args.out.mkdir(parents=True, exist_ok=True)
    data = Path(tempfile.mkdtemp(prefix="switchyard-classroom-"))
    os.environ["HOME"] = str(data)  # exports and quiz answers land here, shown as ~/…
    for name in ("SWITCHYARD_DATA_DIR", "SWITCHYARD_EXPORT_DIR", "XDG_DATA_HOME"):
        os.environ.pop(name, None)
    from game.plugins import load_plugins

    registry = load_plugins(use_user_dir=False, entry_points=False)

    class Shot:
        def path(self, name: str, plain: bool = False) -> Path:
            return args.out / (f"{name}.png" if plain else f"classroom-{name}.png")

        def __call__(self, name: str, plain: bool = False) -> None:
            app.step(10.0, [])  # the toasts have said their piece: the screen as the room sees
            pygame.image.save(app.window, str(self.path(name, plain)))
            print(self.path(name, plain))

    for shots in (lesson_shots, lessons_doc_shots, quiz_shots):
        app = App((width, height))
        app.theme = themed(args.theme, args.font_scale)
        shots(app, registry, Shot())
        pygame.quit()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
