"""Reading a level file's bytes: only a regular file, and at most the size limit.

A FIFO, a device or a socket named `x.toml` would block `open()` or stream
forever, so anything but a regular file (a link to one is fine) is refused at
once with a located problem, before it is opened.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

from game.levels.errors import LevelError, Problem

_KINDS = (
    (stat.S_ISDIR, "a folder"),
    (stat.S_ISFIFO, "a FIFO (named pipe)"),
    (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"),
    (stat.S_ISSOCK, "a socket"),
)


def _refuse(name: str, message: str) -> LevelError:
    return LevelError([Problem(name, None, "", message)])


def read_level_bytes(path: str | os.PathLike[str], limit: int) -> bytes:
    """Up to `limit + 1` bytes of the regular file `path`; LevelError for anything else."""
    name = str(path)
    try:
        mode = os.stat(path).st_mode
    except OSError as error:
        raise _refuse(name, f"cannot read: {error.strerror or error}") from None
    if not stat.S_ISREG(mode):
        kind = next((what for test, what in _KINDS if test(mode)), "not a regular file")
        raise _refuse(name, f"cannot read: {kind}, not a level file")
    try:
        with open(path, "rb") as file:
            data = file.read(limit + 1)
    except OSError as error:
        raise _refuse(name, f"cannot read: {error.strerror or error}") from None
    if len(data) > limit:
        size = Path(path).stat().st_size
        raise _refuse(
            name, f"the file is {size} bytes; a level file may be at most {limit} bytes (1 MiB)"
        )
    return data
