"""The campaign: its chapters (concepts) and the level files in `game/campaign/`.

The core knows no level and no chapter by name; this plugin registers the
campaign's concepts in the order of DESIGN §2 and points the registry at the
campaign folder beside `builtin_plugins/`, in file-name order (01_, 02_, …), and
at its lessons (`campaign/lessons/`). The
encoder, decoder and encoder–decoder chapters (orders 90, 100, 110) are
registered by the architecture plugins that ship their levels.
"""

from pathlib import Path

from game.api import Concept, hookimpl

CAMPAIGN = Path(__file__).resolve().parent.parent / "campaign"

# (id, title, what the chapter teaches); the order is 10, 20, … in this sequence,
# leaving 90–110 to the architecture plugins.
CHAPTERS = (
    ("why-attention", "Why attention", "A chain of steps loses a signal that attention links."),
    ("qkv", "Query, key, value", "A single head: what a query looks for, what a key offers."),
    ("scale", "The √d_k scale", "Without the scale, a wide head's softmax saturates."),
    ("multi-head", "Multi-head attention", "Two relations at once need two heads and W_O."),
    ("positional", "Position", "Attention alone cannot tell word order."),
    ("sinusoidal", "Sinusoidal positions", "Position written into the embeddings as waves."),
    ("rope", "Rotary positions (RoPE)", "Queries and keys rotated by position: relative offsets."),
    ("alibi", "ALiBi", "A recency bias by slope, for lengths longer than seen."),
    ("flash", "FlashAttention", "Tiles that fit in SRAM and an online softmax."),
    ("scaling", "Scaling", "Loss against compute follows a power law."),
    ("circuits", "Circuits", "Heads in stacked layers compose through the residual stream."),
)
ORDERS = (10, 20, 30, 40, 50, 60, 70, 80, 120, 130, 135)


@hookimpl
def switchyard_register_concepts(register):
    """Register the campaign's chapters (the architecture plugins add theirs)."""
    for (concept_id, title, description), order in zip(CHAPTERS, ORDERS, strict=True):
        register(Concept(id=concept_id, title=title, order=order, description=description))


@hookimpl
def switchyard_register_levels(register):
    register(CAMPAIGN)


@hookimpl
def switchyard_register_lessons(register):
    """The lessons a teacher can run with `switchyard demo --lesson ID`."""
    register(CAMPAIGN / "lessons")
