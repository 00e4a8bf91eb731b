"""Reading an evaluation and wording a result: the helpers the goal families' `check` share."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from game.api import EvaluationView, HeadView


def word(evaluation: EvaluationView, sequence: str, index: int) -> str:
    """The word at `index` of `sequence`."""
    return evaluation.tokens[sequence][index]


def heads_for(
    evaluation: EvaluationView, params: Mapping[str, Any], query_seq: str, key_seq: str
) -> list[HeadView]:
    """The heads that attend from `query_seq` to `key_seq` (only `head` when given)."""
    heads = [
        h for h in evaluation.heads if h.query_sequence == query_seq and h.key_sequence == key_seq
    ]
    if "head" in params:
        heads = [h for h in heads if h.index == params["head"]]
    return heads


def percent(value: float, goal: float) -> str:
    """A share as a percentage, with a decimal when whole percent would hide a miss."""
    for digits in range(5):
        text = f"{value:.{digits}%}"
        if value >= goal or text != f"{goal:.{digits}%}":
            return text
    return text


def progress(value: float) -> float:
    """`value` clipped to the progress bar's 0..1."""
    return float(min(1.0, max(0.0, value)))
