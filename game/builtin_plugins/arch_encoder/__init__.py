"""The `encoder` architecture: one sequence, every token sees every other.

BERT-style bidirectional self-attention (Devlin et al. 2019): no causal mask,
so a token may attend to words on both sides of it. Sentences of different
lengths are padded to one length, and padding masks keep attention off the
padding. The package also ships the encoder level pack (`levels/`).
"""

from __future__ import annotations

from pathlib import Path

from game.api import Architecture, AttentionBlock, Concept, hookimpl

DESCRIPTION = (
    "An encoder reads the whole sentence at once: every word may look at every other "
    "word, before or after it. That is how a model understands a sentence, for "
    "example working out what 'it' refers to. Shorter sentences are padded, and the "
    "padding is masked so nobody attends to it."
)


@hookimpl
def switchyard_register_architectures(register):
    """Register the `encoder` architecture: one bidirectional self-attention block."""
    register(
        Architecture(
            name="encoder",
            title="Encoder",
            description=DESCRIPTION,
            sequences=("tokens",),
            blocks=(AttentionBlock("self", "tokens", "tokens", causal=False),),
            layout="row",
            padding_masks=True,
        )
    )


@hookimpl
def switchyard_register_concepts(register):
    """Register the encoder chapter of the campaign, where this package's levels belong."""
    register(
        Concept(
            id="encoder",
            title="Encoder",
            order=90,
            description="Bidirectional self-attention: every word sees every other.",
        )
    )


@hookimpl
def switchyard_register_levels(register):
    """Register the encoder level pack: every TOML file in `levels/`."""
    register(Path(__file__).parent / "levels")
