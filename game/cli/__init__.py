"""The `switchyard` command line (DESIGN §4).

Every subcommand is a function `cmd_<name>(args) -> int` in the module for its
audience (play, levels, authoring, quiz, bench), which also declares its options in
`add_parsers`. User errors are reported on stderr as `FILE:LINE: message` (or
`switchyard: message` where no file is involved) and give exit code 1; bad
input never shows a traceback.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from game import __version__
from game.cli import authoring, bench, export, lessons, levels, play, quiz
from game.cli.common import UserError, plugin_options
from game.plugin_calls import PluginCodeError


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="switchyard",
        description="Switchyard: learn how Transformer attention works by building heads.",
    )
    parser.add_argument("--version", action="version", version=f"switchyard {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    parents = [plugin_options()]
    # the order `switchyard --help` lists them
    for module in (play, levels, lessons, export, authoring, quiz, bench):
        module.add_parsers(sub, parents)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command is None:
        args = parser.parse_args(["play", *(argv or sys.argv[1:])])
    try:
        status = args.run(args)
        sys.stdout.flush()  # a closed pipe shows here, not at exit where it cannot be caught
        return status
    except UserError as error:
        print(f"switchyard: {error}", file=sys.stderr)
        return 1
    except BrokenPipeError:  # `switchyard levels --json | head -1`: the reader has enough
        _quiet_stdout()
        return 0
    except PluginCodeError as error:
        print(f"switchyard: {error}", file=sys.stderr)
        return 1
    except OSError as error:  # a file or folder the command could not write or read
        where = f"{error.filename}: " if error.filename else ""
        print(f"switchyard: {where}{error.strerror or error}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130


def _quiet_stdout() -> None:
    """Point stdout at /dev/null so the interpreter's last flush cannot fail again."""
    import os

    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):
        pass


__all__ = ["UserError", "build_parser", "main"]
