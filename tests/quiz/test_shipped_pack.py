"""The shipped pre/post quiz: enough questions, each on a registered concept and a level that
teaches it, and every numeric answer equal to what the attention code computes."""

import numpy as np
import pytest

from game.model import Board
from game.model.io_sim import Schedule, count_io
from game.quiz.packs import DEFAULT_PACK, load_pack, shipped_pack_files
from game.quiz.schema import LevelCompute, TrafficCompute, WeightsCompute


@pytest.fixture(scope="module")
def pack(registry):
    return load_pack(DEFAULT_PACK, registry)


def test_the_campaign_quiz_has_at_least_twelve_questions_for_each_phase(pack):
    assert len(pack.for_phase("pre")) >= 12
    assert len(pack.for_phase("post")) >= 12
    assert len({q.id for q in pack.questions}) == len(pack.questions)


def test_every_question_is_tied_to_a_registered_concept_and_a_level_teaching_it(pack, registry):
    for question in pack.questions:
        assert question.concept in registry.concepts, question.id
        assert question.level in registry.levels, question.id
        assert registry.levels[question.level].concept == question.concept, question.id
        assert 2 <= len(question.choices) <= 4 and 1 <= question.answer <= len(question.choices)
        assert len(question.explanation) > 40, question.id


def test_the_quiz_covers_the_campaign_chapters(pack, registry):
    asked = {question.concept for question in pack.questions}
    campaign = {level.concept for level in registry.levels.values() if level.source == "campaign"}
    assert campaign <= asked, campaign - asked


def _softmax(scores):
    scores = np.asarray(scores, dtype=np.float64)
    e = np.exp(scores - scores.max())
    return e / e.sum()


def _by_hand(spec):
    """The weight a WeightsCompute asks for, computed here without game.attention."""
    q, k = np.asarray(spec.q), np.asarray(spec.k)
    scores = q[spec.query] @ k.T  # (n_k,)
    if spec.scale:
        scores = scores / np.sqrt(q.shape[1])
    if spec.alibi_slope is not None:
        scores = scores - spec.alibi_slope * (spec.query - np.arange(len(k)))
    keys = np.arange(len(k)) <= spec.query if spec.causal else np.ones(len(k), bool)
    weights = np.zeros(len(k))
    weights[keys] = _softmax(scores[keys])
    return float(np.count_nonzero(weights)) if spec.ask == "keys_seen" else weights[spec.key]


def _global_head(spec, level) -> int:
    """The head a LevelCompute names, counted from 0 across every layer, worked out here:
    "L2H1" or layer = 2, head = 1 (both from 1), or a bare 0-based number."""
    if isinstance(spec.head, str):
        layer, head = (
            int(part) for part in spec.head.upper().strip("L").replace("·", "").split("H")
        )
        return (layer - 1) * level.heads + head - 1
    if spec.layer is not None:
        return (spec.layer - 1) * level.heads + (spec.head or 1) - 1
    return spec.head or 0


def _from_model(spec, registry):
    if isinstance(spec, WeightsCompute):
        return _by_hand(spec)
    if isinstance(spec, LevelCompute):
        level = registry.levels[spec.level]
        board = (
            Board.with_solution(level, registry)
            if spec.board == "solution"
            else Board(level, registry)
        )
        evaluation = board.evaluate(spec.sentence)
        head = evaluation.heads[_global_head(spec, level)]
        tokens = evaluation.tokens[head.query_sequence]
        i = spec.query if isinstance(spec.query, int) else tokens.index(spec.query)
        keys = evaluation.tokens[head.key_sequence]
        j = spec.key if isinstance(spec.key, int) else keys.index(spec.key)
        return float(head.weights[i, j])
    assert isinstance(spec, TrafficCompute)
    naive = count_io(spec.n, spec.d, spec.sram, Schedule("naive")).total
    tiled = count_io(spec.n, spec.d, spec.sram, Schedule("tiled")).total
    return {"ratio": naive / tiled, "naive": naive / 1e6, "tiled": tiled / 1e6}[spec.ask]


def test_every_numeric_answer_is_the_models_number_and_no_other_choice_is(pack, registry):
    computed = [q for q in pack.questions if q.compute is not None]
    assert len(computed) >= 6
    kinds = {type(q.compute) for q in computed}
    assert kinds == {WeightsCompute, LevelCompute, TrafficCompute}
    for question in computed:
        value = _from_model(question.compute, registry)
        shown = round(value, question.decimals)
        right = question.choices[question.answer - 1]
        assert right == pytest.approx(shown, abs=1e-9), (question.id, value, right)
        for k, choice in enumerate(question.choices, start=1):
            if k != question.answer:
                assert abs(choice - value) > 0.5 * 10**-question.decimals, (question.id, choice)


def test_the_trophy_question_reads_the_level_board(pack, registry):
    """The level-based answer moves with the level's solution: a weaker wire, another number."""
    question = next(q for q in pack.questions if q.id == "it-looks-at-trophy")
    level = registry.levels["01_trophy"]
    weight = Board.with_solution(level, registry).evaluate(0).weight(0, "it", "trophy")
    assert question.choices[question.answer - 1] == round(weight, 2)
    assert 0.5 < weight < 0.8


def test_every_shipped_pack_loads(registry):
    files = shipped_pack_files()
    assert files
    for path in files:
        assert load_pack(str(path), registry).questions


def test_a_numeric_question_reads_layer_two_of_the_induction_board(pack, registry):
    """The induction question asks for layer 2's head (L2H1), whose q and k come from the
    stream layer 1 wrote: the pack's answer is that head's weight, not layer 1's."""
    from tests.export.loading import weights_from_stream

    question = next(q for q in pack.questions if q.id == "induction-head-weight")
    assert question.concept == "circuits" and question.compute.level == "18_induction"
    level = registry.levels["18_induction"]
    board = Board.with_solution(level, registry)
    ev = board.evaluate(question.compute.sentence)
    assert ev.heads[1].layer == 1
    from_stream = weights_from_stream(board, 1, ev.residual[1], ev.tokens["tokens"])  # (n, n)
    i, j = question.compute.query, question.compute.key
    assert question.choices[question.answer - 1] == round(float(from_stream[i, j]), 2)
    assert round(ev.heads[0].weights[i, j], 2) not in {question.choices[question.answer - 1]}
