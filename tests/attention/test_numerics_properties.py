"""Every backend, in every dtype, on every shape the contract allows, against the float64
reference on the same (rounded) inputs; and every backend keeps one NaN/infinity rule
(docs/attention-notes.md, "NaN and infinity"). Issue 16.

Shapes run from n = 0 and 1 up, n_q ≠ n_k, with leading dims, causal, masks with fully
masked rows, and logits up to tens of thousands (FlashAttention's running max must keep
exp from overflowing). The tolerance is the error a correct backend can make: rounding
the answer to the output type, plus the compute type's rounding of every logit, which
moves a weight by about eps·|logit|.
"""

from __future__ import annotations

import warnings

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from game.attention import attention, backends
from game.attention.inputs import prepare
from game.attention.reference import reference_attention, reference_scores

# "cupy" computes in 16-bit tensor cores with its own error budget (tests/attention/test_gpu.py).
NAMES = ["auto", *(name for name in backends() if name != "cupy")]
DTYPES = [np.float16, np.float32, np.float64]
SIZES = st.one_of(st.sampled_from([0, 1, 2, 3, 17, 64]), st.integers(0, 80))


@st.composite
def problems(draw, dtype):
    """(q, k, v, kwargs): random arguments, some with very large logits."""
    n_q, n_k = draw(SIZES), draw(SIZES)
    d, d_v = draw(st.sampled_from([1, 2, 8, 33])), draw(st.sampled_from([1, 4]))
    lead = draw(st.sampled_from([(), (2,), (2, 3)]))
    rng = np.random.default_rng(draw(st.integers(0, 2**32 - 1)))
    size = draw(st.sampled_from([1.0, 4.0, 30.0, 150.0]))  # logits up to ~size²·√d

    def sample(*shape, spread=1.0):
        return (rng.normal(size=shape) * spread).astype(dtype)

    kwargs = {"causal": draw(st.booleans())}
    if draw(st.booleans()):
        kwargs["bias"] = sample(n_q, n_k, spread=size)
    if draw(st.booleans()):
        mask = rng.random((*lead, n_q, n_k)) > draw(st.sampled_from([0.2, 0.7]))
        if n_q and draw(st.booleans()):
            mask[..., 0, :] = False  # a fully masked row gives zeros
        kwargs["mask"] = mask
    q, k = sample(*lead, n_q, d, spread=size), sample(*lead, n_k, d, spread=size)
    return q, k, sample(*lead, n_k, d_v), kwargs


def tolerance(q, k, v, kwargs) -> float:
    """What a correct backend may differ by: output rounding plus eps·|logit| per weight."""
    inputs = prepare(q, k, v, **kwargs)
    logits, _ = reference_scores(inputs)
    largest_logit = float(np.abs(logits).max(initial=0.0))
    largest_v = float(np.abs(v.astype(np.float64)).max(initial=0.0))
    eps_out = float(np.finfo(inputs.out_dtype).eps)
    eps_compute = float(np.finfo(inputs.compute_dtype).eps)
    return largest_v * (2 * eps_out + 16 * eps_compute * (1 + largest_logit)) + 1e-300


@pytest.mark.parametrize("name", NAMES)
@pytest.mark.parametrize("dtype", DTYPES, ids=lambda t: np.dtype(t).name)
def test_every_backend_matches_the_float64_reference(name, dtype):
    @settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(problems(dtype))
    def check(problem):
        q, k, v, kwargs = problem
        expected, _ = reference_attention(prepare(q, k, v, **kwargs))  # float64, same inputs
        with warnings.catch_warnings():
            warnings.simplefilter("error")  # no overflow, invalid-value or divide warnings
            out = attention(q, k, v, backend=name, **kwargs)
        assert out.dtype == q.dtype and out.shape == expected.shape
        assert np.isfinite(out).all()
        error = np.abs(out.astype(np.float64) - expected).max(initial=0.0)
        assert error <= tolerance(q, k, v, kwargs), (error, tolerance(q, k, v, kwargs))

    check()


# --- NaN and infinity: one rule, every backend -----------------------------------------


@st.composite
def poisoned(draw, dtype):
    """A problem with NaN or ±inf planted in q, k, v or the bias, and a mask or causal."""
    q, k, v, kwargs = draw(problems(dtype).filter(lambda p: p[0].shape[-2] and p[1].shape[-2]))
    target = draw(st.sampled_from(["q", "k", "v", "bias"]))
    bad = draw(st.sampled_from([np.nan, np.inf, -np.inf]))
    arrays = {"q": q.copy(), "k": k.copy(), "v": v.copy()}
    if target == "bias":
        bias = kwargs.get("bias", np.zeros((q.shape[-2], k.shape[-2]), dtype)).copy()
        bias[draw(st.integers(0, q.shape[-2] - 1)), draw(st.integers(0, k.shape[-2] - 1))] = bad
        kwargs = {**kwargs, "bias": bias}
    else:
        array = arrays[target]
        row = draw(st.integers(0, array.shape[-2] - 1))
        array[..., row, draw(st.integers(0, array.shape[-1] - 1))] = bad
    return arrays["q"], arrays["k"], arrays["v"], kwargs


@pytest.mark.parametrize("name", NAMES)
@pytest.mark.parametrize("dtype", DTYPES, ids=lambda t: np.dtype(t).name)
def test_every_backend_keeps_the_nan_and_infinity_rule(name, dtype):
    @settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(poisoned(dtype))
    def check(problem):
        q, k, v, kwargs = problem
        with warnings.catch_warnings():
            warnings.simplefilter("error")  # NaN in, NaN out: silently, as documented
            expected, _ = reference_attention(prepare(q, k, v, **kwargs))
            out = attention(q, k, v, backend=name, **kwargs).astype(np.float64)
        # the same entries are NaN, the same are ±inf, and the finite ones agree
        np.testing.assert_array_equal(np.isnan(out), np.isnan(expected))
        np.testing.assert_array_equal(np.isinf(out), np.isinf(expected))
        finite = np.isfinite(expected)
        error = np.abs(out[finite] - expected[finite]).max(initial=0.0)
        clean = tuple(np.nan_to_num(a, posinf=0, neginf=0) for a in (q, k, v))
        assert error <= tolerance(*clean, {**kwargs, "bias": None}) * 4 + 1e-3 * (
            dtype == np.float16
        )

    check()


def test_the_rule_itself_on_one_small_case():
    """Masked keys are never read; a NaN key or value reaches exactly the rows that may
    see it; a +inf or NaN bias makes its row NaN; a fully masked row is zeros."""
    q = np.ones((3, 2))
    k = np.ones((3, 2))
    v = np.arange(6.0).reshape(3, 2)
    v[2] = np.nan
    for name in NAMES:
        out = attention(q, k, v, causal=True, backend=name)  # row i sees keys 0..i
        assert np.isfinite(out[:2]).all() and np.isnan(out[2]).all(), name
        bias = np.zeros((3, 3))
        bias[1, 0] = np.inf
        out = attention(q, k, np.ones((3, 2)), bias=bias, backend=name)
        assert np.isnan(out[1]).all() and np.isfinite(out[[0, 2]]).all(), name
        mask = np.ones((3, 3), bool)
        mask[0] = False
        assert (
            attention(q, k, v, mask=mask & np.array([True, True, False]), backend=name)[0] == 0
        ).all(), name


def test_scores_past_float32s_range_give_the_float64_answer_everywhere():
    q = np.array([[1e20, 0.0], [1.0, 1.0]], np.float32)
    k = np.array([[1e20, 0.0], [2e20, 0.0]], np.float32)
    v = np.array([[1.0, 2.0], [3.0, 4.0]], np.float32)
    expected, _ = reference_attention(prepare(q, k, v))
    for name in NAMES:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            out = attention(q, k, v, backend=name)
        np.testing.assert_allclose(out, expected, rtol=1e-6, err_msg=name)
