"""Commands about levels: list them, validate level files, solve a level."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from game.cli.common import UserError, count_from, find_level, load_registry, print_problems


def cmd_levels(args: argparse.Namespace) -> int:
    import json

    from game.progress import load_progress

    registry = load_registry(args)
    progress, warning = load_progress(read_only=True)  # only looks: renames nothing
    if warning:
        print(f"switchyard: {warning}", file=sys.stderr)
    from game.levels.registry import in_campaign_order
    from game.plugins.listing import text_table

    rows = []
    for level in in_campaign_order(registry.levels.values(), registry.concepts):
        positional = list(level.positional)
        rows.append(
            {
                "id": level.id,
                "title": level.title,
                "concept": level.concept,
                "architecture": level.architecture,
                "positional": positional[0] if len(positional) == 1 else positional,
                "source": level.source,
                "stars": progress.stars_for(level.id),
            }
        )
    if args.json:
        print(json.dumps(rows, indent=2, ensure_ascii=False))
    else:
        table = [{**row, "stars": "*" * row["stars"] + "." * (3 - row["stars"])} for row in rows]
        if table:
            print(text_table(table, ["id", "title", "concept", "source", "stars"]))
        else:
            print("No levels installed.")
    if registry.level_problems:
        print(f"\n{len(registry.level_problems)} problem(s) in level files:", file=sys.stderr)
        print_problems(registry.level_problems)
    return 0


def cmd_validate(args: argparse.Namespace) -> int:
    from game.levels.errors import LevelError
    from game.levels.loader import load_level_file
    from game.levels.registry import level_files

    registry = load_registry(args)
    failed = checked = 0
    for raw in args.paths:
        # A folder is searched to any depth, so a whole plugin or pack checks in one go.
        files = sorted(Path(raw).rglob("*.toml")) if Path(raw).is_dir() else level_files(raw)
        if not files:
            print(f"{raw}: no .toml level files here", file=sys.stderr)
            failed += 1
        for path in files:
            checked += 1
            try:
                level = load_level_file(path, registry)
            except LevelError as error:
                print_problems(error.problems)
                failed += 1
                continue
            print(f"{path}: ok ({level.id}: {level.title})")
    if failed:
        print(f"{failed} of {checked} file(s) have problems", file=sys.stderr)
        return 1
    return 0


def cmd_solve(args: argparse.Namespace) -> int:
    from game.model.board import Board
    from game.model.stars import score

    registry = load_registry(args)
    level = find_level(registry, args.level_id)
    if args.learn:
        from game.model.board import BoardError
        from game.model.learn import NothingToLearn, apply_learned, learn_head

        board = Board(level, registry)
        try:
            learned = learn_head(board, args.head - 1)
        except (NothingToLearn, IndexError, BoardError) as error:
            raise UserError(f"{level.id}: cannot train head {args.head}: {error}") from None
        apply_learned(board, learned)
        wires = ", ".join(f"{w.query} → {w.key} {w.strength:+.2f}" for w in learned.wires)
        print(f"trained head {args.head} in {learned.result.steps} steps: {wires or 'no wires'}")
    elif level.solution is None:
        raise UserError(f"level {level.id!r} has no reference solution")
    else:
        board = Board.with_solution(level, registry)
    result = score(board)
    print(f"{level.id}: {level.title}")
    for s, results in enumerate(result.per_sentence):
        label = "visible sentence" if s == 0 else f"held-out sentence {s}"
        for goal in results:
            print(f"  {'met ' if goal.met else 'MISS'}  {label}: {goal.message}")
    print(
        f"stars: {result.stars}/3 (goals {'met' if result.goals_met else 'not met'}; "
        f"{'within' if result.under_par else 'over'} par {level.par}; "
        f"{'generalises' if result.generalises else 'does not generalise'})"
    )
    return 0 if result.stars == 3 else 1


def add_parsers(sub: argparse._SubParsersAction, parents: list[argparse.ArgumentParser]) -> None:
    """levels, validate and solve, each with the plugin options in `parents`."""
    levels = sub.add_parser("levels", help="list the installed levels", parents=parents)
    levels.add_argument("--json", action="store_true", help="machine-readable output")
    levels.set_defaults(run=cmd_levels)

    validate = sub.add_parser(
        "validate", help="check level files, with located errors", parents=parents
    )
    validate.add_argument(
        "paths", nargs="+", metavar="PATH", help="level files, or folders to search for them"
    )
    validate.set_defaults(run=cmd_validate)

    solve = sub.add_parser(
        "solve", help="apply a level's reference solution and score it", parents=parents
    )
    solve.add_argument("level_id", metavar="ID", help="a level id, or a path to a level file")
    solve.add_argument(
        "--learn",
        action="store_true",
        help="instead of the reference, train a head by gradient descent on the visible sentence",
    )
    solve.add_argument(
        "--head", type=count_from(1, 64), default=1, help="which head --learn trains (1..)"
    )
    solve.set_defaults(run=cmd_solve)
