"""The command line on a stacked level: validate, solve, and render --head N for any head."""

from __future__ import annotations

from pathlib import Path

import pygame
import pytest

from tests.test_cli import run

MARKER = str(Path(__file__).parent / "model" / "levels" / "two_layer_marker.toml")


def test_render_draws_the_asked_head_of_a_stacked_level(tmp_path):
    pictures = []
    for head in ("1", "2"):
        out = tmp_path / f"head{head}.png"
        result = run("render", MARKER, "--solution", "--head", head, "--out", str(out))
        assert result.returncode == 0, result.stderr
        pictures.append(pygame.image.tobytes(pygame.image.load(str(out)), "RGB"))
    assert pictures[0] != pictures[1]  # layer 2's head has its own wires and heatmap


@pytest.mark.parametrize("head", ["0", "3"])
def test_render_refuses_a_head_the_level_lacks(tmp_path, head):
    result = run("render", MARKER, "--head", head, "--out", str(tmp_path / "x.png"))
    assert result.returncode == 1 and "heads 1..2" in result.stderr
    assert "Traceback" not in result.stderr


def test_validate_and_solve_take_a_stacked_level():
    assert run("validate", MARKER).returncode == 0
    solved = run("solve", MARKER)
    assert solved.returncode == 0, solved.stderr
    assert "stars: 3/3" in solved.stdout and "layers 2/2, heads 2/2" in solved.stdout


def test_levels_json_gives_layers_and_heads_per_layer():
    import json

    rows = {r["id"]: r for r in json.loads(run("levels", "--json").stdout)}
    assert (rows["01_trophy"]["layers"], rows["01_trophy"]["heads"]) == (1, 1)
    assert (rows["06_two_heads"]["layers"], rows["06_two_heads"]["heads"]) == (1, 2)
