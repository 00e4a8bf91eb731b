"""Commands about levels: list them, validate level files, solve a level."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from game.cli.common import (
    UserError,
    cannot_run,
    count_from,
    find_level,
    load_registry,
    print_problems,
)


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
                "layers": level.layers,
                "heads": level.heads,  # per layer
                "source": level.source,
                "task": level.task.name if level.task is not None else "",
                "stars": progress.stars_for(level.id),
            }
        )
    if args.json:
        print(json.dumps(rows, indent=2, ensure_ascii=False))
    else:
        table = [{**row, "stars": "*" * row["stars"] + "." * (3 - row["stars"])} for row in rows]
        if table:
            print(text_table(table, ["id", "title", "concept", "task", "source", "stars"]))
        else:
            print("No levels installed.")
    if registry.level_problems:
        print(f"\n{len(registry.level_problems)} problem(s) in level files:", file=sys.stderr)
        print_problems(registry.level_problems)
    return 0


def _validation_targets(raw: str) -> list[Path]:
    """A file as given; a folder searched to any depth, so a whole plugin or pack checks at once."""
    path = Path(raw)
    return sorted(path.rglob("*.toml")) if path.is_dir() else [path]


def validate_file(path: Path, registry, seen: dict[str, Path]) -> tuple[object, list]:
    """(level or None, problems) for one file: loaded, run, and its id checked for reuse.

    `seen` maps the ids met so far in this run to their files; a second file with
    the same id, or one whose id an installed level from another file holds, is flagged.
    """
    from game.levels.errors import LevelError, Problem
    from game.levels.loader import load_level_file
    from game.levels.registry import id_line
    from game.model.level_check import check_level

    try:
        level = load_level_file(path, registry)
    except LevelError as error:
        return None, error.problems
    problems = check_level(level, registry)
    other = seen.get(level.id)
    installed = registry.levels.get(level.id)
    if other is None and installed is not None and installed.path:
        if Path(installed.path).resolve() != path.resolve():
            other = Path(installed.path)
    if other is not None:
        message = f'level id "{level.id}" is already used by {other}'
        problems.insert(0, Problem(str(path), id_line(path), "id", message))
    seen.setdefault(level.id, path)
    return level, problems


def cmd_validate(args: argparse.Namespace) -> int:
    import json

    from game.cli.lessons import looks_like_lesson, validate_lesson

    registry = load_registry(args)
    reports, seen = [], {}
    for raw in args.paths:
        files = _validation_targets(raw)
        if not files:
            reports.append({"file": raw, "id": None, "ok": False, "problems": [
                {"file": raw, "line": None, "field": "", "message": "no .toml level files here"}
            ]})  # fmt: skip
        for path in files:
            if looks_like_lesson(path):  # a lesson file beside the levels (campaign/lessons/)
                level, problems = validate_lesson(path, registry)
            else:
                level, problems = validate_file(path, registry, seen)
            reports.append(
                {
                    "file": str(path),
                    "id": getattr(level, "id", None),
                    "title": getattr(level, "title", None),
                    "ok": not problems,
                    "problems": [
                        {"file": p.path, "line": p.line, "field": p.field, "message": p.message}
                        for p in problems
                    ],
                }
            )
    failed = sum(not report["ok"] for report in reports)
    if args.json:
        print(json.dumps(reports, indent=2, ensure_ascii=False))
        return 1 if failed else 0
    for report in reports:
        if report["ok"]:
            print(f"{report['file']}: ok ({report['id']}: {report['title']})")
        for p in report["problems"]:
            where = p["file"] if p["line"] is None else f"{p['file']}:{p['line']}"
            field = f"{p['field']}: " if p["field"] else ""
            print(f"{where}: {field}{p['message']}", file=sys.stderr)
    if failed:
        print(f"{failed} of {len(reports)} file(s) have problems", file=sys.stderr)
        return 1
    return 0


def cmd_solve(args: argparse.Namespace) -> int:
    registry = load_registry(args)
    level = find_level(registry, args.level_id)
    try:
        return _solve(args, level, registry)
    except (UserError, KeyboardInterrupt):
        raise
    except Exception as error:  # a plugin or a level its code cannot take: say where
        raise cannot_run(level, registry, error) from None


def _solve(args: argparse.Namespace, level, registry) -> int:
    """Score the reference solution (or a trained head) and print it, goal by goal."""
    from game.model.board import Board
    from game.model.stars import score

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
        if learned.values is not None:  # a task level: the head learned its routes too
            routes = ", ".join(f"{r.key} → {r.out} {r.strength:+.2f}" for r in learned.values)
            print(f"  value routes: {routes or 'none'}")
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
    _print_task(board)
    print(
        f"stars: {result.stars}/3 (goals {'met' if result.goals_met else 'not met'}; "
        f"{'within' if result.under_par else 'over'} par {level.par}{_layer_par(board)}; "
        f"{'generalises' if result.generalises else 'does not generalise'})"
    )
    return 0 if result.stars == 3 else 1


def _print_task(board) -> None:
    """A task level's held-out score, per position and per input, and a few failing tokens."""
    task = board.evaluate(0).task
    if task is None:
        return
    print(
        f"  task: {task.accuracy:.1%} of {task.positions} tokens right ({task.unit}); "
        f"{task.sequences:.1%} of {task.examples} held-out inputs right at every token"
    )
    for failure in task.failures[:3]:
        print(
            f"  failing: {' '.join(failure.tokens)} at token {failure.position} "
            f'("{failure.tokens[failure.position]}"): expected {failure.expected}, '
            f"read {failure.got}"
        )


def _layer_par(board) -> str:
    """ ", layers 2/2, heads 3/4": what is in use against the level's layer and head par."""
    level, text = board.level, ""
    if level.par_layers is not None:
        text += f", layers {board.used_layers()}/{level.par_layers}"
    if level.par_heads is not None:
        text += f", heads {board.used_heads()}/{level.par_heads}"
    return text


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
    validate.add_argument(
        "--json", action="store_true", help="one report per file, for editors (exit 1 on problems)"
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
