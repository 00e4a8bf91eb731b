"""`switchyard render` on a stacked board: --head L2H1, --layer 2 --head 1 and the old --head N
(1.. across every layer) draw the same layer-2 head; a layer or head the level lacks is one
line, exit 1."""

from __future__ import annotations

import pygame
import pytest

from game.cli import main


@pytest.fixture(autouse=True)
def _isolated(tmp_path, monkeypatch):
    monkeypatch.setenv("SWITCHYARD_PLUGIN_DIR", str(tmp_path / "no-user-plugins"))
    monkeypatch.setenv("SWITCHYARD_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("SDL_VIDEODRIVER", "dummy")
    monkeypatch.setenv("SDL_AUDIODRIVER", "dummy")


def picture(tmp_path, name: str, *options: str) -> bytes:
    out = tmp_path / f"{name}.png"
    args = ["render", "18_induction", "--solution", *options, "--out", str(out)]
    assert main([*args, "--size", "640x360"]) == 0
    return pygame.image.tobytes(pygame.image.load(str(out)), "RGB")


@pytest.mark.parametrize(
    ("head", "layer", "index"),
    [("1", None, 0), ("2", None, 1), ("L2H1", None, 1), ("l2·h1", None, 1), ("L1H1", None, 0),
     ("1", 2, 1), ("1", 1, 0), ("L2H1", 2, 1)],
)  # fmt: skip
def test_every_way_to_name_a_head_counts_to_the_same_index(head, layer, index):
    from game.cli.play import chosen_head
    from game.plugins import load_plugins

    level = load_plugins(no_plugins=True).levels["18_induction"]
    assert chosen_head(level, head, layer) == index


@pytest.mark.slow  # eight pictures drawn: about 6 s on a shared core
def test_every_way_to_name_layer_two_draws_the_same_picture(tmp_path, capsys):
    named = picture(tmp_path, "named", "--head", "L2H1")
    assert picture(tmp_path, "dot", "--head", "L2·H1") == named
    assert picture(tmp_path, "layer", "--layer", "2", "--head", "1") == named
    assert picture(tmp_path, "layer_only", "--layer", "2") == named
    assert picture(tmp_path, "counted", "--head", "2") == named
    assert picture(tmp_path, "first", "--head", "L1H1") != named
    assert picture(tmp_path, "default") == picture(tmp_path, "l1", "--layer", "1")


@pytest.mark.parametrize(
    ("options", "message"),
    [
        (["--layer", "3"], "--layer 3: level '18_induction' has layers 1..2"),
        (["--head", "L2H2"], "has heads L1H1..L2H1"),
        (["--head", "3"], "--head 3: level '18_induction' has heads 1..2"),
        (["--head", "L2H1", "--layer", "1"], "names layer 2, --layer says 1"),
        (["--head", "two"], "give a number or a name such as L2H1"),
    ],
)
def test_a_head_the_level_lacks_is_one_line_and_exit_1(tmp_path, capsys, options, message):
    out = tmp_path / "x.png"
    assert main(["render", "18_induction", *options, "--out", str(out)]) == 1
    err = capsys.readouterr().err
    assert message in err and "Traceback" not in err and len(err.strip().splitlines()) == 1
    assert not out.exists()
