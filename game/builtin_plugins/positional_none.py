"""The `none` positional scheme: attention with no idea where any token is.

Attention compares every query with every key by content alone, so shuffling
the tokens only shuffles the outputs the same way: the sentence is a bag of
words. This scheme adds nothing, which is exactly what the first positional
level needs to show why position has to be put in by hand.
"""

from __future__ import annotations

from game.api import PositionalScheme, hookimpl

DESCRIPTION = (
    "No position at all. Attention compares tokens only by what they are, so it "
    "cannot tell 'dog bites man' from 'man bites dog': to it a sentence is a bag "
    "of words. Some puzzles are impossible until you add position."
)


@hookimpl
def switchyard_register_positional_schemes(register):
    """Register the `none` scheme: no embed, no rotate, no bias."""
    register(
        PositionalScheme(
            name="none",
            title="No position",
            description=DESCRIPTION,
            reference="Vaswani et al. 2017, 'Attention Is All You Need', §3.5",
        )
    )
