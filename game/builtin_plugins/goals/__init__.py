"""The goal types of DESIGN §1: attention, pattern, output, generation, efficiency, scaling, task.

One module per goal family. Each reads a goal's table from the level file
(`params`) and an `EvaluationView` of the board on one sentence, and says
whether the goal is met, how close the board is (0..1, for the progress bar)
and why, in words. The same check draws the goal panel and scores the stars,
so what turns green is what counts. `validate` reports every problem with a
goal's table at load time, each message starting with the field it is about
(helpers in `fields`); `evaluation` holds what the checks share.
"""

from __future__ import annotations

from game.api import hookimpl

# `from .x import`, not `from . import x`: a plugin folder is imported by path under a
# package name with no parent module, and Python 3.11 resolves the second form through it.
from .attention import GOAL_TYPE as ATTENTION
from .efficiency import GOAL_TYPE as EFFICIENCY
from .generation import GOAL_TYPE as GENERATION
from .output import GOAL_TYPE as OUTPUT
from .pattern import GOAL_TYPE as PATTERN
from .scaling import GOAL_TYPE as SCALING
from .task import GOAL_TYPE as TASK

GOAL_TYPES = (ATTENTION, PATTERN, OUTPUT, GENERATION, EFFICIENCY, SCALING, TASK)


@hookimpl
def switchyard_register_goal_types(register):
    for goal_type in GOAL_TYPES:
        register(goal_type)
