"""The play screen's live task score: a sample while editing, the full held-out set for
the stars and once the board is still (game.ui.play.live_task, game.model.task_score)."""

from __future__ import annotations

from game.model import Board, score
from game.model.task_score import LIVE_SAMPLE, cached_score, score_task
from game.plugins import load_plugins
from game.ui.play.live_task import FULL_SCORE_AFTER, LiveTaskScore

REGISTRY = load_plugins(no_plugins=True)


def test_a_sample_scores_the_first_inputs_and_says_of_how_many():
    level = REGISTRY.levels["18_induction"]
    board = Board.with_solution(level, REGISTRY)
    board.set_wire_strength(1, "a", "prev_a", 0.5)  # a board not yet scored in full
    sample = board.evaluate(0, task_sample=LIVE_SAMPLE).task
    assert sample.examples == LIVE_SAMPLE and sample.sample_of == level.task.held_out
    assert sample.is_sample
    message = board.evaluate(0, task_sample=LIVE_SAMPLE).goal_results[0].message
    assert f"a quick sample of {LIVE_SAMPLE} of the {level.task.held_out} inputs" in message
    full = score_task(level, board.catalog, board.state)
    assert not full.is_sample and full.examples == level.task.held_out
    assert (
        f"on {level.task.held_out} inputs you never saw"
        in board.evaluate(0).goal_results[0].message
    )


def test_the_stars_always_score_the_full_set():
    level = REGISTRY.levels["18_induction"]
    board = Board.with_solution(level, REGISTRY)
    board.evaluate(0, task_sample=LIVE_SAMPLE)
    result = score(board)
    assert result.stars == 3
    assert all(not ev.task.is_sample for ev in board.evaluate_all())


def test_a_known_full_score_is_shown_instead_of_a_sample():
    level = REGISTRY.levels["13_copy_previous"]
    board = Board.with_solution(level, REGISTRY)
    full = cached_score(level, board.catalog, board.state)
    assert cached_score(level, board.catalog, board.state, LIVE_SAMPLE) is full


def test_the_live_score_waits_for_a_still_board():
    live = LiveTaskScore(task_level=True, revision=3)
    assert live.sample is None  # the opening board is scored in full
    live.update(4, 1 / 60)
    assert live.quick and live.sample == LIVE_SAMPLE
    for _ in range(round(FULL_SCORE_AFTER * 60) + 1):
        live.update(4, 1 / 60)
    assert live.sample is None
    live.update(5, 1 / 60)
    assert live.sample == LIVE_SAMPLE
    live.settle()
    assert live.sample is None
    assert LiveTaskScore(task_level=False, revision=0).sample is None
