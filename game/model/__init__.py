"""The board model: tokens, heads, wires and goals (no pygame).

Board(level, catalog)          the player's board: intents, undo/redo, revision
board.evaluate(i) -> Evaluation   attention weights, outputs, goal results
score(board) -> Score          the three stars
"""

from game.api import Catalog, StaticCatalog  # re-exported: they live in the contract
from game.model.board import Board, BoardError, solution_state, start_state
from game.model.evaluate import (
    STEP_NAMES,
    Evaluation,
    HeadEvaluation,
    Inspection,
    Steps,
    evaluate_sentences,
)
from game.model.spec import BoardState, HeadSpec, Settings, ValueRoute, Wire
from game.model.stars import Score, score

__all__ = [
    "STEP_NAMES",
    "Board",
    "BoardError",
    "BoardState",
    "Catalog",
    "Evaluation",
    "HeadEvaluation",
    "HeadSpec",
    "Inspection",
    "Score",
    "Settings",
    "StaticCatalog",
    "Steps",
    "ValueRoute",
    "Wire",
    "evaluate_sentences",
    "score",
    "solution_state",
    "start_state",
]
