"""Checks of a level file that span fields, as located problems instead of exceptions.

The pydantic models in `game.levels.schema` check each field alone; these
checks read several at once (words in the vocabulary, roles inside their
sentence, knob values inside their knob's range). Each returns
`(key path, message)` pairs, so the loader can name the line of every problem
and report all of them at once.
"""

from __future__ import annotations

import math
from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING, Any

from game.levels.errors import Loc
from game.levels.fields import MAX_GOAL_NUMBER, MAX_NUMBER, MAX_SETTING_NUMBERS, role_position
from game.levels.layer_checks import layer_problems

if TYPE_CHECKING:
    from game.levels.schema import HeadTable, Level, Sentence, Solution, Start


def cross_field_problems(level: Level) -> list[tuple[Loc, str]]:
    """Checks that span fields, as (key path, message) pairs; empty when the level is sound.

    One check per family of rules, always in this order, so the same file
    gives the same messages in the same order.
    """
    checks = (
        _feature_problems,
        _positional_list_problems,
        _positional_settings_problems,
        _knob_problems,
        _knob_value_problems,
        _vocab_problems,
        _sentences_problems,
        _start_and_solution_problems,
        _goal_number_problems,
        _first_move_problems,
        layer_problems,
    )
    return [problem for check in checks for problem in check(level)]


def _unknown_feature(name: str) -> str:
    return f'"{name}" is not one of the level\'s features'


def _listed_twice(key: str, names: Sequence[str]) -> list[tuple[Loc, str]]:
    """Each name that repeats an earlier one in the list at `key`."""
    return [
        ((key, i), f'"{name}" is listed twice') for i, name in enumerate(names) if name in names[:i]
    ]


def _start_and_solution(level: Level) -> Iterator[tuple[str, Start | Solution]]:
    """("start", level.start), then ("solution", level.solution) when the level has one."""
    yield "start", level.start
    if level.solution is not None:
        yield "solution", level.solution


def _feature_problems(level: Level) -> list[tuple[Loc, str]]:
    """Features named twice, and a d_k that the features do not divide."""
    problems = _listed_twice("features", level.features)
    if level.d_k is not None and level.d_k % level.d_model:
        problems.append(
            (("d_k",), f"must be a multiple of d_model = {level.d_model} (the number of features)")
        )
    return problems


def _positional_list_problems(level: Level) -> list[tuple[Loc, str]]:
    """Schemes named twice; positional features that are not features, or named twice."""
    problems = _listed_twice("positional", level.positional)
    named = level.positional_features or ()
    for i, name in enumerate(named):
        if name not in level.features:
            problems.append((("positional_features", i), _unknown_feature(name)))
        elif name in named[:i]:
            problems.append((("positional_features", i), f'"{name}" is listed twice'))
    return problems


def _positional_settings_problems(level: Level) -> list[tuple[Loc, str]]:
    """Settings for schemes the level does not offer, or that are not (too many) numbers."""
    problems: list[tuple[Loc, str]] = []
    for scheme, settings in level.positional_settings.items():
        if scheme not in level.positional:
            problems.append(
                (
                    ("positional_settings", scheme),
                    f'"{scheme}" is not in the level\'s positional list {list(level.positional)}',
                )
            )
        for key, value in settings.items():
            size = _setting_size(value)
            bad = _bad_numbers(value, ("positional_settings", scheme, key))
            if size is None:
                message = "must be a number or array of numbers"
            elif bad:
                problems.extend(bad[:1])  # one per setting: a table of NaNs is one mistake
                continue
            elif size > MAX_SETTING_NUMBERS:
                message = f"has {size} numbers; at most {MAX_SETTING_NUMBERS}"
            else:
                continue
            problems.append((("positional_settings", scheme, key), message))
    return problems


def _number_problem(value: float | int, limit: float) -> str | None:
    """Why a number from a level file cannot be used here, or None."""
    if isinstance(value, float) and not math.isfinite(value):
        return f"is {value}; every number in a level file must be finite"
    if abs(value) > limit:
        return f"is {value:g}; numbers here are at most {limit:g} in size"
    return None


def _bad_numbers(
    value: Any, where: Loc, limit: float = MAX_NUMBER, depth: int = 0
) -> list[tuple[Loc, str]]:
    """Every non-finite or huge number inside `value` (numbers, lists, tables), located."""
    if isinstance(value, bool) or depth > 32:
        return []
    if isinstance(value, int | float):
        problem = _number_problem(value, limit)
        return [] if problem is None else [(where, problem)]
    if isinstance(value, list):
        items: Any = enumerate(value)
    elif isinstance(value, dict):
        items = value.items()
    else:
        return []
    return [p for key, item in items for p in _bad_numbers(item, (*where, key), limit, depth + 1)]


def _goal_number_problems(level: Level) -> list[tuple[Loc, str]]:
    """Numbers in goal tables (the goal type reads them) that are not finite or are huge."""
    return [
        problem
        for g, goal in enumerate(level.goals)
        for problem in _bad_numbers(goal.model_extra or {}, ("goals", g), MAX_GOAL_NUMBER)
    ]


def _setting_size(value: Any) -> int | None:
    """How many numbers a scheme setting holds, or None when it is not numbers."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        return 1
    if isinstance(value, list):
        total = 0
        for item in value:
            size = _setting_size(item)
            if size is None:
                return None
            total += size
        return total
    return None


def _knob_problems(level: Level) -> list[tuple[Loc, str]]:
    """Knobs named twice, with an empty range, a default outside it, or a bad log scale."""
    problems: list[tuple[Loc, str]] = []
    knob_names = [knob.name for knob in level.knobs]
    for i, knob in enumerate(level.knobs):
        if knob.name in knob_names[:i]:
            problems.append((("knobs", i, "name"), f'"{knob.name}" is listed twice'))
        if not knob.low < knob.high:
            problems.append((("knobs", i, "high"), f"must be above low = {knob.low:g}"))
        elif not knob.low <= knob.default <= knob.high:
            problems.append((("knobs", i, "default"), f"must lie in {knob.low:g}..{knob.high:g}"))
        if knob.log and knob.low <= 0:
            problems.append((("knobs", i, "low"), "a log-scale knob needs low > 0"))
    return problems


def _knob_value_problems(level: Level) -> list[tuple[Loc, str]]:
    """Knob values in `start` and `solution` for knobs that do not exist or out of range."""
    problems: list[tuple[Loc, str]] = []
    for where, settings in _start_and_solution(level):
        for name, value in settings.knobs.items():
            knob = level.knob(name)
            if knob is None:
                problems.append(((where, "knobs", name), f'there is no knob "{name}"'))
            elif not knob.low <= value <= knob.high:
                problems.append(
                    ((where, "knobs", name), f"must lie in {knob.low:g}..{knob.high:g}")
                )
    return problems


def _vocab_problems(level: Level) -> list[tuple[Loc, str]]:
    """Word vectors that name features the level does not have."""
    return [
        (("vocab", word, feature), _unknown_feature(feature))
        for word, table in level.vocab.items()
        for feature in table
        if feature not in level.features
    ]


def _sentences_problems(level: Level) -> list[tuple[Loc, str]]:
    """Each sentence's own problems, then sentences that give different sequences."""
    problems: list[tuple[Loc, str]] = []
    for s, sentence in enumerate(level.sentences):
        problems.extend(_sentence_problems(level, s, sentence))
    if len({tuple(sentence.sequences()) for sentence in level.sentences}) > 1:
        problems.append((("sentences",), "every sentence must give the same sequences"))
    return problems


def _sentence_problems(level: Level, s: int, sentence: Sentence) -> list[tuple[Loc, str]]:
    """One sentence: its sequences, its words, its roles and its alignment."""
    problems: list[tuple[Loc, str]] = []
    sequences = sentence.sequences()
    if list(sequences) not in (["tokens"], ["source", "target"]):
        problems.append(
            (("sentences", s), "give `tokens`, or `source` and `target` (encoder–decoder)")
        )
    for name, words in sequences.items():
        for t, word in enumerate(words):
            if word not in level.vocab:
                problems.append((("sentences", s, name, t), f'word "{word}" is not in the vocab'))
    for role, text in sentence.roles.items():
        message = _role_problem(text, sequences)
        if message is not None:
            problems.append((("sentences", s, "roles", role), message))
    if sentence.alignment is not None:
        problems.extend(_alignment_problems(sentence.alignment, ("sentences", s), sequences))
    return problems


def _role_problem(text: str, sequences: dict[str, list[str]]) -> str | None:
    """Why role `text` ("9", "target:2") does not point into the sentence, or None."""
    sequence, index = role_position(text)
    if sequence is None:
        if len(sequences) != 1:
            return f'say which sequence, e.g. "target:{index}"'
        sequence = next(iter(sequences))
    if sequence not in sequences:
        return f"this sentence has no {sequence} sequence"
    if index >= len(sequences[sequence]):
        return (
            f"position {index} is past the "
            f"end of the {sequence} ({len(sequences[sequence])} tokens)"
        )
    return None


def _alignment_problems(
    alignment: list[list[int]], where: Loc, sequences: dict[str, list[str]]
) -> list[tuple[Loc, str]]:
    """Alignment pairs [target, source] that need both sequences and must lie inside them."""
    if "source" not in sequences or "target" not in sequences:
        return [((*where, "alignment"), "needs `source` and `target`")]
    return [
        ((*where, "alignment", a), f"[{t}, {src}] is outside the target or the source")
        for a, (t, src) in enumerate(alignment)
        if t >= len(sequences["target"]) or src >= len(sequences["source"])
    ]


def _start_and_solution_problems(level: Level) -> list[tuple[Loc, str]]:
    """`start` and `solution`: a scheme the level offers, one head per level head, sound heads."""
    problems: list[tuple[Loc, str]] = []
    for where, settings in _start_and_solution(level):
        if settings.positional is not None and settings.positional not in level.positional:
            problems.append(
                (
                    (where, "positional"),
                    f'"{settings.positional}" is not in the '
                    f"level's positional list {list(level.positional)}",
                )
            )
        if settings.heads is not None:
            # One layer: exactly one table per head, as ever. Stacked layers may leave
            # slots empty; `layer_problems` checks each layer's slots.
            if level.layers == 1 and len(settings.heads) != level.heads:
                problems.append(
                    (
                        (where, "heads"),
                        f"gives {len(settings.heads)} heads; the level has heads = {level.heads}",
                    )
                )
            problems.extend(_head_problems(settings.heads, (where, "heads"), set(level.features)))
    return problems


def _head_problems(heads: list[HeadTable], where: Loc, features: set[str]) -> list[tuple[Loc, str]]:
    """Wires and value routes that name unknown features, or repeat an earlier one."""
    problems: list[tuple[Loc, str]] = []
    for h, head in enumerate(heads):
        seen: set[tuple[str, str]] = set()
        for w, wire in enumerate(head.wires):
            for end in ("query", "key"):
                name = getattr(wire, end)
                if name not in features:
                    problems.append(((*where, h, "wires", w, end), _unknown_feature(name)))
            if (wire.query, wire.key) in seen:
                problems.append(
                    (
                        (*where, h, "wires", w),
                        f"a second wire {wire.query} → {wire.key}; "
                        "give the first one the total strength",
                    )
                )
            seen.add((wire.query, wire.key))
        routes: set[tuple[str, str]] = set()
        for r, route in enumerate(head.values):
            for end in ("key", "out"):
                name = getattr(route, end)
                if name not in features:
                    problems.append(((*where, h, "values", r, end), _unknown_feature(name)))
            if (route.key, route.out) in routes:
                problems.append(
                    ((*where, h, "values", r), f"a second value route {route.key} → {route.out}")
                )
            routes.add((route.key, route.out))
    return problems


def _first_move_problems(level: Level) -> list[tuple[Loc, str]]:
    """A guided first move must name two of the level's features."""
    move = level.first_move
    if move is None:
        return []
    return [
        (("first_move", side), _unknown_feature(name))
        for side, name in (("query", move.query), ("key", move.key))
        if name not in level.features
    ]
