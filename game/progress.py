"""Saved progress: stars and best solution per level, and the player's preferences.

Stored as one JSON file in the user data folder. Saving is atomic (a temp file
in the same folder, fsync, `os.replace`, fsync of the folder), so a crash or a
power cut leaves either the old file or the new one, never half of each.
Loading never crashes the game and never loses a file, as SQLite treats its own:
- a file that is not valid progress (bad UTF-8 or JSON, too deeply nested,
  wrong keys) is moved aside as `progress.corrupt-<timestamp>.json`, a fresh
  progress is used, and a warning says which file and what was wrong;
- a file that cannot be read (permissions, an I/O error, a folder) or that a
  newer Switchyard wrote is left exactly as it is, and saving turns off
  (`Progress.saving_off` says why, `save_progress` raises `SavingOff`) so the
  first save cannot write over it;
- temp files left by a save that was killed are removed on open;
- a UTF-8 byte-order mark is accepted.
`load_progress(..., read_only=True)` (the `levels` command) never renames or
removes anything. Presenter mode (`switchyard demo`) keeps its own file,
`presenter_path()` beside the player's, so a demo never shows or changes a
student's stars, boards or settings. No pygame here.
"""

from __future__ import annotations

import json
import os
import tempfile
import time
from dataclasses import asdict, dataclass, field, fields
from pathlib import Path
from typing import Any

FORMAT = 1
FILE_NAME = "progress.json"
PRESENTER_FILE_NAME = "presenter.json"  # presenter mode's own namespace, beside FILE_NAME
STALE_TEMP_SECONDS = 30.0  # a save's temp file older than this is a killed save's leftover
DATA_DIR_ENV = "SWITCHYARD_DATA_DIR"
MAX_STARS = 3


class ProgressFormatError(ValueError):
    """The JSON parsed, but it is not progress: says which key and what is wrong."""


class NewerFormat(ProgressFormatError):
    """A newer Switchyard wrote the file: open it read-only, never move it aside."""


class SavingOff(OSError):
    """Saving is off because the file on disk could not be read; says why."""


@dataclass
class Preferences:
    """What the settings screen changes; applied live and saved with the progress.

    The player's preferences for the whole game (saved under the "settings" key, the
    name the file format has always used); not the board's `game.model.spec.Settings`.
    """

    theme: str = "normal"
    font_scale: float = 1.0
    sound: bool = True
    backend: str = "auto"
    fullscreen: bool = False
    teacher: bool = False  # teacher mode: every level open, whatever the stars


@dataclass
class Progress:
    """Everything the player has earned and chosen; plain data that maps 1:1 onto JSON."""

    stars: dict[str, int] = field(default_factory=dict)
    best: dict[str, dict[str, Any]] = field(default_factory=dict)
    settings: Preferences = field(default_factory=Preferences)
    format: int = FORMAT
    # Why saving is off (the file on disk could not be read, or is newer); None: saving is on.
    saving_off: str | None = field(default=None, compare=False)
    # levels whose stars so far came only from a head learned by gradient descent ("watch it
    # learn", then Keep), never from one built by hand; optional in the file (older saves)
    learned: set[str] = field(default_factory=set)

    def stars_for(self, level_id: str) -> int:
        return self.stars.get(level_id, 0)

    def record_stars(self, level_id: str, stars: int) -> bool:
        """Keep the better of the stored and the new count; True when stars went up.

        A worse replay never takes away stars already earned.
        """
        if not isinstance(stars, int) or isinstance(stars, bool) or not 0 <= stars <= MAX_STARS:
            raise ValueError(f"stars must be an int from 0 to {MAX_STARS}, got {stars!r}")
        if stars > self.stars.get(level_id, -1):
            self.stars[level_id] = stars
            return True
        return False

    def record_result(
        self, level_id: str, stars: int, solution: dict[str, Any], *, learned: bool = False
    ) -> bool:
        """Record a finished attempt; the solution becomes the level's best when its stars
        are at least the stored count. True when the stored best changed.

        `learned`: the head was found by gradient descent, not built by hand. The level
        is marked so while no starred attempt of it was built by hand."""
        previous = self.stars.get(level_id)
        if stars >= 1 and not learned:
            self.learned.discard(level_id)
        elif stars >= 1 and (not previous or level_id in self.learned):
            self.learned.add(level_id)
        self.record_stars(level_id, stars)
        if previous is None or stars >= previous or level_id not in self.best:
            self.best[level_id] = json.loads(json.dumps(solution))  # a JSON-able copy, or raise
            return True
        return False

    def to_dict(self) -> dict[str, Any]:
        """The JSON object; "learned" only when some level has the mark, so a save from
        before the mark is written back as it was."""
        data = {
            "format": self.format,
            "stars": dict(self.stars),
            "best": dict(self.best),
            "settings": asdict(self.settings),
        }
        if self.learned:
            data["learned"] = sorted(self.learned)
        return data

    @classmethod
    def from_dict(cls, data: Any) -> Progress:
        """Validate parsed JSON into Progress; ProgressFormatError names the bad key."""
        if not isinstance(data, dict):
            raise ProgressFormatError(f"top level is {_kind(data)}, expected an object")
        version = data.get("format")
        if isinstance(version, int) and not isinstance(version, bool) and version > FORMAT:
            raise NewerFormat(
                f"'format' is {version}: written by a newer Switchyard (this one reads {FORMAT})"
            )
        if version != FORMAT:
            raise ProgressFormatError(f"'format' is {version!r}, expected {FORMAT}")
        unknown = set(data) - {"format", "stars", "best", "settings", "learned"}
        if unknown:
            raise ProgressFormatError(f"unknown key(s) {', '.join(sorted(map(repr, unknown)))}")
        stars = data.get("stars", {})
        if not isinstance(stars, dict):
            raise ProgressFormatError(f"'stars' is {_kind(stars)}, expected an object")
        for level_id, count in stars.items():
            if not isinstance(count, int) or isinstance(count, bool) or not 0 <= count <= MAX_STARS:
                raise ProgressFormatError(
                    f"'stars.{level_id}' is {count!r}, expected an int from 0 to {MAX_STARS}"
                )
        best = data.get("best", {})
        if not isinstance(best, dict):
            raise ProgressFormatError(f"'best' is {_kind(best)}, expected an object")
        for level_id, solution in best.items():
            if not isinstance(solution, dict):
                raise ProgressFormatError(
                    f"'best.{level_id}' is {_kind(solution)}, expected an object"
                )
        learned = data.get("learned", [])
        if not isinstance(learned, list) or not all(isinstance(i, str) for i in learned):
            raise ProgressFormatError(f"'learned' is {learned!r}, expected a list of level ids")
        return cls(
            stars=dict(stars),
            best=dict(best),
            settings=_settings_from(data.get("settings", {})),
            learned=set(learned),
        )


def _settings_from(data: Any) -> Preferences:
    if not isinstance(data, dict):
        raise ProgressFormatError(f"'settings' is {_kind(data)}, expected an object")
    defaults = Preferences()
    values: dict[str, Any] = {}
    for spec in fields(Preferences):
        if spec.name not in data:
            continue  # a setting added in a later version: keep the default
        value = data[spec.name]
        expected = type(getattr(defaults, spec.name))
        ok = isinstance(value, expected) and not (expected is not bool and isinstance(value, bool))
        if expected is float and isinstance(value, int) and not isinstance(value, bool):
            value, ok = float(value), True
        if not ok:
            raise ProgressFormatError(
                f"'settings.{spec.name}' is {value!r}, expected {expected.__name__}"
            )
        values[spec.name] = value
    unknown = set(data) - {spec.name for spec in fields(Preferences)}
    if unknown:
        raise ProgressFormatError(f"unknown setting(s) {', '.join(sorted(map(repr, unknown)))}")
    return Preferences(**values)


def _kind(value: Any) -> str:
    return {dict: "an object", list: "a list", str: "a string", type(None): "null"}.get(
        type(value), f"a {type(value).__name__}"
    )


def data_dir() -> Path:
    """$SWITCHYARD_DATA_DIR when set, else the OS's per-user data folder for switchyard."""
    override = os.environ.get(DATA_DIR_ENV)
    if override:
        return Path(override)
    import platformdirs  # only when the real folder is needed

    return Path(platformdirs.user_data_dir("switchyard", appauthor=False))


def default_path() -> Path:
    return data_dir() / FILE_NAME


def presenter_path() -> Path:
    """Presenter mode's progress (its settings): never the player's file."""
    return data_dir() / PRESENTER_FILE_NAME


def save_progress(progress: Progress, path: str | os.PathLike[str] | None = None) -> Path:
    """Write progress atomically; returns the path written.

    The temp file lives in the target folder so `os.replace` is a same-filesystem
    rename, which is atomic on POSIX and Windows. Raises `SavingOff` (an OSError)
    when loading turned saving off, so a file that could not be read is never
    written over.
    """
    if progress.saving_off is not None:
        raise SavingOff(f"saving is off: {progress.saving_off}")
    target = Path(path) if path is not None else default_path()
    write_atomically(target, json.dumps(progress.to_dict(), indent=2, sort_keys=True) + "\n")
    _fsync_folder(target.parent)
    return target


def write_atomically(target: Path, text: str) -> None:
    """Write `text` to `target` so that a crash leaves the old file or the new one: a
    temp file in the same folder (so `os.replace` is an atomic rename), fsynced first.
    Progress and the quiz's answers and CSV exports are written this way."""
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, temp_name = tempfile.mkstemp(prefix=f".{target.stem}-", suffix=".tmp", dir=target.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temp_name, target)
    except BaseException:
        try:
            os.unlink(temp_name)
        except OSError:
            pass
        raise


def _fsync_folder(folder: Path) -> None:
    """Make the rename itself durable; folders cannot be opened like this on Windows."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def load_progress(
    path: str | os.PathLike[str] | None = None,
    *,
    now: float | None = None,
    read_only: bool = False,
) -> tuple[Progress, str | None]:
    """(progress, warning). Missing file: fresh progress, no warning.

    Damaged (not UTF-8, not JSON, not progress): moved aside, fresh progress, a
    warning. Unreadable or newer: left alone, fresh or fresh-and-read-only
    progress with `saving_off` set, a warning. `read_only` (for commands that
    only look) never moves or removes a file. `now` (seconds since the epoch)
    names the moved-aside file and ages leftover temp files; it defaults to the clock.
    """
    source = Path(path) if path is not None else default_path()
    now = time.time() if now is None else now
    if not read_only:
        _remove_leftovers(source, now)
    try:
        raw = source.read_bytes()
    except FileNotFoundError:
        return Progress(), None
    except OSError as error:
        reason = f"{source} could not be read ({error.strerror or error})"
        return Progress(saving_off=reason), (
            f"Saved progress {reason}; it is left as it is and saving is off until it can be read."
        )
    try:
        return Progress.from_dict(json.loads(raw.decode("utf-8-sig"))), None
    except NewerFormat as error:
        reason = f"{source} was written by a newer Switchyard ({error})"
        return Progress(saving_off=reason), (
            f"Saved progress {reason}; it is opened read-only and left as it is."
        )
    except Exception as error:  # every error parsing can raise: damage, never a crash
        problem = _parse_problem(error)
    if read_only:
        return Progress(), f"Saved progress {source} is damaged ({problem}); it was left as it is."
    aside = _move_aside(source, now)
    if aside is None:  # keep it: saving stays off rather than write over it
        reason = f"{source} is damaged and could not be moved aside"
        return Progress(saving_off=reason), (
            f"Saved progress {source} was damaged ({problem}) and could not be moved aside; "
            "saving is off until it can be."
        )
    where = f"it was moved to {aside.name}"
    return Progress(), (
        f"Saved progress {source} was damaged ({problem}); {where} and a fresh start is used."
    )


def _parse_problem(error: Exception) -> str:
    """What is wrong with a file that did not parse as progress, in a few words."""
    if isinstance(error, UnicodeDecodeError):
        return f"not UTF-8 text (byte {error.start})"
    if isinstance(error, json.JSONDecodeError):
        return f"invalid JSON at line {error.lineno}, column {error.colno}: {error.msg}"
    if isinstance(error, RecursionError):
        return "nested too deeply to be progress"
    if isinstance(error, ProgressFormatError):
        return str(error)
    return f"{type(error).__name__}: {error}"


def _remove_leftovers(source: Path, now: float) -> None:
    """Remove temp files that killed saves left next to `source` (older than a save takes)."""
    try:
        leftovers = list(source.parent.glob(f".{source.stem}-*.tmp"))
    except OSError:
        return
    for leftover in leftovers:
        try:
            if now - leftover.stat().st_mtime >= STALE_TEMP_SECONDS:
                leftover.unlink()
        except OSError:
            pass  # gone already, or not ours to remove


def _move_aside(source: Path, now: float) -> Path | None:
    stamp = time.strftime("%Y%m%d-%H%M%S", time.localtime(now))
    for attempt in range(100):
        suffix = "" if attempt == 0 else f"-{attempt}"
        aside = source.with_name(f"{source.stem}.corrupt-{stamp}{suffix}.json")
        if aside.exists():
            continue
        try:
            os.replace(source, aside)
        except OSError:
            return None
        return aside
    return None
