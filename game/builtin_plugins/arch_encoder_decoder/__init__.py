"""The `encoder-decoder` architecture: a source sentence and its translation.

The original Transformer (Vaswani et al. 2017, §3.2.3): the encoder attends
within the source in both directions, the decoder attends causally within the
target, and cross-attention lets each target word (the queries) look at every
source word (the keys and values) to find the words it translates. The
package also ships the encoder–decoder level pack (`levels/`).
"""

from __future__ import annotations

from pathlib import Path

from game.api import Architecture, AttentionBlock, Concept, hookimpl

DESCRIPTION = (
    "Two sentences: a source and its translation. The source words look at each "
    "other freely, the translation is written word by word without peeking ahead, "
    "and cross-attention lets each new word look back at the whole source to find "
    "the word it translates, even when the two languages order words differently."
)


@hookimpl
def switchyard_register_architectures(register):
    """Register `encoder-decoder`: encoder self, causal decoder self and cross-attention."""
    register(
        Architecture(
            name="encoder-decoder",
            title="Encoder–decoder",
            description=DESCRIPTION,
            sequences=("source", "target"),
            blocks=(
                AttentionBlock("encoder self", "source", "source"),
                AttentionBlock("decoder self", "target", "target", causal=True),
                AttentionBlock("cross", "target", "source"),
            ),
            layout="two-rows",
        )
    )


@hookimpl
def switchyard_register_concepts(register):
    """Register the encoder-decoder chapter of the campaign, where this package's levels belong."""
    register(
        Concept(
            id="encoder-decoder",
            title="Encoder–decoder",
            order=110,
            description="Cross-attention aligns a translation with its source.",
        )
    )


@hookimpl
def switchyard_register_levels(register):
    """Register the encoder–decoder level pack: every TOML file in `levels/`."""
    register(Path(__file__).parent / "levels")
