"""What a prompt's reveal shows: the answer read from the board's real weights.

Never from the lesson file: the lesson names only the query word and, for a
multiple-choice prompt, the key words to choose from; which one is right is
what the shown board's attention weights say (`HeadEvaluation.weights`, the
numbers `game.attention.attention_weights` gives). A tie (every key equal, as
on a board with no wires) makes every tied key right, and `tie` says so.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from game.lessons.schema import Prompt
from game.model import Evaluation

TIE = 1e-9  # weights closer than this count as equal


@dataclass(frozen=True)
class Reveal:
    """The real answer to a prompt on one board."""

    query: int  # the query's row in the head's weights
    keys: tuple[str, ...]  # the key words, one per column
    row: np.ndarray  # (n_k,) the query's attention weights
    options: tuple[int, ...]  # the columns the class chooses between (every key for a cell)
    right: tuple[int, ...]  # the columns that are the answer (more than one: a tie)

    @property
    def tie(self) -> bool:
        return len(self.right) > 1

    def weight(self, column: int) -> float:
        return float(self.row[column])

    def is_right(self, column: int | None) -> bool:
        return column is not None and column in self.right


def reveal(prompt: Prompt, evaluation: Evaluation, head: int) -> Reveal:
    """The answer to `prompt` on `evaluation`'s head `head`, from its weights."""
    weights = evaluation.head(head)
    query_seq, key_seq = weights.query_sequence, weights.key_sequence
    i = evaluation.resolve(prompt.query, query_seq)
    row = np.asarray(weights.weights[i], dtype=np.float64)  # (n_k,)
    keys = tuple(evaluation.tokens[key_seq])
    if prompt.choices:
        options = tuple(dict.fromkeys(evaluation.resolve(c, key_seq) for c in prompt.choices))
    else:
        options = tuple(int(j) for j in np.flatnonzero(weights.allowed[i]))
    values = row[list(options)]  # (n_options,)
    best = values.max() if prompt.ask == "most" else values.min()
    right = tuple(j for j, w in zip(options, values, strict=True) if abs(w - best) <= TIE)
    return Reveal(query=i, keys=keys, row=row, options=options, right=right)
