"""Stars: goals on the visible sentence, par, and generalising to held-out sentences."""

from __future__ import annotations

from game.model import Board, score, solution_state
from tests.model.fixtures import CATALOG, load

LEVEL = load()


def test_empty_board_earns_no_stars():
    result = score(Board(LEVEL, CATALOG))
    assert result.stars == 0
    assert not result.goals_met
    assert result.under_par  # zero wires is under par, but that star needs the goals
    assert len(result.per_sentence) == 3


def test_reference_solution_earns_three_stars():
    board = Board.with_solution(LEVEL, CATALOG)
    result = score(board)
    assert (result.goals_met, result.under_par, result.generalises, result.stars) == (
        True,
        True,
        True,
        3,
    )
    assert board.state == solution_state(LEVEL, CATALOG)


def test_hard_coded_head_loses_the_generalisation_star():
    board = Board(LEVEL, CATALOG)
    board.add_wire(0, "pronoun", "shiny", 8.0)  # only the trophy is shiny
    result = score(board)
    assert result.goals_met and result.under_par and not result.generalises
    assert result.stars == 2
    assert [r[0].met for r in result.per_sentence] == [True, False, False]


def test_over_par_loses_the_par_star():
    board = Board.with_solution(LEVEL, CATALOG)
    board.add_wire(0, "noun", "noun", 0.1)
    result = score(board)
    assert result.goals_met and result.generalises and not result.under_par
    assert result.stars == 2
