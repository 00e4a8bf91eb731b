"""Every goal check on every shipped board, straight through the goal types.

Levels are small TOML texts loaded with the real loader and the real plugin
registry (tests/plugins/goals/util.py); expected numbers are computed here, independently.
"""

from __future__ import annotations

import pytest

from game.api import GoalResult
from game.model import Board
from game.model.views import evaluation_view
from tests.plugins.goals.util import (
    REGISTRY,
    goal_type,
)


def _shipped_boards():
    for level_id, level in sorted(REGISTRY.levels.items()):
        yield level_id, "start", level, Board(level, REGISTRY)
        if level.solution is not None:
            yield level_id, "solution", level, Board.with_solution(level, REGISTRY)


@pytest.mark.parametrize(
    ("level_id", "which", "level", "board"),
    list(_shipped_boards()),
    ids=[f"{level_id}-{which}" for level_id, which, _, _ in _shipped_boards()],
)
def test_every_goal_check_runs_cleanly_on_every_shipped_board(level_id, which, level, board):
    assert len(REGISTRY.levels) >= 16 and not REGISTRY.level_problems
    for s in range(len(level.sentences)):
        evaluation = board.evaluate(s)
        for g, goal in enumerate(level.goals):
            # Straight to the goal type: the board's own loop would turn some errors
            # into failed goals, and these must raise nothing at all.
            result = goal_type(goal.type).check(goal.params, evaluation_view(evaluation))
            assert isinstance(result, GoalResult)
            assert isinstance(result.met, bool)
            assert 0.0 <= result.progress <= 1.0
            assert result.message and "nan" not in result.message
            assert result == evaluation.goal_results[g]
            if result.met:
                assert result.progress == 1.0
            if which == "solution":
                assert result.met, f"{level_id} sentence {s}: {result.message}"
