"""Build the read-only `LevelView` and `SentenceView` that goal types' `validate` receives.

Levels are data the board reads, so the level layer builds the views of its
own data (the board adds the evaluation's in `game.model.views`). A view
copies what it shows and wires its methods to the same position resolution
the loader and the board use, so a reference that validates is one the board
finds.
"""

from __future__ import annotations

from functools import partial

from game.levels.positions import main_sequence, position_problem, resolve
from game.levels.schema import Level, Sentence
from game.views import KnobView, LevelView, SentenceView, frozen_mapping


def sentence_view(sentence: Sentence, index: int) -> SentenceView:
    """`sentence` (number `index` of its level) as plugins see it."""
    alignment, sequences = sentence.alignment, sentence.sequences()
    return SentenceView(
        index=index,
        sequences=frozen_mapping({k: tuple(v) for k, v in sequences.items()}),
        # A sentence with no words fails the loader's own checks; validate still runs.
        main_sequence=main_sequence(sentence) if sequences else "",
        alignment=None if alignment is None else tuple((t, s) for t, s in alignment),
        _locate=partial(resolve, sentence),
    )


def level_view(level: Level) -> LevelView:
    """`level` as plugins see it."""
    return LevelView(
        id=level.id,
        title=level.title,
        concept=level.concept,
        architecture=level.architecture,
        positional=tuple(level.positional_choices),
        features=tuple(level.features),
        heads=level.heads,
        d_k=level.head_dim,
        vocab=frozen_mapping({w: frozen_mapping(table) for w, table in level.vocab.items()}),
        sentences=tuple(sentence_view(s, i) for i, s in enumerate(level.sentences)),
        knobs=tuple(
            KnobView(
                k.name, k.title, k.low, k.high, k.default, k.log, k.integer, k.unit, k.after_goals
            )
            for k in level.knobs
        ),
        _position_problem=partial(position_problem, level),
        layers=level.layers,
    )
