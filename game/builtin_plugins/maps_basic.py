"""Built-in map functions: the fixed per-token steps a level may put between layers.

A real transformer's MLP computes a per-token function of the stream after
each attention layer; in this game a level gives that function instead of
the player wiring it (docs/levels.md, "Maps"). These are the few a RASP
program needs to turn a head's share of attention into arithmetic on counts:

- square: x²; with it a head can compare two numbers for equality, since
  −(a − b)² = 2·a·b − b² − a², and −a² is the same for every key of a query;
- reciprocal: 1/x (0 at 0, so a padded or unwritten token stays finite);
- count: 1/x − 1 (0 at x ≤ 0): a histogram head's share of the start token,
  1/(count + 1), back into the count;
- log: ln x for x ≥ 1, 0 below (the log of a count: a token with no count,
  such as the start token, gets 0, not −∞); a −ln c in the key turns a
  weight e^s into e^s / c, so c copies of a token together weigh as one;
- step: 1 where x ≥ 0.5, else 0: a yes/no feature from a share.
"""

from __future__ import annotations

import numpy as np

from game.api import MapFunction, hookimpl


def square(x: np.ndarray) -> np.ndarray:
    """x², elementwise."""
    return x * x


def reciprocal(x: np.ndarray) -> np.ndarray:
    """1/x, and 0 where x is 0."""
    out = np.zeros_like(x)
    np.divide(1.0, x, out=out, where=x != 0)
    return out


def count(x: np.ndarray) -> np.ndarray:
    """1/x − 1 where x > 0 (a share 1/(c + 1) back to c), 0 elsewhere."""
    out = np.zeros_like(x)
    np.divide(1.0, x, out=out, where=x > 0)
    return np.where(x > 0, out - 1.0, 0.0)


def log(x: np.ndarray) -> np.ndarray:
    """ln x where x ≥ 1, 0 below: the log of a count."""
    return np.log(np.maximum(x, 1.0))


def step(x: np.ndarray) -> np.ndarray:
    """1 where x ≥ 0.5, else 0."""
    return (x >= 0.5).astype(np.float64)


MAPS = (
    MapFunction("square", "Square", "x² at every token: compare two numbers as −(a − b)².", square),
    MapFunction("reciprocal", "Reciprocal", "1/x at every token (0 at 0).", reciprocal),
    MapFunction("count", "Share → count", "1/x − 1: a start share back to a count.", count),
    MapFunction("log", "Log", "ln x for x ≥ 1, 0 below: a count's log.", log),
    MapFunction("step", "Step", "1 where x ≥ 0.5, else 0.", step),
)


@hookimpl
def switchyard_register_maps(register):
    """Register square, reciprocal, count, log and step."""
    for function in MAPS:
        register(function)
