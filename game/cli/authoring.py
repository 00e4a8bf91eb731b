"""Commands for authors: list the plugins, write a plugin or a level to start from."""

from __future__ import annotations

import argparse
import shlex
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
    a new tree of folders) unless it is the user plugin folder, which the game owns and
    makes when missing; else `default`."""
    from game.plugins import user_plugin_dir

    if not args.dir:
        return default
    folder = Path(args.dir).expanduser()
    if not folder.is_dir() and not _same(str(folder), user_plugin_dir()):
        raise UserError(f"--dir {args.dir!r}: there is no folder {folder}")
    return folder


def command_prefix() -> tuple[str, str]:
    """How to run switchyard and Python from a shell here, for the "Next:" lines.

    `switchyard` and `python` when those names on PATH are this installation;
    otherwise the interpreter's own path (a venv that is not activated).
    """
    import shutil
    import sys

    here = Path(sys.executable)
    found = shutil.which("python")
    python = "python" if found and _same(found, here) else shlex.quote(sys.executable)
    beside = here.parent / "switchyard"  # the script pip installed beside this interpreter
    script = shutil.which("switchyard")
    if beside.exists():
        same = script is not None and _same(script, beside)
        return ("switchyard" if same else shlex.quote(str(beside))), python
    return f"{shlex.quote(sys.executable)} -m game", python


def _same(found: str, path: Path) -> bool:
    try:
        return Path(found).resolve() == path.resolve()
    except OSError:
        return False


def taken_by(name: str) -> str | None:
    """What already loaded uses `name` (a plugin, a positional scheme, its level id), or None."""
    from game.plugins import load_plugins

    registry = load_plugins()
    for info in registry.plugins:
        if info.name == name:
            return f"a plugin named {name!r} is already loaded ({info.source}: {info.location})"
    if name in registry.positional:
        return f"the positional scheme {name!r} is already registered by an installed plugin"
    if f"{name}_01" in registry.levels:
        return f"the level id {name + '_01'!r} is already used by an installed level"
    return None


def cmd_new_plugin(args: argparse.Namespace) -> int:
    from game.plugins import user_plugin_dir
    from game.scaffold import check_name, write_plugin

    problem = check_name(args.name)
    if problem:
        raise UserError(problem)
    taken = taken_by(args.name)
    if taken:
        raise UserError(f"{taken}; pick another name")
    parent = scaffold_parent(args, Path())
    try:
        written = write_plugin(args.name, parent)
    except FileExistsError as error:
        raise UserError(str(error)) from None
    except OSError as error:
        target = parent / args.name
        raise UserError(f"cannot write {target}: {error.strerror or error}") from None
    print(f"Wrote the plugin {args.name!r} in {written.root}:")
    for path in written.files:
        print(f"  {path}")
    switchyard, python = command_prefix()
    root = shlex.quote(str(written.root))
    # A plugin in the user folder loads by itself; --plugin would load it twice.
    in_user_folder = _same(str(parent), user_plugin_dir())
    option = "" if in_user_folder else f" --plugin {root}"
    print(
        f"\nNext: {switchyard} plugins{option}\n"
        f"      {python} -m pytest {root}\n"
        f"      {switchyard} solve {args.name}_01{option}"
    )
    return 0


def cmd_new_level(args: argparse.Namespace) -> int:
    from game.plugins import load_plugins
    from game.scaffold import check_name, write_level

    problem = check_name(args.name)
    if problem:
        raise UserError(problem)
    installed = load_plugins().levels.get(args.name)
    if installed is not None:
        raise UserError(
            f"the level id {args.name!r} is already used by {installed.path}; pick another name"
        )
    parent = scaffold_parent(args, Path())
    try:
        written = write_level(args.name, parent)
    except FileExistsError as error:
        raise UserError(str(error)) from None
    except OSError as error:
        target = parent / f"{args.name}.toml"
        raise UserError(f"cannot write {target}: {error.strerror or error}") from None
    switchyard, _ = command_prefix()
    path = shlex.quote(str(written.root))
    print(f"Wrote {written.root}")
    print(f"Next: {switchyard} validate {path}\n      {switchyard} solve {path}")
    return 0


def add_parsers(sub: argparse._SubParsersAction, parents: list[argparse.ArgumentParser]) -> None:
    """plugins (with the plugin options in `parents`), new-plugin and new-level."""
    plugins = sub.add_parser("plugins", help="list loaded plugins and failed ones", parents=parents)
    plugins.add_argument("--json", action="store_true", help="machine-readable output")
    plugins.set_defaults(run=cmd_plugins)

    new_plugin = sub.add_parser("new-plugin", help="write a working plugin skeleton")
    new_plugin.add_argument("name", metavar="NAME")
    new_plugin.add_argument(
        "--dir", metavar="FOLDER", help="write it here (default: the current folder)"
    )
    new_plugin.set_defaults(run=cmd_new_plugin)

    new_level = sub.add_parser("new-level", help="write a level file to start from")
    new_level.add_argument("name", metavar="NAME")
    new_level.add_argument("--dir", metavar="FOLDER", help="write it here (default: .)")
    new_level.set_defaults(run=cmd_new_level)
