"""What a score means, in words: the headline and why each star was or was not earned.

Plain functions of the level, the board and the `Score` (no pygame), so the
results screen only lays the words out and tests read them directly.
"""

from __future__ import annotations

from game.levels.schema import Level
from game.model import Board, Score
from game.views import TaskScore

HEADLINES = {0: "Not yet", 1: "Solved!", 2: "Well built!", 3: "Perfect!"}


def star_reasons(level: Level, board: Board, result: Score) -> list[tuple[bool, str]]:
    """(earned, why) for each of the three stars, in words a student can act on."""
    held_out = result.per_sentence[1:]
    failed = sum(1 for results in held_out if not all(r.met for r in results))
    where = "" if level.task is not None else " on the sentence you saw"  # a task: on inputs
    if not result.goals_met:
        first = (False, f"Goals: not every goal is met{where}.")
    else:
        first = (True, f"Goals: every goal is met{where}.")
    wires = board.wire_count
    goal_pars = [r for r in result.per_sentence[0] if r.par_met is not None]
    par = (
        result.goals_met and result.under_par,
        f"Par: {wires} wire{'s' if wires != 1 else ''}, par is {level.par} "
        "(the fewest wires that solve this level)"
        + ("." if result.under_par else " — try it with fewer."),
    )
    if level.par_layers is not None or level.par_heads is not None:  # a stacked level
        par = (result.goals_met and result.under_par, _layer_par(level, board, result))
    if goal_pars and wires <= level.par:  # a knob level: the par is the goal's own
        at_par = all(r.par_met for r in goal_pars)
        par = (
            result.goals_met and at_par,
            "Par: "
            + ("reached" if at_par else "not yet, try a better setting")
            + f" ({goal_pars[0].message}).",
        )
    if goal_pars and held_out:  # a knob level: the held-out "sentence" is another setup
        other = held_out[0][0]
        return [first, par, (result.goals_met and other.met, f"Held-out setup: {other.message}.")]
    task = board.evaluate(0).task if level.task is not None else None
    if task is not None:  # a task level: its goal is already scored on unseen random inputs
        third = (result.goals_met and result.generalises, _task_reason(level, task))
    elif not held_out:
        third = (result.goals_met, "Unseen sentences: this level has none.")
    elif result.generalises and result.goals_met:
        third = (True, f"Unseen sentences: it works on {_all_of(len(held_out))}.")
    else:
        example = next(
            (r.message for results in held_out for r in results if not r.met), "a goal is not met"
        )
        third = (
            False,
            f"Unseen sentences: fails on {failed} of {len(held_out)} (e.g. {example}; see below). "
            "A head that learned the rule works on sentences it never saw.",
        )
    return [first, par, third]


def _task_reason(level: Level, task: TaskScore) -> str:
    """The third star on a task level: how the board did on the random held-out inputs."""
    goal = next(
        (float(g.params.get("at_least", 0.99)) for g in level.goals if g.type == "task"), 0.99
    )
    did = (
        f"Unseen inputs: {task.accuracy:.1%} of {task.positions} tokens right on "
        f"{task.examples} random inputs you never saw (each token checked; "
        f"{task.sequences:.0%} of the inputs right everywhere)"
    )
    if task.accuracy >= goal:
        return did + "."
    return did + f"; it needs {goal:.0%}. Press F on the board to see the failing examples."


def _layer_par(level: Level, board: Board, result: Score) -> str:
    """The par star on a level that counts layers and heads too."""
    plural = lambda n, word: f"{n} {word}{'s' if n != 1 else ''}"  # noqa: E731
    used = (
        f"{plural(board.wire_count, 'wire')}, {plural(board.used_layers(), 'layer')} and "
        f"{plural(board.used_heads(), 'head')} in use"
    )
    pars = [f"{level.par} wires"]
    if level.par_layers is not None:
        pars.append(plural(level.par_layers, "layer"))
    if level.par_heads is not None:
        pars.append(plural(level.par_heads, "head"))
    ending = "." if result.under_par else " — try it with fewer."
    return f"Par: {used}; par is {', '.join(pars)}{ending}"


def learned_note() -> str:
    """The line that marks a head found by gradient descent, and invites a replay by hand."""
    return (
        "Learned by gradient descent: the machine found these wires, and the stars are "
        "theirs. Press Retry and build the head by hand to make it yours."
    )


def _all_of(count: int) -> str:
    """ "the one", "both of them", "all 3 of them": never "all 2 of them"."""
    return {1: "the one", 2: "both of them"}.get(count, f"all {count} of them")
