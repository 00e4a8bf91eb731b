"""Train one head of a board: turn a level into training problems and back into wires.

The solver in `game.model.train` fits a matrix of wire strengths to target
attention patterns. This module is the bridge: it measures, on the real
evaluation pipeline, the logits each unit-strength wire adds (scores are
linear in the wires for every positional scheme, since embed, rotate and bias
do not depend on them), asks each goal type for the pattern that would meet it
(`GoalType.target`), and writes the learned strengths back as wires. Used by
the tests to prove levels solvable, by `switchyard solve --learn`, and by the
UI's "watch it learn" button: `HeadLearner` is the one way a head is trained,
under the one `LEARN_RULE`, so the screen and the command give the same wires.

A task level (`[task]` + `[readout]`) has no pattern to aim at: there the head
learns its wires and value routes from the readout's error on training inputs
(game/model/task_loss.py, bridged by game/model/task_learn.py), every other head
frozen, and is cut to the wires par leaves it when the goal still holds.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from game.model import task_learn
from game.model.board import Board
from game.model.evaluate import evaluate_sentences
from game.model.head_loss import TrainingProblem
from game.model.spec import BoardState, HeadSpec, ValueRoute, Wire
from game.model.task_learn import head_spec
from game.model.task_loss import NotTrainable
from game.model.train import StoppingRule, Trainer, TrainResult, TrainStep, sparsify
from game.model.views import evaluation_view
from game.plugin_calls import PluginCodeError, call, checked_array, defined_at

MIN_STRENGTH = 0.05  # learned wires weaker than this are dropped: they change nothing visible
# When learning a head stops, on screen and on the command line alike (`Trainer`'s rule):
# every learnable campaign level converges well within it (tests/model/test_learn.py).
LEARN_RULE = StoppingRule(max_steps=800, patience=20, tol=1e-6)


class NothingToLearn(ValueError):
    """The level's goals give this head no attention pattern to learn."""


@dataclass(frozen=True)
class Learned:
    """What training found: the strengths, the wires they make, and the run."""

    head: int
    strengths: np.ndarray  # (d, d) [query, key]; a task level's (d, 2d): routes [key, out] beside
    wires: tuple[Wire, ...]
    result: TrainResult
    values: tuple[ValueRoute, ...] | None = None  # a task level's learned routes (else kept)


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
        what = f'goal type "{goal.type}" target'
        found = call(what, goal_type.target, goal.params, view, head)
        if found is None:
            continue
        if not isinstance(found, tuple) or len(found) != 2:
            raise PluginCodeError(
                what, defined_at(goal_type.target), "must return (target, row_weight) or None"
            )
        goal_target = checked_array(what, goal_type.target, found[0], shape)  # (n_q, n_k)
        goal_rows = checked_array(what, goal_type.target, found[1], shape[:1])  # (n_q,)
        rows = goal_rows > 0  # (n_q,)
        target[rows] = goal_target[rows]
        row_weight[rows] = goal_rows[rows]
    return target, row_weight


def has_target(board: Board, head: int = 0) -> bool:
    """Whether the goals give `head` a pattern on the visible sentence: one evaluation,
    without the d_model² measurements `training_problems` makes. On a task level: whether
    the head's output reaches the readout untouched (`task_learn.why_not`)."""
    if board.level.task is not None:
        return task_learn.why_not(board.level, board.state, head) is None
    evaluation = evaluate_sentences(board.level, board.catalog, _bare(board, head), [0])[0]
    if evaluation.heads[head].exact_weights is not None:
        return False  # linear attention: not the softmax of logits that training fits
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
        if head_eval.exact_weights is not None:
            raise NothingToLearn("training fits softmax weights; this level runs linear attention")
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


class HeadLearner:
    """One head of a board being trained, a step at a time, under `rule`.

    `learn_head` runs it to the end in one call; "watch it learn" advances it a
    few steps a frame and shows each step. Either way training stops at the same
    step, keeps the best step seen (`Trainer`), and `learned()` cuts that best
    head to `max_wires` (default: the level's par), so the same seed gives the
    same wires on the screen and from `switchyard solve --learn`. Training looks
    only at `sentences` (default: the one the player sees). `kwargs` go to
    `iterate` (l1, lr, seed, …) and to `sparsify`'s retraining. Never changes the
    board. Raises NothingToLearn when no goal gives `head` a pattern, or on a task level
    when a head above reads what this one writes. On a task level `sentences` and
    `max_wires` are not used: it trains on the task's training inputs, and the cut is to
    the wires par leaves this head (`task_learn.cut_to_par`).
    """

    def __init__(
        self,
        board: Board,
        head: int = 0,
        *,
        sentences: Sequence[int] | None = (0,),
        max_wires: int | None = None,
        rule: StoppingRule = LEARN_RULE,
        **kwargs: object,
    ) -> None:
        self.board = board
        self.head = head
        self.max_wires = board.level.par if max_wires is None else max_wires
        self.task = board.level.task is not None
        if self.task:  # the readout on training inputs, not a pattern on `sentences`
            kwargs.setdefault("lr", task_learn.TASK_LR)
            try:
                self.problems = task_learn.task_problems(board, head)
            except NotTrainable as error:
                raise NothingToLearn(str(error)) from None
        else:
            self.problems = training_problems(board, head, sentences)
        self.trainer = Trainer(self.problems, rule, **kwargs)
        self._kwargs = kwargs

    @property
    def done(self) -> bool:
        return self.trainer.done

    @property
    def converged(self) -> bool:
        return self.trainer.converged

    @property
    def best(self) -> TrainStep | None:
        """The step with the lowest loss so far: what training has found."""
        return self.trainer.best

    def advance(self) -> TrainStep:
        """One training step (ValueError once the rule has stopped training)."""
        return self.trainer.advance()

    def run(self) -> Learned:
        """Train until the rule stops; the learned head."""
        self.trainer.run()
        return self.learned()

    def learned(self) -> Learned:
        """The best strengths so far, sparsified to `max_wires` when they have more."""
        result = self.trainer.result()
        strengths = result.strengths  # (d, d), or a task's (d, 2d)
        features = self.board.level.features
        if self.task:
            budget = task_learn.wire_budget(self.board, self.head)
            strengths = task_learn.cut_to_par(
                self.board, self.head, strengths, self.problems, budget, **self._kwargs
            )  # (d, 2d)
            spec = head_spec(self.board, self.head, strengths)
            return Learned(self.head, strengths, spec.wires, result, spec.values)
        limit = self.max_wires
        if limit > 0 and np.count_nonzero(np.abs(strengths) >= MIN_STRENGTH) > limit:
            strengths = sparsify(strengths, self.problems, max_wires=limit, **self._kwargs)
        return Learned(self.head, strengths, wires_from(strengths, features), result)


def learn_head(
    board: Board,
    head: int = 0,
    *,
    sentences: Sequence[int] | None = (0,),
    max_wires: int | None = None,
    rule: StoppingRule = LEARN_RULE,
    **kwargs: object,
) -> Learned:
    """Train `head` on `sentences` (default: only the one the player sees) and sparsify
    to `max_wires` (default: the level's par): a `HeadLearner` run to the end. Does not
    change the board."""
    return HeadLearner(
        board, head, sentences=sentences, max_wires=max_wires, rule=rule, **kwargs
    ).run()


def apply_learned(board: Board, learned: Learned) -> None:
    """Put the learned wires (and the value routes output goals need) on the board, as one
    undoable change."""
    spec = board.state.heads[learned.head]
    values = _value_routes(board, learned.head) if learned.values is None else learned.values
    new = dataclasses.replace(spec, wires=learned.wires, values=values)
    board.replace_head(learned.head, new)


def scratch_board(board: Board, head: int, strengths: np.ndarray) -> Board:
    """A copy of `board` whose `head` has the wires of `strengths` (on a task level, its
    routes too); the player's board untouched."""
    scratch = Board(board.level, board.catalog, board.state, backend=board.backend)
    scratch.replace_head(head, head_spec(board, head, strengths))
    return scratch
