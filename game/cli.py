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


def load_registry(args: argparse.Namespace):
    """The plugin registry for this command, honouring --no-plugins and --plugin."""
    from game.plugins import load_plugins

    return load_plugins(
        no_plugins=getattr(args, "no_plugins", False), extra=getattr(args, "plugin", None) or ()
    )


def _table(rows: list[dict[str, str]], columns: list[str]) -> str:
    """A plain-text table, columns padded to their widest cell."""
    widths = [max(len(c), *(len(str(r[c])) for r in rows)) for c in columns]
    lines = ["  ".join(c.ljust(w) for c, w in zip(columns, widths, strict=True)).rstrip()]
    lines.append("  ".join("-" * w for w in widths))
    for row in rows:
        cells = (str(row[c]).ljust(w) for c, w in zip(columns, widths, strict=True))
        lines.append("  ".join(cells).rstrip())
    return "\n".join(lines)


def cmd_plugins(args: argparse.Namespace) -> int:
    import json

    from game.plugins import summary_rows

    registry = load_registry(args)
    rows = summary_rows(registry)
    if args.json:
        failed = [
            {"name": e.plugin, "location": e.location, "error": e.message} for e in registry.errors
        ]
        print(json.dumps({"loaded": rows, "failed": failed, "blocked": registry.blocked}, indent=2))
        return 0
    if rows:
        print(_table(rows, ["name", "source", "version", "registered"]))
    else:
        print("No plugins loaded.")
    if registry.blocked:
        print(f"\nTurned off by SWITCHYARD_DISABLE_PLUGINS: {', '.join(registry.blocked)}")
    if registry.errors:
        print(f"\n{len(registry.errors)} plugin(s) failed and were disabled:")
        for error in registry.errors:
            print(f"  {error}")
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="switchyard",
        description="Switchyard: learn how Transformer attention works by building heads.",
    )
    parser.add_argument("--version", action="version", version=f"switchyard {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    plugin_options = argparse.ArgumentParser(add_help=False)
    group = plugin_options.add_argument_group("plugins")
    group.add_argument(
        "--no-plugins",
        action="store_true",
        help="load only the built-in plugins (not the user folder or installed packages)",
    )
    group.add_argument(
        "--plugin",
        action="append",
        metavar="PATH",
        help="also load the plugin file or package folder at PATH (repeatable)",
    )

    play = sub.add_parser("play", help="play the campaign (the default)", parents=[plugin_options])
    play.add_argument("--level", metavar="ID", help="start at this level")
    play.add_argument("--fullscreen", action="store_true", help="start in fullscreen")
    play.set_defaults(run=_not_built("play", 5))

    demo = sub.add_parser("demo", help="presenter mode for a projector", parents=[plugin_options])
    demo.set_defaults(run=_not_built("demo", 5))

    levels = sub.add_parser("levels", help="list the installed levels", parents=[plugin_options])
    levels.add_argument("--json", action="store_true", help="machine-readable output")
    levels.set_defaults(run=_not_built("levels", 4))

    validate = sub.add_parser(
        "validate", help="check level files, with located errors", parents=[plugin_options]
    )
    validate.add_argument("paths", nargs="+", metavar="PATH")
    validate.set_defaults(run=_not_built("validate", 4))

    solve = sub.add_parser(
        "solve", help="apply a level's reference solution and score it", parents=[plugin_options]
    )
    solve.add_argument("level_id", metavar="ID")
    solve.set_defaults(run=_not_built("solve", 4))

    render = sub.add_parser(
        "render", help="draw a level to a PNG, headless", parents=[plugin_options]
    )
    render.add_argument("level_id", metavar="ID")
    render.add_argument("--out", required=True, metavar="FILE.png")
    render.add_argument("--size", default="1280x720", metavar="WxH")
    render.add_argument("--theme", default="normal", choices=["normal", "projector"])
    render.set_defaults(run=_not_built("render", 5))

    plugins = sub.add_parser(
        "plugins", help="list loaded plugins and failed ones", parents=[plugin_options]
    )
    plugins.add_argument("--json", action="store_true", help="machine-readable output")
    plugins.set_defaults(run=cmd_plugins)

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
