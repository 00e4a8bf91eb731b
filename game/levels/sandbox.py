"""The sandbox's level: free play on any sentence, architecture, scheme and head count.

The sandbox screen collects a sentence (and, for an architecture with two
sequences, its translation), an architecture, a positional scheme, a head count
and each word's preset features; `sandbox_table` turns them into a level table
and `load_sandbox` loads it with the same loader as level files. Nothing here
names a plugin: the schemes, architectures, blocks and concepts come from the
catalog, ordered by what they are (see `scheme_names`, `architecture_names`,
`head_blocks`, `sandbox_concept`), so a scheme or an architecture a plugin adds
appears in the sandbox as the built-ins do. Pure functions, no pygame.
"""

from __future__ import annotations

import inspect
from collections.abc import Mapping, Sequence
from typing import Any

from game.api import Architecture, AttentionBlock, Catalog, PositionalScheme
from game.levels.loader import load_level_table
from game.levels.schema import Level

SANDBOX_ID = "sandbox"
FEATURES = ("noun", "verb", "pronoun", "adj", "det")
POSITION_FEATURE = "position"
MAX_HEADS = 4
DEFAULT_SENTENCE = "the trophy did not fit in the suitcase because it was too big"
DEFAULT_TARGET = "le trophée ne rentrait pas dans la valise car il était trop grand"
POSITION_TABLE = "table"  # the keyword of an `embed` that reads a level's table of positions

# A small lexicon so typed words start with sensible features; the grid changes them.
LEXICON: dict[str, tuple[str, ...]] = {
    **dict.fromkeys(
        ("the", "a", "an", "this", "that", "these", "those", "my", "your", "his", "its", "our",
         "their", "some", "every", "le", "la", "les", "un", "une", "der", "die", "das"),
        ("det",),
    ),
    **dict.fromkeys(
        ("it", "he", "she", "they", "i", "you", "we", "him", "her", "them", "me", "us", "il",
         "elle", "ils", "er", "sie", "es"),
        ("pronoun",),
    ),
    **dict.fromkeys(
        ("is", "was", "are", "were", "be", "did", "do", "does", "fit", "sat", "ran", "saw", "ate",
         "had", "has", "have", "went", "said", "made", "stayed", "sing", "sang", "loves",
         "rentrait", "était", "est", "ist"),
        ("verb",),
    ),
    **dict.fromkeys(
        ("big", "small", "large", "little", "old", "new", "red", "blue", "good", "bad", "tall",
         "short", "heavy", "light", "happy", "sad", "grand", "petit", "petite", "grande"),
        ("adj",),
    ),
    **dict.fromkeys(
        ("trophy", "suitcase", "cat", "dog", "mat", "man", "woman", "ball", "house", "book",
         "city", "tree", "bird", "birds", "home", "trophée", "valise", "chat", "chien"),
        ("noun",),
    ),
}  # fmt: skip


def guess_features(word: str) -> set[str]:
    """The lexicon's features for `word` (case-insensitive); unknown words have none."""
    return set(LEXICON.get(word.lower(), ()))


def distinct_words(*sentences: Sequence[str]) -> list[str]:
    """Every word of the sentences once, in order of first appearance."""
    seen: dict[str, None] = {}
    for sentence in sentences:
        for word in sentence:
            seen.setdefault(word, None)
    return list(seen)


def scheme_stage(scheme: PositionalScheme) -> int:
    """Where a scheme puts position into attention, in the order the campaign teaches it:
    0 nowhere, 1 added to the embeddings, 2 rotating q and k, 3 a bias on the scores."""
    if scheme.bias is not None or scheme.slopes is not None:
        return 3
    if scheme.rotate is not None:
        return 2
    return 1 if scheme.embed is not None else 0


def scheme_names(catalog: Catalog) -> list[str]:
    """The installed positional schemes in teaching order: by `scheme_stage`, then those
    computing positions themselves before those reading a table the level supplies (a
    learned table), then in registration order (sorted() is stable)."""
    schemes = catalog.positional

    def order(name: str) -> tuple[int, bool]:
        return scheme_stage(schemes[name]), _reads_position_table(schemes[name])

    return sorted(schemes, key=order)


def architecture_names(catalog: Catalog) -> list[str]:
    """The installed architectures, simplest first: fewer sequences, fewer attention blocks,
    fewer causal blocks (an encoder, then a decoder, then an encoder–decoder); ties in
    registration order."""
    archs = catalog.architectures

    def simplicity(name: str) -> tuple[int, int, int]:
        arch = archs[name]
        causal = sum(block.causal for block in arch.blocks)
        return len(arch.sequences), len(arch.blocks), causal

    return sorted(archs, key=simplicity)  # stable: ties keep registration order


def needs_target(catalog: Catalog, architecture: str) -> bool:
    """Whether the architecture reads two sequences (a sentence and its translation)."""
    arch = catalog.architectures.get(architecture)
    return arch is not None and len(arch.sequences) >= 2


def _block_rank(arch: Architecture, block: AttentionBlock) -> tuple[bool, bool]:
    """Blocks whose queries are the architecture's last sequence (the one it produces: a
    decoder's target) come first, and among those cross-attention (keys from another
    sequence) before self-attention."""
    main = arch.sequences[-1] if arch.sequences else block.queries
    return block.queries != main, block.keys == block.queries


def head_blocks(catalog: Catalog, architecture: str, heads: int) -> list[str]:
    """A block for each head, taken in turn from the architecture's blocks in `_block_rank`
    order: cross-attention first where there is one, then the others."""
    arch = catalog.architectures[architecture]
    ordered = sorted(arch.blocks, key=lambda block: _block_rank(arch, block))
    return [ordered[h % len(ordered)].name for h in range(heads)]


DENSE = "dense"  # the sandbox's name for "no attention pattern": every score computed


def pattern_names(catalog: Catalog) -> list[str]:
    """ "dense", then the installed attention patterns: sparse masks before linear ones."""
    patterns = getattr(catalog, "patterns", None) or {}
    return [DENSE, *sorted(patterns, key=lambda name: patterns[name].feature_map is not None)]


def concept_ids(catalog: Catalog) -> list[str]:
    """The concepts a level may name, in campaign order (empty: the catalog accepts any)."""
    return list(catalog.concepts)  # a Catalog keeps its concepts sorted by order, then id


def sandbox_concept(architecture: str, concepts: Sequence[str]) -> str:
    """The architecture's own concept where there is one, else the first concept."""
    return architecture if architecture in concepts or not concepts else concepts[0]


def _reads_position_table(scheme: PositionalScheme) -> bool:
    """Whether the scheme's `embed` takes the level's table of position vectors."""
    if scheme.embed is None:
        return False
    try:
        return POSITION_TABLE in inspect.signature(scheme.embed).parameters
    except (TypeError, ValueError):  # a builtin or C function: no signature to read
        return False


SANDBOX_HINTS = (
    "Start with one wire: noun → noun, and see who looks at whom.",
    "A negative wire pushes attention away; try pronoun → det at −3.",
    "Switch the positional scheme in the top bar and wire position → position.",
)
# Every control is on in the sandbox.
SANDBOX_CONTROLS = (
    "scale", "temperature", "positional", "positional_parameter", "wires", "values", "mix",
    "mask",
)  # fmt: skip


def sandbox_table(
    catalog: Catalog,
    *,
    words: Sequence[str],
    architecture: str,
    positional: str,
    heads: int,
    features: Mapping[str, set[str] | frozenset[str]],
    target: Sequence[str] = (),
    pattern: str = DENSE,
) -> dict[str, Any]:
    """A level table for free play: every control on, one easy goal, no held-out sentences.

    `features` maps a word to its preset features (missing words have none).
    Every installed scheme is in the level's list, in teaching order (the chosen one
    is where the board starts), so the player can switch in play and the top bar's
    tabs keep one order; they all write position into one extra `position`
    feature (a scheme whose embed reads a table of positions gets one that marks
    the first word). The goal, a `diagonal` pattern within 1.0, is always met: it
    is there so the goal panel and Check have something to show, not to judge.
    `pattern` names an attention pattern (default settings) or "dense"; with a
    linear one, schemes that add a bias are left out of the list (the chosen
    one stays, so the loader says why it cannot be used).
    """
    arch = catalog.architectures.get(architecture)
    sentence, all_words = _sandbox_sentence(arch, words, target)
    schemes = _sandbox_schemes(catalog, positional, pattern)
    table: dict[str, Any] = {
        "format_version": 1,
        "id": SANDBOX_ID,
        "title": "Sandbox",
        "concept": sandbox_concept(architecture, concept_ids(catalog)),
        "explanation": _sandbox_explanation(architecture),
        "hints": list(SANDBOX_HINTS),
        "architecture": architecture,
        "positional": schemes,
        "features": [*FEATURES, POSITION_FEATURE],
        "heads": heads,
        "par": 8,
        "controls": dict.fromkeys(SANDBOX_CONTROLS, True),
        "vocab": {
            word: {f: 1.0 for f in FEATURES if f in features.get(word, ())} for word in all_words
        },
        "sentences": [sentence],
        "goals": [{"type": "pattern", "pattern": "diagonal", "within": 1.0}],
        "positional_features": [POSITION_FEATURE],
    }
    table["start"] = {"positional": positional}
    if arch is not None:
        table["start"]["heads"] = [{"block": b} for b in head_blocks(catalog, architecture, heads)]
    if pattern != DENSE:
        table["pattern"] = pattern
    position_tables = _position_tables(catalog, schemes, max(1, len(words), len(target)))
    if position_tables:
        table["positional_settings"] = position_tables
    return table


def _sandbox_schemes(catalog: Catalog, positional: str, pattern: str) -> list[str]:
    """The level's schemes in teaching order, the chosen one included even when it is not
    installed (the loader then says so); under linear attention, none that adds a bias."""
    schemes = scheme_names(catalog)
    if positional not in schemes:
        schemes = [positional, *schemes]
    chosen = (getattr(catalog, "patterns", None) or {}).get(pattern)
    if chosen is not None and chosen.feature_map is not None:
        schemes = [n for n in schemes if n == positional or scheme_stage(catalog.positional[n]) < 3]
    return schemes


def _sandbox_sentence(
    arch: Architecture | None, words: Sequence[str], target: Sequence[str]
) -> tuple[dict[str, list[str]], list[str]]:
    """The level's one sentence under the architecture's sequence names, and its words.

    An architecture with two sequences reads `words` and `target`; any other (or
    an architecture that is not installed) reads `words` alone.
    """
    sequences = tuple(arch.sequences) if arch is not None else ("tokens",)
    if len(sequences) >= 2:
        sentence = {sequences[0]: list(words), sequences[1]: list(target)}
        return sentence, distinct_words(words, target)
    return {sequences[0]: list(words)}, distinct_words(words)


def _sandbox_explanation(architecture: str) -> str:
    """The sandbox's text; the play screen adds what the scheme chosen now does."""
    return (
        f"Free play: the {architecture} architecture. Wire any query feature to any key "
        "feature, route values, switch the scheme, the scale and the temperature, and "
        "watch the heatmap follow. The "
        "goal only asks for a roughly diagonal pattern, so Check always has "
        "something to say; there are no unseen sentences here."
    )


def _position_tables(
    catalog: Catalog, schemes: Sequence[str], longest: int
) -> dict[str, dict[str, list[list[float]]]]:
    """For each scheme whose embed reads a table of positions, one marking the first word."""
    first_word = [[1.0]] + [[0.0]] * (longest - 1)  # (positions, 1): the position feature
    return {
        name: {POSITION_TABLE: first_word}
        for name in schemes
        if name in catalog.positional and _reads_position_table(catalog.positional[name])
    }


def load_sandbox(table: Mapping[str, Any], catalog: Catalog) -> Level:
    """The sandbox level, through the same loader as level files (raises LevelError)."""
    return load_level_table(table, SANDBOX_ID, catalog)


__all__ = [
    "DENSE",
    "DEFAULT_SENTENCE",
    "DEFAULT_TARGET",
    "FEATURES",
    "LEXICON",
    "MAX_HEADS",
    "POSITION_FEATURE",
    "SANDBOX_ID",
    "architecture_names",
    "concept_ids",
    "distinct_words",
    "guess_features",
    "head_blocks",
    "load_sandbox",
    "needs_target",
    "pattern_names",
    "sandbox_concept",
    "sandbox_table",
    "scheme_names",
    "scheme_stage",
]
