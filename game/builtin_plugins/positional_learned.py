"""The `learned` positional scheme: one trained vector per position.

BERT and GPT-2 learn a table of position vectors, one row per position up to
a maximum length, and add row `pos` to the token at `pos`. The game does not
train anything, so the level supplies the table (`table=` keyword). Positions
past the end of the table have no vector at all: that is the scheme's honest
limit, and it is reported as an error rather than papered over.
"""

from __future__ import annotations

import numpy as np

from game.api import PositionalScheme, hookimpl

DESCRIPTION = (
    "Every position has its own vector, learned during training and added to the "
    "token's features. It can learn any pattern the data needs, but only for the "
    "positions it was trained on: a sentence longer than its table has nowhere to go."
)


def embed(positions: object, d_model: int, *, table: object = None, **_: object) -> np.ndarray:
    """(n, d_model) float64: rows `positions` (n,) of the level's `table` (max_pos, d_model).

    Raises ValueError when the level gave no table, when the table's width is
    not `d_model`, or when a position is not a row of the table.
    """
    if table is None:
        raise ValueError(
            "the learned positional scheme needs a table: the level must provide "
            "`table`, a (max_positions, d_model) array of position vectors"
        )
    table = np.asarray(table, dtype=np.float64)  # (max_pos, d_model)
    if table.ndim != 2:
        raise ValueError(
            f"the learned position table must be 2-D (max_positions, d_model), "
            f"got shape {table.shape}"
        )
    max_pos, width = table.shape
    if width != d_model:
        raise ValueError(f"the learned position table has {width} columns but d_model is {d_model}")
    positions = np.asarray(positions)  # (n,)
    if positions.ndim != 1:
        raise ValueError(f"positions must be 1-D (n,), got shape {positions.shape}")
    if positions.size and not np.all(positions == np.round(positions)):
        raise ValueError(f"positions must be whole numbers, got {positions.tolist()}")
    index = positions.astype(np.int64)  # (n,)
    outside = (index < 0) | (index >= max_pos)  # (n,)
    if np.any(outside):
        bad = index[outside].tolist()
        raise ValueError(
            f"position(s) {bad} are outside the learned table of {max_pos} positions "
            f"(rows 0..{max_pos - 1}) for a sequence of {positions.size} tokens"
        )
    return table[index].copy()  # (n, d_model)


@hookimpl
def switchyard_register_positional_schemes(register):
    """Register the `learned` scheme (an `embed` reading the level's table)."""
    register(
        PositionalScheme(
            name="learned",
            title="Learned table",
            description=DESCRIPTION,
            embed=embed,
            reference=(
                "Gehring et al. 2017, 'Convolutional Sequence to Sequence Learning'; "
                "Devlin et al. 2019, 'BERT'"
            ),
        )
    )
