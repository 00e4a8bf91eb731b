"""The goal types of plugins/goals.py, checked on real boards of real levels.

Levels are small TOML texts loaded with the real loader and the real plugin
registry; the expected numbers (softmax weights, total variation, HBM traffic,
Chinchilla's loss) are computed here with NumPy, independently of the board.
"""

from __future__ import annotations

import math

import numpy as np
import pytest

from game.api import GoalResult
from game.levels import LevelError, load_level_text
from game.model import Board, BoardError
from game.model.io_sim import Schedule, count_io
from game.plugins import load_plugins
from tests.plugins.util import load_builtin

REGISTRY = load_plugins(no_plugins=True)
GOALS = load_builtin("goals")  # for the module's helpers: pattern_target, total_variation…


def goal_type(name: str):
    return REGISTRY.goal_types[name]


def check(name: str, params: dict, evaluation) -> GoalResult:
    return goal_type(name).check({"type": name, **params}, evaluation)


def load(text: str, name: str = "t.toml"):
    return load_level_text(text, name, REGISTRY)


def softmax(logits) -> np.ndarray:
    z = np.asarray(logits, dtype=np.float64)
    e = np.exp(z - z.max())
    return e / e.sum()


def line_of(text: str, marker: str) -> int:
    """The 1-based line of the one line of `text` that contains `marker`."""
    hits = [n for n, line in enumerate(text.splitlines(), 1) if marker in line]
    assert len(hits) == 1, f"{marker!r} is on lines {hits}"
    return hits[0]


def level_text(
    *,
    features: list[str],
    vocab: dict[str, dict[str, float]],
    sentences: list[str],
    goals: str,
    architecture: str = "encoder",
    heads: int = 1,
    extra: str = "",
) -> str:
    """A whole level: `sentences` are TOML tables' bodies, `goals` the [[goals]] tables."""
    vocab_lines = "\n".join(
        f"{word} = {{ {', '.join(f'{k} = {v}' for k, v in table.items())} }}"
        for word, table in vocab.items()
    )
    sentence_tables = "\n".join(f"[[sentences]]\n{body}\n" for body in sentences)
    return f"""\
format_version = 1
id = "test_level"
title = "A test level"
concept = "qkv"
explanation = "For the tests."
hints = ["one", "two", "three"]
architecture = "{architecture}"
positional = "none"
features = {features!r}
heads = {heads}
par = 3
{extra}
[vocab]
{vocab_lines}

{sentence_tables}
{goals}"""


# --- attention ------------------------------------------------------------------------

AB_VOCAB = {"x": {"a": 1}, "y": {"b": 1}, "z": {}}


def attention_level(at_least: float | str = 0.5, heads: int = 1, head: int | None = None) -> str:
    head_line = f"head = {head}\n" if head is not None else ""
    return level_text(
        features=["a", "b"],
        vocab=AB_VOCAB,
        sentences=['tokens = ["x", "y", "z"]\nroles = { asker = 0, answer = 1 }'],
        heads=heads,
        goals=f"""[[goals]]
type = "attention"
query = "@asker"
key = "@answer"
at_least = {at_least}
{head_line}""",
    )


def weight_x_on_y(strength: float) -> float:
    """Query x = {a} on keys x, y = {b}, z = {} with one wire a → b, d_k = 2, scale on."""
    return float(softmax(np.array([0.0, strength, 0.0]) / math.sqrt(2))[1])


def board_with_wire(text: str, strength: float, head: int = 0) -> Board:
    board = Board(load(text), REGISTRY)
    board.add_wire(head, "a", "b", strength)
    return board


def test_attention_threshold_is_met_just_above_and_not_just_below():
    level_half = attention_level(0.5)
    # Weight 1/2 exactly when e^{s/√2} = 2: s = √2·ln 2.
    threshold = math.sqrt(2) * math.log(2)
    for strength, met in ((threshold + 1e-6, True), (threshold - 1e-6, False)):
        expected = weight_x_on_y(strength)
        assert (expected >= 0.5) is met
        evaluation = board_with_wire(level_half, strength).evaluate()
        assert evaluation.heads[0].weights[0, 1] == pytest.approx(expected, abs=1e-12)
        (result,) = evaluation.goal_results
        assert result.met is met
        assert result.progress == pytest.approx(1.0 if met else expected / 0.5)


def test_attention_is_met_at_exactly_at_least():
    board = board_with_wire(attention_level(0.5), 1.3)
    weight = float(board.evaluate().heads[0].weights[0, 1])
    assert weight == pytest.approx(weight_x_on_y(1.3), abs=1e-12)
    exactly = Board(load(attention_level(repr(weight))), REGISTRY, board.state).evaluate()
    assert exactly.goal_results[0].met and exactly.goal_results[0].progress == 1.0
    above = repr(float(np.nextafter(weight, 1.0)))
    beyond = Board(load(attention_level(above)), REGISTRY, board.state).evaluate()
    assert not beyond.goal_results[0].met and beyond.goal_results[0].progress < 1.0


def test_attention_head_restricts_to_one_head():
    text_any, text_0, text_1 = (attention_level(0.5, heads=2, head=h) for h in (None, 0, 1))
    state = board_with_wire(text_any, 4.0, head=1).state  # only head 1 (0-based) attends
    weight = weight_x_on_y(4.0)
    results = {
        name: Board(load(text), REGISTRY, state).evaluate().goal_results[0]
        for name, text in (("any", text_any), ("0", text_0), ("1", text_1))
    }
    assert results["any"].met and results["1"].met
    assert not results["0"].met
    assert results["0"].progress == pytest.approx(1 / 3 / 0.5)  # head 0 is uniform over 3
    # With several heads the message says which one (1-based, as the tabs show).
    assert results["any"].message == (
        f'"x" puts {weight:.0%} of its attention on "y" (head 2); the goal is 50%'
    )
    assert results["0"].message == '"x" puts 33% of its attention on "y" (head 1); the goal is 50%'


def test_attention_progress_rises_with_the_weight_and_is_one_when_met():
    text = attention_level(0.6)
    points = []
    for strength in np.linspace(-4.0, 6.0, 41):
        result = board_with_wire(text, float(strength)).evaluate().goal_results[0]
        weight = weight_x_on_y(float(strength))
        points.append((weight, result.progress))
        assert result.met is (weight >= 0.6)
        if result.met:
            assert result.progress == 1.0
        else:
            assert result.progress == pytest.approx(weight / 0.6)
    weights, progress = zip(*sorted(points), strict=True)
    assert all(b >= a for a, b in zip(progress, progress[1:], strict=False))
    assert progress[0] < 0.1 and progress[-1] == 1.0


def test_attention_message_names_both_words_and_the_percentage():
    evaluation = board_with_wire(attention_level(0.75), 2.0).evaluate()
    weight = weight_x_on_y(2.0)
    assert f"{weight:.0%}" == "67%"
    assert evaluation.goal_results[0].message == (
        '"x" puts 67% of its attention on "y"; the goal is 75%'
    )


def test_attention_with_at_least_zero_is_met_without_dividing_by_zero():
    evaluation = Board(load(attention_level(0)), REGISTRY).evaluate()
    assert evaluation.goal_results[0].met and evaluation.goal_results[0].progress == 1.0


TRANSLATION = level_text(
    architecture="encoder-decoder",
    features=["det", "noun", "adj"],
    vocab={
        "the": {"det": 1},
        "red": {"adj": 1},
        "car": {"noun": 1},
        "la": {"det": 1},
        "voiture": {"noun": 1},
        "rouge": {"adj": 1},
    },
    heads=2,
    sentences=[
        'source = ["the", "red", "car"]\ntarget = ["la", "voiture", "rouge"]\n'
        'roles = { french_noun = "target:1", english_noun = "source:2" }\n'
        "alignment = [[0, 0], [1, 2], [2, 1]]"
    ],
    goals="""[[goals]]
type = "attention"
query = "@french_noun"
key = "@english_noun"
at_least = 0.8
""",
    extra="""
[[start.heads]]
block = "decoder self"

[[start.heads]]
block = "cross"
""",
)


def test_attention_between_target_and_source_uses_the_cross_head():
    board = Board(load(TRANSLATION), REGISTRY)
    # The decoder-self head attends strongly within the target: it must not count.
    board.add_wire(0, "noun", "noun", 10.0)
    result = board.evaluate().goal_results[0]
    assert not result.met
    assert result.progress == pytest.approx(1 / 3 / 0.8)  # the empty cross head: uniform
    assert result.message.startswith('"voiture" puts 33% of its attention on "car" (head 2)')
    board.add_wire(1, "noun", "noun", 4.0)
    expected = float(softmax(np.array([0.0, 0.0, 4.0]) / math.sqrt(3))[2])
    evaluation = board.evaluate()
    assert evaluation.heads[1].weights[1, 2] == pytest.approx(expected, abs=1e-12)
    assert evaluation.goal_results[0].met is (expected >= 0.8) is True


def test_attention_reference_in_the_encoder_uses_one_sequence_for_query_and_key():
    # `sequence = "source"` names where bare indices point, for the query and the key alike.
    text = TRANSLATION.replace(
        'query = "@french_noun"\nkey = "@english_noun"',
        'query = 0\nkey = 2\nsequence = "source"',
    ).replace('block = "decoder self"', 'block = "encoder self"')
    board = Board(load(text), REGISTRY)
    board.add_wire(0, "det", "noun", 6.0)
    expected = float(softmax(np.array([0.0, 0.0, 6.0]) / math.sqrt(3))[2])
    result = board.evaluate().goal_results[0]
    assert result.met
    assert result.message.startswith(f'"the" puts {expected:.0%} of its attention on "car"')


# --- pattern --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("pattern", "shape", "alignment", "target", "rows"),
    [
        ("previous", (3, 3), None, [[0, 0, 0], [1, 0, 0], [0, 1, 0]], [0, 1, 1]),
        ("previous", (4, 2), None, [[0, 0], [1, 0], [0, 1], [0, 0]], [0, 1, 1, 0]),
        ("first", (3, 2), None, [[1, 0], [1, 0], [1, 0]], [1, 1, 1]),
        ("diagonal", (2, 3), None, [[1, 0, 0], [0, 1, 0]], [1, 1]),
        ("diagonal", (3, 2), None, [[1, 0], [0, 1], [0, 0]], [1, 1, 0]),
        (
            "alignment",
            (3, 3),
            [[0, 2], [2, 0], [2, 1]],
            [[0, 0, 1], [0, 0, 0], [0.5, 0.5, 0]],
            [1, 0, 1],
        ),
    ],
)
def test_pattern_target_on_small_shapes(pattern, shape, alignment, target, rows):
    got, covered = GOALS.pattern_target(pattern, *shape, alignment)
    np.testing.assert_array_equal(got, np.array(target, dtype=float))
    np.testing.assert_array_equal(covered, np.array(rows, dtype=bool))


def test_pattern_target_refuses_an_unknown_pattern():
    with pytest.raises(ValueError, match="unknown pattern 'sideways'"):
        GOALS.pattern_target("sideways", 2, 2)


def test_total_variation_by_hand():
    weights = np.array([[0.5, 0.5], [0.9, 0.1], [0.0, 1.0]])
    target = np.array([[1.0, 0.0], [1.0, 0.0], [1.0, 0.0]])
    # Row distances ½Σ|w − t|: 0.5, 0.1, 1.0; only rows 0 and 1 are covered.
    rows = np.array([True, True, False])
    assert GOALS.total_variation(weights, target, rows) == pytest.approx(0.3)
    assert GOALS.total_variation(weights, target, np.ones(3, bool)) == pytest.approx(1.6 / 3)
    assert GOALS.total_variation(weights, target, np.zeros(3, bool)) == 1.0


def my_distance(weights: np.ndarray, target: np.ndarray, rows) -> float:
    rows = np.asarray(rows, dtype=bool)
    return float(
        np.mean([0.5 * np.abs(weights[i] - target[i]).sum() for i in np.flatnonzero(rows)])
    )


COUNTING = {f"t{i}": {f"f{i}": 1} for i in range(4)}


def pattern_level(pattern: str, within: float, architecture: str = "encoder") -> str:
    return level_text(
        architecture=architecture,
        features=[f"f{i}" for i in range(4)],
        vocab=COUNTING,
        sentences=['tokens = ["t0", "t1", "t2", "t3"]'],
        goals=f'[[goals]]\ntype = "pattern"\npattern = "{pattern}"\nwithin = {within}\n',
    )


def test_a_causal_previous_token_head_passes():
    board = Board(load(pattern_level("previous", 0.1, "decoder")), REGISTRY)
    for i in range(1, 4):
        board.add_wire(0, f"f{i}", f"f{i - 1}", 8.0)
    evaluation = board.evaluate()
    weights = evaluation.heads[0].weights
    # Row i (i ≥ 1) sees keys 0..i, the previous one with logit 8/√4 = 4.
    for i in range(1, 4):
        expected = softmax(np.where(np.arange(i + 1) == i - 1, 4.0, 0.0))
        np.testing.assert_allclose(weights[i, : i + 1], expected, atol=1e-12)
        assert weights[i, i + 1 :].sum() == 0.0
    target = np.eye(4, k=-1)
    distance = my_distance(weights, target, [0, 1, 1, 1])
    result = evaluation.goal_results[0]
    assert distance < 0.1 and result.met
    assert result.message == (
        f"head 1 is {distance:.2f} away from the previous pattern; the goal is 0.10"
    )
    # Row 0 has no previous word: it is not counted, though it can only look at itself.
    assert distance == pytest.approx(np.mean([1 - weights[i, i - 1] for i in range(1, 4)]))


def test_a_uniform_head_fails_with_the_right_distance():
    # Encoder, empty head: every row is uniform over 4 keys; a covered row is ¾ away.
    result = Board(load(pattern_level("previous", 0.2)), REGISTRY).evaluate().goal_results[0]
    assert not result.met
    assert result.message == "head 1 is 0.75 away from the previous pattern; the goal is 0.20"
    assert result.progress == pytest.approx(0.25 / 0.8)
    # Decoder, empty head: row i is uniform over i + 1 keys, i/(i+1) from "first".
    evaluation = Board(load(pattern_level("first", 0.2, "decoder")), REGISTRY).evaluate()
    expected = np.mean([0, 1 / 2, 2 / 3, 3 / 4])
    assert my_distance(evaluation.heads[0].weights, np.eye(4)[[0, 0, 0, 0]], [1] * 4) == (
        pytest.approx(expected)
    )
    result = evaluation.goal_results[0]
    assert not result.met
    assert result.progress == pytest.approx((1 - expected) / 0.8)
    assert (
        result.message == f"head 1 is {expected:.2f} away from the first pattern; the goal is 0.20"
    )


def test_pattern_is_met_at_exactly_within():
    # Uniform weights of 1/4 are exact in binary: each covered row is exactly 0.75 away.
    result = Board(load(pattern_level("previous", 0.75)), REGISTRY).evaluate().goal_results[0]
    assert result.met and result.progress == 1.0
    result = Board(load(pattern_level("previous", 0.7499)), REGISTRY).evaluate().goal_results[0]
    assert not result.met


def test_diagonal_pattern_distance_matches_an_independent_computation():
    board = Board(load(pattern_level("diagonal", 0.3)), REGISTRY)
    for i in range(4):
        board.add_wire(0, f"f{i}", f"f{i}", 6.0)
    evaluation = board.evaluate()
    own = float(softmax([3.0, 0, 0, 0])[0])  # logit 6/√4 on itself, 0 elsewhere
    distance = my_distance(evaluation.heads[0].weights, np.eye(4), [1] * 4)
    assert distance == pytest.approx(1 - own)
    result = evaluation.goal_results[0]
    assert result.met is (distance <= 0.3) is True
    assert result.progress == 1.0


def alignment_level(within: float) -> str:
    """ "big" is aligned to both "grande" and "très"."""
    return level_text(
        architecture="encoder-decoder",
        features=["noun", "adj", "adv"],
        vocab={
            "big": {"adj": 1, "adv": 1},
            "car": {"noun": 1},
            "voiture": {"noun": 1},
            "tres": {"adv": 1},
            "grande": {"adj": 1},
        },
        sentences=[
            'source = ["voiture", "tres", "grande"]\ntarget = ["big", "car"]\n'
            "alignment = [[0, 1], [0, 2], [1, 0]]"
        ],
        goals=f'[[goals]]\ntype = "pattern"\npattern = "alignment"\nwithin = {within}\n',
        extra='\n[[start.heads]]\nblock = "cross"\n',
    )


def test_alignment_to_two_source_words_splits_the_target():
    target = np.array([[0, 0.5, 0.5], [1, 0, 0]])
    board = Board(load(alignment_level(0.1)), REGISTRY)
    board.add_wire(0, "adj", "adj", 10.0)
    board.add_wire(0, "adv", "adv", 10.0)
    board.add_wire(0, "noun", "noun", 10.0)
    evaluation = board.evaluate()
    weights = evaluation.heads[0].weights  # (target 2, source 3)
    assert weights.shape == (2, 3)
    distance = my_distance(weights, target, [1, 1])
    assert distance < 0.01
    assert evaluation.goal_results[0].met
    # A head that puts "big" on "grande" alone is half a row away: 0.25 on average.
    board.remove_wire(0, "adv", "adv")
    evaluation = board.evaluate()
    distance = my_distance(evaluation.heads[0].weights, target, [1, 1])
    assert distance == pytest.approx(0.25, abs=0.01)
    result = evaluation.goal_results[0]
    assert not result.met
    assert result.message == (
        f"head 1 is {distance:.2f} away from the alignment pattern; the goal is 0.10"
    )


def test_pattern_head_restricts_to_one_head():
    text = pattern_level("previous", 0.1, "decoder").replace("heads = 1", "heads = 2")
    board = Board(load(text), REGISTRY)
    for i in range(1, 4):
        board.add_wire(1, f"f{i}", f"f{i - 1}", 8.0)
    assert board.evaluate().goal_results[0].met
    assert board.evaluate().goal_results[0].message.startswith("head 2 is")
    only_0 = text.replace("within = 0.1", "within = 0.1\nhead = 0")
    result = Board(load(only_0), REGISTRY, board.state).evaluate().goal_results[0]
    assert not result.met and result.message.startswith("head 1 is")


# --- output ---------------------------------------------------------------------------


def output_level(bound: str, heads: int = 1) -> str:
    return level_text(
        features=["a", "b", "c"],
        vocab={"x": {"a": 1}, "y": {"b": 2}, "z": {"c": 1}},
        sentences=['tokens = ["x", "y", "z"]\nroles = { here = 0 }'],
        heads=heads,
        goals=f'[[goals]]\ntype = "output"\nposition = "@here"\nfeature = "c"\n{bound}\n',
    )


def test_output_value_routes_and_mix_change_the_value_by_hand():
    board = Board(load(output_level("at_least = 1.0")), REGISTRY)
    board.add_wire(0, "a", "b", 2.0)
    # q·k on y = 2·1·2 = 4 → logit 4/√3; x and z score 0.
    w = softmax(np.array([0.0, 4.0, 0.0]) / math.sqrt(3))
    assert board.evaluate().output("@here", "c") == 0.0  # no value route yet
    board.add_value_route(0, "b", "c", 0.5)  # v_y[c] = 2·0.5 = 1
    assert board.evaluate().output("@here", "c") == pytest.approx(w[1])
    board.add_value_route(0, "c", "c", -1.0)  # v_z[c] = −1
    assert board.evaluate().output("@here", "c") == pytest.approx(w[1] - w[2])
    board.set_mix(0, 2.0)
    value = 2 * (w[1] - w[2])
    evaluation = board.evaluate()
    assert evaluation.output("@here", "c") == pytest.approx(value)
    result = evaluation.goal_results[0]
    assert value >= 1.0 and result.met and result.progress == 1.0
    assert (
        result.message == f'the output at "x" carries {value:.2f} of c; the goal is at least 1.00'
    )
    board.set_mix(0, 0.5)
    result = board.evaluate().goal_results[0]
    assert not result.met
    assert result.progress == pytest.approx(0.5 * (w[1] - w[2]) / 1.0)


def test_output_sums_the_heads_by_their_mix():
    board = Board(load(output_level("at_least = 0.5", heads=2)), REGISTRY)
    board.add_value_route(0, "c", "c", 3.0)  # uniform head: 3·(1/3) of c
    board.add_value_route(1, "a", "c", 1.0)  # uniform head: 1·(1/3)
    board.set_mix(1, -2.0)
    evaluation = board.evaluate()
    assert evaluation.output("@here", "c") == pytest.approx(1.0 - 2.0 / 3.0)
    assert not evaluation.goal_results[0].met
    assert evaluation.goal_results[0].progress == pytest.approx((1 / 3) / 0.5)


def test_output_at_most():
    board = Board(load(output_level("at_most = 0.2")), REGISTRY)
    result = board.evaluate().goal_results[0]  # empty: the output carries 0
    assert result.met and result.progress == 1.0
    assert result.message == 'the output at "x" carries 0.00 of c; the goal is at most 0.20'
    board.add_value_route(0, "c", "c", 1.5)  # uniform: 0.5
    result = board.evaluate().goal_results[0]
    assert not result.met
    assert result.progress == pytest.approx(1 - (0.5 - 0.2))
    assert result.message == 'the output at "x" carries 0.50 of c; the goal is at most 0.20'
    board.set_mix(0, -1.0)
    result = board.evaluate().goal_results[0]
    assert result.met and "carries -0.50 of c" in result.message


def test_output_at_least_a_negative_amount():
    board = Board(load(output_level("at_least = -0.4")), REGISTRY)
    board.add_value_route(0, "c", "c", 1.5)
    board.set_mix(0, -1.0)  # −0.5 < −0.4
    result = board.evaluate().goal_results[0]
    assert not result.met and result.progress == 0.0
    board.set_mix(0, -0.5)  # −0.25
    result = board.evaluate().goal_results[0]
    assert result.met and result.progress == 1.0


# --- generation -----------------------------------------------------------------------


def test_the_shipped_next_word_reference_passes_and_its_start_does_not():
    level = REGISTRY.levels["decoder_01_next_word"]
    solved = Board.with_solution(level, REGISTRY)
    for evaluation in solved.evaluate_all():
        n = len(evaluation.tokens["tokens"])
        assert evaluation.goal_results[0].met
        assert evaluation.goal_results[0].message == (
            f"the next word is right at {n - 1} of {n - 1} positions"
        )
    start = Board(level, REGISTRY).evaluate().goal_results[0]
    assert not start.met and start.progress == 0.0
    assert start.message == (
        'the next word is right at 0 of 6 positions; after "one" it picks "a tie", not "two"'
    )


def test_wrong_value_routes_name_the_first_wrong_position():
    level = REGISTRY.levels["decoder_01_next_word"]
    board = Board.with_solution(level, REGISTRY)
    board.remove_value_route(0, "two", "three")
    board.add_value_route(0, "two", "one")
    # one two three one two three one: every "two" now predicts "one" (positions 1 and 4).
    result = board.evaluate().goal_results[0]
    assert not result.met
    assert result.progress == pytest.approx(4 / 6)
    assert result.message == (
        'the next word is right at 4 of 6 positions; after "two" it picks "one", not "three"'
    )
    held_out = board.evaluate(1).goal_results[0]  # two three one …: wrong at position 0
    assert held_out.message.startswith("the next word is right at 5 of 8 positions; after ")
    assert held_out.message.endswith('after "two" it picks "one", not "three"')


def test_ties_count_as_wrong():
    level = REGISTRY.levels["decoder_01_next_word"]
    board = Board.with_solution(level, REGISTRY)
    board.add_value_route(0, "two", "one")  # "two" now hands over three and one equally
    evaluation = board.evaluate()
    # At position 1 (keys one, two) the output carries one and three equally: a tie. At
    # position 4 the earlier "three" adds more one (three → one), so "one" wins there.
    predicted = GOALS.predictions(evaluation)
    assert predicted == ["two", None, "one", "two", "one", "one"]
    result = evaluation.goal_results[0]
    assert not result.met
    assert result.message == (
        'the next word is right at 4 of 6 positions; after "two" it picks "a tie", not "three"'
    )


def generation_level(architecture: str, at_least: str = "") -> str:
    return level_text(
        architecture=architecture,
        features=["one", "two", "three"],
        vocab={"one": {"one": 1}, "two": {"two": 1}, "three": {"three": 1}},
        sentences=['tokens = ["one", "two", "three", "one", "two"]'],
        goals=f'[[goals]]\ntype = "generation"\n{at_least}\n',
        extra="""
[[solution.heads]]
wires = [
  { query = "one", key = "one", strength = 6.0 },
  { query = "two", key = "two", strength = 6.0 },
  { query = "three", key = "three", strength = 6.0 },
]
values = [
  { key = "one", out = "two" },
  { key = "two", out = "three" },
  { key = "three", out = "one" },
]
""",
    )


def test_a_bidirectional_board_that_looks_ahead_is_peeking():
    decoder = Board.with_solution(load(generation_level("decoder")), REGISTRY).evaluate()
    assert decoder.goal_results[0].met
    assert not GOALS.peeking(decoder)
    encoder = Board.with_solution(load(generation_level("encoder")), REGISTRY).evaluate()
    # The same heads predict the same words (they mostly look at copies of themselves)…
    assert GOALS.predictions(encoder) == GOALS.predictions(decoder)
    # …but every row puts some weight on later words.
    assert (np.triu(encoder.heads[0].weights, k=1) > 0).any()
    assert GOALS.peeking(encoder)
    result = encoder.goal_results[0]
    assert not result.met and result.progress == 0.0
    assert result.message == "a position looks at a later word: that is peeking"


def test_a_one_word_sentence_has_nothing_to_predict():
    text = _bad(
        generation_level("decoder"),
        'tokens = ["one", "two", "three", "one", "two"]',
        'tokens = ["one", "two", "three", "one", "two"]\n\n[[sentences]]\ntokens = ["three"]',
    )
    board = Board.with_solution(load(text), REGISTRY)
    assert GOALS.predictions(board.evaluate(1)) == []
    assert board.evaluate(1).goal_results[0] == GoalResult(
        True, 1.0, "a one-word sentence has no next word to pick"
    )
    assert board.evaluate(0).goal_results[0].met


def test_generation_at_least_a_fraction():
    board = Board.with_solution(load(generation_level("decoder", "at_least = 0.75")), REGISTRY)
    board.remove_value_route(0, "three", "one")  # position 2 ("three") goes wrong: 3 of 4
    result = board.evaluate().goal_results[0]
    assert result.met and result.progress == 1.0
    assert result.message.startswith("the next word is right at 3 of 4 positions")
    board.remove_value_route(0, "two", "three")  # and position 1: 2 of 4
    result = board.evaluate().goal_results[0]
    assert not result.met and result.progress == pytest.approx(0.5 / 0.75)


# --- efficiency -----------------------------------------------------------------------


def efficiency_level(n: int, d: int, sram: int, budget: int, extra_goal: str = "") -> str:
    return level_text(
        features=["word"],
        vocab={"tiles": {"word": 1}, "fit": {"word": 1}},
        sentences=['tokens = ["tiles", "fit"]'],
        goals=f"""[[goals]]
type = "efficiency"
n = {n}
d = {d}
sram = {sram}
budget = {budget}
{extra_goal}""",
        extra="""
[[knobs]]
name = "block_q"
title = "Query rows per tile"
low = 1
high = 256
default = 16
integer = true

[[knobs]]
name = "block_k"
title = "Key rows per tile"
low = 1
high = 512
default = 16
integer = true
""",
    )


def tiled_traffic(n: int, d: int, block_q: int, block_k: int) -> int:
    """Algorithm 1's HBM traffic, counted here: Q, O, ℓ, m stream once per key block."""
    t_c = -(-n // min(block_k, n))
    reads = 2 * n * d + t_c * n * (2 * d + 2)  # K, V once; Q, O, ℓ, m per key block
    writes = n * d + 2 * n + t_c * n * (d + 2)  # initialise O, ℓ, m; write them back
    return reads + writes


def sram_for(d: int, block_q: int, block_k: int) -> int:
    return 2 * block_k * d + 2 * block_q * d + 2 * block_q + block_q * block_k


def test_efficiency_against_count_io_at_the_budget():
    n, d, sram = 1024, 32, 16384
    block_q, block_k = 32, 128
    io = count_io(n, d, sram, Schedule("tiled", block_q, block_k))
    assert io.total == tiled_traffic(n, d, block_q, block_k)
    for budget, met in ((io.total, True), (io.total - 1, False)):
        board = Board(load(efficiency_level(n, d, sram, budget)), REGISTRY)
        board.set_knob("block_q", block_q)
        board.set_knob("block_k", block_k)
        result = board.evaluate().goal_results[0]
        assert result.met is met
        assert result.progress == pytest.approx(min(1.0, budget / io.total))
        assert result.message == (
            f"HBM traffic is {io.total:,} elements ({io.reads:,} read, {io.writes:,} "
            f"written); the budget is {budget:,}"
        )


def test_efficiency_blocks_must_fit_in_sram():
    n, d = 1024, 32
    needed = sram_for(d, 32, 128)
    assert needed == count_io(n, d, needed, Schedule("tiled", 32, 128)).sram_needed
    for sram, fits in ((needed, True), (needed - 1, False)):
        board = Board(load(efficiency_level(n, d, sram, 10**12)), REGISTRY)
        board.set_knob("block_q", 32)
        board.set_knob("block_k", 128)
        result = board.evaluate().goal_results[0]
        assert result.met is fits
        if not fits:
            assert result.progress == 0.0
            assert result.message == f"tiles of 32×128 do not fit in {sram:,} elements of SRAM"
    # Blocks longer than the sequence count as the sequence: 256 rows of n = 64 fit.
    board = Board(load(efficiency_level(64, d, sram_for(d, 64, 64), 10**12)), REGISTRY)
    board.set_knob("block_q", 256)
    board.set_knob("block_k", 512)
    assert board.evaluate().goal_results[0].met


def test_shipped_flash_level_start_fails_and_solution_passes():
    level = REGISTRY.levels["11_flash"]
    params = level.goals[0].params
    n, d, sram, budget = (params[k] for k in ("n", "d", "sram", "budget"))
    start, solved = Board(level, REGISTRY), Board.with_solution(level, REGISTRY)
    assert start.settings.knobs == (("block_q", 16.0), ("block_k", 16.0))
    assert tiled_traffic(n, d, 16, 16) > budget
    assert tiled_traffic(n, d, 32, 128) <= budget and sram_for(d, 32, 128) <= sram
    for evaluation in start.evaluate_all():
        assert not evaluation.goal_results[0].met
        assert f"HBM traffic is {tiled_traffic(n, d, 16, 16):,} elements" in (
            evaluation.goal_results[0].message
        )
    for evaluation in solved.evaluate_all():
        assert evaluation.goal_results[0].met


# --- scaling --------------------------------------------------------------------------


def chinchilla(n_params: float, n_tokens: float) -> float:
    return 1.69 + 406.4 / n_params**0.34 + 410.7 / n_tokens**0.28


def scaling_level(budget: str, loss: str) -> str:
    return level_text(
        features=["word"],
        vocab={"bigger": {"word": 1}, "models": {"word": 1}},
        sentences=['tokens = ["bigger", "models"]'],
        goals=f'[[goals]]\ntype = "scaling"\nbudget = {budget}\nloss = {loss}\n',
        extra="""
[[knobs]]
name = "params_log10"
title = "Parameters"
low = 6
high = 12
default = 9

[[knobs]]
name = "tokens_log10"
title = "Tokens"
low = 6
high = 13
default = 9
""",
    )


def test_scaling_against_the_chinchilla_formula():
    loss = chinchilla(1e9, 1e9)
    assert loss == pytest.approx(GOALS.chinchilla_loss(1e9, 1e9), rel=1e-12)
    for target, met in ((loss + 1e-9, True), (loss - 1e-9, False)):
        result = Board(load(scaling_level("6e18", repr(target))), REGISTRY).evaluate()
        (result,) = result.goal_results
        assert result.met is met
        assert result.message == f"loss {loss:.3f} with 6.00e+18 FLOPs; the goal is {target:.3f}"
    # Progress runs from a 10^6 × 10^6 model (0) to the target (1).
    worst = chinchilla(1e6, 1e6)
    target = 2.5
    result = Board(load(scaling_level("6e18", "2.5")), REGISTRY).evaluate().goal_results[0]
    assert loss > target and not result.met
    assert result.progress == pytest.approx((worst - loss) / (worst - target))


def test_scaling_over_budget_fails():
    # 6·10^9·10^9 = 6e18: exactly the budget is allowed, a little less is not.
    assert Board(load(scaling_level("6e18", "5")), REGISTRY).evaluate().goal_results[0].met
    result = Board(load(scaling_level("5.9e18", "5")), REGISTRY).evaluate().goal_results[0]
    assert not result.met and result.progress == 0.0
    assert result.message == "that needs 6.00e+18 FLOPs; the budget is 5.90e+18"


def test_shipped_scaling_level_start_fails_and_solution_passes():
    level = REGISTRY.levels["12_scaling"]
    params = level.goals[0].params
    start, solved = Board(level, REGISTRY), Board.with_solution(level, REGISTRY)
    for board, met in ((start, False), (solved, True)):
        n_params = 10 ** board.settings.knob("params_log10")
        n_tokens = 10 ** board.settings.knob("tokens_log10")
        assert 6 * n_params * n_tokens <= params["budget"]
        assert (chinchilla(n_params, n_tokens) <= params["loss"]) is met
        for evaluation in board.evaluate_all():
            assert evaluation.goal_results[0].met is met
            assert evaluation.goal_results[0].message.startswith(
                f"loss {chinchilla(n_params, n_tokens):.3f} with "
            )
    # Spending more than the budget on the solution's model fails, however low the loss.
    solved.set_knob("tokens_log10", 13)
    assert not solved.evaluate().goal_results[0].met


def test_set_knob_rounds_integer_knobs_and_refuses_out_of_range_values():
    board = Board(load(efficiency_level(1024, 32, 16384, 10**9)), REGISTRY)
    board.set_knob("block_q", 31.6)
    board.set_knob("block_k", 127.4)
    assert board.settings.knob("block_q") == 32.0 and board.settings.knob("block_k") == 127.0
    assert board.evaluate().knob("block_q") == 32.0
    revision = board.revision
    for name, value in (("block_q", 0), ("block_q", 256.6), ("block_k", 513), ("block_k", -1)):
        with pytest.raises(BoardError, match="must lie in"):
            board.set_knob(name, value)
    for bad in (float("nan"), float("inf"), True, "32"):
        with pytest.raises(BoardError):
            board.set_knob("block_q", bad)
    with pytest.raises(BoardError, match='no knob "block_r"'):
        board.set_knob("block_r", 4)
    assert board.revision == revision
    board.set_knob("block_q", 256)  # the ends are in range
    board.set_knob("block_q", 1)
    assert board.settings.knob("block_q") == 1.0
    scaling = Board(load(scaling_level("1e21", "3")), REGISTRY)
    scaling.set_knob("params_log10", 9.37)  # not an integer knob: kept as it is
    assert scaling.settings.knob("params_log10") == 9.37


# --- validate -------------------------------------------------------------------------


def _bad(text: str, old: str, new: str) -> str:
    assert text.count(old) == 1, old
    return text.replace(old, new)


# (the level text, [(a marker on the problem's line, field, message), …]); a marker of
# "[[goals]]" means the problem has no line of its own (a missing key) and sits on the
# goal's header.
BAD_GOALS = {
    "attention": (
        _bad(
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
        _bad(_bad(attention_level(0.5), 'query = "@asker"\n', ""), '"@answer"', '"@answr"'),
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
        _bad(pattern_level("sideways", 1.5), "within = 1.5\n", "within = 1.5\nhead = true\n"),
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
        _bad(pattern_level("alignment", 0.1), "within = 0.1\n", "colour = 1\n"),
        [
            ("[[goals]]", "within", "this goal needs it"),
            ('pattern = "alignment"', "pattern", "sentence 1 has no alignment to compare with"),
            ("colour = 1", "colour", "not a field of this goal (fields: head, pattern, within)"),
        ],
    ),
    "output": (
        _bad(output_level("at_least = 200"), 'feature = "c"', 'feature = "d"'),
        [
            ('feature = "d"', "feature", '"d" is not one of the level\'s features'),
            ("at_least = 200", "at_least", "must be from -100 to 100, got 200"),
        ],
    ),
    "output positions": (
        _bad(output_level("at_most = -0.5\nat_least = 1"), '"@here"', "7"),
        [
            ("position = 7", "position", "position 7 is outside the tokens (3 tokens)"),
            ("at_least = 1", "at_least", "give exactly one of at_least and at_most"),
        ],
    ),
    "output neither bound": (
        _bad(output_level(""), "\nfeature = ", "\nfeatur = "),
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
        _bad(efficiency_level(0, 64, 100, 1e16, "block = 4"), "d = 64\n", ""),
        [
            ("[[goals]]", "d", "this goal needs it"),
            ("n = 0", "n", "must be from 1 to 1e+06, got 0"),
            ("budget = 1e+16", "budget", "must be from 1 to 1e+15, got 1e+16"),
            ("block = 4", "block", "not a field of this goal (fields: budget, d, n, sram)"),
        ],
    ),
    "efficiency knobs": (
        _bad(efficiency_level(16, 4, 100, 10), 'name = "block_k"', 'name = "block_kv"'),
        [('type = "efficiency"', "type", "an efficiency goal needs a knob named block_k")],
    ),
    "scaling": (
        _bad(scaling_level("0.5", "101"), "loss = 101\n", "loss = 101\nflops = 3\n"),
        [
            ("budget = 0.5", "budget", "must be from 1 to 1e+30, got 0.5"),
            ("loss = 101", "loss", "must be from 0 to 100, got 101"),
            ("flops = 3", "flops", "not a field of this goal (fields: budget, loss)"),
        ],
    ),
    "scaling knobs": (
        _bad(scaling_level("1e21", '"low"'), 'name = "tokens_log10"', 'name = "tokens"'),
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
    text = _bad(
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
    text = _bad(text, 'key = "@answer"', 'key = "y"')
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
    assert goal_type(name).validate({"type": name, **params}, level) == expected


# --- every shipped level --------------------------------------------------------------


def _shipped_boards():
    for level_id, level in sorted(REGISTRY.levels.items()):
        yield level_id, "start", level, Board(level, REGISTRY)
        if level.solution is not None:
            yield level_id, "solution", level, Board.with_solution(level, REGISTRY)


@pytest.mark.parametrize(
    ("level_id", "which", "level", "board"),
    list(_shipped_boards()),
    ids=[f"{level_id}-{which}" for level_id, which, _, _ in _shipped_boards()],
)
def test_every_goal_check_runs_cleanly_on_every_shipped_board(level_id, which, level, board):
    assert len(REGISTRY.levels) >= 16 and not REGISTRY.level_problems
    for s in range(len(level.sentences)):
        evaluation = board.evaluate(s)
        for g, goal in enumerate(level.goals):
            # Straight to the goal type: the board's own loop would turn some errors
            # into failed goals, and these must raise nothing at all.
            result = goal_type(goal.type).check(goal.params, evaluation)
            assert isinstance(result, GoalResult)
            assert isinstance(result.met, bool)
            assert 0.0 <= result.progress <= 1.0
            assert result.message and "nan" not in result.message
            assert result == evaluation.goal_results[g]
            if result.met:
                assert result.progress == 1.0
            if which == "solution":
                assert result.met, f"{level_id} sentence {s}: {result.message}"


def test_a_near_miss_is_not_rounded_up_to_the_goal():
    assert GOALS._percent(0.4996, 0.5) == "49.96%"  # a miss must not read "50% … goal 50%"
    assert GOALS._percent(0.4949, 0.5) == "49%"
    assert GOALS._percent(0.51, 0.5) == "51%"


def test_efficiency_counts_are_whole_numbers():
    class Level:
        knobs = ()

        def knob(self, name):
            return None

    params = {"type": "efficiency", "n": 4096.5, "d": 64, "sram": 32768, "budget": 1e7}
    problems = GOALS.validate_efficiency(params, Level())
    assert any(p.startswith("n: must be a whole number") for p in problems)
