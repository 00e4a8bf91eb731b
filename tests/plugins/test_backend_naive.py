"""The built-in `naive` backend plugin against the float64 reference.

Both ways a caller reaches it: the registered object (`registry.backends`)
and the plain name `backend="naive"`, which `game.attention` looks up in the
default plugin registry. Tolerances as for the tiled backend: float64 inputs
1e-12, float32 inputs in [-1, 1] 1e-6 (absolute).
"""

import warnings

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings

from game.attention import attention, backends, resolve_backend
from game.attention.inputs import prepare
from game.attention.reference import reference_attention
from game.plugins import load_plugins
from tests.attention.test_tiled import problems


@pytest.fixture(scope="module")
def naive():
    registry = load_plugins(no_plugins=True)
    return registry.backends["naive"]


@pytest.mark.parametrize("by", ["object", "name"])
@pytest.mark.parametrize("dtype, atol", [(np.float64, 1e-12), (np.float32, 1e-6)])
def test_naive_backend_matches_reference(naive, dtype, atol, by):
    backend = naive if by == "object" else "naive"

    @settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(problems(dtype))
    def check(problem):
        q, k, v, kwargs, _ = problem
        expected, _ = reference_attention(prepare(q, k, v, **kwargs))
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            out = attention(q, k, v, backend=backend, **kwargs)
        assert out.dtype == q.dtype
        np.testing.assert_allclose(out, expected, atol=atol, rtol=0)

    check()


def test_naive_is_listed_and_resolves_by_name():
    assert "naive" in backends()
    resolved = resolve_backend("naive")
    assert resolved.name == "naive" and resolved.plugin == "backend_naive"


def test_fully_masked_rows_give_zeros(naive):
    rng = np.random.default_rng(1)
    q, k, v = rng.normal(size=(3, 4)), rng.normal(size=(5, 4)), rng.normal(size=(5, 2))
    mask = np.ones((3, 5), dtype=bool)
    mask[1] = False
    for backend in (naive, "naive"):
        out = attention(q, k, v, mask=mask, backend=backend)
        assert np.array_equal(out[1], np.zeros(2)) and np.isfinite(out).all()


def test_a_backend_object_that_is_not_usable_is_refused():
    class Unusable:
        name = "never"

        def run(self, inputs):
            raise AssertionError("must not run")

        def usable(self):
            return False

    with pytest.raises(ValueError, match="'never' backend is not usable"):
        attention(np.ones((2, 2)), np.ones((2, 2)), np.ones((2, 2)), backend=Unusable())
