"""256-entry colour tables for heatmaps: viridis and cividis.

Both are perceptually uniform and readable by people with colour-vision
deficiencies; cividis is the safer of the two. The tables are interpolated
from 9 anchor colours of each map (matplotlib's published values at
0, 1/8, …, 1), linearly: close to the published maps without shipping them.
"""

from __future__ import annotations

import numpy as np

_ANCHORS = {
    "viridis": [
        (68, 1, 84),
        (71, 45, 123),
        (59, 82, 139),
        (44, 114, 142),
        (33, 145, 140),
        (40, 174, 128),
        (94, 201, 98),
        (173, 220, 48),
        (253, 231, 37),
    ],
    "cividis": [
        (0, 34, 78),
        (18, 53, 112),
        (59, 73, 108),
        (87, 93, 109),
        (112, 113, 115),
        (138, 134, 120),
        (165, 156, 116),
        (195, 179, 105),
        (254, 232, 56),
    ],
}


def colour_table(name: str) -> np.ndarray:
    """(256, 3) uint8 RGB table of the named map."""
    if name not in _ANCHORS:
        raise ValueError(f"unknown colour map {name!r}; known: {', '.join(_ANCHORS)}")
    anchors = np.asarray(_ANCHORS[name], dtype=np.float64)  # (9, 3)
    at = np.linspace(0.0, 1.0, len(anchors))  # (9,)
    x = np.linspace(0.0, 1.0, 256)  # (256,)
    table = np.stack([np.interp(x, at, anchors[:, c]) for c in range(3)], axis=1)  # (256, 3)
    return np.clip(np.rint(table), 0, 255).astype(np.uint8)


def apply(table: np.ndarray, values: np.ndarray) -> np.ndarray:
    """values in [0, 1], shape (h, w) -> (h, w, 3) uint8 colours; NaN maps to 0."""
    index = np.nan_to_num(np.clip(values, 0.0, 1.0), nan=0.0) * 255.0  # (h, w)
    return table[np.rint(index).astype(np.intp)]  # (h, w, 3)
