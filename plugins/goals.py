"""The goal types of DESIGN §1: attention, pattern, output, generation, efficiency, scaling.

Each goal type reads a goal's table from the level file (`params`) and the
board's evaluation of one sentence, and says whether the goal is met, how
close the board is (0..1, for the progress bar) and why, in words. The same
check draws the goal panel and scores the stars, so what turns green is what
counts. `validate` reports every problem with a goal's table at load time,
each message starting with the field it is about.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from typing import Any

import numpy as np

from game.api import GoalResult, GoalType, hookimpl

PATTERNS = ("previous", "first", "diagonal", "alignment")

# Chinchilla's fitted loss, L(N, D) = E + A/N^α + B/D^β (Hoffmann et al. 2022, eq. 10).
CHINCHILLA = {"E": 1.69, "A": 406.4, "B": 410.7, "alpha": 0.34, "beta": 0.28}


# --- checking a goal's table ------------------------------------------------------------


def _number(params: Mapping[str, Any], key: str, low: float, high: float) -> list[str]:
    value = params.get(key)
    if isinstance(value, bool) or not isinstance(value, int | float):
        return [f"{key}: must be a number from {low:g} to {high:g}, got {value!r}"]
    if not low <= value <= high or not math.isfinite(value):
        return [f"{key}: must be from {low:g} to {high:g}, got {value!r}"]
    return []


def _known_keys(params: Mapping[str, Any], required: set[str], optional: set[str]) -> list[str]:
    problems = [f"{key}: this goal needs it" for key in sorted(required - set(params))]
    for key in sorted(set(params) - required - optional - {"type"}):
        known = ", ".join(sorted(required | optional))
        problems.append(f"{key}: not a field of this goal (fields: {known})")
    return problems


def _head_problem(params: Mapping[str, Any], level: Any) -> list[str]:
    if "head" not in params:
        return []
    head = params["head"]
    if isinstance(head, bool) or not isinstance(head, int) or not 0 <= head < level.heads:
        return [f"head: must be a head number from 0 to {level.heads - 1}, got {head!r}"]
    return []


def _position_problems(params: Mapping[str, Any], level: Any, *keys: str) -> list[str]:
    problems = []
    for key in keys:
        if key in params:
            problem = level.position_problem(params[key], params.get("sequence"))
            if problem:
                problems.append(f"{key}: {problem}")
    return problems


# --- helpers on an evaluation -----------------------------------------------------------


def _word(evaluation: Any, sequence: str, index: int) -> str:
    return evaluation.tokens[sequence][index]


def _heads_for(evaluation: Any, params: Mapping[str, Any], query_seq: str, key_seq: str) -> list:
    """The heads that attend from `query_seq` to `key_seq` (only `head` when given)."""
    heads = [
        h for h in evaluation.heads if h.query_sequence == query_seq and h.key_sequence == key_seq
    ]
    if "head" in params:
        heads = [h for h in heads if h.index == params["head"]]
    return heads


def _percent(value: float, goal: float) -> str:
    """A share as a percentage, with a decimal when whole percent would hide a miss."""
    for digits in range(5):
        text = f"{value:.{digits}%}"
        if value >= goal or text != f"{goal:.{digits}%}":
            return text
    return text


def _progress(value: float) -> float:
    return float(min(1.0, max(0.0, value)))


# --- attention --------------------------------------------------------------------------


def check_attention(params: Mapping[str, Any], evaluation: Any) -> GoalResult:
    """Query `query` puts at least `at_least` of its attention on key `key`."""
    # `sequence` picks where bare words and indices point, for both ends, as validate checks.
    query = evaluation.locate(params["query"], params.get("sequence"))
    key = evaluation.locate(params["key"], params.get("sequence"))
    at_least = float(params["at_least"])
    heads = _heads_for(evaluation, params, query.sequence, key.sequence)
    masses = [float(h.weights[query.index, key.index]) for h in heads]
    mass = max(masses, default=0.0)
    best = heads[int(np.argmax(masses))].index + 1 if masses else None
    q_word = _word(evaluation, query.sequence, query.index)
    k_word = _word(evaluation, key.sequence, key.index)
    where = f" (head {best})" if best is not None and len(evaluation.heads) > 1 else ""
    return GoalResult(
        met=mass >= at_least,
        progress=_progress(mass / at_least) if at_least > 0 else 1.0,
        message=f'"{q_word}" puts {_percent(mass, at_least)} of its attention on '
        f'"{k_word}"{where}; the goal is {at_least:.0%}',
    )


def target_attention(params: Mapping[str, Any], evaluation: Any, head: Any):
    """All of the query's attention on the key, in a head that joins their sequences."""
    query = evaluation.locate(params["query"], params.get("sequence"))
    key = evaluation.locate(params["key"], params.get("key_sequence"))
    if not any(h is head for h in _heads_for(evaluation, params, query.sequence, key.sequence)):
        return None
    target = np.zeros(head.weights.shape)  # (n_q, n_k)
    target[query.index, key.index] = 1.0
    row_weight = np.zeros(head.weights.shape[0])  # (n_q,)
    row_weight[query.index] = 1.0
    return target, row_weight


def validate_attention(params: Mapping[str, Any], level: Any) -> list[str]:
    problems = _known_keys(params, {"query", "key", "at_least"}, {"head", "sequence"})
    problems += _number(params, "at_least", 0.0, 1.0) if "at_least" in params else []
    problems += _head_problem(params, level)
    problems += _position_problems(params, level, "query", "key")
    return problems


# --- pattern ----------------------------------------------------------------------------


def pattern_target(
    pattern: str, n_q: int, n_k: int, alignment=None
) -> tuple[np.ndarray, np.ndarray]:
    """(target (n_q, n_k), rows (n_q,) bool): the pattern's rows, and which rows it covers."""
    target = np.zeros((n_q, n_k))  # (n_q, n_k)
    rows = np.zeros(n_q, dtype=bool)  # (n_q,)
    if pattern == "previous":
        i = np.arange(1, min(n_q, n_k + 1))  # rows with a previous token
        target[i, i - 1] = 1.0
        rows[i] = True
    elif pattern == "first":
        target[:, 0] = 1.0
        rows[:] = n_k > 0
    elif pattern == "diagonal":
        i = np.arange(min(n_q, n_k))
        target[i, i] = 1.0
        rows[i] = True
    elif pattern == "alignment":
        for t, s in alignment or ():
            target[t, s] = 1.0
            rows[t] = True
        totals = target.sum(axis=1, keepdims=True)  # (n_q, 1): a word aligned to several
        target = np.divide(target, totals, out=np.zeros_like(target), where=totals > 0)
    else:
        raise ValueError(f"unknown pattern {pattern!r}; known: {', '.join(PATTERNS)}")
    return target, rows


def total_variation(weights: np.ndarray, target: np.ndarray, rows: np.ndarray) -> float:
    """Mean over the covered rows of ½·Σ_j |weights − target|; 1 when no row is covered."""
    if not rows.any():
        return 1.0
    distance = 0.5 * np.abs(weights - target).sum(axis=1)  # (n_q,)
    return float(distance[rows].mean())


def _pattern_heads(params: Mapping[str, Any], evaluation: Any) -> tuple[list, Any]:
    """The heads a pattern goal looks at, and the sentence's alignment where it needs one:
    an alignment runs from the main sequence (the target) to the other (the source);
    every other pattern stays within the main sequence."""
    main = evaluation.main_sequence
    if params["pattern"] == "alignment":
        key_seq = next((s for s in evaluation.tokens if s != main), main)
        alignment = evaluation.sentence.alignment or ()
    else:
        key_seq, alignment = main, None
    return _heads_for(evaluation, params, main, key_seq), alignment


def check_pattern(params: Mapping[str, Any], evaluation: Any) -> GoalResult:
    """Some head's weights are within `within` (total variation) of a named pattern."""
    pattern, within = params["pattern"], float(params["within"])
    best, best_head = 1.0, None
    heads, alignment = _pattern_heads(params, evaluation)
    for head in heads:
        n_q, n_k = head.weights.shape
        target, rows = pattern_target(pattern, n_q, n_k, alignment)
        distance = total_variation(head.weights, target, rows)
        if distance < best:
            best, best_head = distance, head.index
    where = f"head {best_head + 1} is" if best_head is not None else "the heads are"
    return GoalResult(
        met=best <= within,
        progress=_progress((1.0 - best) / max(1e-9, 1.0 - within)),
        message=f"{where} {best:.2f} away from the {pattern} pattern; the goal is {within:.2f}",
    )


def target_pattern(params: Mapping[str, Any], evaluation: Any, head: Any):
    """The pattern itself, on the rows it covers, in a head that joins the right sequences."""
    heads, alignment = _pattern_heads(params, evaluation)
    if not any(h is head for h in heads):
        return None
    n_q, n_k = head.weights.shape
    target, rows = pattern_target(params["pattern"], n_q, n_k, alignment)
    return target, rows.astype(float)


def validate_pattern(params: Mapping[str, Any], level: Any) -> list[str]:
    problems = _known_keys(params, {"pattern", "within"}, {"head"})
    if "pattern" in params and params["pattern"] not in PATTERNS:
        problems.append(f"pattern: must be one of {', '.join(PATTERNS)}, got {params['pattern']!r}")
    problems += _number(params, "within", 0.0, 1.0) if "within" in params else []
    problems += _head_problem(params, level)
    if params.get("pattern") == "alignment":
        for s, sentence in enumerate(level.sentences):
            if not sentence.alignment:
                problems.append(f"pattern: sentence {s + 1} has no alignment to compare with")
    return problems


# --- output -----------------------------------------------------------------------------


def check_output(params: Mapping[str, Any], evaluation: Any) -> GoalResult:
    """The output at `position` carries `feature` at least `at_least` (or at most `at_most`)."""
    sequence = params.get("sequence")
    position = evaluation.locate(params["position"], sequence)
    value = evaluation.output(position.index, params["feature"], position.sequence)
    word = _word(evaluation, position.sequence, position.index)
    if "at_least" in params:
        goal = float(params["at_least"])
        met, progress = value >= goal, value / goal if goal > 0 else float(value >= goal)
        wanted = f"at least {goal:.2f}"
    else:
        goal = float(params["at_most"])
        met = value <= goal
        progress = 1.0 if met else max(0.0, 1.0 - (value - goal))
        wanted = f"at most {goal:.2f}"
    return GoalResult(
        met=bool(met),
        progress=_progress(progress),
        message=f'the output at "{word}" carries {value:.2f} of {params["feature"]}; '
        f"the goal is {wanted}",
    )


def validate_output(params: Mapping[str, Any], level: Any) -> list[str]:
    problems = _known_keys(params, {"position", "feature"}, {"at_least", "at_most", "sequence"})
    bounds = [key for key in ("at_least", "at_most") if key in params]
    if len(bounds) != 1:
        problems.append("at_least: give exactly one of at_least and at_most")
    for key in bounds:
        problems += _number(params, key, -100.0, 100.0)
    if "feature" in params and params["feature"] not in level.features:
        problems.append(f'feature: "{params["feature"]}" is not one of the level\'s features')
    problems += _position_problems(params, level, "position")
    return problems


# --- generation -------------------------------------------------------------------------


def predictions(evaluation: Any) -> list[str | None]:
    """The next word chosen at each position but the last: the vocabulary word whose
    features best match the output there (None when several tie)."""
    sequence = evaluation.main_sequence
    words = sorted(evaluation.level.vocab)
    table = np.stack([evaluation.word_vector(w) for w in words])  # (vocab, d_model)
    outputs = evaluation.outputs[sequence]  # (n, d_model)
    scores = outputs[:-1] @ table.T  # (n − 1, vocab)
    chosen: list[str | None] = []
    for row in scores:
        best = np.flatnonzero(np.isclose(row, row.max(), rtol=0, atol=1e-9))
        chosen.append(words[best[0]] if len(best) == 1 else None)
    return chosen


def peeking(evaluation: Any) -> bool:
    """True when any head lets a position of the main sequence use a later one."""
    sequence = evaluation.main_sequence
    for head in evaluation.heads:
        if head.query_sequence == sequence and head.key_sequence == sequence:
            later = np.triu(np.ones(head.weights.shape, dtype=bool), k=1)  # (n, n)
            if (head.weights[later] > 0).any():
                return True
    return False


def check_generation(params: Mapping[str, Any], evaluation: Any) -> GoalResult:
    """The next-word choice is right at enough positions, and no position looks ahead."""
    at_least = float(params.get("at_least", 1.0))
    words = evaluation.tokens[evaluation.main_sequence]
    chosen = predictions(evaluation)
    if not chosen:  # nothing to predict: not "0 of 1 positions", which no board could meet
        return GoalResult(True, 1.0, "a one-word sentence has no next word to pick")
    right = sum(c == w for c, w in zip(chosen, words[1:], strict=True))
    total = max(1, len(chosen))
    if peeking(evaluation):
        return GoalResult(False, 0.0, "a position looks at a later word: that is peeking")
    wrong = [i for i, (c, w) in enumerate(zip(chosen, words[1:], strict=True)) if c != w]
    first_wrong = wrong[0] if wrong else None
    detail = (
        f'; after "{words[first_wrong]}" it picks "{chosen[first_wrong] or "a tie"}", '
        f'not "{words[first_wrong + 1]}"'
        if first_wrong is not None
        else ""
    )
    return GoalResult(
        met=right / total >= at_least,
        progress=_progress(right / total / at_least) if at_least > 0 else 1.0,
        message=f"the next word is right at {right} of {total} positions{detail}",
    )


def validate_generation(params: Mapping[str, Any], level: Any) -> list[str]:
    problems = _known_keys(params, set(), {"at_least"})
    problems += _number(params, "at_least", 0.0, 1.0) if "at_least" in params else []
    return problems


# --- efficiency (the FlashAttention level) ----------------------------------------------


def check_efficiency(params: Mapping[str, Any], evaluation: Any) -> GoalResult:
    """The chosen tiles fit in SRAM and move at most `budget` elements to and from HBM."""
    n, d, sram, budget = (int(params[key]) for key in ("n", "d", "sram", "budget"))
    block_q, block_k = int(evaluation.knob("block_q")), int(evaluation.knob("block_k"))
    io = evaluation.hbm_traffic(n=n, d=d, sram=sram, block_q=block_q, block_k=block_k)
    if not io.fits:
        return GoalResult(
            False, 0.0, f"tiles of {block_q}×{block_k} do not fit in {sram:,} elements of SRAM"
        )
    return GoalResult(
        met=io.total <= budget,
        progress=_progress(budget / io.total if io.total else 1.0),
        message=f"HBM traffic is {io.total:,} elements ({io.reads:,} read, "
        f"{io.writes:,} written); the budget is {budget:,}",
    )


def validate_efficiency(params: Mapping[str, Any], level: Any) -> list[str]:
    problems = _known_keys(params, {"n", "d", "sram", "budget"}, set())
    for key, high in (("n", 1_000_000), ("d", 1024), ("sram", 10_000_000), ("budget", 1e15)):
        if key in params:
            number = _number(params, key, 1, high)
            if not number and params[key] != int(params[key]):
                number = [f"{key}: must be a whole number of elements, got {params[key]!r}"]
            problems += number
    knobs = {knob.name for knob in getattr(level, "knobs", ())}
    for knob in ("block_q", "block_k"):
        found = level.knob(knob) if knob in knobs else None
        if found is None:
            problems.append(f"type: an efficiency goal needs a knob named {knob}")
        elif not found.integer or found.low < 1:
            problems.append(f"type: the knob {knob} must be whole numbers from 1 up")
    return problems


# --- scaling (the epilogue) -------------------------------------------------------------


def chinchilla_loss(n_params: float, n_tokens: float) -> float:
    """The fitted pre-training loss of a model with N parameters trained on D tokens."""
    c = CHINCHILLA
    return c["E"] + c["A"] / n_params ** c["alpha"] + c["B"] / n_tokens ** c["beta"]


def check_scaling(params: Mapping[str, Any], evaluation: Any) -> GoalResult:
    """Within a compute budget C ≈ 6·N·D, reach a loss of at most `loss`."""
    n_params = 10.0 ** float(evaluation.knob("params_log10"))
    n_tokens = 10.0 ** float(evaluation.knob("tokens_log10"))
    budget, target = float(params["budget"]), float(params["loss"])
    compute = 6.0 * n_params * n_tokens
    loss = chinchilla_loss(n_params, n_tokens)
    if compute > budget * (1 + 1e-9):
        return GoalResult(False, 0.0, f"that needs {compute:.2e} FLOPs; the budget is {budget:.2e}")
    best = chinchilla_loss(1e6, 1e6)  # a tiny model: the bottom of the progress bar
    return GoalResult(
        met=loss <= target,
        progress=_progress((best - loss) / max(1e-9, best - target)),
        message=f"loss {loss:.3f} with {compute:.2e} FLOPs; the goal is {target:.3f}",
    )


def validate_scaling(params: Mapping[str, Any], level: Any) -> list[str]:
    problems = _known_keys(params, {"budget", "loss"}, set())
    problems += _number(params, "budget", 1.0, 1e30) if "budget" in params else []
    problems += _number(params, "loss", 0.0, 100.0) if "loss" in params else []
    knobs = {knob.name for knob in getattr(level, "knobs", ())}
    for knob in ("params_log10", "tokens_log10"):
        found = level.knob(knob) if knob in knobs else None
        if found is None:
            problems.append(f"type: a scaling goal needs a knob named {knob}")
        elif not 0 <= found.low < found.high <= 30:
            problems.append(f"type: the knob {knob} is a power of ten from 0 to 30")
    return problems


# --- registration -----------------------------------------------------------------------

GOAL_TYPES: tuple[tuple[str, str, str, Callable, Callable], ...] = (
    (
        "attention",
        "Attention",
        "A word puts at least this much of its attention on another word.",
        check_attention,
        validate_attention,
    ),
    (
        "pattern",
        "Pattern",
        "A head's heatmap looks like a pattern: previous word, first word, itself, "
        "or a translation's alignment.",
        check_pattern,
        validate_pattern,
    ),
    (
        "output",
        "Output",
        "What arrives at a word after attention carries a feature.",
        check_output,
        validate_output,
    ),
    (
        "generation",
        "Generation",
        "At every position the decoder picks the right next word, using only earlier words.",
        check_generation,
        validate_generation,
    ),
    (
        "efficiency",
        "Efficiency",
        "Tiles that fit in on-chip SRAM, moving little data to and from HBM.",
        check_efficiency,
        validate_efficiency,
    ),
    (
        "scaling",
        "Scaling",
        "The lowest loss a fixed amount of compute can buy.",
        check_scaling,
        validate_scaling,
    ),
)


@hookimpl
def switchyard_register_goal_types(register):
    targets = {"attention": target_attention, "pattern": target_pattern}
    for name, title, description, check, validate in GOAL_TYPES:
        register(
            GoalType(
                name=name,
                title=title,
                description=description,
                check=check,
                validate=validate,
                target=targets.get(name),
            )
        )
