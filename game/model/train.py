"""The "train this head" solver: wire strengths found by gradient descent.

A head is a matrix of wire strengths B (d_q, d_k): wire a→b joins query feature a
to key feature b. A sentence seen by one head is a `TrainingProblem` whose scores
are linear in B, and the loss of B (a row-weighted divergence of its attention
from a target pattern, plus an L1 pull) is convex; `game.model.head_loss` states
the loss and its gradient. Here is the descent: `iterate` yields every step
(Adam with a "bold driver" step size, and OWL-QN's orthant rule: a wire that
would cross 0 in one step stops at 0), `StoppingRule` says when to stop and
`Trainer` applies it a step at a time, keeping the best step; `train` runs a
`Trainer` to the end and `sparsify` cuts a head down to a number of wires.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass

import numpy as np

from game.model.head_loss import (
    TrainingProblem,
    allowed_wire_mask,
    check_problems,
    loss_and_grad,
)

ADAM = "adam"
MOMENTUM = "momentum"
OPTIMISERS = (ADAM, MOMENTUM)

MAGNITUDE = "magnitude"
LOSS = "loss"
RANKINGS = (MAGNITUDE, LOSS)

_ADAM_BETA1, _ADAM_BETA2, _ADAM_EPS = 0.9, 0.999, 1e-8
_MOMENTUM = 0.9
BACKOFF = 0.5  # step size factor after a step that made the loss worse
REGROW = 1.1  # step size factor after a step that helped, up to lr
MAX_HISTORY = 100  # snapshots kept in a TrainResult, enough to animate "watch it learn"


@dataclass(frozen=True)
class TrainStep:
    """One step of training: the strengths and the loss at those strengths."""

    step: int
    loss: float
    strengths: np.ndarray  # (d_q, d_k)


@dataclass(frozen=True)
class TrainResult:
    """What `train` found: the best strengths seen, their loss, and a thinned history.

    `converged` says the loss stopped improving by `tol` before the step budget ran
    out: the solver reached the best head it can find. It does not say the target
    was met; a target no head can meet converges with a large `loss`.
    """

    strengths: np.ndarray  # (d_q, d_k)
    loss: float
    steps: int
    converged: bool
    history: tuple[TrainStep, ...]


def iterate(
    problems: Sequence[TrainingProblem],
    *,
    l1: float = 1e-3,
    lr: float = 1.0,
    max_strength: float = 10.0,
    allowed_wires: np.ndarray | None = None,
    init: np.ndarray | None = None,
    seed: int = 0,
    optimiser: str = ADAM,
) -> Iterator[TrainStep]:
    """Train a head step by step, yielding every step, forever; the caller decides when to stop.

    Each `TrainStep` holds strengths and the loss at exactly those strengths
    (step 0 is the start), so the UI can animate the board as it learns. The
    start is `init`, or small random strengths from `seed` (the problem is
    convex, so the start changes the path, not where it ends). After each step
    strengths are clipped to ±max_strength and forbidden wires are exactly 0.

    `optimiser` is "adam" (default) or "momentum"; `_Descent` says how a step
    is taken and why Adam is the default. With `l1` > 0 a step obeys OWL-QN's
    orthant rule (`_orthant_step`).
    """
    problems = check_problems(problems)
    _check_options(optimiser, lr=lr, max_strength=max_strength, l1=l1)
    shape = problems[0].wire_shape
    wire_mask = allowed_wire_mask(allowed_wires, shape)  # (d_q, d_k)
    strengths = _clipped(_start(init, seed, shape), wire_mask, max_strength)  # (d_q, d_k)
    descent = _Descent(optimiser, lr, shape)
    objective = _objective(problems)
    step = 0
    while True:
        loss, grad = objective(strengths, problems, l1=l1, allowed_wires=wire_mask)
        yield TrainStep(step=step, loss=loss, strengths=strengths.copy())
        descent.adapt(loss)
        step += 1
        moved = strengths - descent.update(grad, step)  # (d_q, d_k)
        if l1 > 0:
            moved = _orthant_step(strengths, moved, grad)
        strengths = _clipped(moved, wire_mask, max_strength)


def _objective(problems: Sequence[TrainingProblem]):
    """The loss and gradient `iterate` descends: a problem's own `loss_and_grad` (a task's
    readout, `game.model.task_loss.TaskProblem`), else the attention-pattern loss of
    `game.model.head_loss`."""
    return getattr(problems[0], "loss_and_grad", None) or loss_and_grad


def _check_options(optimiser: str, *, lr: float, max_strength: float, l1: float) -> None:
    if optimiser not in OPTIMISERS:
        raise ValueError(f"optimiser {optimiser!r} is not one of {OPTIMISERS}")
    if lr <= 0 or max_strength <= 0 or l1 < 0:
        raise ValueError("lr and max_strength must be > 0 and l1 ≥ 0")


def _start(init: np.ndarray | None, seed: int, shape: tuple[int, int]) -> np.ndarray:
    """`init` (copied, and checked against `shape`), or small random strengths from `seed`."""
    if init is None:
        return np.random.default_rng(seed).normal(scale=0.01, size=shape)  # (d_q, d_k)
    strengths = np.array(init, dtype=np.float64)  # (d_q, d_k), a copy
    if strengths.shape != shape:
        raise ValueError(f"init has shape {strengths.shape}; expected {shape}")
    return strengths


def _clipped(strengths: np.ndarray, wire_mask: np.ndarray, max_strength: float) -> np.ndarray:
    """Strengths within ±max_strength, and exactly 0 on forbidden wires. (d_q, d_k)"""
    return np.where(wire_mask, np.clip(strengths, -max_strength, max_strength), 0.0)


def _orthant_step(strengths: np.ndarray, moved: np.ndarray, grad: np.ndarray) -> np.ndarray:
    """OWL-QN's orthant rule: stay in the orthant of the current sign (or, at 0, of the
    descent direction); a wire that would leave it stops at 0. All (d_q, d_k)."""
    orthant = np.where(strengths != 0, np.sign(strengths), -np.sign(grad))  # (d_q, d_k)
    return np.where(np.sign(moved) == orthant, moved, 0.0)


class _Descent:
    """How `iterate` takes a step: the optimiser's moments and a "bold driver" step size.

    `optimiser` is "adam" (default) or "momentum" (heavy-ball gradient descent,
    kept to compare against). Measured on the boards of tests/model/test_train.py
    (steps until the loss stops improving by 1e-6 for 20 steps):

        board            adam lr=0.3   adam lr=1.0   momentum lr=0.3   momentum lr=1.0
        coreference          991           433       1865             25: stalls, loss ×1.7
        first token          834           315       3000+ (not done)     2821
        previous token       627           261       3000+ (not done)     1155

    Adam reaches the same best loss from every lr in 0.1…3, in fewer steps,
    because it scales each wire's step by that wire's own gradient size; hence
    the default, and lr = 1.0 so that the boards converge within train's 500.

    Whenever a step makes the loss worse, the momentum is forgotten and the
    step size halves, growing back by ×1.1 per good step ("bold driver").
    Forgetting the momentum is what matters: without it Adam at lr ≥ 0.3
    overshoots, the loss climbs for tens of steps and training stops early
    at about twice the best loss.
    """

    def __init__(self, optimiser: str, lr: float, shape: tuple[int, int]) -> None:
        self.optimiser = optimiser
        self.lr = lr
        self.shape = shape
        self.first_moment = np.zeros(shape)  # (d_q, d_k): Adam's m, or the momentum velocity
        self.second_moment = np.zeros(shape)  # (d_q, d_k): Adam's v
        self.step_size = lr  # BACKOFF after a worse loss, REGROW back to lr after a better
        self.previous_loss = np.inf

    def adapt(self, loss: float) -> None:
        """The bold driver, told the loss at the current strengths."""
        if loss > self.previous_loss:
            # Overshot: shorter steps, and forget the momentum that carried us uphill.
            self.step_size *= BACKOFF
            self.first_moment = np.zeros(self.shape)
        else:
            self.step_size = min(self.lr, self.step_size * REGROW)
        self.previous_loss = loss

    def update(self, grad: np.ndarray, step: int) -> np.ndarray:
        """What to subtract from the strengths at update number `step` (from 1). (d_q, d_k)"""
        if self.optimiser == ADAM:
            self.first_moment = _ADAM_BETA1 * self.first_moment + (1 - _ADAM_BETA1) * grad
            self.second_moment = _ADAM_BETA2 * self.second_moment + (1 - _ADAM_BETA2) * grad**2
            m_hat = self.first_moment / (1 - _ADAM_BETA1**step)  # (d_q, d_k)
            v_hat = self.second_moment / (1 - _ADAM_BETA2**step)  # (d_q, d_k)
            return self.step_size * m_hat / (np.sqrt(v_hat) + _ADAM_EPS)  # (d_q, d_k)
        self.first_moment = _MOMENTUM * self.first_moment + grad
        return self.step_size * self.first_moment  # (d_q, d_k)


def _thin(history: list[TrainStep], keep: int = MAX_HISTORY) -> tuple[TrainStep, ...]:
    """At most `keep` snapshots, evenly spread, always with the first and the last."""
    if len(history) <= keep:
        return tuple(history)
    indices = np.unique(np.linspace(0, len(history) - 1, keep).round().astype(int))  # (≤ keep,)
    return tuple(history[i] for i in indices)


@dataclass(frozen=True)
class StoppingRule:
    """When training a head stops, as `Trainer` applies it for `train`, `learn_head` and
    the "watch it learn" screen alike (the last two with `game.model.learn.LEARN_RULE`).

    Training stops when `patience` steps in a row fail to beat the loss at the
    last real improvement by more than `tol` (converged: Adam's loss is not
    monotone, so one flat step is not enough), or after `max_steps` updates.
    Whatever stopped it, the best step seen is what training found.
    """

    max_steps: int = 500
    patience: int = 20
    tol: float = 1e-6

    def __post_init__(self) -> None:
        if self.max_steps < 0 or self.patience < 1:
            raise ValueError("steps must be ≥ 0 and patience ≥ 1")


class Trainer:
    """`iterate` under a `StoppingRule`, one step at a time, keeping the best step seen.

    `train` runs it to the end in one call; the "watch it learn" screen calls
    `advance` a few times a frame. Both stop at the same step and keep the same
    best strengths, so a head learned on screen is the head `switchyard solve
    --learn` prints. `kwargs` go to `iterate` (l1, lr, max_strength,
    allowed_wires, init, seed, optimiser).
    """

    def __init__(
        self,
        problems: Sequence[TrainingProblem],
        rule: StoppingRule | None = None,
        **kwargs: object,
    ) -> None:
        self.rule = rule if rule is not None else StoppingRule()
        self._steps = iterate(problems, **kwargs)
        self.history: list[TrainStep] = []
        self.best: TrainStep | None = None  # the lowest loss seen
        self.converged = False  # stopped because the loss stopped improving
        self.done = False
        self._mark = np.inf  # the loss at the last improvement by more than tol
        self._since_mark = 0

    @property
    def last(self) -> TrainStep | None:
        """The latest step (None before the first)."""
        return self.history[-1] if self.history else None

    def advance(self) -> TrainStep:
        """Take one step (step 0 is the start) and apply the rule; ValueError once done."""
        if self.done:
            raise ValueError("training has stopped")
        snapshot = next(self._steps)
        self.history.append(snapshot)
        if self.best is None or snapshot.loss < self.best.loss:
            self.best = snapshot
        if snapshot.loss < self._mark - self.rule.tol:
            self._mark, self._since_mark = snapshot.loss, 0
        else:
            self._since_mark += 1
        if self._since_mark >= self.rule.patience:
            self.converged = self.done = True
        elif snapshot.step >= self.rule.max_steps:
            self.done = True
        return snapshot

    def run(self) -> TrainResult:
        """Step until the rule stops training; what it found."""
        while not self.done:
            self.advance()
        return self.result()

    def result(self) -> TrainResult:
        """The best strengths so far, their loss, a thinned history; ValueError before a step."""
        if self.best is None:
            raise ValueError("no training step yet")
        return TrainResult(
            strengths=self.best.strengths,
            loss=self.best.loss,
            steps=self.history[-1].step,
            converged=self.converged,
            history=_thin(self.history),
        )


def train(
    problems: Sequence[TrainingProblem],
    *,
    steps: int = 500,
    tol: float = 1e-6,
    patience: int = 20,
    **kwargs: object,
) -> TrainResult:
    """Run `iterate` until the loss stops improving or `steps` updates have been made.

    The rule is `StoppingRule(steps, patience, tol)`: the loss "stops improving"
    when `patience` steps in a row fail to beat the loss at the last real
    improvement by more than `tol`. The result holds the best strengths seen, and
    `converged` is True only when training stopped for that reason.
    `kwargs` go to `iterate` (l1, lr, max_strength, allowed_wires, init, seed, optimiser).
    """
    rule = StoppingRule(max_steps=steps, patience=patience, tol=tol)
    return Trainer(problems, rule, **kwargs).run()


def sparsify(
    strengths: np.ndarray,
    problems: Sequence[TrainingProblem],
    *,
    max_wires: int,
    rank_by: str = LOSS,
    retrain_steps: int = 200,
    **kwargs: object,
) -> np.ndarray:
    """Keep the `max_wires` most useful wires, zero the rest, and retrain only the kept ones.

    So the solver's head fits a level's par. `rank_by` is "loss" (default: each
    wire scores the loss increase when it alone is switched off, an effect that
    does not depend on how large its features' values are) or "magnitude"
    (|strength|). On the coreference board both pick pronoun→bulky out of six
    strong wires; a group of wires that stand in for each other can each look
    unimportant to "loss", since the others cover for the one switched off.
    `kwargs` go to `train` for the retraining (l1, lr, max_strength, …); an
    `allowed_wires` there further limits the kept wires. Returns (d_q, d_k).
    """
    problems = check_problems(problems)
    if rank_by not in RANKINGS:
        raise ValueError(f"rank_by {rank_by!r} is not one of {RANKINGS}")
    if max_wires < 0:
        raise ValueError("max_wires must be ≥ 0")
    strengths = np.asarray(strengths, dtype=np.float64)  # (d_q, d_k)
    shape = problems[0].wire_shape
    wire_mask = allowed_wire_mask(kwargs.pop("allowed_wires", None), shape)  # (d_q, d_k)
    strengths = np.where(wire_mask, strengths, 0.0)  # (d_q, d_k)

    if rank_by == MAGNITUDE:
        usefulness = np.abs(strengths)  # (d_q, d_k)
    else:
        base_loss, _ = loss_and_grad(strengths, problems)
        usefulness = np.zeros(shape)  # (d_q, d_k): loss increase with that wire off
        for a, b in zip(*np.nonzero(strengths), strict=True):
            without = strengths.copy()  # (d_q, d_k)
            without[a, b] = 0.0
            usefulness[a, b] = loss_and_grad(without, problems)[0] - base_loss
    candidates = np.flatnonzero(strengths)  # wires that are on, flat indices
    order = candidates[np.argsort(-usefulness.ravel()[candidates], kind="stable")]
    keep = np.zeros(shape, dtype=bool)  # (d_q, d_k)
    keep.ravel()[order[:max_wires]] = True
    if not keep.any():
        return np.zeros(shape)
    result = train(
        problems,
        steps=retrain_steps,
        allowed_wires=keep,
        init=np.where(keep, strengths, 0.0),
        **kwargs,
    )
    return result.strengths
