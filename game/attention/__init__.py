"""The attention math, with no pygame: reference, tiled (NumPy) and GPU backends.

The public functions are the contract of DESIGN §4; everything the game draws
and scores goes through them. Backends that plugins register are found by
name through the plugin registry (`game.attention.registered`).
"""

from game.attention.functional import attention, attention_weights, backends, resolve_backend
from game.attention.masks import (
    alibi_bias,
    causal_mask,
    causal_tile,
    masked_softmax,
    padding_mask,
    softmax_parts,
)
from game.attention.registered import BackendFailure, PluginBackend, registered_backends

__all__ = [
    "BackendFailure",
    "PluginBackend",
    "alibi_bias",
    "attention",
    "attention_weights",
    "backends",
    "causal_mask",
    "causal_tile",
    "masked_softmax",
    "padding_mask",
    "registered_backends",
    "resolve_backend",
    "softmax_parts",
]
