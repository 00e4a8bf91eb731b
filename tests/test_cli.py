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


def test_every_contract_command_is_built():
    parser = build_parser()
    sub = next(a for a in parser._actions if a.dest == "command")
    for name, command in sub.choices.items():
        assert callable(command.get_default("run")), name


@pytest.mark.parametrize("theme, size", [("normal", "1280x720"), ("projector", "1920x1080")])
def test_render_writes_a_png_of_the_asked_size(tmp_path, theme, size):
    import pygame

    out = tmp_path / "trophy.png"
    result = run("render", "01_trophy", "--out", str(out), "--size", size, "--theme", theme)
    assert result.returncode == 0, result.stderr
    width, height = (int(x) for x in size.split("x"))
    assert pygame.image.load(str(out)).get_size() == (width, height)


@pytest.mark.parametrize(
    "args, message",
    [
        (["01_trophi", "--out", "x.png"], "did you mean '01_trophy'"),
        (["01_trophy", "--out", "x.png", "--size", "big"], "WIDTHxHEIGHT"),
        (["01_trophy", "--out", "x.jpg"], "PNG"),
        (["01_trophy", "--out", "/no/such/folder/x.png"], "does not exist"),
    ],
)
def test_render_refuses_bad_arguments_with_a_message(args, message):
    result = run("render", *args)
    assert result.returncode == 1 and message in result.stderr
    assert "Traceback" not in result.stderr


def test_play_with_an_unknown_level_is_a_user_error():
    result = run("play", "--level", "nope_level")
    assert result.returncode == 1 and "no level with id 'nope_level'" in result.stderr


def test_gpu_bench_without_a_gpu_says_so_and_exits_2(capsys, monkeypatch):
    monkeypatch.setitem(sys.modules, "cupy", None)  # `import cupy` fails, as on CI
    assert main(["bench", "--only", "gpu"]) == 2
    assert "GPU benchmark: no usable CUDA device" in capsys.readouterr().out
