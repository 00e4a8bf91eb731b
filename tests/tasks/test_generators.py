"""The built-in task generators: reproducible by seed, and their answers equal to a
brute-force definition of each task, written here again from the task's words."""

from __future__ import annotations

import numpy as np
import pytest

from game.api import Task, TaskExample
from tests.plugins.util import collect, load_builtin


def tasks() -> dict[str, Task]:
    found = collect(load_builtin("tasks_sequences"), "switchyard_register_tasks")
    found += collect(load_builtin("tasks_induction"), "switchyard_register_tasks")
    return {task.name: task for task in found}


TASKS = tasks()
SEEDS = range(60)


def draw(name: str, seed: int, length: int, **settings) -> TaskExample:
    task = TASKS[name]
    merged = {**task.settings, **settings}
    return task.generate(np.random.default_rng(seed), length=length, **merged)


# -- brute-force definitions, independent of the generators' code ---------------------


def copy_back(tokens, offset):
    return [tokens[i - offset] if i - offset >= 1 else None for i in range(len(tokens))]


def histogram(tokens, cap):
    body = tokens[1:]
    return [None] + [
        f"{cap}+" if sum(t == s for t in body) >= cap else str(sum(t == s for t in body))
        for s in body
    ]


def double_histogram(tokens, cap):
    """At each symbol: the symbols of the alphabet seen exactly as often as it (RASP)."""
    body = tokens[1:]
    out = [None]
    for s in body:
        mine = body.count(s)
        same = len({t for t in body if body.count(t) == mine})
        out.append(f"{cap}+" if same >= cap else str(same))
    return out


def of_type(tokens, symbols, last):
    out = []
    for i in range(len(tokens)):
        found = None
        order = range(i, 0, -1) if last else range(1, i + 1)
        for j in order:
            if tokens[j] in symbols:
                found = tokens[j]
                break
        out.append(found)
    return out


def balanced(tokens):
    out, depth = [None], 0
    for token in tokens[1:]:
        depth += 1 if token == "(" else -1
        assert depth >= 0  # prefixes of Dyck-1 words never dip below zero
        out.append("balanced" if depth == 0 else "open")
    return out


def dyck1(tokens):
    out, depth, dipped = [None], 0, False
    for token in tokens[1:]:
        depth += 1 if token == "(" else -1
        dipped = dipped or depth < 0
        out.append("balanced" if depth == 0 and not dipped else "unbalanced")
    return out


def induction(tokens):
    out = [None]
    for i in range(1, len(tokens)):
        earlier = [j for j in range(1, i) if tokens[j] == tokens[i]]
        out.append(tokens[earlier[-1] + 1] if earlier else None)
    return out


BRUTE = {
    "copy-previous": lambda t, s: copy_back(t, s.get("offset", 1)),
    "histogram": lambda t, s: histogram(t, s.get("cap", 4)),
    "double-histogram": lambda t, s: double_histogram(t, s.get("cap", 4)),
    "first-of-type": lambda t, s: of_type(t, TASKS["first-of-type"].settings["symbols"], False),
    "last-of-type": lambda t, s: of_type(t, TASKS["last-of-type"].settings["symbols"], True),
    "balanced": lambda t, s: balanced(t),
    "dyck1": lambda t, s: dyck1(t),
    "induction": lambda t, s: induction(t),
}


def test_every_builtin_task_has_a_brute_force_check_here():
    assert set(TASKS) == set(BRUTE)


@pytest.mark.parametrize(
    ("name", "settings"),
    [
        ("copy-previous", {}),
        ("copy-previous", {"offset": 2}),
        ("copy-previous", {"offset": 3, "symbols": ("p", "q")}),
        ("histogram", {}),
        ("histogram", {"cap": 2, "symbols": ("a", "b", "c", "d", "e", "f")}),
        ("double-histogram", {}),
        ("double-histogram", {"cap": 3, "symbols": ("a", "b", "c", "d", "e", "f")}),
        ("first-of-type", {}),
        ("last-of-type", {}),
        ("balanced", {}),
        ("dyck1", {}),
        ("induction", {}),
        ("induction", {"symbols": ("a", "b", "c", "d", "e", "f")}),
    ],
)
def test_answers_match_the_brute_force_definition(name, settings):
    scored = 0
    for seed in SEEDS:
        length = 2 + seed % 15
        example = draw(name, seed, length, **settings)
        assert isinstance(example, TaskExample)
        assert len(example.tokens) == len(example.answers) == length
        assert example.tokens[0] == "bos"
        assert list(example.answers) == BRUTE[name](list(example.tokens), settings), seed
        scored += sum(answer is not None for answer in example.answers)
    assert scored > len(SEEDS)  # the tasks score real positions, not only None


@pytest.mark.parametrize("name", sorted(TASKS))
def test_the_same_seed_gives_the_same_examples_and_another_seed_others(name):
    first = [draw(name, seed, 10) for seed in range(20)]
    again = [draw(name, seed, 10) for seed in range(20)]
    assert first == again
    assert len({example.tokens for example in first}) > 1


def test_tokens_come_from_the_settings():
    example = draw("histogram", 3, 12, symbols=("p", "q"), start="<s>")
    assert example.tokens[0] == "<s>" and set(example.tokens[1:]) <= {"p", "q"}
    fillers = draw("last-of-type", 5, 14, symbols=("a",), fillers=("z",))
    assert set(fillers.tokens[1:]) <= {"a", "z"}


def test_induction_inputs_repeat_a_run_so_most_tokens_are_scored():
    examples = [draw("induction", seed, 12) for seed in range(50)]
    scored = sum(a is not None for e in examples for a in e.answers)
    assert scored / sum(len(e.answers) for e in examples) > 0.5


def test_dyck1_inputs_hold_both_kinds_of_unbalanced():
    examples = [draw("dyck1", seed, 10) for seed in range(80)]
    answers = [a for e in examples for a in e.answers if a is not None]
    assert answers.count("balanced") > 20
    # Back at zero after dipping below it: the case one layer cannot tell from balanced.
    dipped_back = 0
    for e in examples:
        depth, low = 0, 0
        for token, answer in zip(e.tokens[1:], e.answers[1:], strict=True):
            depth += 1 if token == "(" else -1
            low = min(low, depth)
            dipped_back += depth == 0 and low < 0 and answer == "unbalanced"
    assert dipped_back > 10
