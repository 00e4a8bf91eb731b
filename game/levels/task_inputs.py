"""A task level's inputs: drawn from the task's generator by seed, checked at the boundary.

Two streams of the same seed: the *shown* examples (the board's sentences,
when the level writes none) and the *held-out* ones the board is scored on,
which the player never sees unless they ask for the failing ones. Every
example a generator returns is untrusted plugin output, held to the level
(`check_example`): lengths, tokens in the vocabulary, answers among the
readout's labels; a bad one raises `TaskInputError` naming the plugin's
function with its file and line, and the loader reports it at `[task]`.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from game.api import Catalog, Task, TaskExample
from game.levels.task_schema import Readout, TaskTable
from game.plugin_calls import PluginCodeError, call, defined_at

SHOWN_STREAM, HELD_OUT_STREAM = 0, 1


class TaskInputError(ValueError):
    """A task's generator failed or returned an example the level cannot use."""


@dataclass(frozen=True)
class TaskInputs:
    """What a level's task and readout need at run time, resolved against the catalog."""

    task: Task
    table: TaskTable
    readout: Readout
    vocab: frozenset[str]

    @property
    def labels(self) -> frozenset[str]:
        """Every label the readout can read."""
        return frozenset(self.readout.all_labels)


def installed_tasks(catalog: Catalog) -> dict[str, Task]:
    """The catalog's tasks (none for a catalog that predates them)."""
    return dict(getattr(catalog, "tasks", None) or {})


def task_settings(task: Task, table: TaskTable) -> dict[str, object]:
    """The task's defaults overridden by the level's keys, lists as tuples."""
    settings = dict(task.settings)
    for key, value in table.settings.items():
        settings[key] = tuple(value) if isinstance(value, list) else value
    return settings


def check_example(inputs: TaskInputs, example: object, length: int) -> TaskExample:
    """`example` held to the level, or TaskInputError saying what is wrong with it."""
    if not isinstance(example, TaskExample) or not _fits(inputs, example, length):
        raise TaskInputError(_problem(inputs, example, length))
    return TaskExample(tuple(example.tokens), tuple(example.answers))


def _fits(inputs: TaskInputs, example: TaskExample, length: int) -> bool:
    """The quick check every example passes (the file:line is looked up only on failure)."""
    tokens, answers = example.tokens, example.answers
    return (
        isinstance(tokens, tuple | list)
        and isinstance(answers, tuple | list)
        and len(tokens) == length == len(answers)
        and all(isinstance(t, str) and t in inputs.vocab for t in tokens)
        and all(a is None or a in inputs.labels for a in answers)
    )


def _problem(inputs: TaskInputs, example: object, length: int) -> str:
    """What is wrong with an example, naming the generator's file and line."""
    where = f'task "{inputs.task.name}" generate ({defined_at(inputs.task.generate)})'
    if not isinstance(example, TaskExample):
        return f"{where} returned {type(example).__name__}, not a TaskExample"
    tokens, answers = example.tokens, example.answers
    if not isinstance(tokens, tuple | list) or not isinstance(answers, tuple | list):
        return f"{where}: tokens and answers must be tuples"
    if len(tokens) != length or len(answers) != length:
        return (
            f"{where} was asked for {length} tokens and gave {len(tokens)} tokens and "
            f"{len(answers)} answers"
        )
    unknown = [t for t in tokens if not isinstance(t, str) or t not in inputs.vocab]
    if unknown:
        return f"{where} gave token {unknown[0]!r}, which is not in the vocab"
    labels = inputs.readout.all_labels
    bad = [a for a in answers if a is not None and a not in labels]
    return f"{where} gave answer {bad[0]!r}; the readout's labels are {', '.join(labels)}"


def draw(inputs: TaskInputs, stream: int, count: int) -> list[TaskExample]:
    """`count` examples of one stream of the level's seed: the same every time."""
    table = inputs.table
    rng = np.random.default_rng([table.seed, stream])
    settings = task_settings(inputs.task, table)
    low, high = table.lengths
    examples = []
    for _ in range(count):
        length = int(rng.integers(low, high + 1))
        try:
            example = call(
                f'task "{inputs.task.name}" generate', inputs.task.generate, rng,
                length=length, **settings,
            )  # fmt: skip
        except PluginCodeError as error:
            raise TaskInputError(str(error)) from error
        examples.append(check_example(inputs, example, length))
    return examples


def shown_examples(inputs: TaskInputs) -> list[TaskExample]:
    """The examples the board shows as its sentences."""
    return draw(inputs, SHOWN_STREAM, inputs.table.shown)


def held_out_examples(inputs: TaskInputs, n: int | None = None) -> list[TaskExample]:
    """The held-out examples the board is scored on (the level's `held_out`, or `n`)."""
    return draw(inputs, HELD_OUT_STREAM, inputs.table.held_out if n is None else n)
