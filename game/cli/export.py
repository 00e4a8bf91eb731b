"""`switchyard export ID [--board start|solution|FILE.json] --out DIR`: a board's numbers as files.

Writes what the game's E key writes (README.txt, board.json, export.json, and
per sentence each head's weights and each output as .csv and .npy; see
`game.export`), without a window. A broken or unfitting board file is one
line naming the file, exit 1, no traceback.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from game.cli.common import UserError, cannot_run, find_level, load_registry

BOARD_HELP = (
    "which board: the level's start (default), its reference solution, or a saved board "
    "(the board.json of an export)"
)


def board_state(level, registry, board: str):
    """The board `--board` names, or a UserError naming the file and what is wrong."""
    from game.export import BoardFileError, choose_state

    try:
        return choose_state(level, registry, board)
    except BoardFileError as error:
        raise UserError(str(error)) from None


def cmd_export(args: argparse.Namespace) -> int:
    from game.export import board_label, write_export
    from game.model import Board

    registry = load_registry(args)
    level = find_level(registry, args.level_id)
    out = Path(args.out)
    if out.exists() and not out.is_dir():
        raise UserError(f"--out {args.out!r} is a file; give a folder (it is created if missing)")
    state = board_state(level, registry, args.board)
    board = Board(level, registry, state)
    try:
        result = write_export(board, out, board_from=board_label(args.board))
    except OSError as error:
        raise UserError(f"--out {args.out!r}: {error.strerror or error}") from None
    except Exception as error:  # a scheme or goal plugin raising on this level: say where
        raise cannot_run(level, registry, error) from None
    print(f"wrote {len(result.files)} files to {result.folder} (README.txt says what each holds)")
    return 0


def add_parsers(sub: argparse._SubParsersAction, parents: list[argparse.ArgumentParser]) -> None:
    """export, with the plugin options in `parents`."""
    export = sub.add_parser(
        "export",
        help="write a board's attention weights and outputs (.csv, .npy) and the board (.json)",
        parents=parents,
    )
    export.add_argument("level_id", metavar="ID", help="a level id, or a FILE.toml")
    export.add_argument(
        "--board", default="start", metavar="start|solution|FILE.json", help=BOARD_HELP
    )
    export.add_argument("--out", required=True, metavar="DIR", help="the folder to write into")
    export.set_defaults(run=cmd_export)
