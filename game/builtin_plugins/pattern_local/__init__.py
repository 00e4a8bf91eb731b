"""The `local` attention pattern: a sliding window plus global tokens.

Beltagy, Peters and Cohan 2020, "Longformer: The Long-Document Transformer"
(arXiv:2004.05150), §3.1; Zaheer et al. 2020, "Big Bird: Transformers for
Longer Sequences" (arXiv:2007.14062), §2. Each query computes scores only for
the keys within `window` positions of it, so a sentence of n tokens needs
about n·(2·window + 1) scores instead of n². A few *global* tokens (BigBird's
ITC; Longformer's [CLS]) break the rule both ways: they look at every token,
and every token looks at them, so information still crosses the whole
sentence in one step.

The package also ships its concept (the "Sparse attention" chapter), a goal
type that bounds the share of scores computed, and a level (`levels/`). It is
written only against `game.api`, as a worked example for plugin authors.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

import numpy as np

from game.api import (
    AttentionPattern,
    Concept,
    EvaluationView,
    GoalResult,
    GoalType,
    LevelView,
    hookimpl,
)

DESCRIPTION = (
    "Each word looks only at its neighbours, up to `window` places away, so a long "
    "text needs a few scores per word instead of one for every pair. A few global "
    "words look at everything, and everything looks at them."
)


def local_mask(
    q_positions: object,
    k_positions: object,
    *,
    window: float = 2,
    global_tokens: object = (),
    **_: object,
) -> np.ndarray:
    """(n_q, n_k) bool: |i − j| <= window, or i or j is a global token's position.

    `global_tokens` lists positions; a negative one counts from the end
    (−1 is the last token), so a level can make its final word global
    whatever the sentence's length.
    """
    q = np.asarray(q_positions, dtype=np.int64)  # (n_q,)
    k = np.asarray(k_positions, dtype=np.int64)  # (n_k,)
    if q.ndim != 1 or k.ndim != 1:
        raise ValueError(f"positions must be 1-D, got shapes {q.shape} and {k.shape}")
    if not float(window) >= 0:
        raise ValueError(f"window must be >= 0, got {window!r}")
    near = np.abs(q[:, None] - k[None, :]) <= float(window)  # (n_q, n_k)
    glob = [int(g) for g in np.atleast_1d(np.asarray(global_tokens, dtype=np.int64))]
    q_global = np.isin(q, [g % len(q) for g in glob]) if len(q) else np.zeros(0, bool)  # (n_q,)
    k_global = np.isin(k, [g % len(k) for g in glob]) if len(k) else np.zeros(0, bool)  # (n_k,)
    return near | q_global[:, None] | k_global[None, :]  # (n_q, n_k)


def check_computed(params: Mapping[str, Any], evaluation: EvaluationView) -> GoalResult:
    """Every head computes at most `at_most` of the n_q·n_k scores."""
    at_most = float(params["at_most"])
    shares = [h.computed_scores / max(h.weights.size, 1) for h in evaluation.heads]
    share = max(shares, default=0.0)
    total = max((h.weights.size for h in evaluation.heads), default=0)
    computed = max((h.computed_scores for h in evaluation.heads), default=0)
    return GoalResult(
        met=share <= at_most,
        progress=1.0 if share <= at_most else max(0.0, min(1.0, at_most / share)),
        message=f"{computed} of {total} scores computed ({share:.0%}); the goal is at most "
        f"{at_most:.0%}",
    )


def validate_computed(params: Mapping[str, Any], level: LevelView) -> list[str]:
    problems = [f"{key}: not a field of this goal (fields: at_most)"
                for key in sorted(set(params) - {"type", "at_most"})]  # fmt: skip
    value = params.get("at_most")
    if isinstance(value, bool) or not isinstance(value, int | float) or not 0 <= value <= 1:
        problems.append(f"at_most: must be a number from 0 to 1, got {value!r}")
    return problems


@hookimpl
def switchyard_register_attention_patterns(register):
    """Register `local`: a sliding window with optional global tokens."""
    register(
        AttentionPattern(
            name="local",
            title="Sliding window + global tokens",
            description=DESCRIPTION,
            mask=local_mask,
            reference="Beltagy, Peters and Cohan 2020, 'Longformer' (arXiv:2004.05150); "
            "Zaheer et al. 2020, 'Big Bird' (arXiv:2007.14062)",
        )
    )


@hookimpl
def switchyard_register_goal_types(register):
    """Register `computed_scores`: at most this share of the n² scores is computed."""
    register(
        GoalType(
            name="computed_scores",
            title="Scores computed",
            description="Each head computes at most this share of the n×n attention scores.",
            check=check_computed,
            validate=validate_computed,
        )
    )


@hookimpl
def switchyard_register_concepts(register):
    """Register the sparse-attention chapter, after FlashAttention and before scaling."""
    register(
        Concept(
            id="sparse",
            title="Sparse attention",
            order=124,
            description="A sliding window and a few global tokens instead of all n² scores.",
        )
    )


@hookimpl
def switchyard_register_levels(register):
    register(Path(__file__).parent / "levels")
