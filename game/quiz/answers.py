"""Answers students gave, kept on this computer in one file that a bad line cannot spoil.

The file is JSON Lines (`quiz-answers.jsonl` in the user data folder): one
answer per line, so a damaged line loses only itself. Every save reads what is
there, keeps each good line, adds the new answers and writes the whole file
atomically (temp file in the same folder, fsync, `os.replace`), so a crash
leaves the old file or the new one; an advisory lock beside it keeps two windows
saving at once from dropping each other's answers. Damaged lines are never dropped silently:
they are copied to `quiz-answers.damaged-<time>.jsonl` beside it and a message
says how many and where. A file that cannot be read (permissions, a folder) is
never written over: the answers wait in memory and the message says why.
No network, no account: a name is whatever the student typed.
"""

from __future__ import annotations

import json
import os
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field, fields
from datetime import datetime
from pathlib import Path

from game.progress import data_dir, write_atomically

FILE_NAME = "quiz-answers.jsonl"
MAX_FIELD = 1000  # characters of a text field kept from a file


@dataclass(frozen=True)
class Answer:
    """One answer to one question: who, which quiz and phase, what they chose, how long it took."""

    name: str
    quiz_id: str
    phase: str  # "pre" or "post"
    question_id: str
    choice: int  # 1-based, as the keys 1–4
    choice_text: str
    correct: bool
    seconds: float  # from the question appearing to the answer, rounded to 0.01 s
    timestamp: str  # when it was answered: ISO 8601 local time with its UTC offset

    @classmethod
    def from_dict(cls, data: object) -> Answer:
        """Validate one parsed line; ValueError says what is wrong."""
        if not isinstance(data, dict):
            raise ValueError("not an object")
        names = {spec.name for spec in fields(cls)}
        if set(data) != names:
            missing, extra = names - set(data), set(data) - names
            raise ValueError(f"keys: missing {sorted(missing)}, unknown {sorted(extra)}")
        for spec in fields(cls):
            value = data[spec.name]
            kind = {"int": int, "bool": bool, "float": (int, float)}.get(spec.type, str)
            if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
                raise ValueError(f"{spec.name} is {value!r}")
            if isinstance(value, str) and len(value) > MAX_FIELD:
                raise ValueError(f"{spec.name} is longer than {MAX_FIELD} characters")
        return cls(**{**data, "seconds": float(data["seconds"])})


def now_stamp() -> str:
    """The current local time as the answers file writes it."""
    return datetime.now().astimezone().isoformat(timespec="seconds")


class AnswersUnreadable(OSError):
    """The answers file exists but cannot be read, so it must not be written over."""


@dataclass
class Loaded:
    """What a read of the answers file found: the good answers, and the damaged lines."""

    answers: list[Answer] = field(default_factory=list)
    damaged: list[tuple[int, bytes]] = field(default_factory=list)  # (1-based line, raw bytes)


def read_answers(path: Path) -> Loaded:
    """Every good answer in `path` (none when it does not exist), and its damaged lines.

    Raises AnswersUnreadable when the file is there but cannot be read."""
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        return Loaded()
    except OSError as error:
        raise AnswersUnreadable(f"{path} could not be read ({error.strerror or error})") from None
    loaded = Loaded()
    for number, line in enumerate(raw.split(b"\n"), start=1):
        text = line.strip()
        if number == 1:
            text = text.removeprefix(b"\xef\xbb\xbf")  # a byte-order mark from an editor
        if not text:
            continue
        try:
            loaded.answers.append(Answer.from_dict(json.loads(text.decode("utf-8"))))
        except (ValueError, TypeError, RecursionError):
            loaded.damaged.append((number, line))
    return loaded


class AnswerStore:
    """The answers file of this computer; `add` saves, `load` reads (both report damage)."""

    def __init__(self, path: str | os.PathLike[str] | None = None) -> None:
        self.path = Path(path) if path is not None else default_path()
        self.waiting: list[Answer] = []  # answers not yet written (the file was unreadable)

    def load(self) -> tuple[list[Answer], str | None]:
        """(answers, message): the good answers, and what was wrong with the file, if anything.

        Reading never moves or changes the file; answers still waiting are included."""
        try:
            loaded = read_answers(self.path)
        except AnswersUnreadable as error:
            return list(self.waiting), f"Saved answers: {error}."
        note = None
        if loaded.damaged:
            lines = ", ".join(str(n) for n, _ in loaded.damaged[:5])
            note = (
                f"{len(loaded.damaged)} damaged line(s) in {self.path} (line {lines}) "
                "were skipped; "
                f"the other {len(loaded.answers)} answers are fine."
            )
        return loaded.answers + self.waiting, note

    def add(self, *answers: Answer, now: float | None = None) -> str | None:
        """Save `answers` with every good one already in the file; returns a message when
        damaged lines were set aside. Raises OSError (saying why) when nothing could be
        written; the answers then wait in memory for the next `add`."""
        self.waiting.extend(answers)
        with _exclusive(self.path):  # two windows saving at once must not drop each other's
            return self._merge_and_write(now)

    def _merge_and_write(self, now: float | None) -> str | None:
        loaded = read_answers(self.path)  # AnswersUnreadable: keep waiting, never overwrite
        note = None
        if loaded.damaged:
            aside = self._set_aside(loaded.damaged, now)
            note = (
                f"{len(loaded.damaged)} damaged line(s) of {self.path.name} were moved to "
                f"{aside.name}; every other answer is kept."
            )
        lines = [json.dumps(asdict(a), ensure_ascii=False) for a in loaded.answers + self.waiting]
        write_atomically(self.path, "".join(line + "\n" for line in lines))
        self.waiting.clear()
        return note

    def _set_aside(self, damaged: list[tuple[int, bytes]], now: float | None) -> Path:
        """Copy damaged lines to a new file beside the answers (never over another one)."""
        stamp = time.strftime("%Y%m%d-%H%M%S", time.localtime(time.time() if now is None else now))
        for attempt in range(1000):
            suffix = "" if attempt == 0 else f"-{attempt}"
            aside = self.path.with_name(f"{self.path.stem}.damaged-{stamp}{suffix}.jsonl")
            try:
                with open(aside, "xb") as handle:
                    handle.write(b"".join(line + b"\n" for _, line in damaged))
                    handle.flush()
                    os.fsync(handle.fileno())
                return aside
            except FileExistsError:
                continue
        raise OSError(f"could not find a free name beside {self.path} for damaged lines")


@contextmanager
def _exclusive(path: Path) -> Iterator[None]:
    """Hold an advisory lock on `<path>.lock` (POSIX flock) while the file is rewritten, so
    two processes adding answers at once both keep theirs; where there is no flock (or the
    folder cannot hold the lock file yet), it goes on unlocked."""
    try:
        import fcntl
    except ImportError:  # Windows: no flock
        yield
        return
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handle = open(path.with_name(path.name + ".lock"), "a")  # noqa: SIM115 (held below)
    except OSError:
        yield
        return
    with handle:
        fcntl.flock(handle.fileno(), fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle.fileno(), fcntl.LOCK_UN)


def default_path() -> Path:
    return data_dir() / FILE_NAME
