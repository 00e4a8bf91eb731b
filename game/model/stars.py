"""Stars (docs/levels.md): goals met, under par, and generalising to held-out sentences.

1. every goal met on the visible sentence (the first);
2. …with at most `par` wires in all, every goal with a par of its own
   (`GoalResult.par_met`, the knob levels') at par on the visible sentence, and
   at most `par_layers` layers and `par_heads` heads in use where the level sets
   them (a head is in use when it has a wire or a value route: `Board.used_heads`);
3. …and every goal met on every held-out sentence (all the others), which the
   player never sees: the difference between a learned head and a hard-coded one.
Stars 2 and 3 need star 1, so an empty board (zero wires, under any par) earns none.
A level with no held-out sentences gives the third star with the first.
"""

from __future__ import annotations

from dataclasses import dataclass

from game.api import GoalResult
from game.model.board import Board


@dataclass(frozen=True)
class Score:
    """How the board stands against a level's stars."""

    goals_met: bool
    under_par: bool
    generalises: bool
    stars: int  # 0..3
    per_sentence: tuple[tuple[GoalResult, ...], ...]  # [sentence][goal]; sentence 0 is visible


def within_layer_par(board: Board) -> bool:
    """Used layers ≤ `par_layers` and used heads ≤ `par_heads`, where the level sets them."""
    level = board.level
    layers_ok = level.par_layers is None or board.used_layers() <= level.par_layers
    return layers_ok and (level.par_heads is None or board.used_heads() <= level.par_heads)


def score(board: Board) -> Score:
    """Score the board's current state on every sentence of its level."""
    evaluations = board.evaluate_all()
    per_sentence = tuple(evaluation.goal_results for evaluation in evaluations)
    goals_met = all(result.met for result in per_sentence[0])
    goal_par = all(result.par_met is not False for result in per_sentence[0])
    under_par = board.wire_count <= board.level.par and goal_par and within_layer_par(board)
    generalises = all(result.met for results in per_sentence[1:] for result in results)
    stars = (1 + under_par + generalises) if goals_met else 0
    return Score(goals_met, under_par, generalises, stars, per_sentence)
