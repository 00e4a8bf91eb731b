"""What every command shares: the user error, the plugin options, finding a level."""

from __future__ import annotations

import argparse
import sys


class UserError(Exception):
    """A mistake in what the user asked for or gave us: reported, never a traceback."""


def count_from(low: int, high: int):
    """An argparse type: a whole number in low..high, or a usage error saying the range."""

    def parse(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
        if not low <= value <= high:
            raise argparse.ArgumentTypeError(f"{value} is outside {low}..{high}")
        return value

    parse.__name__ = "count"  # argparse names the type in its messages
    return parse


def plugin_options() -> argparse.ArgumentParser:
    """The --no-plugins and --plugin options, a parent of every command that reads levels."""
    options = argparse.ArgumentParser(add_help=False)
    group = options.add_argument_group("plugins")
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
    return options


def load_registry(args: argparse.Namespace):
    """The plugin registry for this command, honouring --no-plugins and --plugin."""
    from game.plugins import load_plugins

    return load_plugins(
        no_plugins=getattr(args, "no_plugins", False), extra=getattr(args, "plugin", None) or ()
    )


def print_problems(problems) -> None:
    """Each located problem on its own line of stderr (`FILE:LINE: message`)."""
    for problem in problems:
        print(problem, file=sys.stderr)


def find_level(registry, ref: str):
    """The level `ref` names: a registered id, or a path to a level file."""
    from game.levels.errors import LevelError
    from game.levels.loader import load_level_file

    if ref in registry.levels:
        return registry.levels[ref]
    if ref.endswith(".toml") or "/" in ref:
        try:
            return load_level_file(ref, registry)
        except LevelError as error:
            print_problems(error.problems)
            raise UserError(f"{ref} has {len(error.problems)} problem(s)") from None
    import difflib

    close = difflib.get_close_matches(ref, list(registry.levels), n=1)
    hint = f"; did you mean {close[0]!r}?" if close else " (see 'switchyard levels')"
    raise UserError(f"no level with id {ref!r}{hint}")


def cannot_run(level, registry, error: Exception) -> UserError:
    """A level whose scheme or goal plugins raise: print its located problems (as validate
    finds them) and return the error to raise, instead of a traceback."""
    from game.model.level_check import check_level

    problems = check_level(level, registry)
    print_problems(problems)
    why = f"{len(problems)} problem(s)" if problems else f"{type(error).__name__}: {error}"
    return UserError(f"{level.id}: the level cannot run ({why}); see 'switchyard validate'")
