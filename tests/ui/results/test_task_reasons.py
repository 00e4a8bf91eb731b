"""On a task level the stars say what is checked: random held-out inputs, per token."""

from __future__ import annotations

from game.model import Board, score
from game.model.task_score import LIVE_SAMPLE
from game.plugins import load_plugins
from game.ui.play.goal_panel import StarPreview
from game.ui.results.reasons import star_reasons

REGISTRY = load_plugins(no_plugins=True)


def test_results_name_the_held_out_inputs_not_sentences():
    level = REGISTRY.levels["14_histogram"]
    solved = Board.with_solution(level, REGISTRY)
    earned, why = star_reasons(level, solved, score(solved))[2]
    assert earned and "Unseen sentences" not in why
    assert f"on {level.task.held_out} random inputs you never saw" in why and "100.0%" in why
    empty = Board(level, REGISTRY)
    earned, why = star_reasons(level, empty, score(empty))[2]
    assert not earned and "it needs 99%" in why and "failing examples" in why


def test_the_star_preview_says_what_a_task_level_checks():
    level = REGISTRY.levels["18_induction"]
    board = Board.with_solution(level, REGISTRY)
    full = board.evaluate(0).task
    row = StarPreview(True, 6, 6, task=full).rows()[2]
    assert row == (True, f"{level.task.held_out} unseen random inputs, per token")
    board.set_wire_strength(1, "a", "prev_a", 9.0)
    sample = board.evaluate(0, task_sample=LIVE_SAMPLE).task
    earned, text = StarPreview(True, 6, 6, task=sample).rows()[2]
    assert earned is None and "scoring" in text
    assert StarPreview(True, 6, 6).rows()[2] == (None, "Unseen sentences: press Check")


def test_a_task_level_results_screen_calls_its_sentences_examples(app, registry, tmp_path):
    from game.progress import Progress
    from game.ui.flow.game_flow import GameFlow
    from tests.ui.results.test_results import solved

    flow = GameFlow(app, registry, Progress(), progress_path=tmp_path / "progress.json")
    flow.start()
    flow.teacher = True
    flow.open_levels()
    _, results = solved(flow, "18_induction")
    assert results.result.stars == 3
    labels = results.view_tabs.labels
    assert labels[0].endswith("more example inputs") and "Unseen" not in labels[0]
    assert results.held_out.card_title == "Example"
    assert results.reasons[0][1] == "Goals: every goal is met."
    app.draw()
