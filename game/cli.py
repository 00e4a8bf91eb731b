"""The `switchyard` command line (DESIGN §4).

Every subcommand is a function `cmd_<name>(args) -> int`. User errors are
reported on stderr as `FILE:LINE: message` (or `switchyard: message` where no
file is involved) and give exit code 1; bad input never shows a traceback.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from game import __version__


class UserError(Exception):
    """A mistake in what the user asked for or gave us: reported, never a traceback."""


def cmd_bench(args: argparse.Namespace) -> int:
    command = "python main.py " + " ".join(sys.argv[1:])
    if args.only in (None, "attention"):
        from game.bench.attention import run_attention_bench

        run_attention_bench(quick=args.quick, write=args.write, sizes=args.sizes, command=command)
    if args.only in (None, "ui"):
        _bench_ui(args, command)
    if args.only in (None, "gpu"):  # says so and moves on where there is no GPU
        from game.bench.gpu import run_gpu_bench

        status = run_gpu_bench(quick=args.quick, write=args.write, command=command)
        if args.only == "gpu":
            return status
    return 0


def _bench_ui(args: argparse.Namespace, command: str) -> None:
    import os

    from game.ui import use_dummy_drivers

    use_dummy_drivers()
    from game.bench.machine import describe_machine
    from game.bench.report import write_section
    from game.bench.ui import format_table, run_ui_bench

    machine = describe_machine()
    print(f"\nplay screen, machine: {machine}", flush=True)
    timings, verdicts = run_ui_bench(quick=args.quick)
    table = format_table(timings)
    print(table)
    for line in verdicts:
        print(f"- {line}")
    if args.write:
        write_section(
            Path(args.write),
            "Play screen (UI)",
            [
                f"Machine: {machine}; SDL video driver "
                f"`{os.environ['SDL_VIDEODRIVER']}`, 1280×720 logical canvas.",
                "",
                f"Command: `{command}`. Board: `game/bench/levels/bench_32x4.toml` "
                "(32 tokens, 4 heads, RoPE) on the play screen with the wire animation "
                "running. Frame = one `App.step` (update and full draw); edit → redraw = a "
                "wire-strength intent plus the frame that shows it; cold start = a fresh "
                "Python process until the title screen's first frame, timed from outside.",
                "",
                table,
                "",
                *[f"- {line}" for line in verdicts],
            ],
        )
        print(f"\nwrote {args.write}")


def load_registry(args: argparse.Namespace):
    """The plugin registry for this command, honouring --no-plugins and --plugin."""
    from game.plugins import load_plugins

    return load_plugins(
        no_plugins=getattr(args, "no_plugins", False), extra=getattr(args, "plugin", None) or ()
    )


def cmd_plugins(args: argparse.Namespace) -> int:
    import json

    from game.plugins.listing import listing_json, listing_text

    registry = load_registry(args)
    if args.json:
        print(json.dumps(listing_json(registry), indent=2))
    else:
        print(listing_text(registry))
    return 0


def _print_problems(problems) -> None:
    for problem in problems:
        print(problem, file=sys.stderr)


def _find_level(registry, ref: str):
    """The level `ref` names: a registered id, or a path to a level file."""
    from game.levels.errors import LevelError
    from game.levels.loader import load_level_file

    if ref in registry.levels:
        return registry.levels[ref]
    if ref.endswith(".toml") or "/" in ref:
        try:
            return load_level_file(ref, registry)
        except LevelError as error:
            _print_problems(error.problems)
            raise UserError(f"{ref} has {len(error.problems)} problem(s)") from None
    import difflib

    close = difflib.get_close_matches(ref, list(registry.levels), n=1)
    hint = f"; did you mean {close[0]!r}?" if close else " (see 'switchyard levels')"
    raise UserError(f"no level with id {ref!r}{hint}")


def cmd_levels(args: argparse.Namespace) -> int:
    import json

    from game.progress import load_progress

    registry = load_registry(args)
    progress, warning = load_progress()
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
        _print_problems(registry.level_problems)
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
                _print_problems(error.problems)
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
    level = _find_level(registry, args.level_id)
    if args.learn:
        from game.model.learn import NothingToLearn, apply_learned, learn_head

        board = Board(level, registry)
        try:
            learned = learn_head(board, args.head - 1)
        except (NothingToLearn, IndexError) as error:
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


def _scaffold_parent(args: argparse.Namespace, default: Path) -> Path:
    return Path(args.dir).expanduser() if args.dir else default


def cmd_new_plugin(args: argparse.Namespace) -> int:
    from game.plugins import user_plugin_dir
    from game.scaffold import check_name, write_plugin

    problem = check_name(args.name)
    if problem:
        raise UserError(problem)
    try:
        written = write_plugin(args.name, _scaffold_parent(args, user_plugin_dir()))
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
        written = write_level(args.name, _scaffold_parent(args, Path.cwd()))
    except FileExistsError as error:
        raise UserError(str(error)) from None
    print(f"Wrote {written.root}")
    print(f"Next: switchyard validate {written.root}\n      switchyard solve {written.root}")
    return 0


def _check_level_id(registry, level_id: str | None) -> None:
    if level_id is not None and level_id not in registry.levels:
        _find_level(registry, level_id)  # raises with a "did you mean"


def cmd_play(args: argparse.Namespace) -> int:
    from game.ui.flow.game_flow import run_game

    registry = load_registry(args)
    _check_level_id(registry, args.level)
    return run_game(args.level, fullscreen=args.fullscreen, registry=registry)


def cmd_demo(args: argparse.Namespace) -> int:
    from game.ui.flow.game_flow import run_game

    registry = load_registry(args)
    _check_level_id(registry, args.level)
    return run_game(args.level, fullscreen=not args.window, theme="projector", registry=registry)


def _size(text: str) -> tuple[int, int]:
    try:
        width, height = (int(part) for part in text.lower().split("x"))
    except ValueError:
        raise UserError(f"--size {text!r}: give it as WIDTHxHEIGHT, e.g. 1920x1080") from None
    if not (320 <= width <= 7680 and 240 <= height <= 4320):
        raise UserError(f"--size {text!r}: from 320x240 up to 7680x4320")
    return width, height


def cmd_render(args: argparse.Namespace) -> int:
    from game.ui import use_dummy_drivers

    use_dummy_drivers()
    from game.ui.flow.game_flow import render_level

    registry = load_registry(args)
    size = _size(args.size)
    level = _find_level(registry, args.level_id)
    if args.solution and level.solution is None:
        raise UserError(f"level {level.id!r} has no reference solution to draw")
    out = Path(args.out)
    if out.suffix.lower() != ".png":
        raise UserError(f"--out {args.out!r}: the picture is written as PNG (FILE.png)")
    if not out.parent.exists():
        raise UserError(f"--out {args.out!r}: the folder {out.parent} does not exist")
    path = render_level(
        level.id, out, size=size, theme=args.theme, registry=registry, solution=args.solution
    )
    print(f"wrote {path} ({size[0]}x{size[1]}, {args.theme} theme)")
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
    play.set_defaults(run=cmd_play)

    demo = sub.add_parser("demo", help="presenter mode for a projector", parents=[plugin_options])
    demo.add_argument("--level", metavar="ID", help="start at this level")
    demo.add_argument(
        "--window", action="store_true", help="stay in a window (default: fullscreen)"
    )
    demo.set_defaults(run=cmd_demo)

    levels = sub.add_parser("levels", help="list the installed levels", parents=[plugin_options])
    levels.add_argument("--json", action="store_true", help="machine-readable output")
    levels.set_defaults(run=cmd_levels)

    validate = sub.add_parser(
        "validate", help="check level files, with located errors", parents=[plugin_options]
    )
    validate.add_argument(
        "paths", nargs="+", metavar="PATH", help="level files, or folders to search for them"
    )
    validate.set_defaults(run=cmd_validate)

    solve = sub.add_parser(
        "solve", help="apply a level's reference solution and score it", parents=[plugin_options]
    )
    solve.add_argument("level_id", metavar="ID", help="a level id, or a path to a level file")
    solve.add_argument(
        "--learn",
        action="store_true",
        help="instead of the reference, train a head by gradient descent on the visible sentence",
    )
    solve.add_argument("--head", type=int, default=1, help="which head --learn trains (1..)")
    solve.set_defaults(run=cmd_solve)

    render = sub.add_parser(
        "render", help="draw a level to a PNG, headless", parents=[plugin_options]
    )
    render.add_argument("level_id", metavar="ID")
    render.add_argument("--out", required=True, metavar="FILE.png")
    render.add_argument("--size", default="1280x720", metavar="WxH")
    render.add_argument("--theme", default="normal", choices=["normal", "projector"])
    render.add_argument(
        "--solution", action="store_true", help="draw the reference solution, not the start"
    )
    render.set_defaults(run=cmd_render)

    plugins = sub.add_parser(
        "plugins", help="list loaded plugins and failed ones", parents=[plugin_options]
    )
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

    bench = sub.add_parser("bench", help="measure the attention backends and the play screen")
    bench.add_argument(
        "--only",
        choices=["attention", "ui", "gpu"],
        help="run one benchmark (gpu: the CuPy kernel, needs a CUDA device)",
    )
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
