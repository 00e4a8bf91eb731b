"""Attention patterns on the board: the numbers it draws and checks against float64 by hand.

The shipped sparse and linear levels, their solutions, and copies of them
changed one field at a time (dense instead of a window, a misspelled
pattern, linear attention with a bias) show that the pattern is what the
board computes and what the goals are checked on.
"""

from __future__ import annotations

import json
import math
from pathlib import Path

import numpy as np
import pytest

from game.api import AttentionPattern
from game.levels import LevelError, load_level_text
from game.levels.sandbox import load_sandbox, sandbox_table
from game.model import Board
from game.model.evaluate import evaluate_sentences
from game.model.learn import NothingToLearn, has_target, training_problems
from game.model.patterns import feature_map, pattern_mask
from game.model.stars import score
from game.plugin_calls import PluginCodeError
from game.plugins import load_plugins
from tests.plugins.util import PLUGINS_DIR

LOCAL_FILE = PLUGINS_DIR / "pattern_local" / "levels" / "sparse_01_window.toml"
LINEAR_FILE = PLUGINS_DIR / "pattern_linear" / "levels" / "linear_01_blur.toml"


@pytest.fixture(scope="module")
def registry():
    return load_plugins(no_plugins=True)


def solved(registry, level_id: str) -> Board:
    return Board.with_solution(registry.levels[level_id], registry)


def variant(registry, path: Path, old: str, new: str):
    """The level file at `path` with one piece of text replaced, loaded against `registry`."""
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    return load_level_text(text.replace(old, new, 1), path.name, registry)


def by_hand_softmax(logits: np.ndarray, allowed: np.ndarray) -> np.ndarray:
    out = np.zeros_like(logits)
    for i in range(logits.shape[0]):
        cols = np.flatnonzero(allowed[i])
        e = np.exp(logits[i, cols] - logits[i, cols].max())
        out[i, cols] = e / e.sum()
    return out


def test_the_window_is_the_mask_the_board_applies(registry):
    local = registry.patterns["local"]
    for evaluation in solved(registry, "sparse_01_window").evaluate_all():
        head = evaluation.heads[0]
        n = head.qk.shape[0]
        mask = local.mask(np.arange(n), np.arange(n), window=1, global_tokens=[0])
        np.testing.assert_array_equal(head.allowed, mask)
        assert head.computed_scores == int(mask.sum()) < n * n
        np.testing.assert_array_equal(head.weights[~mask], 0.0)
        want = by_hand_softmax(head.qk * head.scale / head.temperature, mask)
        np.testing.assert_allclose(head.weights, want, atol=1e-12)
        np.testing.assert_allclose(head.out, want @ head.v, atol=1e-12)


def test_dense_attention_or_no_global_token_fails_the_sparse_level(registry):
    level = registry.levels["sparse_01_window"]
    dense = level.model_copy(update={"pattern": None, "pattern_settings": {}})
    result = score(Board.with_solution(dense, registry))
    assert not result.goals_met  # every noun sees every adjective
    missed = [g.message for g in result.per_sentence[0] if not g.met]
    assert any('"cat" puts' in m for m in missed), missed
    windowed = variant(registry, LOCAL_FILE, "global_tokens = [0]", "global_tokens = []")
    result = score(Board.with_solution(windowed, registry))
    missed = [g.message for g in result.per_sentence[0] if not g.met]
    assert missed and all('"[CLS]" puts' in m for m in missed), missed


def test_linear_attention_is_what_the_board_computes_and_checks(registry):
    phi = registry.patterns["linear-elu"].feature_map
    board = solved(registry, "linear_01_blur")
    for evaluation in board.evaluate_all():
        head = evaluation.heads[0]
        root = math.sqrt(head.scale / head.temperature)
        scores = phi(head.q * root) @ phi(head.k * root).T  # (n, n)
        want = scores / scores.sum(axis=1, keepdims=True)
        np.testing.assert_allclose(head.weights, want, atol=1e-12)
        np.testing.assert_allclose(head.out, want @ head.v, atol=1e-12)
        exact = by_hand_softmax(head.logits, np.ones_like(head.allowed))
        np.testing.assert_allclose(head.exact_weights, exact, atol=1e-12)
        ask = evaluation.resolve("@ask")
        noun = evaluation.features.index("noun")
        assert evaluation.outputs["tokens"][ask, noun] == pytest.approx(want[ask] @ head.v[:, noun])
    assert score(board).stars == 3


def test_the_sharp_start_board_breaks_the_approximation_on_it(registry):
    board = Board(registry.levels["linear_01_blur"], registry)
    evaluation = board.evaluate_all()[0]
    head = evaluation.heads[0]
    it = evaluation.resolve("@it")
    gap = 0.5 * np.abs(head.weights[it] - head.exact_weights[it]).sum()
    assert gap > 0.5 and head.exact_weights[it].max() > 0.3 > head.weights[it].max()
    assert score(board).stars == 0


def test_a_misspelled_pattern_gets_a_located_did_you_mean(registry):
    with pytest.raises(LevelError) as caught:
        variant(registry, LOCAL_FILE, 'pattern = "local"', 'pattern = "locl"')
    text = str(caught.value)
    line = LOCAL_FILE.read_text().splitlines().index('pattern = "local"') + 1
    assert f"sparse_01_window.toml:{line}: pattern: unknown attention pattern" in text
    assert 'did you mean "local"?' in text and "linear-elu" in text


@pytest.mark.parametrize(
    ("path", "old", "new", "message"),
    [
        (LINEAR_FILE, 'positional = "none"', 'positional = "alibi"', "no score matrix"),
        (LOCAL_FILE, "window = 1", 'window = "one"', "must be a number"),
        (
            LOCAL_FILE,
            "window = 1",
            "window = -1",
            'the "local" pattern failed: ValueError: window must be >= 0',
        ),
        (LOCAL_FILE, 'pattern = "local"\n', "", "names no `pattern`"),
        (LOCAL_FILE, "low = 0\n", "low = -3\n", 'knobs\\[0\\]: the "local" pattern failed'),
    ],
)
def test_a_pattern_the_board_could_not_run_is_a_load_error(registry, path, old, new, message):
    with pytest.raises(LevelError, match=message):
        variant(registry, path, old, new)


def _exits(*args, **kwargs):
    raise SystemExit(3)


@pytest.mark.parametrize(
    ("pattern", "run"),
    [
        (AttentionPattern("bye", "Bye", "", mask=_exits), lambda p: pattern_mask(p, {}, 3, 3)),
        (
            AttentionPattern("bye", "Bye", "", mask=lambda q, k: np.ones((2, 2))),
            lambda p: pattern_mask(p, {}, 3, 3),
        ),
        (
            AttentionPattern("bye", "Bye", "", feature_map=_exits),
            lambda p: feature_map(p, {}, np.ones((1, 3, 2))),
        ),
        (
            AttentionPattern("bye", "Bye", "", feature_map=lambda x: -x),
            lambda p: feature_map(p, {}, np.ones((1, 3, 2))),
        ),
    ],
)
def test_pattern_code_on_the_board_goes_through_the_plugin_boundary(pattern, run):
    """A mask or feature map that exits, or answers wrongly, is a located PluginCodeError."""
    with pytest.raises(PluginCodeError) as caught:
        run(pattern)
    assert 'attention pattern "bye"' in str(caught.value)
    assert "test_patterns_board.py:" in caught.value.location


def test_levels_json_lists_both_concepts(monkeypatch, capsys, tmp_path):
    from game.cli import main

    monkeypatch.setenv("SWITCHYARD_DATA_DIR", str(tmp_path))
    assert main(["levels", "--json", "--no-plugins"]) == 0
    rows = {row["id"]: row["concept"] for row in json.loads(capsys.readouterr().out)}
    assert rows["sparse_01_window"] == "sparse" and rows["linear_01_blur"] == "linear"


def test_watch_it_learn_trains_inside_the_window_and_not_for_linear_attention(registry):
    sparse = Board(registry.levels["sparse_01_window"], registry)
    problems = training_problems(sparse)
    evaluation = sparse.evaluate(0)
    np.testing.assert_array_equal(problems[0].allowed, evaluation.heads[0].allowed)
    words = "the cat sat on the mat".split()
    table = sandbox_table(
        registry, words=words, architecture="encoder", positional="none", heads=1,
        features={}, pattern="linear-elu",
    )  # fmt: skip
    linear = Board(load_sandbox(table, registry), registry)  # a pattern goal: a target exists
    assert not has_target(linear)
    with pytest.raises(NothingToLearn, match="linear attention"):
        training_problems(linear)


@pytest.mark.parametrize("architecture", ["encoder", "decoder", "encoder-decoder"])
@pytest.mark.parametrize("pattern", ["local", "linear-elu"])
def test_every_architecture_runs_every_pattern(registry, architecture, pattern):
    words = "the cat sat on the mat because it was tired".split()
    table = sandbox_table(
        registry, words=words, architecture=architecture, positional="rope", heads=2,
        features={"cat": {"noun"}, "mat": {"noun"}, "it": {"pronoun"}}, pattern=pattern,
        target="le chat était sur le tapis".split() if architecture == "encoder-decoder" else (),
    )  # fmt: skip
    board = Board(load_sandbox(table, registry), registry)
    board.add_wire(0, "pronoun", "noun", 3.0)
    for head in board.evaluate(0).heads:
        n_q, n_k = head.qk.shape
        rows = head.weights.sum(axis=1)
        assert np.allclose(rows[head.allowed.any(axis=1)], 1.0)
        np.testing.assert_array_equal(head.weights[~head.allowed], 0.0)
        np.testing.assert_allclose(head.out, head.weights @ head.v, atol=1e-10)
        if pattern == "local":
            mask = registry.patterns["local"].mask(np.arange(n_q), np.arange(n_k))
            if head.block.causal:
                mask &= np.tri(n_q, n_k, dtype=bool)
            np.testing.assert_array_equal(head.allowed, mask)
            assert head.computed_scores == int(mask.sum()) < n_q * n_k
        else:
            assert head.exact_weights is not None and head.computed_scores == head.allowed.sum()


@pytest.mark.parametrize("level_id", ["sparse_01_window", "linear_01_blur"])
def test_a_padded_batch_gives_the_numbers_of_one_sentence_at_a_time(registry, level_id):
    level = registry.levels[level_id]
    state = solved(registry, level_id).state
    batch = evaluate_sentences(level, registry, state, range(len(level.sentences)))
    for i, together in enumerate(batch):
        alone = evaluate_sentences(level, registry, state, [i])[0].heads[0]
        np.testing.assert_allclose(together.heads[0].weights, alone.weights, atol=1e-12)
        np.testing.assert_allclose(together.heads[0].out, alone.out, atol=1e-12)


def test_a_knob_named_like_a_pattern_setting_moves_the_window(registry):
    board = solved(registry, "sparse_01_window")
    narrow = board.evaluate(0).heads[0]
    board.set_knob("window", 18)  # wide enough to see every word: dense attention again
    wide = board.evaluate(0)
    n = wide.heads[0].qk.shape[0]
    assert narrow.computed_scores < wide.heads[0].computed_scores == n * n
    missed = [g.message for g in wide.goal_results if not g.met]
    assert any('"cat" puts' in m for m in missed)  # every noun now sees every adjective
    assert any("scores computed" in m for m in missed)  # and n² scores are too many
    board.set_knob("window", 1)
    assert score(board).stars == 3
