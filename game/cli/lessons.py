"""`switchyard lessons`: list the installed lessons, or check lesson files; finding a lesson."""

from __future__ import annotations

import argparse
import difflib
import json
from pathlib import Path

from game.cli.common import UserError, load_registry, print_problems


def find_lesson(registry, ref: str):
    """The lesson `ref` names: an installed id, or a lesson file (checked, problems printed)."""
    from game.lessons import LessonError, load_lesson_file

    if ref in registry.lessons:
        return registry.lessons[ref]
    if ref.endswith(".toml") or "/" in ref:
        try:
            return load_lesson_file(ref, registry.levels)
        except LessonError as error:
            print_problems(error.problems)
            raise UserError(f"{ref} has {len(error.problems)} problem(s)") from None
    print_problems(registry.lesson_problems)
    close = difflib.get_close_matches(ref, list(registry.lessons), n=1)
    hint = f"; did you mean {close[0]!r}?" if close else " (see 'switchyard lessons')"
    raise UserError(f"no lesson with id {ref!r}{hint}")


def looks_like_lesson(path: Path) -> bool:
    """A TOML file with `steps` and no `sentences`: `validate` checks it as a lesson."""
    from game.lessons.loader import is_lesson_file

    return is_lesson_file(path)


def validate_lesson(path: Path, registry) -> tuple[object, list]:
    """(lesson or None, problems) for `switchyard validate` on a lesson file."""
    from game.lessons import LessonError, load_lesson_file

    try:
        return load_lesson_file(path, registry.levels), []
    except LessonError as error:
        return None, error.problems


def lesson_row(lesson) -> dict:
    return {
        "id": lesson.id,
        "title": lesson.title,
        "minutes": lesson.minutes,
        "levels": lesson.level_ids,
        "steps": len(lesson.steps),
        "source": lesson.source,
    }


def cmd_lessons(args: argparse.Namespace) -> int:
    """List the lessons (or the files given, checked); exit 1 when any has a problem."""
    from game.lessons import LessonError, load_lesson_file

    registry = load_registry(args)
    if args.paths:
        lessons, problems = [], []
        for raw in args.paths:
            path = Path(raw)
            for file in sorted(path.rglob("*.toml")) if path.is_dir() else [path]:
                try:
                    lessons.append(load_lesson_file(file, registry.levels))
                except LessonError as error:
                    problems.extend(error.problems)
    else:
        lessons, problems = list(registry.lessons.values()), registry.lesson_problems
    rows = [lesson_row(lesson) for lesson in lessons]
    if args.json:
        print(json.dumps(rows, indent=2, ensure_ascii=False))
    elif rows:
        from game.plugins.listing import text_table

        table = [
            {**row, "levels": len(row["levels"]), "minutes": f"{row['minutes']} min"}
            for row in rows
        ]
        print(text_table(table, ["id", "title", "minutes", "steps", "levels", "source"]))
    else:
        print("No lessons.")
    print_problems(problems)
    return 1 if problems else 0


def add_parsers(sub: argparse._SubParsersAction, parents: list[argparse.ArgumentParser]) -> None:
    lessons = sub.add_parser(
        "lessons", help="list the lessons a teacher can run (demo --lesson ID)", parents=parents
    )
    lessons.add_argument(
        "paths", nargs="*", metavar="PATH", help="check these lesson files (or folders) instead"
    )
    lessons.add_argument("--json", action="store_true", help="print a JSON list")
    lessons.set_defaults(run=cmd_lessons)
