"""Where a q·k number comes from: the wires' terms, read off the real evaluation.

A wire query feature a → key feature b adds `strength · x_i[a] · x_j[b]` to the
score of query i on key j (docs/levels.md, "Wires, values and the matrices they
make"), and with `d_k = r · d_model` the board repeats the features r times, so
q·k = r · Σ_wires strength · x_i[a] · x_j[b]. `qk_terms` lists those terms for
one cell, with x as the head reads it (the positional embedding added; in a
stacked layer l, the residual stream x^l that the layers below wrote into), and
says whether their sum is the q·k the forward pass computed: it is not when the
scheme turns q and k (RoPE), and then the inspector says so instead of showing a
sum that does not add up.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from game.model.evaluate import Evaluation


@dataclass(frozen=True)
class WireTerm:
    """One wire's share of q·k for one cell (before the repeats)."""

    query: str
    key: str
    strength: float
    x_query: float  # the query word's value of the wire's query feature
    x_key: float  # the key word's value of the wire's key feature

    @property
    def value(self) -> float:
        return self.strength * self.x_query * self.x_key


@dataclass(frozen=True)
class QKTerms:
    """The wires' terms of one cell's q·k, the repeats, and the q·k the model computed."""

    terms: tuple[WireTerm, ...]
    repeats: int  # r = d_k / d_model: how many times the features are repeated
    d_k: int
    qk: float  # the forward pass's own raw q·k for this cell

    @property
    def total(self) -> float:
        return self.repeats * sum(term.value for term in self.terms)

    @property
    def adds_up(self) -> bool:
        """The terms give the model's q·k (False when the scheme turned q and k)."""
        return bool(np.isclose(self.total, self.qk, rtol=1e-9, atol=1e-9))


def qk_terms(ev: Evaluation, head: int, i: int, j: int) -> QKTerms:
    """The terms of q·k for query i and key j of `head` (0-based indices)."""
    shown = ev.head(head)
    features = list(ev.features)
    x_q = ev.head_input(head, shown.query_sequence)[i]  # (d_model,) x^layer at the query
    x_k = ev.head_input(head, shown.key_sequence)[j]  # (d_model,) x^layer at the key
    terms = tuple(
        WireTerm(
            wire.query,
            wire.key,
            wire.strength,
            float(x_q[features.index(wire.query)]),
            float(x_k[features.index(wire.key)]),
        )  # fmt: skip
        for wire in ev.state.heads[head].wires
        if wire.query in features and wire.key in features
    )
    d_k = int(ev.w_q.shape[2])  # (h, d_model, d_k)
    return QKTerms(terms, d_k // len(features), d_k, float(shown.qk[i, j]))


__all__ = ["QKTerms", "WireTerm", "qk_terms"]
