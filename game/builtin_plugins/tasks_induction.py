"""The built-in induction task: "what came after the last time this token appeared".

The induction head (Elhage et al. 2021; Olsson et al. 2022) needs two layers:
a previous-token head in layer 1 writes each token's predecessor into the
residual stream, and a layer-2 head keys on that ("whose previous token is
the same as me?") and copies the token it finds. The inputs are the ones
Olsson et al. test induction on: a random run of distinct symbols, repeated,
so every token after the first run has an answer and no bigram statistics
can give it.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from game.api import Task, TaskExample, hookimpl

START = "bos"
SYMBOLS = ("a", "b", "c", "d")


def next_after_last(tokens: Sequence[str], i: int) -> str | None:
    """The token after the most recent earlier occurrence of tokens[i] (None: none)."""
    for j in range(i - 1, -1, -1):
        if tokens[j] == tokens[i]:
            return tokens[j + 1]
    return None


def induction(
    rng: np.random.Generator, *, length: int, symbols: Sequence[str] = SYMBOLS,
    start: str = START, **_: object,
) -> TaskExample:  # fmt: skip
    """A start token, then a run of 2..len(symbols) distinct symbols repeated to `length`."""
    longest = max(2, min(len(symbols), length - 2))
    run_length = int(rng.integers(2, longest + 1))
    run = [str(symbols[i]) for i in rng.permutation(len(symbols))[:run_length]]
    body = [run[t % run_length] for t in range(length - 1)]
    tokens = (start, *body)
    answers = (None, *(next_after_last(tokens, i) for i in range(1, length)))
    return TaskExample(tokens, answers)


TASK = Task(
    "induction",
    "Induction",
    'At every token, say what came after the last time this token appeared ("… A B … A" → B).',
    induction,
    {"symbols": SYMBOLS, "start": START},
    reference="Olsson et al. 2022, In-context Learning and Induction Heads",
)


@hookimpl
def switchyard_register_tasks(register):
    register(TASK)
