"""The held-out scorer on the Circuits chapter: the induction head and its ablation,
batched runs equal to one-by-one runs, failures that are real, the view and the goal."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest

from game.levels.task_checks import task_inputs
from game.levels.task_inputs import held_out_examples, shown_examples
from game.model.board import Board
from game.model.evaluate import evaluate_sentences
from game.model.first_states import solution_state, start_state
from game.model.spec import HeadSpec
from game.model.task_score import read_labels, score_task
from game.model.views import evaluation_view
from game.plugins import load_plugins

CHAPTER = (
    "13_copy_previous", "14_histogram", "15_last_of_type", "16_first_of_type", "17_balanced",
    "18_induction", "19_dyck", "20_two_back", "21_double_histogram",
)  # fmt: skip


@pytest.fixture(scope="module")
def registry():
    return load_plugins(no_plugins=True)


def without_layer(state, layer):
    heads = tuple(
        HeadSpec(block=h.block, layer=h.layer) if h.layer == layer else h for h in state.heads
    )
    return dataclasses.replace(state, heads=heads)


def test_the_induction_solution_needs_layer_one(registry):
    level = registry.levels["18_induction"]
    solution = solution_state(level, registry)
    full = score_task(level, registry, solution, n=200)
    assert full.examples == 200 and full.accuracy >= 0.99
    ablated = score_task(level, registry, without_layer(solution, 0), n=200)
    assert ablated.accuracy < 0.5
    alone = score_task(level, registry, without_layer(solution, 1), n=200)
    assert alone.accuracy < 0.5  # layer 1 alone writes prev_, not next_


def test_dyck_needs_both_layers(registry):
    level = registry.levels["19_dyck"]
    solution = solution_state(level, registry)
    assert score_task(level, registry, solution).accuracy >= 0.99
    assert score_task(level, registry, without_layer(solution, 0)).accuracy < 0.5
    # Layer 1 alone takes "( ) ) (" for balanced: it cannot see the dip below zero.
    assert score_task(level, registry, without_layer(solution, 1)).accuracy < 0.9


@pytest.mark.parametrize("level_id", CHAPTER)
def test_each_chapter_level_is_solved_by_its_solution_and_not_by_its_start(registry, level_id):
    level = registry.levels[level_id]
    solved = score_task(level, registry, solution_state(level, registry))
    assert solved.examples >= 200 and solved.accuracy >= 0.99, solved.failures[:3]
    start = score_task(level, registry, start_state(level, registry))
    assert start.accuracy < 0.9 and start.failures


def test_a_batched_run_reads_what_one_by_one_runs_read(registry):
    level = registry.levels["18_induction"]
    state = solution_state(level, registry)
    examples = held_out_examples(task_inputs(level, registry), 9)
    batched = read_labels(level, registry, state, examples)
    singly = [read_labels(level, registry, state, [example])[0] for example in examples]
    assert batched == singly
    assert len({len(e.tokens) for e in examples}) > 1  # the batch really was padded


def test_failures_are_tokens_the_board_really_gets_wrong(registry):
    level = registry.levels["14_histogram"]
    half = dataclasses.replace(
        solution_state(level, registry),
        heads=(HeadSpec(wires=solution_state(level, registry).heads[0].wires[:2],
                        values=solution_state(level, registry).heads[0].values),
               *solution_state(level, registry).heads[1:]),
    )  # fmt: skip
    score = score_task(level, registry, half)
    assert 0 < score.correct < score.positions
    assert score.accuracy == pytest.approx(score.correct / score.positions)
    examples = held_out_examples(task_inputs(level, registry))
    for failure in score.failures:
        assert failure.got != failure.expected
        example = next(e for e in examples if e.tokens == failure.tokens)
        assert example.answers[failure.position] == failure.expected
        got = read_labels(level, registry, half, [example])[0][failure.position]
        assert got == failure.got
    assert 0 <= score.sequences < 1


def test_held_out_inputs_are_not_the_shown_ones(registry):
    level = registry.levels["18_induction"]
    inputs = task_inputs(level, registry)
    shown = {e.tokens for e in shown_examples(inputs)}
    assert [tuple(s.tokens) for s in level.sentences] == [e.tokens for e in shown_examples(inputs)]
    held = [e.tokens for e in held_out_examples(inputs)]
    assert len(held) == 200 and not shown & set(held[:3])
    assert held == [e.tokens for e in held_out_examples(inputs)]  # the same every time


def test_the_view_carries_the_score_and_the_goal_reads_it(registry):
    level = registry.levels["13_copy_previous"]
    board = Board.with_solution(level, registry)
    evaluation = board.evaluate_all()[0]
    view = evaluation_view(evaluation)
    assert view.task is not None and view.task == score_task(level, registry, board.state)
    assert view.level.task == "copy-previous"
    assert (
        evaluation.goal_results[0].met
        and "inputs you never saw" in evaluation.goal_results[0].message
    )
    plain = registry.levels["01_trophy"]
    other = evaluate_sentences(plain, registry, start_state(plain, registry), [0])[0]
    assert other.task is None and evaluation_view(other).task is None


def test_a_generator_that_fails_after_loading_shows_on_the_goal_not_in_a_frame(registry):
    from game.api import StaticCatalog

    level = registry.levels["13_copy_previous"]
    calls = {"n": 0}
    good = registry.tasks["copy-previous"]

    def flaky(rng, **kw):  # right at load time, then wrong
        calls["n"] += 1
        if calls["n"] > 203:
            raise RuntimeError("flaky generator")
        return good.generate(rng, **kw)

    catalog = StaticCatalog(
        positional=registry.positional, architectures=registry.architectures,
        goal_types=registry.goal_types, concepts=registry.concepts,
        tasks={"copy-previous": dataclasses.replace(good, generate=flaky)},
    )  # fmt: skip
    from game.levels import load_level_file

    reloaded = load_level_file(level.path, catalog)
    assert calls["n"] == 203  # 3 shown + 200 held out, drawn once at load
    result = Board.with_solution(reloaded, catalog).evaluate(0)
    assert result.task is not None and result.task.accuracy == 0.0
    assert "flaky generator" in result.task.problem
    assert (
        not result.goal_results[0].met and "could not be scored" in result.goal_results[0].message
    )


@pytest.mark.parametrize("level_id", ["14_histogram", "18_induction"])
def test_the_scorer_reads_the_stream_the_board_draws(registry, level_id):
    from game.levels.schema import Sentence
    from game.model.task_score import final_streams

    level = registry.levels[level_id]
    state = solution_state(level, registry)
    examples = held_out_examples(task_inputs(level, registry), 6)
    streams = final_streams(level, registry, state, examples)
    as_sentences = level.model_copy(
        update={"sentences": [Sentence(tokens=list(e.tokens)) for e in examples], "goals": []}
    )
    for i, stream in enumerate(streams):
        board = evaluate_sentences(as_sentences, registry, state, [i], with_task=False)[0]
        np.testing.assert_allclose(stream, board.residual[-1], rtol=0, atol=1e-12)


def test_a_second_head_on_a_one_head_task_costs_the_third_star(registry):
    from game.model.stars import score

    level = registry.levels["14_histogram"]
    assert level.heads == 2 and level.par_heads == 1
    board = Board.with_solution(level, registry)
    assert score(board).stars == 3
    crowded = Board.with_solution(level, registry)
    crowded.add_wire(1, "a", "a", 0.5)  # a second head, used, that barely changes the answer
    assert score_task(level, registry, crowded.state).accuracy >= 0.99
    assert crowded.used_heads() == 2 and score(crowded).stars < 3
