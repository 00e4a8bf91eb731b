"""What lifting the causal mask does to a decoder: "peeking", measured.

A decoder learns by guessing the next word at every position of a text it
already has. Without the causal mask a position can look at the words after it,
so its guess can copy the answer: perfect in training. When the model writes,
those words do not exist yet: what it can use is exactly what the mask lets it
see. `peek_report` puts numbers on that for the visible sentence: how much of the
attention lands on later words, and how many next words come out right with the
mask lifted (training) and with it on (writing), both from the real forward pass.
The next word chosen at a position is the vocabulary word whose features best
match the output there (one best match; a tie is no choice), as the generation
goal chooses it.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

import numpy as np

from game.model.board import Board
from game.model.evaluate import Evaluation, evaluate_sentences


@dataclass(frozen=True)
class PeekReport:
    later_share: float  # mean over query rows of the weight on later words (0..1)
    right_training: int  # next words right with the mask lifted
    right_writing: int  # …with the mask on, as when the model writes
    total: int  # positions with a next word


def next_words(ev: Evaluation) -> list[str | None]:
    """The word chosen after each position but the last (None on a tie)."""
    level, sequence = ev.level, ev.main_sequence
    words = sorted(level.vocab)
    table = np.array([[float(level.vocab[w].get(f, 0.0)) for f in ev.features] for w in words])
    scores = ev.outputs[sequence][:-1] @ table.T  # (n − 1, vocab)
    chosen: list[str | None] = []
    for row in scores:
        best = np.flatnonzero(np.isclose(row, row.max(), rtol=0, atol=1e-9))
        chosen.append(words[best[0]] if len(best) == 1 else None)
    return chosen


def _right(ev: Evaluation) -> int:
    words = ev.tokens[ev.main_sequence]
    return sum(c == w for c, w in zip(next_words(ev), words[1:], strict=True))


def peek_report(board: Board) -> PeekReport | None:
    """The numbers for the visible sentence; None while the mask is on or no block is causal."""
    state = board.state
    arch = board.catalog.architectures.get(board.level.architecture)
    if state.settings.causal or arch is None or not any(b.causal for b in arch.blocks):
        return None
    lifted = board.evaluate(0)
    masked_state = dataclasses.replace(
        state, settings=dataclasses.replace(state.settings, causal=True)
    )
    masked = evaluate_sentences(board.level, board.catalog, masked_state, [0])[0]
    shares = []
    for head in lifted.heads:
        if head.block.causal and head.query_sequence == head.key_sequence:
            later = np.triu(np.ones(head.weights.shape, dtype=bool), k=1)  # (n, n)
            shares.append(float((head.weights * later).sum(axis=1).mean()))
    total = max(0, len(lifted.tokens[lifted.main_sequence]) - 1)
    return PeekReport(
        later_share=max(shares, default=0.0),
        right_training=_right(lifted),
        right_writing=_right(masked),
        total=total,
    )


__all__ = ["PeekReport", "next_words", "peek_report"]
