"""The attention math, with no pygame: reference, tiled (NumPy) and GPU backends.

The public functions are the contract of DESIGN §4; everything the game draws
and scores goes through them.
"""

from game.attention.functional import attention, attention_weights, backends
from game.attention.masks import alibi_bias, causal_mask, padding_mask

__all__ = [
    "alibi_bias",
    "attention",
    "attention_weights",
    "backends",
    "causal_mask",
    "padding_mask",
]
