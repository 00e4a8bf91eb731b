"""Load a lesson file: bytes → TOML → schema → installed levels, every problem located.

The same machinery as level files (`game.levels`): a problem is
`FILE:LINE: key.path: message`, the file's key lines come from
`game.levels.locate`, a file is at most 1 MiB of UTF-8, and every problem is
gathered before one `LessonError` is raised, so a teacher fixes a lesson in
one pass. Nothing but `LessonError` escapes for bad input.
"""

from __future__ import annotations

import copy
import re
import tomllib
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError

from game.lessons.checks import lesson_problems, suggest
from game.lessons.schema import Lesson, Prompt, Step
from game.levels.errors import LevelError, Loc, Problem, field_path
from game.levels.files import read_level_bytes
from game.levels.loader import MAX_FILE_BYTES, _clean_loc, _error_message
from game.levels.locate import key_lines, line_of
from game.levels.schema import Level

_MODELS_BY_TABLE: dict[str, type[BaseModel]] = {"": Lesson, "steps": Step, "prompt": Prompt}


_TOML_LINE = re.compile(r"line (\d+)")
_TOML_AT = re.compile(r" \(at (line \d+, column \d+|end of document)\)$")


class LessonError(LevelError):
    """A lesson file could not be used; `problems` lists every reason, in file order.

    A `LevelError`, so whatever reports level problems reports these the same way."""


def _message(item: Mapping[str, Any], loc: Loc) -> str:
    if item["type"] == "extra_forbidden":
        table = next((p for p in reversed(loc[:-1]) if isinstance(p, str)), "")
        model = _MODELS_BY_TABLE.get(table, Lesson)
        return "unknown key" + suggest(str(loc[-1]), model.model_fields)
    if item["type"] == "literal_error":
        expected = item.get("ctx", {}).get("expected", "")
        return f"{item.get('input')!r} is not one of {expected}"
    return _error_message(item, loc)


def _without_unknown_keys(table: Mapping[str, Any], errors: list[Any]) -> Lesson | None:
    """The lesson with its unknown keys dropped, when they were all that was wrong, so the
    checks against the installed levels still run and every problem shows at once."""
    if any(item["type"] != "extra_forbidden" for item in errors):
        return None
    fixed = copy.deepcopy(dict(table))
    for item in errors:
        loc = _clean_loc(item["loc"])
        parent: Any = fixed
        for part in loc[:-1]:
            parent = parent[part]
        parent.pop(loc[-1], None)
    try:
        return Lesson.model_validate(fixed)
    except (ValidationError, LookupError, TypeError):
        return None


def load_lesson_table(
    table: Mapping[str, Any],
    name: str,
    levels: Mapping[str, Level],
    *,
    source: str = "",
    lines: Mapping[tuple, int] | None = None,
) -> Lesson:
    """A lesson from a parsed table, checked against the installed `levels`."""
    problems: list[Problem] = []

    def add(loc: Loc, message: str) -> None:
        line = None if lines is None else line_of(lines, loc)
        problems.append(Problem(name, line, field_path(loc), message))

    try:
        lesson = Lesson.model_validate(dict(table))
    except ValidationError as error:
        errors = error.errors(include_url=False)
        for item in errors:
            loc = _clean_loc(item["loc"])
            add(loc, _message(item, loc))
        lesson = _without_unknown_keys(table, errors)
    if lesson is not None:
        for loc, message in lesson_problems(lesson, levels):
            add(loc, message)
    if problems or lesson is None:
        raise LessonError(sorted(problems, key=lambda p: p.line or 0))
    return lesson.located(name, source)


def load_lesson_text(
    text: str, name: str, levels: Mapping[str, Level], *, source: str = ""
) -> Lesson:
    """A lesson from TOML text; `name` is the file name problems report."""
    try:
        table = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        found = _TOML_LINE.search(str(error))
        line = getattr(error, "lineno", None) or (int(found.group(1)) if found else 1)
        message = getattr(error, "msg", None) or _TOML_AT.sub("", str(error))
        raise LessonError([Problem(name, line, "", f"TOML syntax: {message}")]) from None
    except RecursionError:
        raise LessonError([Problem(name, 1, "", "TOML syntax: nested too deeply")]) from None
    return load_lesson_table(table, name, levels, source=source, lines=key_lines(text))


def is_lesson_file(path: str | Path) -> bool:
    """A TOML file with `steps` and no `sentences` (a level file has sentences): what
    `validate` and hot reload treat as a lesson. False for anything unreadable."""
    try:  # only a regular file, at most 1 MiB: a FIFO named x.toml must not block
        data = read_level_bytes(path, MAX_FILE_BYTES)
        table = tomllib.loads(data.decode("utf-8-sig"))
    except (LevelError, UnicodeDecodeError, tomllib.TOMLDecodeError, RecursionError):
        return False
    return "steps" in table and "sentences" not in table


def load_lesson_file(path: str | Path, levels: Mapping[str, Level], *, source: str = "") -> Lesson:
    """Read, check and return the lesson in `path`; raises LessonError listing every problem."""
    name = str(path)
    try:
        data = read_level_bytes(path, MAX_FILE_BYTES)
    except LevelError as error:  # said of a level file: this one is a lesson
        raise LessonError(
            Problem(p.path, p.line, p.field, p.message.replace("level file", "lesson file"))
            for p in error.problems
        ) from None
    if len(data) > MAX_FILE_BYTES:
        raise LessonError([Problem(name, None, "", "the file is over 1 MiB")])
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        raise LessonError([Problem(name, line, "", "the file is not UTF-8 text")]) from None
    return load_lesson_text(text, name, levels, source=source)
