"""Load-time checks of a level's `[task]` and `[readout]`, and the sentences a task gives.

Run by the loader after the schema: the task must be installed and know every
setting the level gives it, the readout must read the level's features, and
the generator's examples must fit the level (drawn here once, so a bad
generator is reported with its file and line when the level loads, never in
a frame). A task level that writes no `[[sentences]]` shows its first
examples instead (`with_task_sentences`).
"""

from __future__ import annotations

from collections.abc import Callable

from game.api import Catalog
from game.levels.errors import Loc
from game.levels.schema import Level, Sentence
from game.levels.task_inputs import (
    TaskInputError,
    TaskInputs,
    held_out_examples,
    installed_tasks,
    shown_examples,
)

Add = Callable[[Loc, str], None]


def task_inputs(level: Level, catalog: Catalog) -> TaskInputs | None:
    """The level's task, resolved in `catalog`; None when the level has none (or it is
    not installed, which the loader reports)."""
    if level.task is None or level.readout is None:
        return None
    task = installed_tasks(catalog).get(level.task.name)
    if task is None:
        return None
    return TaskInputs(task, level.task, level.readout, frozenset(level.vocab))


def task_problems(level: Level, catalog: Catalog, add: Add) -> bool:
    """Report what is wrong with the task and readout; True when examples can be drawn."""
    if level.task is None:
        if level.readout is not None:
            add(("readout",), "a readout needs a [task] to read answers for")
        if not level.sentences:
            add(("sentences",), "missing (required): a level without a [task] needs sentences")
        return False
    ok = True
    if level.readout is None:
        add(("task",), "a [task] needs a [readout] saying how answers are read")
        ok = False
    else:
        for loc, message in level.readout.problems(level.features):
            add(("readout", *loc), message)
            ok = False
    arch = catalog.architectures.get(level.architecture)
    if arch is not None and tuple(arch.sequences) != ("tokens",):
        add(("task",), f"a task reads one sequence of tokens; the {arch.name} architecture "
            f"reads {' and '.join(arch.sequences)}")  # fmt: skip
        ok = False
    low, high = level.task.lengths
    if low > high:
        add(("task", "lengths"), f"the shortest length {low} is above the longest {high}")
        ok = False
    tasks = installed_tasks(catalog)
    task = tasks.get(level.task.name)
    if task is None:
        add(("task", "name"), f'unknown task "{level.task.name}"; installed: '
            f"{', '.join(sorted(tasks)) or 'none'}")  # fmt: skip
        return False
    for key in level.task.settings:
        if key not in task.settings:
            known = ", ".join(sorted(task.settings)) or "none"
            add(("task", key), f'the "{task.name}" task has no setting "{key}"; its settings: '
                f"{known}")  # fmt: skip
            ok = False
    return ok


def with_task_sentences(level: Level, catalog: Catalog, add: Add) -> Level:
    """The level, its sentences the task's first examples when it writes none; every
    example (shown and held out) is drawn once here so a bad generator fails at load."""
    inputs = task_inputs(level, catalog)
    if inputs is None:
        return level
    try:
        shown = shown_examples(inputs)
        held_out_examples(inputs)
    except TaskInputError as error:
        add(("task",), str(error))
        return level
    if level.sentences:
        return level
    sentences = [Sentence(tokens=list(example.tokens)) for example in shown]
    return level.model_copy(update={"sentences": sentences})
