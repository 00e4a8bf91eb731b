"""The textbook attention backend: the whole n×n score matrix at once.

softmax(q·kᵀ·scale + bias, mask)·v, written the way the paper's formula
reads. It is here to be compared: the FlashAttention level and the benchmark
set it beside the tiled backend, which gets the same numbers without ever
holding n×n scores (at n = 100,000 these would be 37 GiB in float32).

It is also the smallest example of a backend plugin: `run` gets a validated
`AttentionInputs` and returns a `(*lead, n_q, d_v)` array. The pieces of the
formula (`logits`, `masked_softmax`) are methods of the inputs, shared with
the float64 reference, so the masking rules cannot drift apart.
"""

from __future__ import annotations

import numpy as np

from game.api import AttentionBackend, AttentionInputs, hookimpl


def naive_attention(inputs: AttentionInputs) -> np.ndarray:
    """(*lead, n_q, d_v), computed in the inputs' compute dtype with full score matrices."""
    dtype = inputs.compute_dtype
    scores = inputs.logits(dtype)  # (*lead, n_q, n_k): q·kᵀ·scale + bias, every pair at once
    weights = inputs.masked_softmax(scores)  # (*lead, n_q, n_k): each row sums to 1
    out = inputs.read_values(weights, inputs.allowed())  # (*lead, n_q, d_v), weights·v
    return inputs.unless_overflowed(out)  # scores past float32's range: the float64 answer


@hookimpl
def switchyard_register_backends(register):
    register(AttentionBackend(name="naive", title="Naive (n×n)", run=naive_attention))
