"""Hot reload of lesson files (`demo --watch --lesson …`), called by game.ui.flow.hot_reload.

An edited lesson file is loaded and checked against the levels this run has;
a broken edit shows its located error (`FILE:LINE: key.path: message`) and the
last good version keeps running. A good one replaces the lesson in the
registry and, when it is the lesson on screen, the screen goes on with the new
version at the same step (or the last one, if the lesson got shorter).
"""

from __future__ import annotations

from pathlib import Path

from game.lessons import Lesson, LessonError, load_lesson_file
from game.lessons.loader import is_lesson_file

__all__ = ["is_lesson_file", "reload_lesson"]


def _same(a: str | Path, b: str | Path) -> bool:
    return bool(a) and bool(b) and Path(a).resolve() == Path(b).resolve()


def reload_lesson(hot, path: Path) -> None:
    """Load the edited lesson at `path` for `hot` (a HotReload) and show it if it is on screen."""
    from game.ui.lesson.scene import LessonScene

    flow = hot.flow
    lessons = getattr(flow.registry, "lessons", {})
    old = next((lesson for lesson in lessons.values() if _same(lesson.path, path)), None)
    shown = flow.app.scenes.top
    if not isinstance(shown, LessonScene) or not _same(shown.run.lesson.path, path):
        shown = None
    try:
        lesson: Lesson = load_lesson_file(path, flow.levels, source=old.source if old else "")
    except LessonError as error:
        hot._fail(str(path), [str(problem) for problem in error.problems])
        return
    hot._clear(str(path))
    if old is not None:
        lessons.pop(old.id, None)
    if old is not None or shown is None:
        lessons[lesson.id] = lesson
    if shown is not None:
        shown.run.lesson = lesson
        shown.run.go(shown.run.index)  # the same step, or the last of a shorter lesson
        shown.show_current()
    flow.app.toasts.show(f"Reloaded {path.name}", "good", 2.5)
