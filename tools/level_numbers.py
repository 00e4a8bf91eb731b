"""Dump every installed level's numbers, or compare two dumps bit for bit.

    PYTHONPATH=/path/to/other/checkout python tools/level_numbers.py dump other.pkl
    python tools/level_numbers.py dump mine.pkl
    python tools/level_numbers.py compare other.pkl mine.pkl

A dump holds, for every level's start board and reference solution and every
sentence: W_Q…W_O, x, the outputs, each head's q, k, v, q·kᵀ, bias, mask,
weights and output, every step-mode array, the goal results and the stars.
`compare` exits 1 naming the first array that differs in any bit (how the
layer-by-layer forward pass was checked against main: all 18 levels identical).
"""

from __future__ import annotations

import pickle
import sys

import numpy as np


def dump(path: str) -> None:
    from game.model.board import Board
    from game.model.stars import score
    from game.plugins import load_plugins

    registry = load_plugins(no_plugins=True)
    out = {}
    for level_id, level in sorted(registry.levels.items()):
        boards = {"start": Board(level, registry)}
        if level.solution is not None:
            boards["solution"] = Board.with_solution(level, registry)
        for name, board in boards.items():
            records = []
            for ev in board.evaluate_all():
                heads = [
                    (h.q, h.k, h.v, h.qk, h.bias, h.allowed, h.weights, h.out) for h in ev.heads
                ]
                steps = [ev.steps(h) for h in range(len(ev.heads))]
                records.append({
                    "w": (ev.w_q, ev.w_k, ev.w_v, ev.w_o),
                    "x": dict(ev.x),
                    "outputs": dict(ev.outputs),
                    "heads": heads,
                    "goals": [(g.met, g.progress, g.message) for g in ev.goal_results],
                    "steps": [[a for _, a in s.arrays()] + [s.output] for s in steps],
                })  # fmt: skip
            out[(level_id, name)] = (records, score(board).stars)
    with open(path, "wb") as file:
        pickle.dump(out, file)
    print(f"{len(out)} boards written to {path}")


def _same(a: object, b: object, where: tuple) -> None:
    if isinstance(a, dict):
        assert a.keys() == b.keys(), where
        for key in a:
            _same(a[key], b[key], (*where, key))
    elif isinstance(a, list | tuple):
        assert len(a) == len(b), where
        for i, (x, y) in enumerate(zip(a, b, strict=True)):
            _same(x, y, (*where, i))
    elif isinstance(a, np.ndarray):
        assert a.shape == b.shape and a.dtype == b.dtype and a.tobytes() == b.tobytes(), where
    else:
        assert a == b, (where, a, b)


def compare(first: str, second: str) -> int:
    with open(first, "rb") as file:
        a = pickle.load(file)  # noqa: S301 (our own dumps)
    with open(second, "rb") as file:
        b = pickle.load(file)  # noqa: S301
    if a.keys() != b.keys():
        print(f"different boards: {sorted(a.keys() ^ b.keys())}")
        return 1
    try:
        for key in sorted(a):
            _same(a[key], b[key], key)
    except AssertionError as error:
        print(f"differs at {error}")
        return 1
    print(f"bit-identical: {len(a)} boards")
    return 0


if __name__ == "__main__":
    if sys.argv[1:2] == ["dump"] and len(sys.argv) == 3:
        dump(sys.argv[2])
    elif sys.argv[1:2] == ["compare"] and len(sys.argv) == 4:
        sys.exit(compare(sys.argv[2], sys.argv[3]))
    else:
        sys.exit(__doc__)
