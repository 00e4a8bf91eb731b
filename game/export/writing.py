"""Write an export folder: every table as .csv and .npy, the board as JSON, README, manifest.

`write_export(board, folder)` is what `switchyard export` runs; the game's E key
runs `export_to_new_folder`, which builds the folder under a hidden temporary
name and renames it into place, so a half-written export never appears (a
crash leaves only the hidden temp folder, removed on failure when possible).
Every file is written to a temp file in its folder and `os.replace`d, as
progress is saved. `export_root()` says where the game puts its exports.
Errors are plain `OSError`s (a read-only folder, a full disk): the caller
says so to the user. No pygame here.
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from game.export.readme import BOARD_FILE, MANIFEST_FILE, README_FILE, manifest, readme_text
from game.export.stack_tables import TASK_FAILURES_FILE, TASK_SCORE_FILE, task_files
from game.export.tables import board_evaluations, board_tables
from game.model import Board
from game.model.saved_board import state_to_dict

EXPORT_DIR_ENV = "SWITCHYARD_EXPORT_DIR"
DATA_DIR_ENV = "SWITCHYARD_DATA_DIR"
FILE_MODE, FOLDER_MODE = 0o644, 0o755  # as a saved file and folder, not a temp's owner-only


@dataclass(frozen=True)
class ExportResult:
    """Where an export went and the files it wrote (README first, then the board, …)."""

    folder: Path
    files: tuple[Path, ...]


def export_root() -> Path:
    """Where the game saves exports and screenshots: $SWITCHYARD_EXPORT_DIR when set, else
    `exports` in $SWITCHYARD_DATA_DIR when that is set, else ~/Switchyard/exports (a folder
    a teacher finds without knowing where the game keeps its data)."""
    override = os.environ.get(EXPORT_DIR_ENV)
    if override:
        return Path(override)
    data = os.environ.get(DATA_DIR_ENV)
    if data:
        return Path(data) / "exports"
    return Path.home() / "Switchyard" / "exports"


def stamp(now: float | None = None) -> str:
    """Local time as it goes into a file name: 20261129-031500."""
    return time.strftime("%Y%m%d-%H%M%S", time.localtime(now))


def free_name(root: Path, stem: str, suffix: str = "") -> Path:
    """root/stem+suffix, or root/stem-2+suffix, -3 … when that is taken (two presses a second)."""
    path, n = root / f"{stem}{suffix}", 1
    while path.exists():
        n += 1
        path = root / f"{stem}-{n}{suffix}"
    return path


def write_atomic(path: Path, write: Callable[[Path], None]) -> Path:
    """Call `write(temp)` on a temp file beside `path`, then move it into place.

    The file is readable by others (0644, like any file the user saves), not the
    owner-only mode of a temp file: a teacher copies exports to a shared drive."""
    fd, temp = tempfile.mkstemp(prefix=f".{path.stem}-", suffix=path.suffix, dir=path.parent)
    os.close(fd)
    try:
        os.chmod(temp, FILE_MODE)
        write(Path(temp))
        os.replace(temp, path)
    except BaseException:
        try:
            os.unlink(temp)
        except OSError:
            pass
        raise
    return path


def _text(content: str) -> Callable[[Path], None]:
    return lambda temp: temp.write_text(content, encoding="utf-8", newline="\n")


def _array(values: np.ndarray) -> Callable[[Path], None]:
    def write(temp: Path) -> None:
        with open(temp, "wb") as handle:
            np.save(handle, values, allow_pickle=False)

    return write


def write_export(
    board: Board, folder: str | os.PathLike[str], *, board_from: str = "the board on screen"
) -> ExportResult:
    """Write the board's export into `folder` (created when missing), one file at a time.

    The tables first, export.json (the index of the others) last. Table files an
    earlier export into the same folder listed and this one does not write are
    removed, so the folder never mixes two boards; no other file is touched.
    `board_from` says in README.txt and export.json which board this is ("the
    level's start", a file name…). Raises OSError when the folder cannot be written,
    and whatever a plugin's scheme or goal raises while the board is evaluated."""
    folder = Path(folder)
    evaluations = board_evaluations(board)  # before any file: a failing plugin writes nothing
    tables = board_tables(board, evaluations)
    made = time.strftime("%Y-%m-%d %H:%M:%S %z")
    folder.mkdir(parents=True, exist_ok=True)
    earlier = earlier_tables(folder)
    written = []
    for table in tables:
        written.append(write_atomic(folder / f"{table.stem}.csv", _text(table.csv_text())))
        written.append(write_atomic(folder / f"{table.stem}.npy", _array(table.values)))
    for name, text in task_files(evaluations).items():  # a task level's held-out score
        written.append(write_atomic(folder / name, _text(text)))
    board_json = json.dumps(state_to_dict(board.state), indent=2) + "\n"
    facts = manifest(evaluations, tables, board.state, board_from, made)
    readme = readme_text(evaluations, tables, board_from, made)
    index = [
        write_atomic(folder / README_FILE, _text(readme)),
        write_atomic(folder / BOARD_FILE, _text(board_json)),
        write_atomic(folder / MANIFEST_FILE, _text(json.dumps(facts, indent=2) + "\n")),
    ]
    for name in earlier - {path.name for path in written}:
        (folder / name).unlink(missing_ok=True)
    return ExportResult(folder, tuple(index + written))


def earlier_tables(folder: Path) -> set[str]:
    """The table files that an earlier export into `folder` lists in its export.json: the
    only files besides our own three that a new export may replace or remove (with a task
    level's two score files, listed under "task")."""
    try:
        facts = json.loads((folder / MANIFEST_FILE).read_text(encoding="utf-8"))
        names = {table[key] for table in facts["tables"] for key in ("csv", "npy")}
        task = facts.get("task") or {}
        names |= {task[key] for key in ("score", "failures") if key in task}
    except (OSError, ValueError, KeyError, TypeError, RecursionError, AttributeError):
        return set()  # none, or not ours: leave every file alone
    return {
        name
        for name in names
        if isinstance(name, str)
        and name == Path(name).name
        and (
            (name.startswith("sentence") and name.endswith((".csv", ".npy")))
            or name in (TASK_SCORE_FILE, TASK_FAILURES_FILE)
        )
    }


def export_to_new_folder(
    board: Board, root: str | os.PathLike[str] | None = None, *, now: float | None = None
) -> ExportResult:
    """A new folder `<level>-<time>` under `root` (default `export_root()`) holding the
    board's export, which appears whole or not at all."""
    root = Path(root) if root is not None else export_root()
    root.mkdir(parents=True, exist_ok=True)
    temp = Path(tempfile.mkdtemp(prefix=".export-", dir=root))
    try:
        os.chmod(temp, FOLDER_MODE)
        written = write_export(board, temp)
        final = free_name(root, f"{board.level.id}-{stamp(now)}")
        os.rename(temp, final)
    except BaseException:
        shutil.rmtree(temp, ignore_errors=True)
        raise
    return ExportResult(final, tuple(final / path.name for path in written.files))


__all__ = [
    "EXPORT_DIR_ENV",
    "ExportResult",
    "export_root",
    "export_to_new_folder",
    "free_name",
    "stamp",
    "write_atomic",
    "write_export",
]
