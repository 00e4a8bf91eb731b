"""Every goal family's `validate`: problems located at the level file's lines.

Levels are small TOML texts loaded with the real loader and the real plugin
registry (tests/plugins/goals/util.py); expected numbers are computed here, independently.
"""

from __future__ import annotations

import math

import pytest

from game.levels import LevelError
from game.levels.views import level_view
from tests.plugins.goals.util import (
    attention_level,
    bad,
    efficiency_level,
    generation_level,
    goal_type,
    line_of,
    load,
    output_level,
    pattern_level,
    scaling_level,
)

# (the level text, [(a marker on the problem's line, field, message), …]); a marker of
# "[[goals]]" means the problem has no line of its own (a missing key) and sits on the
# goal's header.
BAD_GOALS = {
    "attention": (
        bad(
            attention_level(0.5),
            "at_least = 0.5\n",
            'at_least = 1.5\nheed = 0\nhead = 3\nsequence = "tokens"\n',
        ),
        [
            ("at_least = 1.5", "at_least", "must be from 0 to 1, got 1.5"),
            (
                "heed = 0",
                "heed",
                "not a field of this goal (fields: at_least, head, key, query, sequence)",
            ),
            ("head = 3", "head", "must be a head number from 0 to 0, got 3"),
        ],
    ),
    "attention positions": (
        bad(bad(attention_level(0.5), 'query = "@asker"\n', ""), '"@answer"', '"@answr"'),
        [
            ("[[goals]]", "query", "this goal needs it"),
            (
                'key = "@answr"',
                "key",
                'role "@answr" is not in the sentence\'s roles (known: @asker, @answer)',
            ),
        ],
    ),
    "pattern": (
        bad(pattern_level("sideways", 1.5), "within = 1.5\n", "within = 1.5\nhead = true\n"),
        [
            (
                'pattern = "sideways"',
                "pattern",
                "must be one of previous, first, diagonal, alignment, got 'sideways'",
            ),
            ("within = 1.5", "within", "must be from 0 to 1, got 1.5"),
            ("head = true", "head", "must be a head number from 0 to 0, got True"),
        ],
    ),
    "pattern alignment": (
        bad(pattern_level("alignment", 0.1), "within = 0.1\n", "colour = 1\n"),
        [
            ("[[goals]]", "within", "this goal needs it"),
            ('pattern = "alignment"', "pattern", "sentence 1 has no alignment to compare with"),
            ("colour = 1", "colour", "not a field of this goal (fields: head, pattern, within)"),
        ],
    ),
    "output": (
        bad(output_level("at_least = 200"), 'feature = "c"', 'feature = "d"'),
        [
            ('feature = "d"', "feature", '"d" is not one of the level\'s features'),
            ("at_least = 200", "at_least", "must be from -100 to 100, got 200"),
        ],
    ),
    "output positions": (
        bad(output_level("at_most = -0.5\nat_least = 1"), '"@here"', "7"),
        [
            ("position = 7", "position", "position 7 is outside the tokens (3 tokens)"),
            ("at_least = 1", "at_least", "give exactly one of at_least and at_most"),
        ],
    ),
    "output neither bound": (
        bad(output_level(""), "\nfeature = ", "\nfeatur = "),
        [
            ("[[goals]]", "feature", "this goal needs it"),
            ("[[goals]]", "at_least", "give exactly one of at_least and at_most"),
            (
                "featur = ",
                "featur",
                "not a field of this goal (fields: at_least, at_most, feature, position, sequence)",
            ),
        ],
    ),
    "generation": (
        generation_level("decoder", "at_least = -0.5\nstrict = true"),
        [
            ("at_least = -0.5", "at_least", "must be from 0 to 1, got -0.5"),
            ("strict = true", "strict", "not a field of this goal (fields: at_least)"),
        ],
    ),
    "efficiency": (
        bad(efficiency_level(0, 64, 100, 1e16, "block = 4"), "d = 64\n", ""),
        [
            ("[[goals]]", "d", "this goal needs it"),
            ("n = 0", "n", "must be from 1 to 1e+06, got 0"),
            ("budget = 1e+16", "budget", "must be from 1 to 1e+15, got 1e+16"),
            (
                "block = 4",
                "block",
                "not a field of this goal (fields: budget, d, held_out, n, par, sram)",
            ),
        ],
    ),
    "efficiency knobs": (
        bad(efficiency_level(16, 4, 100, 10), 'name = "block_k"', 'name = "block_kv"'),
        [('type = "efficiency"', "type", "an efficiency goal needs a knob named block_k")],
    ),
    "scaling": (
        bad(scaling_level("0.5", "101"), "loss = 101\n", "loss = 101\nflops = 3\n"),
        [
            ("budget = 0.5", "budget", "must be from 1 to 1e+30, got 0.5"),
            ("loss = 101", "loss", "must be from 0 to 100, got 101"),
            (
                "flops = 3",
                "flops",
                "not a field of this goal (fields: budget, held_out, loss, par)",
            ),
        ],
    ),
    "scaling knobs": (
        bad(scaling_level("1e21", '"low"'), 'name = "tokens_log10"', 'name = "tokens"'),
        [
            ('type = "scaling"', "type", "a scaling goal needs a knob named tokens_log10"),
            ('loss = "low"', "loss", "must be a number from 0 to 100, got 'low'"),
        ],
    ),
}


@pytest.mark.parametrize("case", sorted(BAD_GOALS))
def test_validate_problems_come_out_located_at_their_lines(case):
    text, expected = BAD_GOALS[case]
    with pytest.raises(LevelError) as caught:
        load(text, "bad.toml")
    got = [str(problem) for problem in caught.value.problems]
    want = [
        f"bad.toml:{line_of(text, marker)}: goals[0].{field}: {message}"
        for marker, field, message in expected
    ]
    assert got == want


def test_validate_locates_a_later_goal_by_its_own_header_and_lines():
    text = attention_level(0.5) + '\n[[goals]]\ntype = "attention"\nkey = 2\nat_least = 2\n'
    goal_header = len(text.splitlines()) - 3
    assert text.splitlines()[goal_header - 1] == "[[goals]]"
    with pytest.raises(LevelError) as caught:
        load(text, "two.toml")
    assert [str(p) for p in caught.value.problems] == [
        f"two.toml:{goal_header}: goals[1].query: this goal needs it",
        f"two.toml:{goal_header + 3}: goals[1].at_least: must be from 0 to 1, got 2",
    ]


def test_positions_must_work_in_the_held_out_sentences_too():
    text = bad(
        attention_level(0.5),
        "roles = { asker = 0, answer = 1 }",
        'roles = { asker = 0, answer = 1 }\n\n[[sentences]]\ntokens = ["z", "x"]\n'
        "roles = { asker = 1 }",
    )
    with pytest.raises(LevelError) as caught:
        load(text, "held.toml")
    assert [str(p) for p in caught.value.problems] == [
        f'held.toml:{line_of(text, "key = ")}: goals[0].key: role "@answer" is not in '
        "held-out sentence 1 (sentences[1])'s roles (known: @asker)"
    ]
    # A word that is only in the visible sentence is no reference either.
    text = bad(text, 'key = "@answer"', 'key = "y"')
    with pytest.raises(LevelError, match=r'goals\[0\].key: word "y" is not in held-out sentence 1'):
        load(text)


@pytest.mark.parametrize(
    ("name", "params", "expected"),
    [
        (
            "attention",
            {"query": 0, "key": 1, "at_least": math.nan},
            ["at_least: must be from 0 to 1, got nan"],
        ),
        (
            "attention",
            {"query": 0, "key": 1, "at_least": True},
            ["at_least: must be a number from 0 to 1, got True"],
        ),
        (
            "attention",
            {"query": 0.5, "key": 1, "at_least": 0.5},
            ['query: 0.5 is not a position: use a role ("@name"), a word or a 0-based index'],
        ),
        (
            "attention",
            {"query": 0, "key": -1, "at_least": 0.5},
            ["key: position -1 is outside the tokens (3 tokens)"],
        ),
        (
            "attention",
            {"query": 0, "key": 1, "at_least": 0.5, "head": 1},
            ["head: must be a head number from 0 to 0, got 1"],
        ),
        (
            "attention",
            {"query": 0, "key": 1, "at_least": 0.5, "head": -1},
            ["head: must be a head number from 0 to 0, got -1"],
        ),
        (
            "pattern",
            {"pattern": "previous", "within": math.inf},
            ["within: must be from 0 to 1, got inf"],
        ),
        (
            "pattern",
            {"pattern": ["previous"], "within": 0.1},
            ["pattern: must be one of previous, first, diagonal, alignment, got ['previous']"],
        ),
        (
            "output",
            {"position": "@here", "feature": "c", "at_least": 0.5, "at_most": 0.6},
            ["at_least: give exactly one of at_least and at_most"],
        ),
        (
            "output",
            {"position": "@there", "feature": "c", "at_most": 0.6},
            ['position: role "@there" is not in the sentence\'s roles (known: @here)'],
        ),
        ("generation", {"at_least": 1}, []),
        ("generation", {}, []),
        (
            "efficiency",
            {"n": 1, "d": 1025, "sram": 1, "budget": 1},
            [
                "d: must be from 1 to 1024, got 1025",
                "type: an efficiency goal needs a knob named block_q",
                "type: an efficiency goal needs a knob named block_k",
            ],
        ),
        (
            "scaling",
            {"budget": 1e31},
            [
                "loss: this goal needs it",
                "budget: must be from 1 to 1e+30, got 1e+31",
                "type: a scaling goal needs a knob named params_log10",
                "type: a scaling goal needs a knob named tokens_log10",
            ],
        ),
    ],
)
def test_validate_directly(name, params, expected):
    level = load(output_level("at_least = 1"))
    assert goal_type(name).validate({"type": name, **params}, level_view(level)) == expected
