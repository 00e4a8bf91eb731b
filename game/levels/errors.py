"""Located level problems: every complaint names its file, line and key path.

A level author fixes files by reading `FILE:LINE: field: message` lines, the
same shape compilers use, so editors can jump to each one. The loader
collects every problem it finds before raising, so one run shows them all.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from dataclasses import dataclass

Loc = tuple[str | int, ...]  # a key path: ("goals", 0, "query")

_FIELD_PART = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")


def field_path(loc: Loc) -> str:
    """("goals", 0, "query") -> "goals[0].query"; odd keys are quoted (vocab."a b")."""
    text = ""
    for part in loc:
        if isinstance(part, int):
            text += f"[{part}]"
        else:
            name = part if _FIELD_PART.match(part) else json.dumps(part, ensure_ascii=False)
            text += f".{name}" if text else name
    return text


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a level file.

    `line` is 1-based, or None only for whole-file problems (too large,
    unreadable). `field` is the key path (`goals[0].query`), "" when the
    problem is the whole file.
    """

    path: str
    line: int | None
    field: str
    message: str

    def __str__(self) -> str:
        where = self.path if self.line is None else f"{self.path}:{self.line}"
        return (
            f"{where}: {self.field}: {self.message}" if self.field else f"{where}: {self.message}"
        )


class LevelError(Exception):
    """A level file could not be used; `problems` lists every reason, in file order."""

    def __init__(self, problems: Iterable[Problem]) -> None:
        self.problems: list[Problem] = list(problems)
        super().__init__(str(self))

    def __str__(self) -> str:
        return "\n".join(str(problem) for problem in self.problems)
