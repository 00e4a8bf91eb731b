"""The bench command: the attention backends, the play screen and the GPU kernel."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from game.cli.common import count_from


def cmd_bench(args: argparse.Namespace) -> int:
    command = "python main.py " + " ".join(sys.argv[1:])
    if args.only in (None, "attention"):
        from game.bench.attention import run_attention_bench

        run_attention_bench(quick=args.quick, write=args.write, sizes=args.sizes, command=command)
    if args.only in (None, "ui"):
        _bench_ui(args, command)
    if args.only in (None, "layers"):
        _bench_layers(args, command)
    if args.only in (None, "learn"):
        _bench_learn(args, command)
    if args.only in (None, "gpu"):  # says so and moves on where there is no GPU
        from game.bench.gpu import run_gpu_bench

        status = run_gpu_bench(quick=args.quick, write=args.write, command=command)
        if args.only == "gpu":
            return status
    return 0


def _bench_ui(args: argparse.Namespace, command: str) -> None:
    from game.ui import use_dummy_drivers

    use_dummy_drivers()
    from game.bench.machine import describe_machine
    from game.bench.ui import run_ui_bench

    machine = describe_machine()
    print(f"\nplay screen, machine: {machine}", flush=True)
    timings, verdicts = run_ui_bench(quick=args.quick)
    about = (
        f"Command: `{command}`. Board: `game/bench/levels/bench_32x4.toml` "
        "(32 tokens, 4 heads, RoPE) on the play screen with the wire animation "
        "running. Frame = one `App.step` (update and full draw); edit → redraw = a "
        "wire-strength intent plus the frame that shows it (wall time, and the "
        "process's CPU time beside it: on a shared machine the wall time includes "
        "waiting for a core); cold start = a fresh Python process until the title "
        "screen's first frame, timed from outside; idle CPU = the CPU time a still "
        "title or play screen (the real loop, in another process) uses, read from "
        "the OS over a few seconds. "
        "Frame with a real run = one `App.step` on `11_flash` with the schedule "
        "playing while the real-run panel computes n = 64k (its worker thread "
        "drives a low-priority child process), paced at 60 FPS."
    )
    _report(
        args,
        "Play screen (UI)",
        f"Machine: {machine}; SDL video driver "
        f"`{os.environ['SDL_VIDEODRIVER']}`, 1280×720 logical canvas.",
        about,
        timings,
        verdicts,
    )


def _bench_layers(args: argparse.Namespace, command: str) -> None:
    from game.bench.layers import edit_evaluate_timings, verdicts
    from game.bench.machine import describe_machine

    machine = describe_machine()
    print(f"\nstacked layers, machine: {machine}", flush=True)
    timings = edit_evaluate_timings(edits=40 if args.quick else 200)
    about = (
        f"Command: `{command}`. Board: `game/bench/levels/bench_32x4.toml` (32 tokens, "
        "4 heads, RoPE) loaded with `layers = L` and its four wired heads copied into "
        "every layer. One sample = a wire-strength intent plus `Board.evaluate(0)` "
        "(every head, the residual stream, the goals): the model's share of the play "
        "screen's edit → redraw, without drawing (`game/bench/layers.py`)."
    )
    _report(args, "Stacked layers (model)", f"Machine: {machine}.", about, timings,
            verdicts(timings))  # fmt: skip


def _bench_learn(args: argparse.Namespace, command: str) -> None:
    from game.bench.learn import learn_timings, verdicts
    from game.bench.machine import describe_machine

    machine = describe_machine()
    print(f"\nwatch it learn on task levels, machine: {machine}", flush=True)
    timings = learn_timings(steps=100 if args.quick else 800)
    about = (
        f"Command: `{command}`. One step = `HeadLearner.advance()` on a task level: "
        "the readout loss and its analytic gradient over 128 training inputs, and "
        "Adam's update (`game/bench/learn.py`). Setup = measuring the logits' basis "
        "on the real forward pass (once, on the watch's first frame); rescore = the "
        "level's held-out score of the shown head (every 0.5 s while watching)."
    )
    _report(args, "Watch it learn on task levels (model)", f"Machine: {machine}.", about,
            timings, verdicts(timings))  # fmt: skip


def _report(
    args: argparse.Namespace,
    heading: str,
    machine: str,
    about: str,
    timings: list,
    verdicts: list[str],
) -> None:
    """Print one benchmark's table and verdicts, and with --write put them, the machine,
    what was measured and the load average in the file's section `heading`."""
    from game.bench.report import write_section
    from game.bench.ui import format_table

    table = format_table(timings)
    print(table)
    for line in verdicts:
        print(f"- {line}")
    if args.write:
        lines = [machine, "", about, "", f"Load average while measuring: {_load()}.", "", table]
        write_section(Path(args.write), heading, [*lines, "", *[f"- {v}" for v in verdicts]])
        print(f"\nwrote {args.write}")


def _load() -> str:
    """The 1-minute load average (other jobs on the machine inflate wall times)."""
    try:
        return f"{os.getloadavg()[0]:.2f} on {os.cpu_count()} cores"
    except (AttributeError, OSError):
        return "unknown"


def add_parsers(sub: argparse._SubParsersAction, parents: list[argparse.ArgumentParser]) -> None:
    """bench (it loads no levels, so it takes no plugin options)."""
    bench = sub.add_parser("bench", help="measure the attention backends and the play screen")
    bench.add_argument(
        "--only",
        choices=["attention", "ui", "layers", "learn", "gpu"],
        help="run one benchmark (gpu: the CuPy kernel, needs a CUDA device)",
    )
    bench.add_argument("--quick", action="store_true", help="small sizes only (seconds)")
    bench.add_argument("--write", metavar="FILE.md", help="also write the results here")
    bench.add_argument(
        "--sizes",
        type=count_from(1, 65536),
        nargs="+",
        metavar="N",
        help="sequence lengths to measure (1..65536)",
    )
    bench.set_defaults(run=cmd_bench)
