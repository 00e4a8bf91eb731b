"""The play screen of one lesson step: its level, the board it names, its head and step.

A lesson never shows a student's saved board: each step starts from the
level's own start or its reference solution (`show`), so what the projector
shows is what the teacher wrote down.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

from game.lessons.checks import STEP_NAMES, step_name
from game.lessons.schema import Step
from game.levels.schema import Level
from game.model import Board, Catalog
from game.ui.engine.look import Look
from game.ui.play import PlayScene


def step_board(step: Step, level: Level, catalog: Catalog, backend: object = "auto") -> Board:
    """A fresh board for `step`: the level's start, or its reference solution."""
    if step.show == "solution" and level.solution is not None:
        return Board.with_solution(level, catalog)
    return Board(level, catalog, backend=backend)


def step_scene(
    look: Look,
    step: Step,
    levels: Mapping[str, Level],
    catalog: Catalog,
    *,
    on_back: Callable[[], None] | None = None,
) -> PlayScene:
    """The play screen `step` shows: its board, head and step-mode step."""
    level = levels[step.level]
    scene = PlayScene(look, level, catalog, board=step_board(step, level, catalog), on_back=on_back)
    scene.select_head(min(step.head_index(level.heads), len(scene.board.heads) - 1))
    name = step_name(step.step)
    if name is not None:
        scene.toggle_step_mode()
        scene.step_mode.index = STEP_NAMES.index(name)
    scene.resume()  # show the chosen head and step now
    return scene
