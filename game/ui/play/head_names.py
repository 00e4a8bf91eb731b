"""What a head and a level's stack are called on screen (no pygame, no widgets: every
screen imports these, the inspector and the results screen too)."""

from __future__ import annotations

from game.levels.schema import Level


def level_layers(level: Level) -> int:
    """How many layers the level stacks (1 for every level before circuits)."""
    return level.layers


def head_name(head: int, heads_per_layer: int, layers: int) -> str:
    """A head's name on screen: "Head 2", or "L2·H1" when the level has layers."""
    if layers <= 1:
        return f"Head {head + 1}"
    return f"L{head // heads_per_layer + 1}·H{head % heads_per_layer + 1}"
