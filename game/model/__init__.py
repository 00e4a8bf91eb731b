"""The board model: tokens, heads, wires and goals (no pygame)."""
