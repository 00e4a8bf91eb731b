"""The "train this head" solver (game.model.train): its gradient, its masks, and real boards.

Synthetic boards are built the way a board builds them: token features X (n, d)
give basis[a, b, i, j] = scale · X[i, a] · X[j, b], the score that a unit wire
from query feature a to key feature b adds for query i on key j.
"""

from __future__ import annotations

import warnings
from itertools import islice

import numpy as np
import pytest

from game.attention import attention_weights
from game.model.head_loss import TrainingProblem, loss_and_grad, scores, weights
from game.model.train import StoppingRule, Trainer, iterate, sparsify, train


def _basis(features: np.ndarray, scale: float = 1.0) -> np.ndarray:
    """basis[a, b, i, j] = scale · X[i, a] · X[j, b] for token features X (n, d)."""
    return scale * np.einsum("ia,jb->abij", features, features)  # (d, d, n, n)


def _problem(features, target, row_weight, allowed=None, offset=None, scale=1.0):
    n = features.shape[0]
    return TrainingProblem(
        basis=_basis(features, scale),  # (d, d, n, n)
        offset=np.zeros((n, n)) if offset is None else offset,  # (n, n)
        allowed=np.ones((n, n), dtype=bool) if allowed is None else allowed,  # (n, n)
        target=target,  # (n, n)
        row_weight=row_weight,  # (n,)
    )


# ---------------------------------------------------------------- random problems


def _random_problem(rng: np.random.Generator, n: int, d_q: int, d_k: int, mask: str):
    """A problem with a random basis, offset, target and weights, under a named mask."""
    allowed = np.ones((n, n), dtype=bool)  # (n, n)
    if mask in ("causal", "all"):
        allowed &= np.tril(np.ones((n, n), dtype=bool))
    if mask in ("padding", "all"):
        allowed[:, n - 2 :] = False  # the last two keys are padding
    if mask in ("empty_row", "all"):
        allowed[1] = False  # a query that may look nowhere
    target = rng.random((n, n)) * allowed  # (n, n): mass only where reachable
    target /= np.maximum(target.sum(axis=1, keepdims=True), 1e-12)
    return TrainingProblem(
        basis=rng.normal(size=(d_q, d_k, n, n)),  # (d_q, d_k, n, n)
        offset=rng.normal(size=(n, n)),  # (n, n)
        allowed=allowed,
        target=target,
        row_weight=rng.random(n) + 0.1,  # (n,)
    )


def _finite_difference(strengths, problems, eps=1e-6, **kwargs) -> np.ndarray:
    grad = np.zeros_like(strengths)  # (d_q, d_k)
    for index in np.ndindex(strengths.shape):
        up, down = strengths.copy(), strengths.copy()
        up[index] += eps
        down[index] -= eps
        grad[index] = (
            loss_and_grad(up, problems, **kwargs)[0] - loss_and_grad(down, problems, **kwargs)[0]
        ) / (2 * eps)
    return grad


def _relative_error(a: np.ndarray, b: np.ndarray) -> float:
    return float(np.max(np.abs(a - b)) / max(np.max(np.abs(a)), np.max(np.abs(b)), 1e-12))


MASKS = ["none", "causal", "padding", "empty_row", "all"]


@pytest.mark.parametrize("mask", MASKS)
@pytest.mark.parametrize("seed", [0, 1, 2])
def test_gradient_matches_central_differences(mask: str, seed: int) -> None:
    rng = np.random.default_rng(seed)
    problems = [_random_problem(rng, n, 3, 4, mask) for n in (5, 7)]
    strengths = rng.normal(size=(3, 4))  # (d_q, d_k)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        _, grad = loss_and_grad(strengths, problems)
        numeric = _finite_difference(strengths, problems)
    assert np.all(np.isfinite(grad))
    assert _relative_error(grad, numeric) <= 1e-6


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_gradient_with_l1_matches_central_differences_away_from_zero(seed: int) -> None:
    rng = np.random.default_rng(seed)
    problems = [_random_problem(rng, 6, 3, 3, "all")]
    strengths = rng.choice([-1, 1], size=(3, 3)) * rng.uniform(0.5, 2.0, size=(3, 3))  # (3, 3)
    _, grad = loss_and_grad(strengths, problems, l1=0.05)
    numeric = _finite_difference(strengths, problems, l1=0.05)
    assert _relative_error(grad, numeric) <= 1e-6
    # The L1 part is really there: without it the gradient differs by 0.05·sign.
    _, smooth = loss_and_grad(strengths, problems)
    np.testing.assert_allclose(grad - smooth, 0.05 * np.sign(strengths), atol=1e-12)


def test_l1_gradient_at_zero_is_the_smallest_subgradient() -> None:
    rng = np.random.default_rng(3)
    problems = [_random_problem(rng, 6, 2, 2, "causal")]
    zero = np.zeros((2, 2))  # (d_q, d_k)
    _, smooth = loss_and_grad(zero, problems)
    l1 = float(np.sort(np.abs(smooth).ravel())[1])  # between two of the gradient's sizes
    _, grad = loss_and_grad(zero, problems, l1=l1)
    expected = np.sign(smooth) * np.maximum(np.abs(smooth) - l1, 0.0)  # (2, 2)
    np.testing.assert_allclose(grad, expected, atol=1e-15)
    assert np.count_nonzero(grad) == 2  # the two weakest wires are held at 0


def test_scores_equal_a_direct_einsum() -> None:
    rng = np.random.default_rng(4)
    problem = _random_problem(rng, 6, 3, 5, "all")
    strengths = rng.normal(size=(3, 5))  # (d_q, d_k)
    direct = problem.offset + np.einsum("ab,abij->ij", strengths, problem.basis)  # (n, n)
    np.testing.assert_allclose(scores(strengths, problem), direct, rtol=1e-13, atol=1e-13)


def test_weights_equal_the_attention_engine_under_masks() -> None:
    """The solver's softmax is the game's: scores X·B·Xᵀ + bias with the same mask."""
    rng = np.random.default_rng(5)
    n, d = 7, 3
    features = rng.normal(size=(n, d))  # (n, d)
    strengths = rng.normal(size=(d, d))  # (d, d)
    allowed = np.tril(np.ones((n, n), dtype=bool))  # (n, n)
    allowed[:, 5:] = False
    allowed[2] = False
    bias = rng.normal(size=(n, n))  # (n, n)
    problem = _problem(features, np.eye(n), np.ones(n), allowed=allowed, offset=bias, scale=0.5)
    engine = attention_weights(
        features @ strengths, features, scale=0.5, bias=bias, mask=allowed
    )  # (n, n)
    ours = weights(strengths, problem)  # (n, n)
    np.testing.assert_allclose(ours, engine, atol=1e-12)
    assert np.all(ours[~allowed] == 0)
    np.testing.assert_allclose(ours.sum(axis=1), allowed.any(axis=1).astype(float), atol=1e-12)


def test_fully_masked_rows_add_nothing_and_warn_nothing() -> None:
    rng = np.random.default_rng(6)
    base = _random_problem(rng, 6, 2, 3, "causal")
    allowed = base.allowed.copy()  # (n, n)
    allowed[3] = False
    target = base.target.copy()  # (n, n)
    target[3] = 1.0 / 6  # a target the row can never reach
    row_weight = base.row_weight.copy()  # (n,)
    row_weight[3] = 0.0
    without_row = TrainingProblem(base.basis, base.offset, allowed, target, row_weight)
    row_weight = row_weight.copy()
    row_weight[3] = 100.0  # heavily weighted, still nothing
    with_row = TrainingProblem(base.basis, base.offset, allowed, target, row_weight)
    strengths = rng.normal(size=(2, 3)) * 50  # (d_q, d_k): large scores, overflow bait
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        loss_a, grad_a = loss_and_grad(strengths, [without_row])
        loss_b, grad_b = loss_and_grad(strengths, [with_row])
        row = weights(strengths, with_row)[3]  # (n,)
    assert np.isfinite(loss_b) and np.all(np.isfinite(grad_b))
    assert loss_a == pytest.approx(loss_b, rel=1e-12)
    np.testing.assert_allclose(grad_a, grad_b, rtol=1e-12)
    assert np.all(row == 0)

    everything_masked = TrainingProblem(
        base.basis, base.offset, np.zeros((6, 6), dtype=bool), target, np.ones(6)
    )
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        loss, grad = loss_and_grad(strengths, [everything_masked])
    assert loss == 0.0
    assert np.all(grad == 0)


def test_the_mask_is_honoured_by_the_loss() -> None:
    """A key outside the mask cannot help: weight there must not count as meeting the target."""
    features = np.eye(3)  # (3, 3): one feature per token
    target = np.tile([0.0, 0.0, 1.0], (3, 1))  # (3, 3): everyone wants token 2
    allowed = np.ones((3, 3), dtype=bool)  # (3, 3)
    allowed[:, 2] = False
    allowed[:, :2] = True
    open_problem = _problem(features, target, np.ones(3))
    masked_problem = _problem(features, target, np.ones(3), allowed=allowed)
    towards_2 = np.zeros((3, 3))  # (3, 3)
    towards_2[:, 2] = 8.0
    assert loss_and_grad(towards_2, [open_problem])[0] < 0.01
    # Masked: the target mass on token 2 is unreachable and left out; the loss is 0
    # whatever the head does, and no gradient pulls towards the masked key.
    loss, grad = loss_and_grad(towards_2, [masked_problem])
    assert loss == pytest.approx(0.0, abs=1e-12)
    assert np.all(grad == 0)


def test_a_step_against_the_gradient_lowers_the_loss() -> None:
    rng = np.random.default_rng(7)
    problems = [_random_problem(rng, 6, 3, 3, "all")]
    strengths = rng.normal(size=(3, 3))  # (3, 3)
    loss, grad = loss_and_grad(strengths, problems)
    assert loss_and_grad(strengths - 1e-3 * grad, problems)[0] < loss
    assert loss_and_grad(strengths + 1e-3 * grad, problems)[0] > loss


def test_problems_are_checked() -> None:
    with pytest.raises(ValueError, match="offset"):
        TrainingProblem(np.zeros((1, 1, 2, 2)), np.zeros((2, 3)), np.ones((2, 2), bool),
                        np.eye(2), np.ones(2))  # fmt: skip
    with pytest.raises(ValueError, match="booleans"):
        TrainingProblem(np.zeros((1, 1, 2, 2)), np.zeros((2, 2)), np.ones((2, 2)),
                        np.eye(2), np.ones(2))  # fmt: skip
    a = TrainingProblem(np.zeros((1, 2, 2, 2)), np.zeros((2, 2)), np.ones((2, 2), bool),
                        np.eye(2), np.ones(2))  # fmt: skip
    b = TrainingProblem(np.zeros((2, 1, 2, 2)), np.zeros((2, 2)), np.ones((2, 2), bool),
                        np.eye(2), np.ones(2))  # fmt: skip
    with pytest.raises(ValueError, match="wires"):
        loss_and_grad(np.zeros((1, 2)), [a, b])


# ---------------------------------------------------------------- synthetic boards

CO_FEATURES = ("noun", "pronoun", "bulky", "container", "verb", "other")
NOUN, PRONOUN, BULKY, CONTAINER, VERB, OTHER = range(len(CO_FEATURES))


def _coreference_sentence(rng: np.random.Generator) -> tuple[TrainingProblem, int, int]:
    """A pronoun, its bulky referent, 3 distractor nouns (some containers), filler words.

    Only the pronoun's row is trained: it should attend to the bulky noun.
    Returns the problem, the pronoun's position and the referent's.
    """
    n = int(rng.integers(6, 12))
    features = np.zeros((n, len(CO_FEATURES)))  # (n, d)
    features[np.arange(n), rng.choice([VERB, OTHER], size=n)] = 1.0
    pronoun, referent, *distractors = rng.permutation(n)[:5]
    features[pronoun] = 0.0
    features[pronoun, PRONOUN] = 1.0
    features[referent] = 0.0
    features[referent, [NOUN, BULKY]] = 1.0
    for position in distractors:
        features[position] = 0.0
        features[position, NOUN] = 1.0
        features[position, CONTAINER] = float(rng.random() < 0.5)
    target = np.eye(n)  # (n, n): only the pronoun's row counts
    target[pronoun] = 0.0
    target[pronoun, referent] = 1.0
    row_weight = np.zeros(n)  # (n,)
    row_weight[pronoun] = 1.0
    return _problem(features, target, row_weight), int(pronoun), int(referent)


@pytest.fixture(scope="module")
def coreference():
    rng = np.random.default_rng(11)
    seen = [_coreference_sentence(rng) for _ in range(4)]
    held_out = [_coreference_sentence(rng) for _ in range(6)]
    result = train([p for p, _, _ in seen], steps=1000)
    return seen, held_out, result


def test_coreference_head_is_learned_and_generalises(coreference) -> None:
    seen, held_out, result = coreference
    assert result.converged
    for problem, pronoun, referent in seen + held_out:
        assert weights(result.strengths, problem)[pronoun, referent] >= 0.5


def test_coreference_sparsifies_to_the_one_wire(coreference) -> None:
    """From a dense head (no L1: six strong wires on the pronoun's row) down to par 1."""
    seen, held_out, _ = coreference
    problems = [p for p, _, _ in seen]
    dense = train(problems, steps=100, l1=0.0).strengths  # (d, d)
    assert np.count_nonzero(np.abs(dense[PRONOUN]) > 5) >= 5
    for rank_by in ("loss", "magnitude"):
        sparse = sparsify(dense, problems, max_wires=1, rank_by=rank_by)
        assert list(zip(*np.nonzero(sparse), strict=True)) == [(PRONOUN, BULKY)], rank_by
        for problem, pronoun, referent in seen + held_out:
            assert weights(sparse, problem)[pronoun, referent] >= 0.5


def test_iterate_lowers_the_loss_on_coreference(coreference) -> None:
    seen, _, _ = coreference
    losses = [step.loss for step in islice(iterate([p for p, _, _ in seen]), 300)]
    assert losses[-1] < losses[0] / 5
    assert min(losses[-50:]) < min(losses[:50])


def _first_token_sentence(rng: np.random.Generator) -> TrainingProblem:
    """A decoder sentence whose every word should look back at the start token."""
    n = int(rng.integers(4, 10))
    features = np.zeros((n, 4))  # (n, d): is_start, noun, verb, other
    features[0, 0] = 1.0
    features[np.arange(1, n), rng.integers(1, 4, size=n - 1)] = 1.0
    target = np.zeros((n, n))  # (n, n)
    target[:, 0] = 1.0
    causal = np.tril(np.ones((n, n), dtype=bool))  # (n, n)
    return _problem(features, target, np.ones(n), allowed=causal, scale=0.5)


def test_first_token_head() -> None:
    rng = np.random.default_rng(12)
    result = train([_first_token_sentence(rng) for _ in range(4)], steps=1000)
    assert result.converged
    for problem in [_first_token_sentence(rng) for _ in range(6)]:
        assert np.all(weights(result.strengths, problem)[:, 0] >= 0.9)


FREQUENCIES = (1.0, 0.3)  # sinusoidal features: sin(ω·pos), cos(ω·pos) for each ω


def _previous_token_sentence(rng: np.random.Generator, n: int) -> TrainingProblem:
    """Words with sinusoidal position features; each word should attend to the one before.

    A previous-token head exists: wires sin→sin, cos→cos, sin→cos, cos→sin of one
    frequency give R·cos(ω(i − j) − φ), which peaks at i − j = 1 for φ = ω.
    """
    words = np.zeros((n, 3))  # (n, 3): noun, verb, other
    words[np.arange(n), rng.integers(0, 3, size=n)] = 1.0
    positions = np.arange(n)  # (n,)
    waves = [f(w * positions) for w in FREQUENCIES for f in (np.sin, np.cos)]
    features = np.column_stack([words, *waves])  # (n, 3 + 2·len(FREQUENCIES))
    target = np.eye(n, k=-1)  # (n, n): row i wants i − 1
    target[0, 0] = 1.0
    row_weight = np.ones(n)  # (n,)
    row_weight[0] = 0.0  # the first word has no previous word
    return _problem(features, target, row_weight)


def test_previous_token_head_with_sinusoidal_features() -> None:
    rng = np.random.default_rng(13)
    seen = [_previous_token_sentence(rng, n) for n in (5, 6, 7, 8)]
    result = train(seen, steps=1000)
    assert result.converged
    for n in (5, 6, 7, 8, 5, 8):
        problem = _previous_token_sentence(rng, n)
        attention = weights(result.strengths, problem)  # (n, n)
        assert np.diag(attention, k=-1).mean() >= 0.6


def test_an_unmeetable_target_is_reported_honestly() -> None:
    """Two problems on the same sentence: row 0 wants token 1 at 0.9, and token 2 at 0.9.

    No head can do both. The best any distribution p can do is the midpoint m of
    the two targets, at a loss of their Jensen–Shannon divergence; the solver
    must end at or above that bound, near it, say it converged, and meet neither.
    """
    n = 4
    features = np.eye(n)  # (n, n): any row distribution is reachable
    wants_1 = np.full((n, n), 1.0 / n)  # (n, n)
    wants_2 = wants_1.copy()
    wants_1[0] = [0.1 / 3, 0.9, 0.1 / 3, 0.1 / 3]
    wants_2[0] = [0.1 / 3, 0.1 / 3, 0.9, 0.1 / 3]
    row_weight = np.array([1.0, 0, 0, 0])  # (n,)
    problems = [_problem(features, t, row_weight) for t in (wants_1, wants_2)]
    midpoint = (wants_1[0] + wants_2[0]) / 2  # (n,)
    bound = float(
        sum(np.sum(t[0] * np.log(t[0] / midpoint)) for t in (wants_1, wants_2)) / 2
    )  # the Jensen–Shannon divergence, about 0.38
    result = train(problems, steps=1000, l1=0.0)
    assert bound > 0.3
    assert bound - 1e-9 <= result.loss <= bound + 1e-3
    assert result.converged
    row = weights(result.strengths, problems[0])[0]  # (n,)
    assert row[1] < 0.9 and row[2] < 0.9
    short = train(problems, steps=3, l1=0.0)
    assert not short.converged
    assert short.loss > result.loss


# ---------------------------------------------------------------- iterate and train


def _small_board():
    rng = np.random.default_rng(14)
    return [_first_token_sentence(rng) for _ in range(3)]


def test_iterate_respects_max_strength_and_forbidden_wires() -> None:
    problems = _small_board()
    allowed_wires = np.ones((4, 4), dtype=bool)  # (d_q, d_k)
    allowed_wires[:, 0] = False  # no wire may reach is_start
    allowed_wires[2, 3] = False
    init = np.full((4, 4), 5.0)  # (4, 4): starts on forbidden wires too
    steps = iterate(problems, max_strength=2.5, lr=3.0, init=init, allowed_wires=allowed_wires)
    for step in islice(steps, 200):
        strengths = step.strengths  # (4, 4)
        assert np.all(np.abs(strengths) <= 2.5)
        assert np.all(strengths[~allowed_wires] == 0.0)
    free = train(problems, steps=300, max_strength=2.5)
    assert np.max(np.abs(free.strengths)) == pytest.approx(2.5)  # the clip was binding


def test_iterate_is_deterministic_for_a_seed() -> None:
    problems = _small_board()

    def run(seed):
        return list(islice(iterate(problems, seed=seed), 40))

    first, again, other = run(3), run(3), run(4)
    for a, b in zip(first, again, strict=True):
        assert a.loss == b.loss
        np.testing.assert_array_equal(a.strengths, b.strengths)
    assert not np.array_equal(first[0].strengths, other[0].strengths)


def test_snapshots_are_copies_and_losses_match_their_strengths() -> None:
    problems = _small_board()
    snapshots = list(islice(iterate(problems, l1=1e-3), 5))
    assert [s.step for s in snapshots] == [0, 1, 2, 3, 4]
    assert not np.array_equal(snapshots[0].strengths, snapshots[-1].strengths)
    for snapshot in snapshots:
        assert snapshot.loss == loss_and_grad(snapshot.strengths, problems, l1=1e-3)[0]


def test_train_thins_its_history() -> None:
    problems = _small_board()
    result = train(problems, steps=400, tol=-1.0)  # tol < 0: never "stops improving"
    assert not result.converged
    assert result.steps == 400
    assert 2 <= len(result.history) <= 100
    assert result.history[0].step == 0 and result.history[-1].step == 400
    assert result.loss <= min(s.loss for s in result.history)  # the best, not the last


def test_a_trainer_stepped_by_hand_is_train() -> None:
    """train() is a Trainer run to the end: same stop, same best, same result."""
    problems = _small_board()
    for rule in (StoppingRule(), StoppingRule(max_steps=40), StoppingRule(patience=3, tol=1e-3)):
        trainer = Trainer(problems, rule, seed=4)
        steps = []
        while not trainer.done:
            steps.append(trainer.advance())
        result = train(problems, steps=rule.max_steps, patience=rule.patience, tol=rule.tol, seed=4)
        assert result.steps == steps[-1].step == trainer.result().steps
        assert result.converged == trainer.converged
        best = min(steps, key=lambda step: step.loss)
        assert trainer.best is best and result.loss == best.loss
        np.testing.assert_array_equal(result.strengths, best.strengths)
        with pytest.raises(ValueError, match="stopped"):
            trainer.advance()


def test_the_stopping_rule() -> None:
    """Patience counts steps since the last gain of more than tol; max_steps caps the run."""
    problems = _small_board()
    impatient = Trainer(problems, StoppingRule(patience=1, tol=1e9))  # no step gains 1e9
    impatient.advance()
    assert not impatient.done  # step 0 is the first mark
    impatient.advance()
    assert impatient.done and impatient.converged and impatient.last.step == 1
    capped = Trainer(problems, StoppingRule(max_steps=5, tol=-1.0))
    assert capped.run().steps == 5 and not capped.converged
    for bad in (dict(max_steps=-1), dict(patience=0)):
        with pytest.raises(ValueError, match="patience"):
            StoppingRule(**bad)
    with pytest.raises(ValueError, match="no training step"):
        Trainer(problems).result()


@pytest.mark.parametrize("board", ["first_token", "previous_token"])
def test_the_same_best_head_is_found_from_any_learning_rate(board: str) -> None:
    """The loss is convex, so every lr should end at the same loss, not stall on the way.

    Without the step-size backoff Adam at lr ≥ 0.3 overshoots, the loss rises for
    tens of steps, and training stops early at about twice the best loss.
    """
    rng = np.random.default_rng(15)
    if board == "first_token":
        problems = [_first_token_sentence(rng) for _ in range(4)]
    else:
        problems = [_previous_token_sentence(rng, n) for n in (5, 6, 7, 8)]
    losses = []
    for lr in (0.1, 0.3, 1.0, 3.0):
        result = train(problems, steps=3000, lr=lr)
        assert result.converged, lr
        losses.append(result.loss)
    assert max(losses) <= min(losses) * 1.01


def test_momentum_is_there_to_compare() -> None:
    problems = _small_board()
    result = train(problems, steps=3000, optimiser="momentum")
    assert result.loss < result.history[0].loss / 5
    with pytest.raises(ValueError, match="optimiser"):
        next(iterate(problems, optimiser="sgd"))
