"""ALiBi in an encoder: the screen's words match the numbers. The sandbox shows the
scheme's description, and the bias the inspector shows is −slope × (i − j): a loss for a
word further back, a gain for one further ahead, as the description says."""

import numpy as np

from game.levels.sandbox import DEFAULT_SENTENCE, guess_features, load_sandbox, sandbox_table
from game.model import Board
from game.plugins import load_plugins

REGISTRY = load_plugins(no_plugins=True)
WORDS = DEFAULT_SENTENCE.split()


def test_the_encoder_sandbox_says_what_alibi_does_and_the_numbers_agree():
    table = sandbox_table(
        REGISTRY, words=WORDS, architecture="encoder", positional="alibi", heads=1,
        features={w: guess_features(w) for w in WORDS},
    )  # fmt: skip
    level = load_sandbox(table, REGISTRY)
    scheme = REGISTRY.positional["alibi"]
    # The play screen puts the chosen scheme's description under the level text ("Now: …",
    # tests/ui/play/test_top_bar.py); here: the sandbox starts on ALiBi with the switch on.
    assert level.controls.positional and level.start.positional == "alibi"
    assert "further back loses slope × d" in scheme.description
    assert "further ahead gains slope × d" in scheme.description
    board = Board(level, REGISTRY)
    ev = board.evaluate(0)
    settings = dict(level.positional_settings.get("alibi", {}))
    if board.settings.parameter is not None:
        settings[scheme.parameters[0].name] = board.settings.parameter
    slope = float(scheme.slopes(1, **settings)[0])
    assert slope > 0
    i = 2
    for j in range(len(WORDS)):
        bias = ev.inspect(0, i, j).bias
        assert np.isclose(bias, -slope * (i - j))
        d = abs(i - j)
        if j < i:
            assert np.isclose(bias, -slope * d)  # further back: loses slope × d
        elif j > i:
            assert np.isclose(bias, slope * d)  # further ahead: gains slope × d


def test_level_ten_biases_are_its_stated_slopes_once():
    """Slopes 1/4, 1/16, 1/64, 1/256 as the text says: the bias is −slope × distance, added
    once (the scheme's bias and its tiled slopes are one bias, not two)."""
    level = REGISTRY.levels["10_alibi"]
    ev = Board(level, REGISTRY).evaluate(0)
    for h, slope in enumerate((1 / 4, 1 / 16, 1 / 64, 1 / 256)):
        assert np.isclose(ev.inspect(h, 5, 3).bias, -slope * 2)
        logits = ev.head(h).logits  # (n, n): the bias is in the softmax's input once
        qk = ev.head(h).qk * ev.head(h).scale
        assert np.isclose(logits[5, 3] - qk[5, 3], -slope * 2)
        allowed = ev.head(h).allowed
        exps = np.where(allowed, np.exp(logits - logits.max(axis=1, keepdims=True)), 0.0)
        np.testing.assert_allclose(ev.head(h).weights, exps / exps.sum(axis=1, keepdims=True))
