"""The loss a trained head minimises: training problems, scores, weights, loss and gradient.

A head is a matrix of wire strengths B (d_q, d_k): wire a→b joins query feature a
to key feature b. For every positional scheme the board can turn a sentence into
a `TrainingProblem` whose scores are linear in B,

    scores[i, j] = offset[i, j] + Σ_ab B[a, b] · basis[a, b, i, j],

(RoPE and sinusoidal fold the positions into `basis`; ALiBi and other biases go
into `offset`), so the attention weights are a masked softmax of a linear
function of B. The loss is the row-weighted divergence of those weights from a
target pattern, which is convex in B: gradient descent from anywhere heads for
the same best head (`game.model.train` does the descending).

Loss, stated once (per query row i with weight w_i, over its allowed keys):

    KL_i = Σ_j t_ij · (log t_ij − log p_ij)            (j allowed)
    loss = Σ_problems Σ_i w_i · KL_i / Σ w_i  +  l1 · Σ_{allowed wires} |B_ab|

KL is the cross-entropy minus the target's own entropy: the same gradient, but
0 means "the target is met exactly", which is what the UI shows. Rows with no
allowed key (fully masked) have no softmax, give zeros, and add nothing to the
loss, the gradient or the normalising Σ w_i. Target mass on forbidden keys can
never be reached and is left out; with τ_i the target mass on allowed keys the
loss above is τ_i · KL(t_i/τ_i ‖ p_i), still 0 at its best.

Gradient (analytic, no autodiff): dL/dscore_ij = w_i · (τ_i · p_ij − t_ij) / Σ w
on allowed entries (the familiar p − t when the target lives on allowed keys),
and dL/dB_ab = Σ_ij dL/dscore_ij · basis[a, b, i, j].

The L1 term makes heads sparse, so solutions reach a level's par. It is not
differentiable at 0, so `loss_and_grad` returns its minimum-norm subgradient
(the OWL-QN "pseudo-gradient" of Andrew & Gao 2007): the ordinary gradient away
from 0, and at 0 the smooth gradient shrunk towards 0 by l1 (exactly 0 where
|smooth gradient| ≤ l1, so a useless wire stays off).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class TrainingProblem:
    """One sentence seen by one head: what its wires do to the scores, and the wanted weights.

    The board builds these from a level (features, positional scheme, scale,
    mask, goal); the solver knows nothing about words. Arrays are stored as
    float64 (`allowed` as bool) and checked for shape when the problem is made.
    """

    basis: np.ndarray  # (d_q, d_k, n_q, n_k): scores of one unit-strength wire a→b, scale included
    offset: np.ndarray  # (n_q, n_k): scores with no wires (positional bias, ALiBi…), scale included
    allowed: np.ndarray  # (n_q, n_k) bool: where attention may go (causal, padding)
    target: np.ndarray  # (n_q, n_k): per query row, the wanted attention distribution
    row_weight: np.ndarray  # (n_q,): how much each query row counts (0 = ignore the row)

    def __post_init__(self) -> None:
        basis = np.asarray(self.basis, dtype=np.float64)  # (d_q, d_k, n_q, n_k)
        if basis.ndim != 4:
            raise ValueError(f"basis has shape {basis.shape}; expected (d_q, d_k, n_q, n_k)")
        n_q, n_k = basis.shape[2:]
        offset = np.asarray(self.offset, dtype=np.float64)  # (n_q, n_k)
        allowed = np.asarray(self.allowed)  # (n_q, n_k)
        target = np.asarray(self.target, dtype=np.float64)  # (n_q, n_k)
        row_weight = np.asarray(self.row_weight, dtype=np.float64)  # (n_q,)
        for name, array, shape in (
            ("offset", offset, (n_q, n_k)),
            ("allowed", allowed, (n_q, n_k)),
            ("target", target, (n_q, n_k)),
            ("row_weight", row_weight, (n_q,)),
        ):
            if array.shape != shape:
                raise ValueError(f"{name} has shape {array.shape}; expected {shape}")
        if allowed.dtype != np.bool_:
            raise ValueError(f"allowed has dtype {allowed.dtype}; expected booleans")
        for name, array in (("basis", basis), ("offset", offset), ("target", target)):
            if not np.all(np.isfinite(array)):
                raise ValueError(f"{name} has non-finite entries")
        if np.any(target < 0):
            raise ValueError("target has negative entries; rows are distributions")
        if not np.all(np.isfinite(row_weight)) or np.any(row_weight < 0):
            raise ValueError("row_weight must be finite and ≥ 0")
        for name, array in (
            ("basis", basis),
            ("offset", offset),
            ("allowed", allowed),
            ("target", target),
            ("row_weight", row_weight),
        ):
            object.__setattr__(self, name, array)

    @property
    def wire_shape(self) -> tuple[int, int]:
        """(d_q, d_k): the shape of the strengths this problem takes."""
        return self.basis.shape[0], self.basis.shape[1]


def scores(strengths: np.ndarray, problem: TrainingProblem) -> np.ndarray:
    """The (n_q, n_k) scores of a head: offset + Σ_ab strengths[a, b] · basis[a, b]."""
    strengths = np.asarray(strengths, dtype=np.float64)  # (d_q, d_k)
    if strengths.shape != problem.wire_shape:
        raise ValueError(f"strengths have shape {strengths.shape}; expected {problem.wire_shape}")
    return problem.offset + np.tensordot(strengths, problem.basis, axes=2)  # (n_q, n_k)


def weights(strengths: np.ndarray, problem: TrainingProblem) -> np.ndarray:
    """The (n_q, n_k) attention weights of a head: masked softmax of its scores, 0 where masked."""
    log_probs, has_key = _masked_log_softmax(scores(strengths, problem), problem.allowed)
    return np.where(problem.allowed & has_key[:, None], np.exp(log_probs), 0.0)  # (n_q, n_k)


def _masked_log_softmax(
    row_scores: np.ndarray, allowed: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Log-softmax over the allowed keys of each row, and which rows have any allowed key.

    Masked entries (and every entry of a fully masked row) come back as 0, not
    −∞, so that products with zero targets never make NaN.
    """
    has_key = allowed.any(axis=1)  # (n_q,)
    masked = np.where(allowed, row_scores, -np.inf)  # (n_q, n_k)
    row_max = np.where(has_key, masked.max(axis=1, initial=-np.inf), 0.0)  # (n_q,)
    shifted = np.where(allowed, row_scores - row_max[:, None], -np.inf)  # (n_q, n_k), ≤ 0
    row_sum = np.exp(shifted).sum(axis=1)  # (n_q,), ≥ 1 where has_key, 0 elsewhere
    log_norm = np.log(np.where(has_key, row_sum, 1.0))  # (n_q,)
    log_probs = np.where(allowed, shifted - log_norm[:, None], 0.0)  # (n_q, n_k)
    return log_probs, has_key


def check_problems(problems: Iterable[TrainingProblem]) -> tuple[TrainingProblem, ...]:
    """The problems as a tuple, all with the same wire shape (one head fits them all)."""
    problems = tuple(problems)
    if not problems:
        raise ValueError("no training problems")
    shape = problems[0].wire_shape
    for index, problem in enumerate(problems):
        if problem.wire_shape != shape:
            raise ValueError(
                f"problem {index} has wires {problem.wire_shape}; problem 0 has {shape}"
            )
    return problems


def allowed_wire_mask(allowed_wires: np.ndarray | None, shape: tuple[int, int]) -> np.ndarray:
    """The (d_q, d_k) bool mask of wires the solver may use (all of them when None)."""
    if allowed_wires is None:
        return np.ones(shape, dtype=bool)  # (d_q, d_k)
    mask = np.asarray(allowed_wires)  # (d_q, d_k)
    if mask.shape != shape or mask.dtype != np.bool_:
        raise ValueError(
            f"allowed_wires must be a bool array of shape {shape}; got {mask.dtype} {mask.shape}"
        )
    return mask


def loss_and_grad(
    strengths: np.ndarray,
    problems: Sequence[TrainingProblem],
    *,
    l1: float = 0.0,
    allowed_wires: np.ndarray | None = None,
) -> tuple[float, np.ndarray]:
    """The loss of a head over all problems and its (d_q, d_k) gradient (see the module doc).

    Forbidden wires are not variables: their gradient is 0 and they pay no L1.
    With l1 > 0 the gradient at a wire of exactly 0 is the minimum-norm
    subgradient. Never NaN, never a floating-point warning.
    """
    problems = check_problems(problems)
    strengths = np.asarray(strengths, dtype=np.float64)  # (d_q, d_k)
    wire_mask = allowed_wire_mask(allowed_wires, problems[0].wire_shape)  # (d_q, d_k)

    total_weight = 0.0
    weighted_kl = 0.0
    smooth_grad = np.zeros(problems[0].wire_shape)  # (d_q, d_k), Σ w_i · dKL_i/dB before / Σ w
    for problem in problems:
        log_probs, has_key = _masked_log_softmax(scores(strengths, problem), problem.allowed)
        row_weight = np.where(has_key, problem.row_weight, 0.0)  # (n_q,): masked rows count 0
        target = np.where(problem.allowed, problem.target, 0.0)  # (n_q, n_k): reachable mass
        reachable = target.sum(axis=1)  # (n_q,): τ_i
        log_target = np.log(np.where(target > 0, target, 1.0))  # (n_q, n_k), 0 where t = 0
        log_reachable = np.log(np.where(reachable > 0, reachable, 1.0))  # (n_q,)
        # τ·KL(t/τ ‖ p) = Σ_j t_ij (log t_ij − log τ_i − log p_ij), 0 at the best p.
        row_kl = (target * (log_target - log_reachable[:, None] - log_probs)).sum(axis=1)  # (n_q,)
        weighted_kl += float(row_weight @ row_kl)
        total_weight += float(row_weight.sum())
        probs = np.where(problem.allowed, np.exp(log_probs), 0.0)  # (n_q, n_k)
        score_grad = row_weight[:, None] * (reachable[:, None] * probs - target)  # (n_q, n_k)
        smooth_grad += np.tensordot(problem.basis, score_grad, axes=([2, 3], [0, 1]))  # (d_q, d_k)

    if total_weight > 0:
        loss = weighted_kl / total_weight
        smooth_grad /= total_weight
    else:
        loss = 0.0
    smooth_grad = np.where(wire_mask, smooth_grad, 0.0)  # (d_q, d_k)
    if l1 == 0:
        return loss, smooth_grad

    kept = np.where(wire_mask, strengths, 0.0)  # (d_q, d_k)
    loss += l1 * float(np.abs(kept).sum())
    # Away from 0: smooth + l1·sign. At 0: the smallest subgradient, smooth shrunk by l1.
    at_zero = np.sign(smooth_grad) * np.maximum(np.abs(smooth_grad) - l1, 0.0)  # (d_q, d_k)
    grad = np.where(kept != 0, smooth_grad + l1 * np.sign(kept), at_zero)  # (d_q, d_k)
    return loss, np.where(wire_mask, grad, 0.0)
