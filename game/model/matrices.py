"""From wires to the real projection matrices W_Q, W_K, W_V and W_O.

The player's wires define the bilinear form M = W_Q W_Kᵀ (d_model × d_model):
M[a, b] is the total strength of the wires from query feature a to key
feature b, so score(i, j) = x_i · M · x_j = Σ strength · x_i[query] · x_j[key].
The board factors it as W_Q = [M … M] and W_K = [I … I], each repeated
r = d_k / d_model times (d_model × d_k): a query asks for key features, and
keys are the features themselves. Repeating makes raw q·k r times larger,
which is what the 1/√d_k scale is there to undo (docs/levels.md).

W_V[key, out] = route strength (d_model × d_model), and W_O stacks each head's
`mix · I`, so the output is Σ_h mix_h · head_h, named by the features.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from game.model.spec import HeadSpec


def bilinear(head: HeadSpec, features: Sequence[str]) -> np.ndarray:
    """(d_model, d_model) M with M[query, key] = Σ wire strengths."""
    index = {name: f for f, name in enumerate(features)}
    m = np.zeros((len(features), len(features)))  # (d_model, d_model)
    for wire in head.wires:
        m[index[wire.query], index[wire.key]] += wire.strength
    return m


def w_q(head: HeadSpec, features: Sequence[str], d_k: int) -> np.ndarray:
    """(d_model, d_k): M repeated d_k / d_model times."""
    r = d_k // len(features)
    return np.tile(bilinear(head, features), (1, r))  # (d_model, d_k)


def w_k(features: Sequence[str], d_k: int) -> np.ndarray:
    """(d_model, d_k): the identity repeated d_k / d_model times."""
    r = d_k // len(features)
    return np.tile(np.eye(len(features)), (1, r))  # (d_model, d_k)


def w_v(head: HeadSpec, features: Sequence[str]) -> np.ndarray:
    """(d_model, d_model) with W_V[key, out] = route strength."""
    index = {name: f for f, name in enumerate(features)}
    v = np.zeros((len(features), len(features)))  # (d_model, d_v)
    for route in head.values:
        v[index[route.key], index[route.out]] += route.strength
    return v


def w_o(heads: Sequence[HeadSpec], d_model: int) -> np.ndarray:
    """(h·d_model, d_model): each head's block is mix · I."""
    blocks = [head.mix * np.eye(d_model) for head in heads]  # h × (d_model, d_model)
    if not blocks:
        return np.zeros((0, d_model))  # (0, d_model)
    return np.concatenate(blocks, axis=0)  # (h·d_model, d_model)
