"""All the lessons plugins registered, loaded together, with every problem kept.

Like levels (`game.levels.registry`): a broken lesson file disables only
itself, its problems are returned beside the lessons that loaded, and a
duplicate id is a problem naming both files.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping
from pathlib import Path

from game.lessons.loader import LessonError, load_lesson_file
from game.lessons.schema import Lesson
from game.levels.errors import Problem
from game.levels.registry import id_line, level_files
from game.levels.schema import Level


def load_registered_lessons(
    sources: Iterable[tuple[str, str | os.PathLike[str]]], levels: Mapping[str, Level]
) -> tuple[dict[str, Lesson], list[Problem]]:
    """Every lesson the (plugin name, file or folder) pairs name: (id → lesson, problems)."""
    lessons: dict[str, Lesson] = {}
    problems: list[Problem] = []
    for plugin, root in sources:
        if not Path(root).exists():
            message = f"no such file or folder (registered by plugin {plugin})"
            problems.append(Problem(str(root), None, "", message))
            continue
        for path in level_files(root):
            try:
                lesson = load_lesson_file(path, levels, source=plugin)
            except LessonError as error:
                problems.extend(error.problems)
                continue
            first = lessons.get(lesson.id)
            if first is not None:
                message = (
                    f'lesson id "{lesson.id}" is already used by {first.path} '
                    f"(plugin {first.source})"
                )
                problems.append(Problem(str(path), id_line(path), "id", message))
                continue
            lessons[lesson.id] = lesson
    return lessons, problems
