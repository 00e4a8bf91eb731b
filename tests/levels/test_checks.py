"""The cross-field checks (game.levels.checks): one check per rule family, in a fixed order.

A level given as a table has no lines, so the loader reports its problems in
the order the checks find them; this pins that order and every message.
"""

from __future__ import annotations

import tomllib

from game.levels.checks import cross_field_problems
from game.levels.errors import field_path
from game.levels.schema import Level
from tests.model.fixtures import GOOD


def _level(**changes) -> Level:
    table = tomllib.loads(GOOD)
    table.update(changes)
    return Level.model_validate(table)


def test_a_sound_level_has_no_cross_field_problems():
    assert cross_field_problems(_level()) == []


def test_one_problem_per_rule_family_comes_out_in_family_order():
    table = tomllib.loads(GOOD)
    level = _level(
        # listed last in the file on purpose: the order is the checks', not the file's
        start={"positional": "nope", "knobs": {"nope": 1.0}},
        sentences=[*table["sentences"], {"source": ["zzz"], "target": ["the"]}],
        vocab={**table["vocab"], "trophy": {"bog": 1.0}},
        knobs=[{"name": "k", "title": "K", "low": 1.0, "high": 0.0, "default": 0.0}],
        positional_settings={"missing": {"x": "text"}},
        positional_features=["zz"],
        positional=[*table["positional"], "none"],
        d_k=7,
        features=[*table["features"], "noun"],
    )
    found = [(field_path(loc), message) for loc, message in cross_field_problems(level)]
    added = len(table["sentences"])  # the index of the sentence added above
    assert found == [
        ("features[5]", '"noun" is listed twice'),
        ("d_k", "must be a multiple of d_model = 6 (the number of features)"),
        ("positional[5]", '"none" is listed twice'),
        ("positional_features[0]", '"zz" is not one of the level\'s features'),
        (
            "positional_settings.missing",
            '"missing" is not in the level\'s positional list '
            "['none', 'wave', 'rope', 'distance', 'alibi', 'none']",
        ),
        ("positional_settings.missing.x", "must be a number or array of numbers"),
        ("knobs[0].high", "must be above low = 1"),
        ("start.knobs.nope", 'there is no knob "nope"'),
        ("vocab.trophy.bog", '"bog" is not one of the level\'s features'),
        (f"sentences[{added}].source[0]", 'word "zzz" is not in the vocab'),
        ("sentences", "every sentence must give the same sequences"),
        (
            "start.positional",
            '"nope" is not in the level\'s positional list '
            "['none', 'wave', 'rope', 'distance', 'alibi', 'none']",
        ),
    ]
