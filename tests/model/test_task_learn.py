"""Learning one head of a task level: the readout loss, its gradient, and heads that learn.

The loss (game/model/task_loss.py) is held to an independent computation on the
real forward pass (`residual.token_streams`) and its analytic gradient to
central finite differences in float64; learning the selected head from empty
reaches the level's goal on held-out inputs (never trained on), leaves every
other head bit-identical, and gives the same wires for the same seed.
"""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest

from game.levels.task_checks import task_inputs
from game.levels.task_inputs import held_out_examples
from game.model import residual
from game.model.board import Board
from game.model.learn import HeadLearner, NothingToLearn, apply_learned, has_target, learn_head
from game.model.task_learn import held_out_accuracy, shortfall, task_goal
from game.model.task_loss import (
    TRAINING_EXAMPLES,
    TaskProblem,
    task_problem,
    training_examples,
)
from game.model.task_score import score_task
from game.plugins import load_plugins

REGISTRY = load_plugins(no_plugins=True)
FD_RTOL = 1e-6  # central differences, h = 1e-6, float64


def empty_head(board: Board, head: int) -> None:
    spec = board.state.heads[head]
    board.replace_head(head, dataclasses.replace(spec, wires=(), values=()))


def induction_with_layer_1() -> Board:
    """18_induction with layer 1 from the reference solution and layer 2 empty."""
    board = Board.with_solution(REGISTRY.levels["18_induction"], REGISTRY)
    empty_head(board, 1)
    return board


def params_of(board: Board, head: int) -> np.ndarray:
    """A head's wires and routes as the learner's (d, 2d) matrix."""
    features = list(board.level.features)
    d = len(features)
    params = np.zeros((d, 2 * d))  # (d, 2d)
    spec = board.state.heads[head]
    for wire in spec.wires:
        params[features.index(wire.query), features.index(wire.key)] = wire.strength
    for route in spec.values:
        params[features.index(route.key), d + features.index(route.out)] = route.strength
    return params


def test_training_inputs_are_their_own_stream_never_the_held_out_one():
    level = REGISTRY.levels["18_induction"]
    train = training_examples(level, REGISTRY)
    held = held_out_examples(task_inputs(level, REGISTRY))
    assert len(train) == TRAINING_EXAMPLES
    assert train == training_examples(level, REGISTRY)  # the same every time
    assert [e.tokens for e in train] != [e.tokens for e in held[: len(train)]]
    assert not {e.tokens for e in train} >= {e.tokens for e in held}


@pytest.mark.parametrize("level_id", ["18_induction", "13_copy_previous"])
def test_the_loss_is_the_cross_entropy_of_the_real_forward_pass(level_id):
    """At the reference head, the problem's loss equals cross-entropy computed here from
    `residual.token_streams`, the stacked forward pass the level is scored with."""
    level = REGISTRY.levels[level_id]
    board = Board.with_solution(level, REGISTRY)
    head = 1 if level_id == "18_induction" else 0
    problem = task_problem(level, REGISTRY, board.state, head)
    loss, _ = problem.smooth(params_of(board, head))
    examples = training_examples(level, REGISTRY)
    streams = residual.token_streams(level, REGISTRY, board.state, [e.tokens for e in examples])
    features = list(level.features)
    columns = [features.index(f) for f in level.readout.features]
    labels = list(level.readout.features.values())
    total = count = 0
    for example, stream in zip(examples, streams, strict=True):
        read = stream[-1][:, columns]  # (n, r)
        for i, answer in enumerate(example.answers):
            if answer is None:
                continue
            log_p = read[i] - read[i].max() - np.log(np.exp(read[i] - read[i].max()).sum())
            total -= log_p[labels.index(answer)]
            count += 1
    assert loss == pytest.approx(total / count, rel=1e-9)


def finite_difference_check(problem: TaskProblem, params: np.ndarray, rng) -> None:
    _, grad = problem.smooth(params)
    h = 1e-6
    for _ in range(25):
        a, b = rng.integers(problem.wire_shape[0]), rng.integers(problem.wire_shape[1])
        step = np.zeros_like(params)
        step[a, b] = h
        numeric = (problem.smooth(params + step)[0] - problem.smooth(params - step)[0]) / (2 * h)
        assert grad[a, b] == pytest.approx(numeric, rel=FD_RTOL, abs=1e-9), (a, b)
    nonzero = np.abs(grad) > 1e-6
    assert nonzero[:, : problem.d].any() and nonzero[:, problem.d :].any()


@pytest.mark.parametrize(
    ("level_id", "head"), [("18_induction", 1), ("14_histogram", 0), ("15_last_of_type", 0)]
)
def test_the_analytic_gradient_matches_finite_differences(level_id, head):
    """Argmax (cross-entropy) and threshold (squared hinge) readouts, at random heads."""
    level = REGISTRY.levels[level_id]
    board = Board.with_solution(level, REGISTRY)
    problem = task_problem(level, REGISTRY, board.state, head)
    rng = np.random.default_rng(7)
    finite_difference_check(problem, rng.normal(scale=0.5, size=problem.wire_shape), rng)


def learn_and_check(board: Board, head: int) -> None:
    """Learn `head` from empty; the goal is met on held-out inputs and no other head moves."""
    empty_head(board, head)
    others = [spec for h, spec in enumerate(board.state.heads) if h != head]
    assert has_target(board, head)
    learned = learn_head(board, head)
    apply_learned(board, learned)
    after = [spec for h, spec in enumerate(board.state.heads) if h != head]
    assert after == others  # bit-identical: frozen while learning, untouched by Keep
    accuracy = score_task(board.level, REGISTRY, board.state).accuracy
    assert accuracy >= task_goal(board.level), (board.level.id, accuracy)
    assert board.state.heads[head].values  # it learned where to write, too
    assert held_out_accuracy(board, head, learned.strengths) == accuracy


def test_a_copy_previous_head_learns_from_empty_to_the_goal():
    learn_and_check(Board(REGISTRY.levels["13_copy_previous"], REGISTRY), 0)


@pytest.mark.slow
@pytest.mark.parametrize("level_id", ["20_two_back", "16_first_of_type", "15_last_of_type"])
def test_more_task_heads_learn_from_empty_to_the_goal(level_id):
    learn_and_check(Board(REGISTRY.levels[level_id], REGISTRY), 0)


def test_the_induction_heads_layer_2_learns_on_top_of_layer_1():
    learn_and_check(induction_with_layer_1(), 1)


def test_the_same_seed_gives_the_same_head():
    board = Board(REGISTRY.levels["13_copy_previous"], REGISTRY)
    first, second = learn_head(board, 0, seed=3), learn_head(board, 0, seed=3)
    assert first.wires == second.wires and first.values == second.values
    assert first.wires  # a head, not two empty ones


def test_a_head_whose_output_a_layer_above_reads_is_not_offered():
    board = Board.with_solution(REGISTRY.levels["18_induction"], REGISTRY)
    assert not has_target(board, 0)
    with pytest.raises(NothingToLearn, match="layers above"):
        HeadLearner(board, 0)
    empty_head(board, 1)  # nothing above writes: layer 1 may learn alone
    assert has_target(board, 0)


def test_a_head_before_a_fixed_map_is_not_offered_and_one_after_it_is():
    """The maps after layer 1 rework what a layer-1 head writes: the readout is no longer a
    sum of it, so only the layer-2 head (after the maps) is offered."""
    board = Board.with_solution(REGISTRY.levels["21_double_histogram"], REGISTRY)
    empty_head(board, 1)
    assert not has_target(board, 0)
    with pytest.raises(NothingToLearn, match="fixed map"):
        HeadLearner(board, 0)
    assert has_target(board, 1)
    problem = task_problem(board.level, REGISTRY, board.state, 1)  # x^1 with the maps applied
    rng = np.random.default_rng(3)
    finite_difference_check(problem, rng.normal(scale=0.5, size=problem.wire_shape), rng)


@pytest.mark.slow
def test_layer_2_alone_says_in_plain_words_it_needs_layer_1():
    board = Board(REGISTRY.levels["18_induction"], REGISTRY)  # the start board: both empty
    learned = learn_head(board, 1)
    accuracy = held_out_accuracy(board, 1, learned.strengths)
    assert accuracy < task_goal(board.level)
    message = shortfall(board, 1, accuracy)
    assert message is not None and "layer 1 first" in message and f"{accuracy:.0%}" in message
