"""Load a quiz pack: bytes → TOML → schema → concepts and levels → computed answers.

Problems are located like a level's (`quiz.toml:14: questions[2].answer: …`), all
of them gathered before one `QuizError` is raised, so an author fixes a pack in
one pass. The file reading, TOML key lines and problem type are the level
loader's own (`game.levels.files`, `locate`, `errors`).
"""

from __future__ import annotations

import difflib
import re
import tomllib
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from game.levels.errors import LevelError, Loc, Problem, field_path
from game.levels.files import read_level_bytes
from game.levels.locate import key_lines, line_of
from game.quiz.compute import ComputeError, compute_value, matches
from game.quiz.schema import QuizPack

MAX_FILE_BYTES = 1 << 20  # 1 MiB


class QuizError(LevelError):
    """A quiz pack could not be used; `problems` lists every reason, in file order."""


class _Problems:
    def __init__(self, name: str, lines: Mapping[tuple, int]) -> None:
        self.name, self.lines = name, lines
        self.found: list[Problem] = []

    def add(self, loc: Loc, message: str) -> None:
        self.found.append(Problem(self.name, line_of(self.lines, loc), field_path(loc), message))

    def raise_if_any(self) -> None:
        if self.found:
            raise QuizError(sorted(self.found, key=lambda p: p.line or 0))


def suggest(word: object, known: Iterable[str]) -> str:
    """' (did you mean "qkv"?)' when a known name is close, else ''."""
    if not isinstance(word, str):
        return ""
    close = difflib.get_close_matches(word, list(known), n=1, cutoff=0.6)
    return f' (did you mean "{close[0]}"?)' if close else ""


def _message(error: Mapping[str, Any]) -> str:
    kind = error["type"]
    if kind == "missing":
        return "missing (required)"
    if kind == "extra_forbidden":
        return "unknown key"
    if kind in ("union_tag_not_found", "union_tag_invalid"):
        return 'kind must be "weights", "level" or "traffic"'
    if kind == "string_pattern_mismatch":
        value = error.get("input")
        return f"{value!r} is not a valid id: use letters, digits, _ and - (at most 64)"
    message = str(error["msg"]).removeprefix("Value error, ")
    return message[:1].lower() + message[1:]


def _clean(loc: tuple[Any, ...]) -> Loc:
    """Drop pydantic's own parts of a location (union branches, tagged-union tags)."""
    parts = [p for p in loc if isinstance(p, int) or not ("[" in p or p in _TAGS or "," in p)]
    return tuple(parts)


_TAGS = {"weights", "level", "traffic"}


def _schema_problems(table: Mapping[str, Any], out: _Problems) -> QuizPack | None:
    try:
        return QuizPack.model_validate(table)
    except ValidationError as error:
        seen: set[tuple[Loc, str]] = set()
        for item in error.errors(include_url=False):
            loc = _clean(item["loc"])
            message = _message(item)
            if "choices" in loc and len(loc) > 3:  # one union branch per element: say it once
                loc, message = loc[:3], "choices are all text, or (computed questions) all numbers"
            if (loc, message) not in seen:
                seen.add((loc, message))
                out.add(loc, message)
        return None


def _registry_problems(
    pack: QuizPack, catalog: object, levels: Mapping[str, Any], out: _Problems
) -> None:
    """Concepts and levels that nothing installed provides; a level teaching another concept."""
    concepts = getattr(catalog, "concepts", {}) or {}
    seen_ids: dict[str, int] = {}
    for q, question in enumerate(pack.questions):
        if question.id in seen_ids:
            first = seen_ids[question.id] + 1
            out.add(("questions", q, "id"), f"{question.id!r} is also the id of question {first}")
        seen_ids.setdefault(question.id, q)
        if concepts and question.concept not in concepts:
            out.add(
                ("questions", q, "concept"),
                f"unknown concept {question.concept!r}{suggest(question.concept, concepts)}; "
                f"known: {', '.join(concepts)}",
            )
        if question.level is None:
            continue
        level = levels.get(question.level)
        if level is None:
            out.add(
                ("questions", q, "level"),
                f"no level {question.level!r} is installed{suggest(question.level, levels)}",
            )
        elif level.concept != question.concept:
            out.add(
                ("questions", q, "concept"),
                f"level {question.level!r} teaches {level.concept!r}, not {question.concept!r}",
            )


def _answer_problems(
    pack: QuizPack, catalog: object, levels: Mapping[str, Any], out: _Problems
) -> None:
    """Answers past the choices; computed answers held to the model's own number."""
    for q, question in enumerate(pack.questions):
        where: Loc = ("questions", q)
        if question.answer > len(question.choices):
            count = len(question.choices)
            out.add((*where, "answer"), f"{question.answer} is past the {count} choices")
            continue
        numeric = not isinstance(question.choices[0], str)
        if question.compute is None:
            if numeric:
                out.add((*where, "choices"), "numbers need [questions.compute] to check them")
            continue
        if not numeric:
            out.add((*where, "choices"), "a computed question's choices are numbers")
            continue
        try:
            value = compute_value(question, catalog, levels)
        except ComputeError as error:
            out.add((*where, "compute"), str(error))
            continue
        _hold_to(question, value, where, out)


def _hold_to(question: Any, value: float, where: Loc, out: _Problems) -> None:
    shown = f"{value:.{question.decimals}f}"
    right = [i + 1 for i, c in enumerate(question.choices) if matches(value, c, question.decimals)]
    if question.answer not in right:
        out.add(
            (*where, "answer"),
            f"the model computes {shown}; choice {question.answer} says "
            f"{question.choices[question.answer - 1]}",
        )
    elif len(right) > 1:
        out.add((*where, "choices"), f"choices {right} all show {shown}: only one may be right")


def load_quiz_text(
    text: str, name: str, catalog: object, levels: Mapping[str, Any] | None = None
) -> QuizPack:
    """A pack from TOML text; `catalog` holds the concepts, `levels` the installed levels."""
    levels = levels if levels is not None else getattr(catalog, "levels", {})
    try:
        table = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        found = re.search(r"line (\d+)", str(error))
        line = getattr(error, "lineno", None) or (int(found.group(1)) if found else 1)
        message = getattr(error, "msg", None) or re.sub(r" \(at .*\)$", "", str(error))
        raise QuizError([Problem(name, line, "", f"TOML syntax: {message}")]) from None
    out = _Problems(name, key_lines(text))
    pack = _schema_problems(table, out)
    if pack is None:
        out.raise_if_any()
        raise AssertionError("unreachable")
    _registry_problems(pack, catalog, levels, out)
    _answer_problems(pack, catalog, levels, out)
    out.raise_if_any()
    return pack


def load_quiz_file(
    path: str | Path, catalog: object, levels: Mapping[str, Any] | None = None
) -> QuizPack:
    """Read and check the pack in `path`; raises QuizError listing every problem."""
    name = str(path)
    try:
        data = read_level_bytes(path, MAX_FILE_BYTES)
    except LevelError as error:  # a folder, a FIFO, too large: the same words, for a quiz
        raise QuizError(
            Problem(p.path, p.line, p.field, p.message.replace("a level file", "a quiz pack"))
            for p in error.problems
        ) from None
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        raise QuizError([Problem(name, line, "", "the file is not UTF-8 text")]) from None
    return load_quiz_text(text, name, catalog, levels)
