"""Commands for authors: list the plugins, write a plugin or a level to start from."""

from __future__ import annotations

import argparse
from pathlib import Path

from game.cli.common import UserError, load_registry


def cmd_plugins(args: argparse.Namespace) -> int:
    import json

    from game.plugins.listing import listing_json, listing_text

    registry = load_registry(args)
    if args.json:
        print(json.dumps(listing_json(registry), indent=2))
    else:
        print(listing_text(registry))
    return 0


def scaffold_parent(args: argparse.Namespace, default: Path) -> Path:
    """Where to write: `--dir`, which must be an existing folder (a typo should not make
    a new tree of folders), else `default`, made when missing."""
    if not args.dir:
        return default
    folder = Path(args.dir).expanduser()
    if not folder.is_dir():
        raise UserError(f"--dir {args.dir!r}: there is no folder {folder}")
    return folder


def cmd_new_plugin(args: argparse.Namespace) -> int:
    from game.plugins import user_plugin_dir
    from game.scaffold import check_name, write_plugin

    problem = check_name(args.name)
    if problem:
        raise UserError(problem)
    try:
        written = write_plugin(args.name, scaffold_parent(args, user_plugin_dir()))
    except FileExistsError as error:
        raise UserError(str(error)) from None
    print(f"Wrote the plugin {args.name!r} in {written.root}:")
    for path in written.files:
        print(f"  {path}")
    print(
        f"\nNext: switchyard plugins --plugin {written.root}\n"
        f"      python -m pytest {written.root}\n"
        f"      switchyard solve {args.name}_01 --plugin {written.root}"
    )
    return 0


def cmd_new_level(args: argparse.Namespace) -> int:
    from game.scaffold import check_name, write_level

    problem = check_name(args.name)
    if problem:
        raise UserError(problem)
    try:
        written = write_level(args.name, scaffold_parent(args, Path.cwd()))
    except FileExistsError as error:
        raise UserError(str(error)) from None
    print(f"Wrote {written.root}")
    print(f"Next: switchyard validate {written.root}\n      switchyard solve {written.root}")
    return 0


def add_parsers(sub: argparse._SubParsersAction, parents: list[argparse.ArgumentParser]) -> None:
    """plugins (with the plugin options in `parents`), new-plugin and new-level."""
    plugins = sub.add_parser("plugins", help="list loaded plugins and failed ones", parents=parents)
    plugins.add_argument("--json", action="store_true", help="machine-readable output")
    plugins.set_defaults(run=cmd_plugins)

    new_plugin = sub.add_parser("new-plugin", help="write a working plugin skeleton")
    new_plugin.add_argument("name", metavar="NAME")
    new_plugin.add_argument(
        "--dir", metavar="FOLDER", help="write it here (default: the user plugin folder)"
    )
    new_plugin.set_defaults(run=cmd_new_plugin)

    new_level = sub.add_parser("new-level", help="write a level file to start from")
    new_level.add_argument("name", metavar="NAME")
    new_level.add_argument("--dir", metavar="FOLDER", help="write it here (default: .)")
    new_level.set_defaults(run=cmd_new_level)
