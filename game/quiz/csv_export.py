"""The teacher's CSV: a header row, then one row per answer, in the order they were given.

Columns are the fields of `Answer` (name, quiz_id, phase, question_id, choice,
choice_text, correct, seconds, timestamp); `correct` is 1 or 0 so a spreadsheet
can sum it. A text cell that a spreadsheet would run as a formula (starting with
=, +, -, @, a tab or a carriage return) is written with a leading apostrophe,
as OWASP advises for CSV files; `read_csv` takes it off again.
"""

from __future__ import annotations

import csv
import io
from dataclasses import fields
from pathlib import Path

from game.progress import write_atomically
from game.quiz.answers import Answer

COLUMNS = tuple(spec.name for spec in fields(Answer))
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_TEXT = {"name", "quiz_id", "phase", "question_id", "choice_text", "timestamp"}


def _guard(text: str) -> str:
    return "'" + text if text.startswith(_FORMULA_START) else text


def _unguard(text: str) -> str:
    return text[1:] if text.startswith("'") and text[1:].startswith(_FORMULA_START) else text


def csv_text(answers: list[Answer]) -> str:
    """The CSV of `answers`, header first, one line per row ending in a plain newline."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(COLUMNS)
    for answer in answers:
        row = []
        for column in COLUMNS:
            value = getattr(answer, column)
            if column == "correct":
                row.append("1" if value else "0")
            elif column == "seconds":
                row.append(f"{value:.2f}")
            elif column in _TEXT:
                row.append(_guard(value))
            else:
                row.append(str(value))
        writer.writerow(row)
    return out.getvalue()


def write_csv(answers: list[Answer], path: str | Path) -> Path:
    """Write the CSV atomically, as plain UTF-8 (no byte-order mark: a first column named
    "\ufeffname" would trip every script that reads the file)."""
    target = Path(path)
    write_atomically(target, csv_text(answers))
    return target


def read_csv(path: str | Path) -> list[Answer]:
    """The answers in a CSV that `write_csv` wrote (for tests and for merging laptops)."""
    with open(path, encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.DictReader(handle))
    answers = []
    for row in rows:
        values = {column: _unguard(row[column]) for column in COLUMNS}
        answers.append(
            Answer(
                **{
                    **values,
                    "choice": int(values["choice"]),
                    "correct": values["correct"] == "1",
                    "seconds": float(values["seconds"]),
                }
            )
        )
    return answers
