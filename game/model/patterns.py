"""A level's attention pattern on the board: a sparsity mask, or linear attention.

A plugin's `AttentionPattern` (see `game.api`) gives either a `mask` (which
scores are computed) or a `feature_map` (linear attention's φ). Its answers
are plugin output, so they go through the one boundary for plugin code
(`game.plugin_calls`) and are checked here once, a failure naming the pattern
and its file:line, before the board uses them:

    mask        = pattern.mask(arange(n_q), arange(n_k), **settings)   (n_q, n_k) bool
    φ(q'), φ(k') = pattern.feature_map(q·√c), feature_map(k·√c)         (b, n, r), >= 0
    weights     = φ(q')·φ(k')ᵀ / row sums                                (b, n_q, n_k)
    out         = φ(Q')·(φ(K')ᵀV) / φ(Q')·Σφ(K')                         (b, n_q, d_v), O(n)

c = s/T is the logit's scale over the temperature, so φ(q')·φ(k') stands in
for exp(q·k·s/T), the number softmax would use.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np

from game.api import AttentionPattern
from game.attention import causal_mask
from game.attention.linear import linear_attention, linear_weights
from game.plugin_calls import PluginCodeError, call, defined_at


def pattern_mask(
    pattern: AttentionPattern, settings: Mapping[str, object], n_q: int, n_k: int
) -> np.ndarray:
    """(n_q, n_k) bool from the pattern's `mask`; ValueError naming the pattern when it is wrong."""
    assert pattern.mask is not None
    what = f'attention pattern "{pattern.name}" mask'
    mask = np.asarray(call(what, pattern.mask, np.arange(n_q), np.arange(n_k), **settings))
    if mask.shape != (n_q, n_k) or mask.dtype != bool:
        raise PluginCodeError(
            what,
            defined_at(pattern.mask),
            f"must be a ({n_q}, {n_k}) bool array, got {mask.dtype} {mask.shape}",
        )
    return mask  # (n_q, n_k)


def feature_map(
    pattern: AttentionPattern, settings: Mapping[str, object], x: np.ndarray
) -> np.ndarray:
    """(..., n, r) φ(x) float64, finite and >= 0; ValueError naming the pattern when not."""
    assert pattern.feature_map is not None
    what = f'attention pattern "{pattern.name}" feature_map'
    try:
        phi = np.asarray(call(what, pattern.feature_map, x, **settings), dtype=np.float64)
    except (TypeError, ValueError) as error:  # not an array of numbers
        raise PluginCodeError(what, defined_at(pattern.feature_map), str(error)) from error
    if phi.ndim != x.ndim or phi.shape[:-1] != x.shape[:-1] or phi.shape[-1] < 1:
        problem = f"must map {x.shape} to {(*x.shape[:-1], 'r')}, got {phi.shape}"
        raise PluginCodeError(what, defined_at(pattern.feature_map), problem)
    if not np.all(np.isfinite(phi)) or np.any(phi < 0):
        problem = "gave a negative or non-finite value"
        raise PluginCodeError(what, defined_at(pattern.feature_map), problem)
    return phi


@dataclass(frozen=True, eq=False)
class LinearHead:
    """One head's linear attention on the batch: its weights and its O(n) output."""

    scores: np.ndarray  # (b, n_q, n_k) φ(q_i)·φ(k_j), 0 where masked: the inspector's numbers
    weights: np.ndarray  # (b, n_q, n_k) scores / their row sums, for drawing and goals
    out: np.ndarray  # (b, n_q, d_v) from the O(n) formula


def linear_head(
    pattern: AttentionPattern,
    settings: Mapping[str, object],
    q: np.ndarray,
    k: np.ndarray,
    v: np.ndarray,
    args: Mapping[str, object],
) -> LinearHead:
    """Linear attention with the head's scale/T, causal rule and padding (bias has no place)."""
    root = math.sqrt(float(args["scale"]))  # type: ignore[arg-type]  # √(s/T)
    phi_q = feature_map(pattern, settings, q * root)  # (b, n_q, r)
    phi_k = feature_map(pattern, settings, k * root)  # (b, n_k, r)
    mask, causal = args.get("mask"), bool(args.get("causal"))
    n_q, n_k = q.shape[-2], k.shape[-2]
    allowed = np.ones((n_q, n_k), dtype=bool) if mask is None else np.asarray(mask, dtype=bool)
    if causal:
        allowed = allowed & causal_mask(n_q, n_k)  # (b, n_q, n_k)
    scores = np.where(allowed, phi_q @ np.swapaxes(phi_k, -1, -2), 0.0)  # (b, n_q, n_k)
    if mask is not None and np.shape(mask)[-2] != 1:
        # A per-query mask (cross-attention of unequal lengths): mix by the weights themselves.
        total = scores.sum(axis=-1, keepdims=True)  # (b, n_q, 1)
        weights = np.where(total > 0, scores / np.where(total > 0, total, 1.0), 0.0)
        return LinearHead(scores=scores, weights=weights, out=weights @ v)
    key_mask = None if mask is None else np.asarray(mask)[..., 0, :]  # (b, n_k)
    return LinearHead(
        scores=scores,
        weights=linear_weights(phi_q, phi_k, key_mask=key_mask, causal=causal),
        out=linear_attention(phi_q, phi_k, v, key_mask=key_mask, causal=causal),
    )
