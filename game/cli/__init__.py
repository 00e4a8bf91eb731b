"""The `switchyard` command line (DESIGN §4).

Every subcommand is a function `cmd_<name>(args) -> int` in the module for its
audience (play, levels, authoring, bench), which also declares its options in
`add_parsers`. User errors are reported on stderr as `FILE:LINE: message` (or
`switchyard: message` where no file is involved) and give exit code 1; bad
input never shows a traceback.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from game import __version__
from game.cli import authoring, bench, levels, play
from game.cli.common import UserError, plugin_options


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="switchyard",
        description="Switchyard: learn how Transformer attention works by building heads.",
    )
    parser.add_argument("--version", action="version", version=f"switchyard {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    parents = [plugin_options()]
    for module in (play, levels, authoring, bench):  # the order `switchyard --help` lists them
        module.add_parsers(sub, parents)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command is None:
        args = parser.parse_args(["play", *(argv or sys.argv[1:])])
    try:
        return args.run(args)
    except UserError as error:
        print(f"switchyard: {error}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130


__all__ = ["UserError", "build_parser", "main"]
