"""Why attention divides by √d_k, measured: random q and k of length d_k through the real
attention code.

With q and k of d_k independent components of mean 0 and variance 1 (the usual
state of a freshly initialised model), q·k is a sum of d_k products of variance 1,
so its spread (standard deviation) grows like √d_k (Vaswani et al. 2017, §3.2.1,
footnote 4). Fed to softmax as they are, scores that far apart give one key almost
all the weight (softmax saturates, and its gradients vanish); multiplied by
1/√d_k their spread is back to about 1 whatever d_k is. `dk_sample` draws a fixed
set of such vectors (a seed, so the screen does not flicker), computes the scores
and the weights with `game.attention.attention_weights`, and reports what the
level's lab shows: the spread, √d_k, and how much weight the top key takes.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from game.attention import attention_weights

QUERIES = 256  # sampled query rows: enough for a spread that is steady to two digits
KEYS = 8  # keys per row: the bars the lab draws for one row
SEED = 4


@dataclass(frozen=True)
class DkSample:
    d_k: int
    scaled: bool  # the 1/√d_k scale was applied before softmax
    spread: float  # standard deviation of the raw q·k over every sampled cell
    used_spread: float  # …of the scores softmax was given (raw, or times 1/√d_k)
    top_weight: float  # mean over rows of the largest weight in the row
    row: np.ndarray  # (KEYS,) the weights of one example row

    @property
    def sqrt_d_k(self) -> float:
        return math.sqrt(self.d_k)


def dk_sample(d_k: int, scaled: bool, *, seed: int = SEED) -> DkSample:
    """Random q (QUERIES, d_k) and k (KEYS, d_k), N(0, 1), through the real attention."""
    if d_k < 1:
        raise ValueError(f"d_k must be at least 1, got {d_k}")
    rng = np.random.default_rng(seed)
    q = rng.standard_normal((QUERIES, d_k))  # (n_q, d_k)
    k = rng.standard_normal((KEYS, d_k))  # (n_k, d_k)
    qk = q @ k.T  # (n_q, n_k) raw scores
    scale = 1.0 / math.sqrt(d_k) if scaled else 1.0
    weights = attention_weights(q, k, scale=scale)  # (n_q, n_k)
    return DkSample(
        d_k=d_k,
        scaled=scaled,
        spread=float(qk.std()),
        used_spread=float((qk * scale).std()),
        top_weight=float(weights.max(axis=1).mean()),
        row=np.asarray(weights[0]),
    )


__all__ = ["KEYS", "DkSample", "dk_sample"]
