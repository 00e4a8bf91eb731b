"""The `switchyard` command line (DESIGN §4).

Every subcommand is a function `cmd_<name>(args) -> int`. User errors are
reported on stderr as `FILE:LINE: message` (or `switchyard: message` where no
file is involved) and give exit code 1; bad input never shows a traceback.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Sequence

from game import __version__


class UserError(Exception):
    """A mistake in what the user asked for or gave us: reported, never a traceback."""


def _not_built(name: str, issue: int) -> Callable[[argparse.Namespace], int]:
    def run(args: argparse.Namespace) -> int:
        print(
            f"switchyard: '{name}' is not built yet (planned in issue #{issue}).",
            file=sys.stderr,
        )
        return 1

    run.issue = issue  # type: ignore[attr-defined]  # lets tests find what is unbuilt
    return run


def cmd_bench(args: argparse.Namespace) -> int:
    from game.bench.attention import run_attention_bench

    return run_attention_bench(
        quick=args.quick,
        write=args.write,
        sizes=args.sizes,
        command="python main.py " + " ".join(sys.argv[1:]),
    )


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="switchyard",
        description="Switchyard: learn how Transformer attention works by building heads.",
    )
    parser.add_argument("--version", action="version", version=f"switchyard {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    play = sub.add_parser("play", help="play the campaign (the default)")
    play.add_argument("--level", metavar="ID", help="start at this level")
    play.add_argument("--fullscreen", action="store_true", help="start in fullscreen")
    play.set_defaults(run=_not_built("play", 5))

    demo = sub.add_parser("demo", help="presenter mode for a projector")
    demo.set_defaults(run=_not_built("demo", 5))

    levels = sub.add_parser("levels", help="list the installed levels")
    levels.add_argument("--json", action="store_true", help="machine-readable output")
    levels.set_defaults(run=_not_built("levels", 4))

    validate = sub.add_parser("validate", help="check level files, with located errors")
    validate.add_argument("paths", nargs="+", metavar="PATH")
    validate.set_defaults(run=_not_built("validate", 4))

    solve = sub.add_parser("solve", help="apply a level's reference solution and score it")
    solve.add_argument("level_id", metavar="ID")
    solve.set_defaults(run=_not_built("solve", 4))

    render = sub.add_parser("render", help="draw a level to a PNG, headless")
    render.add_argument("level_id", metavar="ID")
    render.add_argument("--out", required=True, metavar="FILE.png")
    render.add_argument("--size", default="1280x720", metavar="WxH")
    render.add_argument("--theme", default="normal", choices=["normal", "projector"])
    render.set_defaults(run=_not_built("render", 5))

    plugins = sub.add_parser("plugins", help="list loaded plugins and failed ones")
    plugins.add_argument("--json", action="store_true", help="machine-readable output")
    plugins.set_defaults(run=_not_built("plugins", 3))

    new_plugin = sub.add_parser("new-plugin", help="write a working plugin skeleton")
    new_plugin.add_argument("name", metavar="NAME")
    new_plugin.set_defaults(run=_not_built("new-plugin", 3))

    new_level = sub.add_parser("new-level", help="write a level file to start from")
    new_level.add_argument("name", metavar="NAME")
    new_level.set_defaults(run=_not_built("new-level", 4))

    bench = sub.add_parser("bench", help="measure the attention backends")
    bench.add_argument("--quick", action="store_true", help="small sizes only (seconds)")
    bench.add_argument("--write", metavar="FILE.md", help="also write the results here")
    bench.add_argument(
        "--sizes", type=int, nargs="+", metavar="N", help="sequence lengths to measure"
    )
    bench.set_defaults(run=cmd_bench)
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


if __name__ == "__main__":
    raise SystemExit(main())
