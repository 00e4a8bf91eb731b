"""The hooks a Switchyard plugin may implement.

Every hook is a registry hook: it takes a `register` callback and calls it
once per thing the plugin adds, as the `llm` package does. `register` checks
the type at once, so a plugin that hands over the wrong thing is disabled
with a reason naming its file and line instead of breaking the game later.

A plugin implements a hook by defining a function of the same name marked
with `game.api.hookimpl`; pluggy matches arguments by name, so a plugin may
leave out arguments added in later API versions. `docs/plugins.md` documents
every hook here, and a test keeps the two in step.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from typing import Any

import pluggy

from game.api import (
    PROJECT_NAME,
    Architecture,
    AttentionBackend,
    AttentionPattern,
    GoalType,
    MapFunction,
    PositionalScheme,
    Task,
)

hookspec = pluggy.HookspecMarker(PROJECT_NAME)

Register = Callable[..., Any]  # any registry hook's callback (kept for plugins that name it)
RegisterScheme = Callable[[PositionalScheme], None]
RegisterArchitecture = Callable[[Architecture], None]
RegisterLevels = Callable[[str | os.PathLike[str]], None]
RegisterLessons = Callable[[str | os.PathLike[str]], None]
RegisterGoalType = Callable[[GoalType], None]
RegisterBackend = Callable[[AttentionBackend], None]
RegisterPattern = Callable[[AttentionPattern], None]
RegisterTask = Callable[[Task], None]
RegisterMap = Callable[[MapFunction], None]


@hookspec
def switchyard_register_positional_schemes(register: RegisterScheme) -> None:
    """Add positional schemes: call `register(scheme)` with a `game.api.PositionalScheme`.

    Arguments: `register(scheme: PositionalScheme) -> None`.
    Returns: nothing. A hook that returns a value is an error: call
    `register` for each item instead.

    Example::

        @hookimpl
        def switchyard_register_positional_schemes(register):
            register(PositionalScheme(name="t5", title="T5", description="…", bias=t5_bias))
    """


@hookspec
def switchyard_register_architectures(register: RegisterArchitecture) -> None:
    """Add architectures: call `register(architecture)` with a `game.api.Architecture`.

    Arguments: `register(architecture: Architecture) -> None`.
    Returns: nothing (call `register`).

    Example::

        @hookimpl
        def switchyard_register_architectures(register):
            register(
                Architecture(
                    name="prefix-lm",
                    title="Prefix LM",
                    description="…",
                    sequences=("tokens",),
                    blocks=(AttentionBlock("self", "tokens", "tokens"),),
                )
            )
    """


@hookspec
def switchyard_register_levels(register: RegisterLevels) -> None:
    """Add levels: call `register(path)` with a TOML file or a folder of them.

    Arguments: `register(path: str | os.PathLike) -> None`. A folder adds
    every `*.toml` in it, in name order. Files are read and checked when the
    registry loads levels, so a broken level is reported with its file and
    line and the rest of the pack still loads.
    Returns: nothing (call `register`).

    Example::

        from pathlib import Path


        @hookimpl
        def switchyard_register_levels(register):
            register(Path(__file__).parent / "levels")
    """


@hookspec
def switchyard_register_goal_types(register: RegisterGoalType) -> None:
    """Add goal types: call `register(goal_type)` with a `game.api.GoalType`.

    Arguments: `register(goal_type: GoalType) -> None`. The goal type's
    functions are handed read-only views (see "Views" in this guide):
    `check(params, evaluation: EvaluationView) -> GoalResult`,
    `validate(params, level: LevelView) -> list[str]` and
    `target(params, evaluation: EvaluationView, head: HeadView)`.
    Returns: nothing (call `register`).

    Example::

        @hookimpl
        def switchyard_register_goal_types(register):
            register(GoalType(name="sparse", title="Sparse", description="…", check=check))
    """


@hookspec
def switchyard_register_backends(register: RegisterBackend) -> None:
    """Add attention backends: call `register(backend)` with a `game.api.AttentionBackend`.

    Arguments: `register(backend: AttentionBackend) -> None`. The backend
    is then a valid `backend=` name for `game.attention.attention` whenever
    its `usable()` says so.
    Returns: nothing (call `register`).

    Example::

        @hookimpl
        def switchyard_register_backends(register):
            register(AttentionBackend(name="numba", title="Numba", run=run_numba, usable=has_numba))
    """


@hookspec
def switchyard_register_concepts(register: Register) -> None:
    """Add campaign chapters: call `register(concept)` with a `game.api.Concept`.

    Arguments: `register(concept: Concept) -> None`. A level names its
    chapter by the concept's `id` (`concept = "sparse"`); the level list
    groups levels under the concept's `title`, chapters sorted by `order`
    (then id). A concept id another plugin already registered is an error
    naming both plugins. The built-in campaign's chapters run from
    `order=10` ("why-attention") to `order=130` ("scaling") in steps of 10,
    then `order=135` ("circuits").
    Returns: nothing (call `register`).

    Example::

        @hookimpl
        def switchyard_register_concepts(register):
            register(Concept(id="sparse", title="Sparse attention", order=125))
    """


@hookspec
def switchyard_register_attention_patterns(register: RegisterPattern) -> None:
    """Add attention patterns: call `register(pattern)` with a `game.api.AttentionPattern`.

    Arguments: `register(pattern: AttentionPattern) -> None`. A pattern gives
    exactly one of `mask(q_positions, k_positions, **settings) -> (n_q, n_k)
    bool` (sparse attention: True where a score is computed) or
    `feature_map(x, **settings) -> (..., n, r)` with entries >= 0 (linear
    attention: φ(q)·φ(k) stands in for exp(q·k)). A level picks one by name
    (`pattern = "local"`, its keywords in `[pattern_settings]`); the sandbox
    lists every registered pattern. The board applies a mask like the causal
    mask (masked cells get no weight and are drawn as masked) and counts the
    scores computed; a feature map replaces softmax, and the exact softmax
    weights are shown beside it.
    Returns: nothing (call `register`).

    Example::

        def strided(q_positions, k_positions, *, stride=4, **_):
            offset = q_positions[:, None] - k_positions[None, :]  # (n_q, n_k)
            return offset % stride == 0


        @hookimpl
        def switchyard_register_attention_patterns(register):
            register(AttentionPattern("strided", "Strided", "…", mask=strided))
    """


@hookspec
def switchyard_register_tasks(register: RegisterTask) -> None:
    """Add tasks for circuits levels: call `register(task)` with a `game.api.Task`.

    Arguments: `register(task: Task) -> None`. A level names a task in its
    `[task]` table (`name = "induction"`, `seed`, `lengths`, `held_out` and
    the task's own settings); the board is scored on `held_out` inputs from
    `task.generate(rng, length=n, **settings) -> TaskExample`, read through
    the level's `[readout]`. Generated tokens must be words of the level's
    vocabulary and answers labels of its readout (or None: not scored).
    Returns: nothing (call `register`).

    Example::

        def copy_first(rng, *, length, symbols=("a", "b"), **_):
            tokens = ("bos", *rng.choice(symbols, size=length - 1).tolist())
            return TaskExample(tokens, (None, *[tokens[1]] * (length - 1)))


        @hookimpl
        def switchyard_register_tasks(register):
            register(Task("copy-first", "Copy the first", "…", copy_first, {"symbols": ("a", "b")}))
    """


@hookspec
def switchyard_register_maps(register: RegisterMap) -> None:
    """Add map functions, the fixed per-token steps between layers: `register(map_function)`.

    Arguments: `register(map_function: MapFunction) -> None`. A level puts a map
    after a layer in a `[[maps]]` table (`after_layer = 1`, `input = "share"`,
    `output = "count"`, `fn = "count"`); after that layer's heads, every token's
    `output` feature gains `fn(input)`, as the MLP after a real attention layer
    acts on each position alone. `fn(values (b, n)) -> (b, n)` must return finite
    numbers of that shape; anything else is reported with the plugin's file and line.
    Returns: nothing (call `register`).

    Example::

        @hookimpl
        def switchyard_register_maps(register):
            register(MapFunction("cube", "Cube", "x³ at every token", lambda x: x**3))
    """


@hookspec
def switchyard_register_lessons(register: RegisterLessons) -> None:
    """Add lessons: call `register(path)` with a lesson TOML file or a folder of them.

    Arguments: `register(path: str | os.PathLike) -> None`. A folder adds every
    `*.toml` in it, in name order. A lesson is a teacher's playlist of levels
    with a caption per step and optional questions for the class (the format is
    in `docs/lessons.md`, its JSON Schema in `docs/lesson.schema.json`). Files
    are read and checked against the installed levels when the registry loads
    lessons, so a broken lesson is reported with its file and line
    (`switchyard lessons`) and the other lessons still load.
    Returns: nothing (call `register`).

    Example::

        from pathlib import Path


        @hookimpl
        def switchyard_register_lessons(register):
            register(Path(__file__).parent / "lessons")
    """
