"""Train one head of a board: turn a level into training problems and back into wires.

The solver in `game.model.train` fits a matrix of wire strengths to target
attention patterns. This module is the bridge: it measures, on the real
evaluation pipeline, the logits each unit-strength wire adds (scores are
linear in the wires for every positional scheme, since embed, rotate and bias
do not depend on them), asks each goal type for the pattern that would meet it
(`GoalType.target`), and writes the learned strengths back as wires. Used by
the tests to prove levels solvable, and by the UI's "watch it learn" button.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

import numpy as np

from game.model.board import Board
from game.model.evaluate import evaluate_sentences
from game.model.spec import BoardState, HeadSpec, ValueRoute, Wire
from game.model.train import TrainingProblem, TrainResult, TrainStep, iterate, sparsify, train
from game.model.views import evaluation_view

MIN_STRENGTH = 0.05  # learned wires weaker than this are dropped: they change nothing visible


class NothingToLearn(ValueError):
    """The level's goals give this head no attention pattern to learn."""


@dataclass(frozen=True)
class Learned:
    """What training found: the strengths, the wires they make, and the run."""

    head: int
    strengths: np.ndarray  # (d_model, d_model): [query feature, key feature]
    wires: tuple[Wire, ...]
    result: TrainResult


def _with_head(state: BoardState, head: int, spec: HeadSpec) -> BoardState:
    heads = tuple(spec if h == head else old for h, old in enumerate(state.heads))
    return dataclasses.replace(state, heads=heads)


def _head_logits(board: Board, state: BoardState, head: int, sentence: int) -> np.ndarray:
    evaluation = evaluate_sentences(board.level, board.catalog, state, [sentence])[0]
    return evaluation.heads[head].logits  # (n_q, n_k)


def _bare(board: Board, head: int) -> BoardState:
    """The board's state with `head`'s wires taken off."""
    state = board.state
    return _with_head(state, head, dataclasses.replace(state.heads[head], wires=()))


def _goal_targets(board: Board, evaluation, head_eval) -> tuple[np.ndarray, np.ndarray]:
    """(target (n_q, n_k), row_weight (n_q,)) the level's goals ask of one head.

    Goal types are handed read-only views: the evaluation's, and its view of this head."""
    view = evaluation_view(evaluation)
    head = view.heads[head_eval.index]
    shape = head_eval.logits.shape
    target = np.zeros(shape)  # (n_q, n_k)
    row_weight = np.zeros(shape[0])  # (n_q,)
    for goal in board.level.goals:
        goal_type = board.catalog.goal_types[goal.type]
        if goal_type.target is None:
            continue
        found = goal_type.target(goal.params, view, head)
        if found is None:
            continue
        goal_target, goal_rows = found  # (n_q, n_k), (n_q,)
        rows = goal_rows > 0  # (n_q,)
        target[rows] = goal_target[rows]
        row_weight[rows] = goal_rows[rows]
    return target, row_weight


def has_target(board: Board, head: int = 0) -> bool:
    """Whether the goals give `head` a pattern on the visible sentence: one evaluation,
    without the d_model² measurements `training_problems` makes."""
    evaluation = evaluate_sentences(board.level, board.catalog, _bare(board, head), [0])[0]
    _, row_weight = _goal_targets(board, evaluation, evaluation.heads[head])
    return bool(row_weight.any())


def training_problems(
    board: Board, head: int = 0, sentences: Sequence[int] | None = None
) -> list[TrainingProblem]:
    """One problem per sentence for `head`, with targets from the level's goals.

    basis[a, b] is the change in the head's logits that a unit wire a→b makes,
    measured on the board's own pipeline; offset is the logits without wires.
    Raises NothingToLearn when no goal gives this head a pattern.
    """
    level = board.level
    features = tuple(level.features)
    d = len(features)
    bare = _bare(board, head)
    problems = []
    for s in sentences if sentences is not None else range(len(level.sentences)):
        evaluation = evaluate_sentences(level, board.catalog, bare, [s])[0]
        head_eval = evaluation.heads[head]
        offset = head_eval.logits  # (n_q, n_k)
        target, row_weight = _goal_targets(board, evaluation, head_eval)
        if not row_weight.any():
            continue
        basis = np.zeros((d, d, *offset.shape))  # (d_q, d_k, n_q, n_k)
        for a, query in enumerate(features):
            for b, key in enumerate(features):
                unit = _with_head(
                    bare,
                    head,
                    dataclasses.replace(bare.heads[head], wires=(Wire(query, key, 1.0),)),
                )
                basis[a, b] = _head_logits(board, unit, head, s) - offset  # (n_q, n_k)
        problems.append(TrainingProblem(basis, offset, head_eval.allowed, target, row_weight))
    if not problems:
        raise NothingToLearn(f"no goal of level {level.id!r} gives head {head + 1} a pattern")
    return problems


def wires_from(strengths: np.ndarray, features: Sequence[str]) -> tuple[Wire, ...]:
    """The wires a strength matrix makes, dropping the ones too weak to matter."""
    return tuple(
        Wire(query, key, round(float(strengths[a, b]), 2))
        for a, query in enumerate(features)
        for b, key in enumerate(features)
        if abs(strengths[a, b]) >= MIN_STRENGTH
    )


def _value_routes(board: Board, head: int) -> tuple[ValueRoute, ...]:
    """The head's routes, plus feature → itself for every output goal's feature."""
    routes = list(board.state.heads[head].values)
    have = {(r.key, r.out) for r in routes}
    for goal in board.level.goals:
        feature = goal.params.get("feature") if goal.type == "output" else None
        if feature and (feature, feature) not in have:
            routes.append(ValueRoute(feature, feature))
            have.add((feature, feature))
    return tuple(routes)


def learn_head(
    board: Board,
    head: int = 0,
    *,
    sentences: Sequence[int] | None = (0,),
    max_wires: int | None = None,
    steps: int = 800,
    **kwargs: object,
) -> Learned:
    """Train `head` on `sentences` (default: only the one the player sees) and sparsify
    to `max_wires` (default: the level's par). Does not change the board."""
    problems = training_problems(board, head, sentences)
    result = train(problems, steps=steps, **kwargs)
    strengths = result.strengths  # (d, d)
    limit = board.level.par if max_wires is None else max_wires
    if limit > 0 and np.count_nonzero(np.abs(strengths) >= MIN_STRENGTH) > limit:
        strengths = sparsify(strengths, problems, max_wires=limit, **kwargs)
    return Learned(head, strengths, wires_from(strengths, board.level.features), result)


def apply_learned(board: Board, learned: Learned) -> None:
    """Put the learned wires (and the value routes output goals need) on the board, as one
    undoable change."""
    spec = board.state.heads[learned.head]
    new = dataclasses.replace(spec, wires=learned.wires, values=_value_routes(board, learned.head))
    board.replace_head(learned.head, new)


def scratch_board(board: Board, head: int, strengths: np.ndarray) -> Board:
    """A copy of `board` whose `head` has the wires of `strengths` (the player's untouched)."""
    scratch = Board(board.level, board.catalog, board.state, backend=board.backend)
    spec = dataclasses.replace(
        scratch.state.heads[head], wires=wires_from(strengths, board.level.features)
    )
    scratch.replace_head(head, spec)
    return scratch


def trim_to_par(
    board: Board, head: int, strengths: np.ndarray, **kwargs: object
) -> tuple[np.ndarray, Board]:
    """The strengths cut to the level's par (and briefly retrained), with a board showing
    them; unchanged when they are already within par."""
    limit = board.level.par
    if limit <= 0 or np.count_nonzero(np.abs(strengths) >= MIN_STRENGTH) <= limit:
        return strengths, scratch_board(board, head, strengths)
    problems = training_problems(board, head, (0,))
    kept = sparsify(strengths, problems, max_wires=limit, **kwargs)
    return kept, scratch_board(board, head, kept)


def watch(
    board: Board, head: int = 0, *, l1: float = 1e-2, **kwargs: object
) -> Iterator[tuple[TrainStep, Board]]:
    """Each training step and a scratch board showing it, for the "watch it learn" animation.

    The L1 pull is stronger than `learn_head`'s default so that unhelpful wires
    visibly fade to nothing while the player watches.
    """
    problems = training_problems(board, head, (0,))
    for step in iterate(problems, l1=l1, **kwargs):
        yield step, scratch_board(board, head, step.strengths)
