"""Opening a lesson in a running game (`switchyard demo --lesson ID`), and drawing one headless.

`open_lesson` puts the lesson's screen over the title and, in presenter mode,
makes the lesson the presenter's navigator, so its Page Up / Page Down (what
clickers send) walk the lesson's steps. `render_lesson` is `switchyard render
--lesson`: every step drawn into numbered PNGs, as the class first sees it.
"""

from __future__ import annotations

import os
from pathlib import Path

from game.lessons.schema import Lesson
from game.ui.engine.failure import describe_failure
from game.ui.lesson.run import LessonRun
from game.ui.lesson.scene import LessonScene


def open_lesson(flow, lesson: Lesson) -> LessonScene | None:
    """Push the lesson's screen (at its first step); Esc goes back to the title. None (and
    a warning on the title) when the first step cannot be shown."""
    from game.ui.title.scene import TitleScene

    app, run = flow.app, LessonRun(lesson)

    def leave() -> None:
        while app.scenes.top is not None and not isinstance(app.scenes.top, TitleScene):
            app.scenes.pop()

    try:
        scene = LessonScene(app, run, flow.levels, flow.registry, on_exit=leave)
    except Exception as error:  # plugin code failing on the first step's level
        flow.warn(f"The lesson {lesson.id!r} could not start: {describe_failure(error)}")
        return None

    def show(_stop: object) -> None:
        """The presenter moved the lesson: its screen on top again, at the new step."""
        while app.scenes.top is not scene and scene in app.scenes:
            app.scenes.pop()
        if app.scenes.top is not scene:
            app.scenes.push(scene)
        scene.show_current()

    app.scenes.push(scene)
    flow.lesson = lesson  # hot reload (--watch) watches its file
    if getattr(app, "presenter", None) is not None:
        from game.ui.lesson.shortcuts import LESSON_SHORTCUTS
        from game.ui.presenter.layer import Presenter

        app.presenter = Presenter(flow, run, show=show)
        app.presenter.shortcuts = (*LESSON_SHORTCUTS, *Presenter.shortcuts)  # the F1 sheet
    return scene


def render_lesson(
    lesson: Lesson,
    registry,
    out_dir: str | os.PathLike[str],
    size: tuple[int, int] = (1920, 1080),
    theme: str = "projector",
) -> list[Path]:
    """Draw every step of `lesson` into `out_dir` as 001_<level>.png, 002_… (no window)."""
    import pygame

    from game.ui.engine.headless import headless_app

    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    written = []
    with headless_app(size, theme) as app:
        run = LessonRun(lesson)
        scene = LessonScene(app, run, registry.levels, registry)
        app.scenes.push(scene)
        for index, step in enumerate(lesson.steps):
            run.go(index)
            scene.build_step()  # raises for a step plugin code cannot show: the caller says so
            app.step(0.0, [])
            path = out / f"{index + 1:03d}_{step.level}.png"
            pygame.image.save(app.window, str(path))
            written.append(path)
    return written
