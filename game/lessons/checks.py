"""Checks a lesson needs the installed levels for: ids, step names, heads, words.

Each check returns `(key path, message)` pairs instead of raising, so the
loader reports every problem of a file at once, located at its line. A level
id nobody installed gets a "did you mean"; a prompt's words must be in the
sentence the board shows (the level's first sentence), or the class would be
asked about a word that is not on screen.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Mapping

from game.lessons.schema import Lesson, Prompt, Step
from game.levels.errors import Loc
from game.levels.positions import resolve
from game.levels.schema import Level
from game.views import PositionError

# Step mode's steps (game.model.STEP_NAMES, a test keeps them equal), and the
# spellings a lesson file may use for them without typing ᵀ or ·.
STEP_NAMES = ("Q", "K", "QKᵀ", "scaled", "bias", "masked", "softmax", "·V", "concat", "W_O")
_STEP_SPELLINGS = {name.lower(): name for name in STEP_NAMES} | {
    "qk": "QKᵀ",
    "qkt": "QKᵀ",
    "qk^t": "QKᵀ",
    "v": "·V",
    "weighted": "·V",
    "wo": "W_O",
    "output": "W_O",
}


def step_name(text: str | None) -> str | None:
    """The step-mode step `text` names ("qk" → "QKᵀ"), or None when it names none."""
    if text is None:
        return None
    return _STEP_SPELLINGS.get(text.strip().lower())


def suggest(word: str, known: Iterable[str]) -> str:
    """' (did you mean "01_trophy"?)' when something close is known, else ''."""
    known = list(known)
    close = difflib.get_close_matches(word, known, n=1, cutoff=0.5)
    if not close:  # "trophy" → "01_trophy": a known id that contains the word
        close = [name for name in known if word.lower() in name.lower()][:1]
    return f' (did you mean "{close[0]}"?)' if close else ""


def _position_problem(level: Level, ref: object) -> str | None:
    """Why `ref` names no token of the level's first sentence (any sequence), or None."""
    sentence = level.sentences[0]
    errors = []
    for sequence in sentence.sequences():
        try:
            resolve(sentence, ref, sequence)
            return None
        except PositionError as error:
            errors.append(str(error))
    return errors[0] if errors else "the sentence has no tokens"


# Step mode's steps that show a query × key matrix: a cell question can be answered on them.
GRID_STEPS = ("QKᵀ", "scaled", "bias", "masked", "softmax")


def _prompt_problems(prompt: Prompt, level: Level, loc: Loc, step: str | None):
    problems = []
    if prompt.kind == "cell" and step_name(step) not in (None, *GRID_STEPS):
        problems.append(
            ((*loc, "kind"), f"a cell question needs a board or a query × key step "
             f"({', '.join(GRID_STEPS)}), not step {step!r}")
        )  # fmt: skip
    problem = _position_problem(level, prompt.query)
    if problem:
        problems.append(((*loc, "query"), f"{problem} of level {level.id!r}"))
    if prompt.kind == "choice" and not prompt.choices:
        problems.append(((*loc, "choices"), 'a "choice" prompt needs 2 to 4 choices'))
    if prompt.kind == "cell" and prompt.choices:
        problems.append(
            ((*loc, "choices"), 'a "cell" prompt has no choices: the class picks a cell')
        )
    for c, choice in enumerate(prompt.choices or ()):
        problem = _position_problem(level, choice)
        if problem:
            problems.append(((*loc, "choices", c), f"{problem} of level {level.id!r}"))
    if prompt.choices and len(set(map(str, prompt.choices))) < len(prompt.choices):
        problems.append(((*loc, "choices"), "the same choice is given twice"))
    return problems


def step_problems(step: Step, s: int, levels: Mapping[str, Level]) -> list[tuple[Loc, str]]:
    """Everything wrong with step `s` that needs the installed levels."""
    loc: Loc = ("steps", s)
    problems: list[tuple[Loc, str]] = []
    if step.step is not None and step_name(step.step) is None:
        problems.append(
            ((*loc, "step"), f"unknown step {step.step!r}; steps: {', '.join(STEP_NAMES)}")
        )
    level = levels.get(step.level)
    if level is None:
        hint = suggest(step.level, levels) or " (see 'switchyard levels')"
        problems.append(((*loc, "level"), f"no installed level has the id {step.level!r}{hint}"))
        return problems
    if step.show == "solution" and level.solution is None:
        problems.append(((*loc, "show"), f"level {level.id!r} has no reference solution"))
    problems += _head_problems(step, level, loc)
    if step.prompt is not None:
        problems += _prompt_problems(step.prompt, level, (*loc, "prompt"), step.step)
    return problems


def _head_problems(step: Step, level: Level, loc: Loc) -> list[tuple[Loc, str]]:
    """The head a step names must be on its level: layer 1..layers, head 1..heads."""
    layers, per_layer = getattr(level, "layers", 1), level.heads
    layer, head = step.layer_and_head(per_layer)
    total = layers * per_layer
    if isinstance(step.head, int) and step.layer is None and step.head >= total:
        message = f"level {level.id!r} has {total} head(s): use 0..{total - 1} (or L1H1 …)"
        return [((*loc, "head"), message)]
    where = (*loc, "layer") if step.layer is not None and layer >= layers else (*loc, "head")
    if layer >= layers:
        return [(where, f"level {level.id!r} has {layers} layer(s): there is no layer {layer + 1}")]
    if head >= per_layer:
        hint = f"L1H1..L{layers}H{per_layer}, or 0..{total - 1} across every layer"
        return [((*loc, "head"), f"level {level.id!r} has {per_layer} head(s) a layer: use {hint}")]
    return []


def lesson_problems(lesson: Lesson, levels: Mapping[str, Level]) -> list[tuple[Loc, str]]:
    """Every cross-reference problem of `lesson` against the installed `levels`."""
    problems: list[tuple[Loc, str]] = []
    for s, step in enumerate(lesson.steps):
        problems += step_problems(step, s, levels)
    return problems
