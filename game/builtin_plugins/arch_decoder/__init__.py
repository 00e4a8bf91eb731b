"""The `decoder` architecture: one sequence, each token sees only the past.

GPT-style causal self-attention (Radford et al. 2018): query i may attend to
keys j ≤ i only, so the model can be trained to predict every next token at
once without peeking at the answer. The package also ships the decoder level
pack (`levels/`).
"""

from __future__ import annotations

from pathlib import Path

from game.api import Architecture, AttentionBlock, Concept, hookimpl

DESCRIPTION = (
    "A decoder writes a sentence one word at a time, so each word may only look at "
    "itself and the words before it: no peeking at what comes next. That is how a "
    "chatbot predicts the next word. The hidden future shows as the empty upper "
    "triangle of the heatmap."
)


@hookimpl
def switchyard_register_architectures(register):
    """Register the `decoder` architecture: one causal self-attention block."""
    register(
        Architecture(
            name="decoder",
            title="Decoder",
            description=DESCRIPTION,
            sequences=("tokens",),
            blocks=(AttentionBlock("self", "tokens", "tokens", causal=True),),
            layout="row",
        )
    )


@hookimpl
def switchyard_register_concepts(register):
    """Register the decoder chapter of the campaign, where this package's levels belong."""
    register(
        Concept(
            id="decoder",
            title="Decoder",
            order=100,
            description="Causal self-attention: no peeking at the words ahead.",
        )
    )


@hookimpl
def switchyard_register_levels(register):
    """Register the decoder level pack: every TOML file in `levels/`."""
    register(Path(__file__).parent / "levels")
