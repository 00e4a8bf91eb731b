"""Which board a command draws or exports: the level's start, its solution, or a saved board.

`choose_state(level, catalog, "start" | "solution" | "FILE.json")` is shared by
`switchyard export --board` and `switchyard render --board`. A board file is
the saved-board JSON of `game.model.saved_board` (what an export's `board.json`
holds, and what the game keeps as a level's best board); it is untrusted
input, checked once here: every problem is a `BoardFileError` whose message
starts with the file (and the line, for broken JSON). No pygame here.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import TYPE_CHECKING

from game.levels.schema import Level
from game.model.board import solution_state, start_state
from game.model.saved_board import SavedBoardError, restore_state
from game.model.spec import BoardState

if TYPE_CHECKING:
    from game.api import Catalog

MAX_BOARD_BYTES = 1_000_000  # a saved board is a few kB; a bigger file is not one
BOARD_CHOICES = ("start", "solution")


class BoardFileError(ValueError):
    """A board file that cannot be used: the message names the file and says why."""


def read_board_file(path: str | os.PathLike[str], level: Level, catalog: Catalog) -> BoardState:
    """The board saved in the JSON file at `path`, checked against `level` as it is now."""
    path = Path(path)
    try:
        if path.stat().st_size > MAX_BOARD_BYTES:
            raise BoardFileError(f"{path}: over {MAX_BOARD_BYTES} bytes; not a saved board")
        text = path.read_bytes().decode("utf-8-sig")
    except FileNotFoundError:
        raise BoardFileError(f"{path}: no such file") from None
    except IsADirectoryError:
        raise BoardFileError(f"{path}: is a folder, not a board file (FILE.json)") from None
    except UnicodeDecodeError as error:
        raise BoardFileError(f"{path}: not UTF-8 text ({error.reason})") from None
    except OSError as error:
        raise BoardFileError(f"{path}: cannot be read ({error.strerror or error})") from None
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        raise BoardFileError(f"{path}:{error.lineno}: not valid JSON: {error.msg}") from None
    except RecursionError:
        raise BoardFileError(f"{path}: nested too deeply to be a saved board") from None
    try:
        return restore_state(data, level, catalog)
    except SavedBoardError as error:
        raise BoardFileError(f"{path}: {error}") from None


def choose_state(level: Level, catalog: Catalog, board: str) -> BoardState:
    """The board `board` names for `level`: "start", "solution" or a saved-board file.

    Raises BoardFileError when the level has no solution or the file does not fit."""
    if board == "start":
        return start_state(level, catalog)
    if board == "solution":
        state = solution_state(level, catalog)
        if state is None:
            raise BoardFileError(f"level {level.id!r} has no reference solution")
        return state
    return read_board_file(board, level, catalog)


def board_label(board: str) -> str:
    """How README.txt and export.json name the board: the start, the solution or the file."""
    return {"start": "the level's start", "solution": "the level's reference solution"}.get(
        board, f"the saved board {Path(board).name}"
    )


__all__ = ["BOARD_CHOICES", "BoardFileError", "board_label", "choose_state", "read_board_file"]
