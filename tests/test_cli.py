"""The command line: help, exit codes, and no traceback for what is not built yet."""

import subprocess
import sys

import pytest

from game.cli import build_parser, main


def run(*args):
    return subprocess.run(
        [sys.executable, "main.py", *args], capture_output=True, text=True, timeout=120
    )


def test_help_lists_every_contract_command():
    result = run("--help")
    assert result.returncode == 0
    for command in (
        "play",
        "demo",
        "levels",
        "validate",
        "solve",
        "render",
        "plugins",
        "new-plugin",
        "new-level",
        "bench",
    ):
        assert command in result.stdout


def test_unknown_command_is_a_usage_error_not_a_traceback():
    result = run("fly")
    assert result.returncode == 2
    assert "Traceback" not in result.stderr and "invalid choice" in result.stderr


def test_bench_quick_prints_a_table(capsys):
    assert main(["bench", "--quick"]) == 0
    out = capsys.readouterr().out
    assert "| backend |" in out and "tiled" in out and "naive" in out


def unbuilt_commands():
    """Subcommands still answering 'not built yet', from the parser itself."""
    parser = build_parser()
    sub = next(a for a in parser._actions if a.dest == "command")
    return sorted(name for name, p in sub.choices.items() if hasattr(p.get_default("run"), "issue"))


def test_unbuilt_commands_say_so_and_exit_1(capsys):
    names = unbuilt_commands()
    if not names:
        pytest.skip("every command is built")
    for name in names:
        argv = [
            name,
            *(["x"] if name in {"validate", "solve", "render", "new-plugin", "new-level"} else []),
        ]
        if name == "render":
            argv += ["--out", "x.png"]
        assert main(argv) == 1, name
        assert "not built yet" in capsys.readouterr().err
