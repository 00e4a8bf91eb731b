"""The results screen's words count like a person (issue 14, item 15: "all 2 of them")."""

from game.ui.results.reasons import _all_of


def test_counts_read_naturally():
    assert _all_of(1) == "the one"
    assert _all_of(2) == "both of them"
    assert _all_of(5) == "all 5 of them"
