"""Learning one head of a task level: the bridge between a board and `task_loss`.

`HeadLearner` (game/model/learn.py) trains a head on a task level through
these: `task_problems` (the readout loss on training inputs, every other head
frozen), `head_spec` (a (d, 2d) matrix of wires and value routes back into a
head), `held_out_accuracy` (the level's real score, `task_score.score_task`,
on the held-out inputs training never sees) and `shortfall` (what to tell the
player when one head cannot reach the goal from this board).
"""

from __future__ import annotations

import dataclasses

import numpy as np

from game.levels.schema import MAX_WIRES, Level
from game.model.spec import BoardState, HeadSpec, ValueRoute, Wire
from game.model.task_loss import NotTrainable, TaskProblem, task_problem, writes_nothing
from game.model.task_score import cached_score

# Adam's step size on a task: 1.0 (the pattern levels' lr) throws a position wire on a
# learned-position level (pos up to 15) so far that every step backs off and training stops
# at step 20 (16_first_of_type); 0.1 reaches the goal on every argmax level in the chapter.
TASK_LR = 0.1
MIN_STRENGTH = 0.05  # as learn.MIN_STRENGTH: weaker wires and routes change nothing visible


def why_not(level: Level, state: BoardState, head: int) -> str | None:
    """Why `head` cannot be learned alone on this task level, in plain words; None if it can."""
    if level.task is None or level.readout is None:
        return f"level {level.id!r} has no task"
    if not 0 <= head < len(state.heads):
        return f"there is no head {head + 1}"
    layer = state.heads[head].layer
    if any(spec.layer > layer and not writes_nothing(spec) for spec in state.heads):
        return (
            "the heads in the layers above read what this head writes, so it cannot learn "
            "alone; learn the top layer's head, or take the routes off the heads above first"
        )
    later = [m for m in getattr(level, "maps", ()) if m.after_layer - 1 >= layer]
    if later:
        return (
            f"the fixed map {later[0].input} → {later[0].output} after layer "
            f"{later[0].after_layer} reworks what this head writes, which this learner "
            "cannot follow; learn a head in a layer after the maps"
        )
    return None


def task_problems(board, head: int) -> list[TaskProblem]:
    """[the readout problem of `head`] on the level's training inputs (NotTrainable if not)."""
    reason = why_not(board.level, board.state, head)
    if reason is not None:
        raise NotTrainable(reason)
    return [task_problem(board.level, board.catalog, board.state, head)]


def head_spec(board, head: int, strengths: np.ndarray) -> HeadSpec:
    """`head` of the board with the wires of `strengths` (d, d), or with the wires and value
    routes of a task's (d, 2d) [wires | routes]; weak ones dropped, strengths to 2 places."""
    features = tuple(board.level.features)
    d = len(features)
    spec = board.state.heads[head]
    wires = tuple(
        Wire(features[a], features[b], round(float(strengths[a, b]), 2))
        for a, b in _strongest(strengths[:, :d])
    )
    if strengths.shape[1] != 2 * d:
        return dataclasses.replace(spec, wires=wires)
    routes = tuple(
        ValueRoute(features[k], features[o], round(float(strengths[k, d + o]), 2))
        for k, o in _strongest(strengths[:, d:])
    )
    return dataclasses.replace(spec, wires=wires, values=routes)


def _strongest(matrix: np.ndarray) -> list[tuple[int, int]]:
    """(row, column) of the entries of at least MIN_STRENGTH, at most MAX_WIRES of them (the
    strongest; a head holds no more), in row-major order."""
    on = np.flatnonzero(np.abs(matrix) >= MIN_STRENGTH)  # flat indices
    if len(on) > MAX_WIRES:
        on = np.sort(on[np.argsort(-np.abs(matrix.ravel()[on]), kind="stable")[:MAX_WIRES]])
    return [divmod(int(i), matrix.shape[1]) for i in on]


def held_out_accuracy(board, head: int, strengths: np.ndarray) -> float:
    """The share of held-out tokens right with `head` set from `strengths`: the level's own
    score (`cached_score`), on inputs training never sees."""
    spec = head_spec(board, head, strengths)
    heads = tuple(spec if h == head else old for h, old in enumerate(board.state.heads))
    state = dataclasses.replace(board.state, heads=heads)
    found = cached_score(board.level, board.catalog, state)
    return 0.0 if found is None else found.accuracy


def task_goal(level: Level) -> float | None:
    """The accuracy the level's task goal asks for (None without one)."""
    for goal in level.goals:
        if goal.type == "task":
            return float(goal.params.get("at_least", 1.0))
    return None


def shortfall(board, head: int, accuracy: float) -> str | None:
    """Plain words for a learned head short of the goal (None when it meets it)."""
    goal = task_goal(board.level)
    if goal is None or accuracy >= goal:
        return None
    said = f"Alone, this head gets {accuracy:.0%} of held-out tokens right (goal {goal:.0%})"
    layer = board.state.heads[head].layer  # 0-based: the layers below are 1..layer
    below = [spec for spec in board.state.heads if spec.layer < layer]
    if below and all(writes_nothing(spec) for spec in below):
        which = "layer 1" if layer == 1 else f"layers 1–{layer}"
        return f"{said}: build {which} first, it writes nothing yet."
    return (
        f"{said}; training one head did not get there from this board. Keep offers its best step."
    )


def wire_budget(board, head: int) -> int:
    """Wires this head may have within the level's par: par less the other heads' wires."""
    others = sum(len(spec.wires) for h, spec in enumerate(board.state.heads) if h != head)
    return max(board.level.par - others, 0)


def cut_to_par(
    board, head: int, strengths: np.ndarray, problems, budget: int, **kwargs: object
) -> np.ndarray:
    """A task head's (d, 2d) [wires | routes] cut to `budget` wires (its strongest; every
    route kept) and retrained; the uncut head when the cut one is less right on held-out
    inputs and short of the goal (the goal matters more than par)."""
    from game.model.train import train

    d = strengths.shape[0]
    wires = np.where(np.abs(strengths[:, :d]) >= MIN_STRENGTH, strengths[:, :d], 0.0)  # (d, d)
    if np.count_nonzero(wires) <= budget:
        return strengths
    keep = np.zeros(strengths.shape, bool)  # (d, 2d)
    order = np.argsort(-np.abs(wires).ravel(), kind="stable")[:budget]
    chosen = np.zeros(d * d, bool)  # (d·d,)
    chosen[order] = True
    keep[:, :d] = chosen.reshape(d, d)
    keep[:, d:] = np.abs(strengths[:, d:]) >= MIN_STRENGTH
    kwargs = {k: v for k, v in kwargs.items() if k not in ("init", "allowed_wires")}
    cut = train(
        problems, steps=200, allowed_wires=keep, init=np.where(keep, strengths, 0.0), **kwargs
    ).strengths  # (d, 2d)
    goal = task_goal(board.level) or 1.0
    before = held_out_accuracy(board, head, strengths)
    after = held_out_accuracy(board, head, cut)
    return cut if after >= min(goal, before) else strengths
