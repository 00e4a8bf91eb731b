"""After Check the results screen shows every held-out sentence with its heatmap and
verdict, explains par, and ends with what the level taught (the level's `takeaways`)."""

import numpy as np
import pytest

from game.api import GoalResult
from game.model import Board, Score, score
from game.ui.results.held_out import held_out_rows
from game.ui.results.reasons import star_reasons
from game.ui.results.scene import REFERENCE, UNSEEN, ResultsScene


def test_every_campaign_level_says_what_it_taught(registry):
    for level in registry.levels.values():
        assert 2 <= len(level.takeaways) <= 3, level.id


def test_held_out_rows_are_the_boards_own_weights_and_the_scores_verdicts(registry):
    level = registry.levels["01_trophy"]
    board = Board.with_solution(level, registry)
    result = score(board)
    rows = held_out_rows(board, result, 0)
    assert [row.sentence for row in rows] == list(range(1, len(level.sentences)))
    for row in rows:
        expected = board.evaluate(row.sentence).head(0).weights
        np.testing.assert_array_equal(row.weights, expected)
        assert row.words == " ".join(level.sentences[row.sentence].tokens)
        assert row.passed


def test_a_failing_held_out_sentence_is_shown_failed_with_its_goal(registry):
    level = registry.levels["01_trophy"]
    board = Board(level, registry)
    board.add_wire(0, "pronoun", "noun", 6.0)  # both nouns: passes nowhere
    result = score(board)
    rows = held_out_rows(board, result, 0)
    assert rows and not any(row.passed for row in rows)
    assert all("attention" in row.verdict for row in rows)


def test_the_results_screen_opens_on_the_unseen_sentences_and_ends_with_takeaways(app, registry):
    level = registry.levels["01_trophy"]
    board = Board.with_solution(level, registry)
    scene = ResultsScene(app, level, registry, board, score(board))
    app.scenes.push(scene)
    app.step(1 / 60, [])
    assert scene.view == UNSEEN
    assert len(scene.held_out.rows) == len(level.sentences) - 1
    lines = scene.takeaway_lines(app.theme)
    assert lines and lines[0].startswith(level.takeaways[0][:20])
    buttons_top = scene.retry_button.rect.top
    assert scene.held_out.rect.bottom <= scene.takeaways_top < buttons_top
    scene.select_view(REFERENCE)
    app.step(1 / 60, [])
    assert scene.view == REFERENCE


@pytest.mark.parametrize("theme", ["normal", "projector"])
@pytest.mark.parametrize("font_scale", [1.0, 1.5])
def test_nothing_overlaps_at_any_text_size(app, registry, theme, font_scale):
    from game.progress import Preferences

    app.apply_settings(Preferences(theme=theme, font_scale=font_scale))
    level = registry.levels["06_two_heads"]
    board = Board.with_solution(level, registry)
    scene = ResultsScene(app, level, registry, board, score(board))
    app.scenes.push(scene)
    app.step(1 / 60, [])
    assert scene.view_tabs.rect.bottom < scene.held_out.rect.top
    for heatmap in scene.held_out.heatmaps[: len(scene.held_out.rows)]:
        assert heatmap.rect.height >= 60
        assert heatmap.rect.bottom <= scene.takeaways_top
    assert scene.takeaways_top < scene.retry_button.rect.top


def test_par_is_explained_in_words(registry):
    level = registry.levels["01_trophy"]
    board = Board(level, registry)
    hit = GoalResult(True, 1.0, "ok")
    reasons = star_reasons(level, board, Score(True, True, True, 3, ((hit,), (hit,))))
    assert "fewest wires" in reasons[1][1]
