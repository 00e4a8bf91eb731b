"""Lessons: a teacher's playlist of levels, with captions and questions for the class.

No pygame and no model here: `schema` is the file format, `checks` what needs
the installed levels, `loader` reads a file with located errors (the level
loader's machinery), `registry` loads what plugins registered
(`switchyard_register_lessons`). The answers a prompt reveals are computed from
a board's real weights in `game.lessons.answers`, which imports the model.
"""

from game.lessons.loader import LessonError, load_lesson_file, load_lesson_text
from game.lessons.registry import load_registered_lessons
from game.lessons.schema import Lesson, Prompt, Step

__all__ = [
    "Lesson",
    "LessonError",
    "Prompt",
    "Step",
    "load_lesson_file",
    "load_lesson_text",
    "load_registered_lessons",
]
