"""Built-in tasks on one sequence of symbols: copy, count, first/last of a type, balance.

Each task is a `game.api.Task` whose `generate(rng, *, length, **settings)`
draws one random input of `length` tokens (a start token, then symbols) and
says the answer at every token: the brute-force definition of the task, which
a level's board must reproduce through its readout. The mechanisms these
tasks take (RASP, Weiss et al. 2021) fit in one layer, but for dyck1:
- copy-previous: a previous-token head (RoPE, or any relative position);
- histogram: attend to the same symbol and to the start token; the start
  token's share of the attention, 1/(count+1), says the count;
- first-of-type / last-of-type: attend to the symbols of one type with a
  position feature tipping the balance to the earliest or the latest;
- balanced: attend evenly to the prefix; opens minus closes, over the length;
- dyck1 (two layers): that fraction, then a second head that finds its lowest
  point so far (a strong negative wire to it, at a low temperature).
- double-histogram (two layers and a level's fixed maps between them): the
  histogram's share, turned into a count c, c² and ln c by maps; a second head
  attends to the symbols with the same count (−k·(c_i − c_j)²), each copy
  weighed 1/c_j (−ln c_j), and to the start token, whose share says how many
  distinct symbols have that count.
Sort and reverse (RASP's other map programs) are not here.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from game.api import Task, TaskExample, hookimpl

START = "bos"
SYMBOLS = ("a", "b", "c", "d")


def _symbols(rng: np.random.Generator, symbols: Sequence[str], count: int) -> list[str]:
    """`count` symbols drawn uniformly (with repeats) from `symbols`."""
    return [str(symbols[i]) for i in rng.integers(0, len(symbols), size=count)]


def copy_previous(
    rng: np.random.Generator, *, length: int, symbols: Sequence[str] = SYMBOLS,
    start: str = START, offset: int = 1, **_: object,
) -> TaskExample:  # fmt: skip
    """At every token with a symbol `offset` places back: that symbol (None before)."""
    offset = int(offset)
    tokens = (start, *_symbols(rng, symbols, length - 1))
    answers = tuple(tokens[i - offset] if i - offset >= 1 else None for i in range(length))
    return TaskExample(tokens, answers)


def count_label(count: int, cap: int) -> str:
    """ "1", "2", …, and f"{cap}+" for cap or more."""
    return f"{cap}+" if count >= cap else str(count)


def histogram(
    rng: np.random.Generator, *, length: int, symbols: Sequence[str] = SYMBOLS,
    start: str = START, cap: int = 4, **_: object,
) -> TaskExample:  # fmt: skip
    """At every symbol: how many times it occurs in the whole sequence (cap or more: "cap+")."""
    body = _symbols(rng, symbols, length - 1)
    answers = (None, *(count_label(body.count(token), int(cap)) for token in body))
    return TaskExample((start, *body), answers)


def double_histogram(
    rng: np.random.Generator, *, length: int, symbols: Sequence[str] = SYMBOLS,
    start: str = START, cap: int = 4, **_: object,
) -> TaskExample:  # fmt: skip
    """At every symbol: how many distinct symbols occur exactly as often as it does (itself
    included; cap or more: "cap+"), RASP's double histogram."""
    body = _symbols(rng, symbols, length - 1)
    counts = {token: body.count(token) for token in set(body)}
    same = {c: sum(1 for other in counts.values() if other == c) for c in counts.values()}
    answers = (None, *(count_label(same[counts[token]], int(cap)) for token in body))
    return TaskExample((start, *body), answers)


def _of_type(
    rng: np.random.Generator, length: int, symbols: Sequence[str], fillers: Sequence[str],
    start: str, last: bool,
) -> TaskExample:  # fmt: skip
    """Symbols and fillers mixed half and half; at each token, the first (or the latest)
    symbol at or before it; None before the first symbol."""
    body = [
        _symbols(rng, symbols, 1)[0] if rng.random() < 0.5 else _symbols(rng, fillers, 1)[0]
        for _ in range(length - 1)
    ]
    tokens = (start, *body)
    answers: list[str | None] = []
    for i in range(length):
        seen = [token for token in tokens[1 : i + 1] if token in symbols]
        answers.append((seen[-1] if last else seen[0]) if seen else None)
    return TaskExample(tokens, tuple(answers))


def first_of_type(
    rng: np.random.Generator, *, length: int, symbols: Sequence[str] = SYMBOLS,
    fillers: Sequence[str] = ("x", "y"), start: str = START, **_: object,
) -> TaskExample:  # fmt: skip
    """At every token: the first symbol (not a filler) of the sequence so far."""
    return _of_type(rng, length, symbols, fillers, start, last=False)


def last_of_type(
    rng: np.random.Generator, *, length: int, symbols: Sequence[str] = SYMBOLS,
    fillers: Sequence[str] = ("x", "y"), start: str = START, **_: object,
) -> TaskExample:  # fmt: skip
    """At every token: the most recent symbol (not a filler) at or before it."""
    return _of_type(rng, length, symbols, fillers, start, last=True)


def balanced(
    rng: np.random.Generator, *, length: int, open: str = "(", close: str = ")",
    start: str = START, **_: object,
) -> TaskExample:  # fmt: skip
    """Brackets that never close more than they opened (prefixes of Dyck-1 words); at every
    bracket, "balanced" when as many closed as opened so far, else "open"."""
    depth, body, answers = 0, [], [None]
    for _ in range(length - 1):
        opening = depth == 0 or rng.random() < 0.5
        depth += 1 if opening else -1
        body.append(open if opening else close)
        answers.append("balanced" if depth == 0 else "open")
    return TaskExample((start, *body), tuple(answers))


def dyck1(
    rng: np.random.Generator, *, length: int, open: str = "(", close: str = ")",
    start: str = START, **_: object,
) -> TaskExample:  # fmt: skip
    """Brackets, half of the inputs walks that never dip below zero and half coin flips; at
    every bracket, "balanced" when the brackets so far form a Dyck-1 word (as many closed as
    opened, and never more closed than opened on the way), else "unbalanced"."""
    careful = rng.random() < 0.5
    depth, lowest, body, answers = 0, 0, [], [None]
    for _ in range(length - 1):
        opening = rng.random() < 0.5 or (careful and depth == 0)
        depth += 1 if opening else -1
        lowest = min(lowest, depth)
        body.append(open if opening else close)
        answers.append("balanced" if depth == 0 and lowest == 0 else "unbalanced")
    return TaskExample((start, *body), tuple(answers))


TASKS = (
    Task("copy-previous", "Copy the previous token",
         "At every token after the first symbol, say the token just before it (or `offset` "
         "places back).",
         copy_previous, {"symbols": SYMBOLS, "start": START, "offset": 1}),
    Task("histogram", "Histogram",
         "At every symbol, say how many times it occurs in the whole sequence.",
         histogram, {"symbols": SYMBOLS, "start": START, "cap": 4},
         reference="RASP (Weiss et al. 2021): make_hist, 1 layer, 1 head"),
    Task("double-histogram", "Double histogram",
         "At every symbol, say how many distinct symbols occur as many times as it does.",
         double_histogram, {"symbols": SYMBOLS, "start": START, "cap": 4},
         reference="RASP (Weiss et al. 2021): make_double_hist, 2 layers, 2 heads"),
    Task("first-of-type", "First of its type",
         "At every token, say the first symbol (not a filler) the sequence has had so far.",
         first_of_type, {"symbols": SYMBOLS, "fillers": ("x", "y"), "start": START}),
    Task("last-of-type", "Most recent of its type",
         "At every token, say the most recent symbol (not a filler) at or before it.",
         last_of_type, {"symbols": SYMBOLS, "fillers": ("x", "y"), "start": START}),
    Task("balanced", "Balanced so far",
         "Brackets that never close more than they opened: at every bracket, say whether "
         "as many have closed as opened so far.",
         balanced, {"open": "(", "close": ")", "start": START},
         reference="Dyck-1 prefixes (RASP: make_dyck_pair, its first layer)"),
    Task("dyck1", "Dyck-1",
         "At every bracket, say whether the brackets so far are a balanced word: as many "
         "closed as opened, and never more closed than opened on the way.",
         dyck1, {"open": "(", "close": ")", "start": START},
         reference="RASP (Weiss et al. 2021): Dyck-1, 2 layers, 1 head"),
)  # fmt: skip


@hookimpl
def switchyard_register_tasks(register):
    for task in TASKS:
        register(task)
