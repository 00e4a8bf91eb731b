"""The √d_k lab's numbers: random q·k spreads like √d_k, softmax saturates without the
scale and shares with it, all through the real attention code."""

import math

import numpy as np
import pytest

from game.attention import attention_weights
from game.model.dk_lab import dk_sample


@pytest.mark.parametrize("d_k", [16, 64, 256, 1024])
def test_the_spread_of_qk_grows_like_the_square_root_of_d_k(d_k):
    sample = dk_sample(d_k, scaled=False)
    assert sample.spread == pytest.approx(math.sqrt(d_k), rel=0.12)
    assert dk_sample(d_k, scaled=True).used_spread == pytest.approx(1.0, rel=0.12)


def test_softmax_saturates_without_the_scale_and_shares_with_it():
    tops = [dk_sample(d, scaled=False).top_weight for d in (1, 16, 256, 1024)]
    assert tops == sorted(tops) and tops[-1] > 0.9
    scaled = [dk_sample(d, scaled=True).top_weight for d in (16, 256, 1024)]
    assert max(scaled) < 0.5


def test_the_row_shown_is_the_attention_codes_own():
    rng = np.random.default_rng(4)
    q, k = rng.standard_normal((256, 64)), rng.standard_normal((8, 64))
    expected = attention_weights(q, k, scale=1 / 8)[0]
    np.testing.assert_allclose(dk_sample(64, scaled=True).row, expected)
