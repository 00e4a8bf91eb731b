"""Commands that open or draw the game: play, demo (presenter mode) and render."""

from __future__ import annotations

import argparse
from pathlib import Path

from game.cli.common import UserError, cannot_run, find_level, load_registry


def _open(args: argparse.Namespace, **options: object) -> int:
    """play and demo: the level `--level` names (an id, or a file used as it is), then the game."""
    from game.ui.flow.game_flow import run_game

    registry = load_registry(args)
    level = find_level(registry, args.level) if args.level is not None else None
    if getattr(args, "lesson", None) is not None:
        from game.cli.lessons import find_lesson

        if level is not None:
            raise UserError("demo: give --lesson or --level, not both")

        options["lesson"] = find_lesson(registry, args.lesson)
    if getattr(args, "board", None) is not None:
        from game.cli.export import board_state

        if level is None:
            raise UserError(f"--board {args.board}: give the level it is for with --level ID")
        options["state"] = board_state(level, registry, args.board)  # a bad file: named, exit 1
    reload = None
    if args.watch:
        from game.ui.flow.watcher import watched_roots

        try:
            import watchfiles  # noqa: F401  (the watcher thread imports it again)
        except ImportError:
            raise UserError("--watch needs watchfiles: pip install watchfiles") from None

        reload = {"registry": lambda: load_registry(args), "extra": getattr(args, "plugin", None)}
        watched_roots(registry, reload["extra"] or (), level)  # fails here, not in the window
    return run_game(level, registry=registry, reload=reload, **options)


def cmd_play(args: argparse.Namespace) -> int:
    return _open(args, fullscreen=args.fullscreen)


def cmd_demo(args: argparse.Namespace) -> int:
    return _open(args, fullscreen=not args.window, theme="projector", presenter=True)


def parse_size(text: str) -> tuple[int, int]:
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
    size = parse_size(args.size)
    if args.lesson is not None:
        return _render_lesson(args, registry, size)
    if args.level_id is None:
        raise UserError("render: give a level ID (or FILE.toml), or --lesson NAME")
    level = find_level(registry, args.level_id)
    if args.solution and args.board not in (None, "solution"):
        raise UserError(f"--solution and --board {args.board}: give one of them")
    board = args.board or ("solution" if args.solution else "start")
    if board == "solution" and level.solution is None:
        raise UserError(f"level {level.id!r} has no reference solution to draw")
    head = chosen_head(level, args.head, args.layer)
    out = Path(args.out)
    if out.suffix.lower() != ".png":
        raise UserError(f"--out {args.out!r}: the picture is written as PNG (FILE.png)")
    if not out.parent.is_dir():
        raise UserError(f"--out {args.out!r}: the folder {out.parent} does not exist")
    if out.is_dir():
        raise UserError(f"--out {args.out!r} is a folder; give a FILE.png inside it")
    import pygame

    from game.cli.export import board_state

    state = board_state(level, registry, board)  # a broken FILE.json: named, exit 1
    try:
        path = render_level(
            level,
            out,
            size=size,
            theme=args.theme,
            registry=registry,
            state=state,
            head=head,
        )
    except pygame.error as error:  # SDL could not write the file: say where, no traceback
        raise UserError(f"--out {args.out!r}: could not write the picture ({error})") from None
    except OSError as error:
        raise UserError(f"--out {args.out!r}: {error.strerror or error}") from None
    except Exception as error:  # a scheme or goal plugin raising on this level: say where
        raise cannot_run(level, registry, error) from None
    print(f"wrote {path} ({size[0]}x{size[1]}, {args.theme} theme)")
    return 0


def chosen_head(level, head: str, layer: int | None) -> int:
    """The 0-based head (across every layer) that `--head` and `--layer` name: `--head L2H1`,
    `--layer 2 --head 1` (the head of that layer, from 1), or `--head N` alone (from 1,
    counted across every layer, as before layers had names)."""
    from game.lessons.schema import parse_head_name

    layers, per_layer = level.layers, level.heads
    names = f"L1H1..L{layers}H{per_layer}" if layers > 1 else f"1..{per_layer}"
    try:
        if head.strip().isdigit():
            number = int(head)
            if layer is None:
                if not 1 <= number <= layers * per_layer:
                    raise UserError(
                        f"--head {head}: level {level.id!r} has heads 1..{layers * per_layer}"
                    )
                return number - 1
            layer_n, head_n = layer, number
        else:
            layer_n, head_n = parse_head_name(head.strip().upper())
            if layer is not None and layer != layer_n:
                raise UserError(f"--head {head} names layer {layer_n}, --layer says {layer}")
    except ValueError:
        raise UserError(f"--head {head!r}: give a number or a name such as L2H1") from None
    if not 1 <= layer_n <= layers:
        raise UserError(f"--layer {layer_n}: level {level.id!r} has layers 1..{layers}")
    if not 1 <= head_n <= per_layer:
        raise UserError(f"--head {head}: level {level.id!r} has heads {names}")
    return (layer_n - 1) * per_layer + head_n - 1


def _render_lesson(args: argparse.Namespace, registry, size: tuple[int, int]) -> int:
    """`render --lesson NAME --out DIR`: every step into DIR as 001_<level>.png, 002_…."""
    from game.cli.lessons import find_lesson
    from game.ui.lesson.opening import render_lesson

    lesson = find_lesson(registry, args.lesson)
    out = Path(args.out)
    if out.suffix.lower() == ".png" or out.is_file():
        raise UserError(f"--out {args.out!r}: with --lesson, give a folder for the pictures")
    if not out.parent.is_dir():
        raise UserError(f"--out {args.out!r}: the folder {out.parent} does not exist")
    try:
        paths = render_lesson(lesson, registry, out, size=size, theme=args.theme)
    except OSError as error:
        raise UserError(f"--out {args.out!r}: {error.strerror or error}") from None
    except Exception as error:  # a scheme or goal plugin raising on a step's level
        from game.ui.engine.failure import describe_failure

        raise UserError(f"lesson {lesson.id!r}: {describe_failure(error)}") from None
    print(f"wrote {len(paths)} pictures of lesson {lesson.id!r} to {out} ({size[0]}x{size[1]})")
    return 0


BOARD_DRAWN = "the level's start (default), its solution, or a saved board (an export's board.json)"
OPEN_BOARD = (
    "with --level: open on this board instead of your best one: the start, the reference "
    "solution, or a saved board (an export's board.json)"
)
WATCH_HELP = (
    "reload level files and your plugins when you save them, while the game runs; "
    "a broken edit shows its error and keeps the last good version"
)


def add_parsers(sub: argparse._SubParsersAction, parents: list[argparse.ArgumentParser]) -> None:
    """play, demo and render, each with the plugin options in `parents`."""
    play = sub.add_parser("play", help="play the campaign (the default)", parents=parents)
    play.add_argument("--level", metavar="ID", help="start at this level (an id, or a FILE.toml)")
    play.add_argument("--fullscreen", action="store_true", help="start in fullscreen")
    play.add_argument("--board", metavar="start|solution|FILE.json", help=OPEN_BOARD)
    play.add_argument("--watch", action="store_true", help=WATCH_HELP)
    play.set_defaults(run=cmd_play)

    demo = sub.add_parser("demo", help="presenter mode for a projector", parents=parents)
    demo.add_argument("--level", metavar="ID", help="start at this level (an id, or a FILE.toml)")
    demo.add_argument(
        "--lesson", metavar="NAME", help="run this lesson (an id from 'switchyard lessons')"
    )
    demo.add_argument("--board", metavar="start|solution|FILE.json", help=OPEN_BOARD)
    demo.add_argument("--watch", action="store_true", help=WATCH_HELP)
    demo.add_argument(
        "--window", action="store_true", help="stay in a window (default: fullscreen)"
    )
    demo.set_defaults(run=cmd_demo)

    render = sub.add_parser("render", help="draw a level to a PNG, headless", parents=parents)
    render.add_argument(
        "level_id", nargs="?", metavar="ID", help="a level id, or a FILE.toml drawn as it is"
    )
    render.add_argument(
        "--lesson", metavar="NAME", help="draw every step of this lesson into --out DIR"
    )
    render.add_argument("--out", required=True, metavar="FILE.png|DIR")
    render.add_argument("--size", default="1280x720", metavar="WxH")
    render.add_argument("--theme", default="normal", choices=["normal", "projector"])
    render.add_argument(
        "--solution", action="store_true", help="draw the reference solution, not the start"
    )
    render.add_argument(
        "--board", metavar="start|solution|FILE.json", help="the board to draw: " + BOARD_DRAWN
    )
    render.add_argument(
        "--head",
        default="1",
        metavar="N|LxHy",
        help="the head to show: a name such as L2H1 (layer 2, head 1); with --layer, the "
        "head of that layer from 1; alone, 1.. counted across every layer; default 1",
    )
    render.add_argument(
        "--layer", type=int, metavar="L", help="the layer of --head, from 1 (stacked levels)"
    )
    render.set_defaults(run=cmd_render)
