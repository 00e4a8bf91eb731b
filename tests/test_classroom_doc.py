"""docs/classroom.md, the teacher's walkthrough, stays true: every picture it links exists
(a 1920×1080 screenshot, small enough for the repository), every `switchyard …` command it
shows parses with the real command-line parser, and every lesson or level it names is one
the game has. The README links it."""

from __future__ import annotations

import re
import shlex
import struct
from pathlib import Path

import pytest

from game.cli import build_parser

ROOT = Path(__file__).resolve().parent.parent
DOC = ROOT / "docs" / "classroom.md"
MAX_TOTAL_BYTES = 3 * 1024 * 1024


def images() -> list[Path]:
    return [DOC.parent / link for link in re.findall(r"!\[[^\]]*\]\(([^)]+)\)", DOC.read_text())]


def commands() -> list[str]:
    """Every command the doc shows: lines of its code blocks and `switchyard …` in the text."""
    text = DOC.read_text()
    found = []
    for block in re.findall(r"```sh\n(.*?)```", text, flags=re.S):
        found += [line.split("  #")[0].strip() for line in block.splitlines() if line.strip()]
    found += re.findall(r"`(switchyard [^`]+)`", text)
    return found


def png_size(path: Path) -> tuple[int, int]:
    head = path.read_bytes()[:24]
    assert head[:8] == b"\x89PNG\r\n\x1a\n", f"{path.name} is not a PNG"
    return struct.unpack(">II", head[16:24])


def test_the_walkthrough_has_its_pictures_at_projector_size():
    linked = images()
    assert len(linked) >= 8  # a walkthrough with pictures, step by step
    for path in linked:
        assert path.is_file(), f"docs/classroom.md links a missing picture: {path}"
        assert png_size(path) == (1920, 1080), path.name
    assert sum(path.stat().st_size for path in set(linked)) < MAX_TOTAL_BYTES


@pytest.fixture(scope="module")
def registry():
    from game.plugins import load_plugins

    return load_plugins(use_user_dir=False, entry_points=False)


def test_every_command_in_the_walkthrough_parses(registry):
    shown = commands()
    assert len(shown) >= 10
    parser = build_parser()
    for command in shown:
        words = shlex.split(command)
        assert words[0] == "switchyard", command
        try:
            args = parser.parse_args(words[1:])
        except SystemExit:  # argparse's way of saying the command is wrong
            pytest.fail(f"docs/classroom.md shows a command the parser refuses: {command}")
        lesson = getattr(args, "lesson", None)
        assert lesson is None or lesson in registry.lessons, command
        for name in ("level", "id", "level_id"):
            value = getattr(args, name, None)
            assert value is None or value in registry.levels, command


def test_the_readme_links_the_walkthrough():
    assert "(docs/classroom.md)" in (ROOT / "README.md").read_text()
