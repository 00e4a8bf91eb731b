"""Goal position references: "@role", a word of the sentence, or a 0-based index.

Goals name tokens the way a teacher would ("the pronoun", "trophy", 9). The
same resolution serves the loader (is every reference valid in every
sentence?) and the board (which row of the heatmap is it?), so a reference
that loads is one the board can find.
"""

from __future__ import annotations

from game.levels.fields import role_position
from game.levels.schema import Level, Sentence
from game.views import Position, PositionError  # defined beside the views plugins are handed

__all__ = ["Position", "PositionError", "main_sequence", "position_problem", "resolve"]


def main_sequence(sentence: Sentence) -> str:
    """The sequence a bare reference means: `tokens`, or the decoder's `target`."""
    return list(sentence.sequences())[-1]


def resolve(sentence: Sentence, ref: object, sequence: str | None = None) -> Position:
    """Where `ref` points in `sentence`; `sequence` picks one for words and indices.

    "@role" uses the sentence's roles (which may name their own sequence); a
    word means its first occurrence; an int is an index. Raises PositionError.
    """
    sequences = sentence.sequences()
    if sequence is not None and sequence not in sequences:
        raise PositionError(f"this sentence has no {sequence} sequence")
    default = sequence if sequence is not None else main_sequence(sentence)
    if isinstance(ref, bool) or not isinstance(ref, int | str):
        raise PositionError(
            f'{ref!r} is not a position: use a role ("@name"), a word or a 0-based index'
        )
    if isinstance(ref, int):
        if not 0 <= ref < len(sequences[default]):
            raise PositionError(
                f"position {ref} is outside the {default} ({len(sequences[default])} tokens)"
            )
        return Position(default, ref)
    if ref.startswith("@"):
        role = ref[1:]
        if role not in sentence.roles:
            known = ", ".join(f"@{name}" for name in sentence.roles) or "none"
            raise PositionError(f'role "{ref}" is not in the sentence\'s roles (known: {known})')
        named, index = role_position(sentence.roles[role])
        named = named or default
        if named not in sequences or index >= len(sequences[named]):
            raise PositionError(f'role "{ref}" points outside the sentence')
        return Position(named, index)
    words = sequences[default]
    if ref not in words:
        raise PositionError(f'word "{ref}" is not in the sentence')
    return Position(default, words.index(ref))


def position_problem(level: Level, ref: object, sequence: str | None = None) -> str | None:
    """Why `ref` fails in some sentence of `level`, or None when it works in all of them.

    For goal types' `validate`: a goal must be checkable on the held-out
    sentences too, or the generalisation star could never be earned.
    """
    for s, sentence in enumerate(level.sentences):
        try:
            resolve(sentence, ref, sequence)
        except PositionError as error:
            message = str(error)
            if s == 0:
                return message
            held_out = f"held-out sentence {s} (sentences[{s}])"
            if "the sentence" in message:
                return message.replace("the sentence", held_out)
            return f"{message} (in {held_out})"
    return None
