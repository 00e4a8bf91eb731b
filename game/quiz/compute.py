"""The numbers computed questions ask for, computed by the game's own attention code.

A pack writes the choices as numbers; `compute_value` gives the true one from
`game.attention.attention_weights`, a level's board (`game.model.Board`) or the
FlashAttention IO simulator, and the loader holds the marked answer to it. Any
failure is a `ComputeError` with a message for the pack's author.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np

from game.quiz.schema import LevelCompute, Question, TrafficCompute, WeightsCompute


class ComputeError(ValueError):
    """The computation a question describes cannot run; says why in the author's terms."""


def compute_value(question: Question, catalog: object, levels: Mapping[str, object]) -> float:
    """The number `question.compute` describes. Raises ComputeError."""
    spec = question.compute
    try:
        if isinstance(spec, WeightsCompute):
            value = weights_value(spec)
        elif isinstance(spec, LevelCompute):
            value = level_value(spec, catalog, levels)
        elif isinstance(spec, TrafficCompute):
            value = traffic_value(spec)
        else:
            raise ComputeError("the question has nothing to compute")
    except (ValueError, ArithmeticError, LookupError) as error:  # ComputeError included
        raise ComputeError(str(error)) from None
    if not np.isfinite(value):
        raise ComputeError(f"the computation gives {value}, not a number to show")
    return value


def weights_value(spec: WeightsCompute) -> float:
    from game.attention import attention_weights

    q = np.asarray(spec.q, dtype=np.float64)  # (n_q, d)
    k = np.asarray(spec.k, dtype=np.float64)  # (n_k, d)
    if q.shape[1] != k.shape[1]:
        raise ComputeError(f"q rows have {q.shape[1]} numbers and k rows {k.shape[1]}; give both d")
    if spec.query >= len(q) or spec.key >= len(k):
        raise ComputeError(f"query {spec.query} or key {spec.key} is past the rows given")
    slopes = None if spec.alibi_slope is None else np.array([spec.alibi_slope])  # (1,)
    scale = None if spec.scale else 1.0  # None: 1/√d_k
    weights = attention_weights(
        q[None], k[None], scale=scale, causal=spec.causal, alibi_slopes=slopes
    )[0]  # (n_q, n_k)
    if spec.ask == "keys_seen":
        return float(np.count_nonzero(weights[spec.query] > 0))
    return float(weights[spec.query, spec.key])


def level_value(spec: LevelCompute, catalog: object, levels: Mapping[str, object]) -> float:
    from game.model import Board

    level = levels.get(spec.level)
    if level is None:
        raise ComputeError(f"there is no level {spec.level!r} to compute on")
    try:
        if spec.board == "solution":
            board = Board.with_solution(level, catalog)
        else:
            board = Board(level, catalog)
        evaluation = board.evaluate(spec.sentence)
        return float(evaluation.weight(level_head(spec, level), spec.query, spec.key))
    except ComputeError:
        raise
    except Exception as error:  # a bad word, head or sentence; or the level's plugins failing
        raise ComputeError(f"on level {spec.level!r}: {type(error).__name__}: {error}") from None


def level_head(spec: LevelCompute, level: object) -> int:
    """The 0-based head (across every layer) a question names, checked against the level."""
    layers, per_layer = int(getattr(level, "layers", 1)), int(getattr(level, "heads", 1))
    layer, head = spec.layer_and_head(per_layer)
    if isinstance(spec.head, int) and spec.layer is None and spec.head >= layers * per_layer:
        raise ComputeError(f"level {spec.level!r} has heads 0..{layers * per_layer - 1}")
    if not 0 <= layer < layers:
        raise ComputeError(f"level {spec.level!r} has layers 1..{layers}; no layer {layer + 1}")
    if not 0 <= head < per_layer:
        raise ComputeError(f"level {spec.level!r} has {per_layer} head(s) in a layer")
    return layer * per_layer + head


def traffic_value(spec: TrafficCompute) -> float:
    from game.model.io_sim import Schedule, count_io

    naive = count_io(spec.n, spec.d, spec.sram, Schedule("naive")).total
    tiled = count_io(spec.n, spec.d, spec.sram, Schedule("tiled")).total
    if spec.ask == "naive":
        return naive / 1e6
    if spec.ask == "tiled":
        return tiled / 1e6
    return naive / tiled


def matches(value: float, choice: float, decimals: int) -> bool:
    """`choice` is `value` as shown with `decimals` places (half a last place either way)."""
    return abs(choice - value) <= 0.5 * 10.0**-decimals + 1e-12 * max(1.0, abs(value))
