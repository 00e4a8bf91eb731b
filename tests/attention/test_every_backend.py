"""Every backend `backends()` lists, called by name, against the float64 reference.

One test over the whole list (built-ins, and the backends plugins registered,
such as the built-in plugin's "naive"), so a new backend is held to the
contract the moment it is listed: random inputs of odd sizes down to n = 1,
leading batch/head dims, bias, ALiBi, causal, masks and fully masked rows
(padding lengths of 0, causal with more queries than keys).

Tolerances (absolute): float64 inputs 1e-12; float32 inputs in [-1, 1] 1e-6.
The GPU backend computes in 16-bit and has its own error budget
(tests/attention/test_gpu.py), so it is not held to these here.
"""

import warnings

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings

from game.attention import attention, backends
from game.attention.inputs import prepare
from game.attention.reference import reference_attention
from tests.attention.test_tiled import problems

# "reference" is the yardstick itself; "cupy" has its own error budget.
NAMES = ["auto", *(name for name in backends() if name not in ("reference", "cupy"))]


def test_the_list_has_the_built_ins_and_the_naive_plugin():
    assert NAMES[:2] == ["auto", "tiled"] and "naive" in NAMES


@pytest.mark.parametrize("name", NAMES)
@pytest.mark.parametrize("dtype, atol", [(np.float64, 1e-12), (np.float32, 1e-6)])
def test_backend_by_name_matches_the_float64_reference(name, dtype, atol):
    @settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(problems(dtype))
    def check(problem):
        q, k, v, kwargs, _ = problem
        expected, _ = reference_attention(prepare(q, k, v, **kwargs))
        with warnings.catch_warnings():
            warnings.simplefilter("error")  # no overflow, invalid-value or divide warnings
            out = attention(q, k, v, backend=name, **kwargs)
        assert out.dtype == q.dtype and out.shape == expected.shape
        np.testing.assert_allclose(out, expected, atol=atol, rtol=0)

    check()
