"""The plugin guide's two-layer level pack loads as written and needs both of its layers."""

from __future__ import annotations

from pathlib import Path

import pytest

from game.model.board import Board
from game.model.spec import HeadSpec
from game.model.stars import score
from game.plugins import load_plugins
from tests.plugins.test_docs import FILE_BLOCK, guide_text


@pytest.fixture(scope="module")
def pack(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("two_layer_pack")
    blocks = dict(FILE_BLOCK.findall(guide_text()))
    for name in ("two_layer_pack/__init__.py", "two_layer_pack/levels/induction_pair.toml"):
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(blocks[name], encoding="utf-8")
    return root / "two_layer_pack"


def test_the_pack_imports_only_game_api(pack):
    imports = [line for line in (pack / "__init__.py").read_text().splitlines() if "import" in line]
    assert all("game" not in line or "game.api" in line for line in imports)


def test_the_two_layer_level_loads_and_its_solution_earns_three_stars(pack):
    registry = load_plugins(no_plugins=True, extra=[pack])
    assert registry.errors == [] and [str(p) for p in registry.level_problems] == []
    level = registry.levels["pack_induction_pair"]
    assert level.source == "two_layer_pack" and level.layers == 2
    assert score(Board.with_solution(level, registry)).stars == 3
    assert score(Board(level, registry)).stars == 0


def test_without_layer_one_the_induction_head_fails(pack):
    registry = load_plugins(no_plugins=True, extra=[pack])
    level = registry.levels["pack_induction_pair"]
    board = Board.with_solution(level, registry)
    board.replace_head(0, HeadSpec(block=board.heads[0].block, layer=0))
    for evaluation in board.evaluate_all():
        assert evaluation.weight(1, "@last", "@answer") < 0.5
