"""Run a loaded level the way the game will, and say what would go wrong, located.

Loading a level (game/levels) checks its shape; this runs it (DESIGN §4,
`switchyard validate`): the start board on every sentence with each of the
level's positional schemes (so scheme plugins run with the level's settings)
and every goal plugin checking each result, then the stars: the starting
board must earn none (a level already solved teaches nothing) and the
reference solution all three (else the level cannot be finished). Each
problem is a `Problem` at the line of the key it is about, and a plugin's
exception becomes a message naming the scheme or goal that raised it.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from pathlib import Path
from types import FrameType

from game.api import Catalog, GoalResult
from game.levels.errors import Loc, Problem, field_path
from game.levels.locate import key_lines, line_of
from game.levels.schema import Level
from game.model.board import Board, solution_state, start_state
from game.model.spec import BoardState
from game.model.stars import Score, score


class _Located:
    """Problems for one level, located by the keys of its file (line 1 without a file)."""

    def __init__(self, level: Level) -> None:
        self.path = level.path or level.id
        try:
            self.lines = key_lines(Path(level.path).read_text(encoding="utf-8-sig"))
        except (OSError, UnicodeDecodeError, ValueError):
            self.lines = {}
        self.problems: list[Problem] = []
        self.failed_schemes: set[str] = set()  # said once, not again for the solution

    def add(self, loc: Loc, message: str) -> None:
        line = line_of(self.lines, loc) if self.lines else None
        self.problems.append(Problem(self.path, line, field_path(loc), message))


def _frames(error: BaseException | None) -> Iterator[FrameType]:
    """Every frame of `error`'s traceback and of the errors it was raised from."""
    seen: set[int] = set()
    while error is not None and id(error) not in seen:
        seen.add(id(error))
        traceback = error.__traceback__
        while traceback is not None:
            yield traceback.tb_frame
            traceback = traceback.tb_next
        error = error.__cause__ or error.__context__


def _failing_goal(error: BaseException, level: Level, catalog: Catalog) -> int | None:
    """The index of the goal whose check raised: the board's goal loop names it, or the
    traceback passes through a goal type's own `check` (handed that goal's params)."""
    checks = {}
    for g, goal in enumerate(level.goals):
        goal_type = catalog.goal_types.get(goal.type)
        code = getattr(getattr(goal_type, "check", None), "__code__", None)
        if code is not None:
            checks.setdefault(code, []).append(g)
    for frame in _frames(error):
        if frame.f_code.co_name == "_check_goals" and "goal" in frame.f_locals:
            goal = frame.f_locals["goal"]
            return next((g for g, item in enumerate(level.goals) if item is goal), None)
        if frame.f_code in checks:
            params = next(iter(frame.f_locals.values()), None)  # check(params, evaluation)
            found = [g for g in checks[frame.f_code] if level.goals[g].params is params]
            return (found or checks[frame.f_code])[0]
    return None


def _error_text(error: BaseException) -> str:
    lines = str(error).strip().splitlines()
    return f"{type(error).__name__}: {lines[0]}" if lines else type(error).__name__


def _scheme_loc(level: Level, name: str) -> Loc:
    if name in level.positional_settings:
        return ("positional_settings", name)
    return ("positional", list(level.positional).index(name))


def _with_scheme(state: BoardState, name: str, catalog: Catalog) -> BoardState:
    if name == state.settings.positional:
        return state
    scheme = catalog.positional[name]
    parameter = scheme.parameters[0].default if scheme.parameters else None
    settings = dataclasses.replace(state.settings, positional=name, parameter=parameter)
    return dataclasses.replace(state, settings=settings)


def _run(
    level: Level, catalog: Catalog, state: BoardState, what: str, out: _Located
) -> Score | None:
    """Score `state` on every sentence; None (and a located problem) when a plugin raised."""
    scheme = state.settings.positional
    if scheme in out.failed_schemes:
        return None
    try:
        result = score(Board(level, catalog, state))
    except Exception as error:  # a plugin's bug or a level its code cannot take
        g = _failing_goal(error, level, catalog)
        if g is not None:
            goal = level.goals[g].type
            out.add(("goals", g), f'the "{goal}" goal failed on {what}: {_error_text(error)}')
        else:
            message = f'the "{scheme}" positional scheme failed on {what}: {_error_text(error)}'
            out.add(_scheme_loc(level, scheme), message)
            out.failed_schemes.add(scheme)
        return None
    for s, results in enumerate(result.per_sentence):
        for g, goal_result in enumerate(results):
            if not isinstance(goal_result, GoalResult):
                out.add(
                    ("goals", g),
                    f'the "{level.goals[g].type}" goal returned {type(goal_result).__name__}, '
                    f"not a GoalResult, on {_sentence(s)}",
                )
                return None
    return result


def _sentence(s: int) -> str:
    return "the visible sentence" if s == 0 else f"held-out sentence {s}"


def _misses(level: Level, result: Score) -> Iterator[tuple[Loc, str]]:
    """The goals a board does not meet, sentence by sentence: (goal's key, why)."""
    for s, results in enumerate(result.per_sentence):
        for g, goal_result in enumerate(results):
            if not goal_result.met:
                yield ("goals", g), f"{_sentence(s)}: {goal_result.message}"


def _check_solution(level: Level, catalog: Catalog, out: _Located) -> None:
    state = solution_state(level, catalog)
    if state is None:
        return
    result = _run(level, catalog, state, "the reference solution", out)
    if result is None or result.stars == 3:
        return
    head = f"the reference solution earns {result.stars}/3 stars"
    for loc, why in _misses(level, result):
        out.add(loc, f"{head}: goal {loc[1] + 1} ({level.goals[loc[1]].type}) is not met on {why}")
    if result.goals_met and not result.under_par:
        wires = Board(level, catalog, state).wire_count
        out.add(("par",), f"{head}: it uses {wires} wires, over par {level.par}")


def _check_start(level: Level, catalog: Catalog, out: _Located, *, stars: bool) -> None:
    start = start_state(level, catalog)
    for name in level.positional:  # every scheme the player may pick runs on every sentence
        what = (
            "the start board"
            if name == start.settings.positional
            else f'the start board with "{name}"'
        )
        result = _run(level, catalog, _with_scheme(start, name, catalog), what, out)
        if stars and result is not None and name == start.settings.positional and result.stars:
            out.add(
                ("start",) if "start" in {k[0] for k in out.lines} else ("goals",),
                f"the start board already earns {result.stars}/3 stars: every goal is met "
                "before the player does anything",
            )


def check_level(level: Level, catalog: Catalog, *, stars: bool = True) -> list[Problem]:
    """Every problem running `level` shows, in file order (empty: it plays as written).

    `stars=False` keeps only what would break the board (a scheme or goal that
    raises), not what makes the level unfinishable: hot reload refuses only those.
    """
    out = _Located(level)
    _check_start(level, catalog, out, stars=stars)
    if stars:
        _check_solution(level, catalog, out)
    return sorted(out.problems, key=lambda p: p.line or 0)
