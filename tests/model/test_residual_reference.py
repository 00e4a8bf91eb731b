"""A stacked board's residual stream against a float64 NumPy reference written out here.

The reference is the formula of docs/levels.md ("Layers and the residual stream"),
computed with nothing of the game but the level's numbers:

    x⁰ = vocab features                                           (n, d)
    for each layer l, each head h in l:
        M_h[a, b] = Σ wire strengths a → b;  V_h[a, b] = Σ route strengths a → b
        s   = (x^l M_h)(x^l)ᵀ / √d / T,  −∞ above the diagonal when causal   (n, n)
        w   = softmax(s) row by row                                          (n, n)
        out = Σ_h mix_h · w x^l V_h                                           (n, d)
    x^{l+1} = x^l + out
"""

from __future__ import annotations

import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from game.levels import load_level_text
from game.model.evaluate import evaluate_sentences
from game.model.residual import token_streams
from game.model.spec import BoardState, HeadSpec, Settings, ValueRoute, Wire
from game.plugins import load_plugins

REGISTRY = load_plugins(no_plugins=True)
FEATURES = ("f0", "f1", "f2", "f3")
WORDS = {"a": (1.0, 0.0, 0.5, 0.0), "b": (0.0, 1.0, 0.0, -0.5), "c": (1.0, 1.0, 0.0, 0.0)}


def level_text(layers: int, heads: int, causal: bool, sentences: list[list[str]]) -> str:
    vocab = "\n".join(
        f"{w} = {{ {', '.join(f'{f} = {v}' for f, v in zip(FEATURES, vs, strict=True))} }}"
        for w, vs in WORDS.items()
    )
    rows = "\n".join(f"[[sentences]]\ntokens = {tokens!r}" for tokens in sentences)
    return f"""format_version = 1
id = "prop_stack"
title = "stack"
concept = "multi-head"
explanation = "x"
hints = ["a", "b", "c"]
architecture = "{"decoder" if causal else "encoder"}"
positional = "none"
features = {list(FEATURES)!r}
heads = {heads}
layers = {layers}
par = 0

[vocab]
{vocab}

{rows}

[[goals]]
type = "output"
position = 0
feature = "f0"
at_least = 0.0
""".replace("'", '"')


def reference(
    tokens: list[str], heads: tuple[HeadSpec, ...], layers: int, causal: bool, t: float
) -> list[np.ndarray]:
    """x⁰ … x^L by the formula in the module docstring, in float64."""
    index = {f: i for i, f in enumerate(FEATURES)}
    d, n = len(FEATURES), len(tokens)
    x = np.array([WORDS[w] for w in tokens], dtype=np.float64)  # (n, d)
    stream = [x]
    for layer in range(layers):
        out = np.zeros((n, d))  # (n, d)
        for head in (h for h in heads if h.layer == layer):
            m, v = np.zeros((d, d)), np.zeros((d, d))  # (d, d), (d, d)
            for wire in head.wires:
                m[index[wire.query], index[wire.key]] += wire.strength
            for route in head.values:
                v[index[route.key], index[route.out]] += route.strength
            s = (x @ m) @ x.T / np.sqrt(d) / t  # (n, n)
            if causal:
                s = np.where(np.tril(np.ones((n, n), dtype=bool)), s, -np.inf)  # (n, n)
            e = np.exp(s - s.max(axis=1, keepdims=True))  # (n, n)
            w = e / e.sum(axis=1, keepdims=True)  # (n, n)
            out = out + head.mix * (w @ (x @ v))  # (n, d)
        x = x + out  # (n, d) the residual stream
        stream.append(x)
    return stream


pairs = st.tuples(st.sampled_from(FEATURES), st.sampled_from(FEATURES))
strength = st.floats(-5.0, 5.0, allow_nan=False)


@st.composite
def head_specs(draw, layer: int) -> HeadSpec:
    wires = draw(st.dictionaries(pairs, strength, max_size=5))
    values = draw(st.dictionaries(pairs, strength, max_size=4))
    return HeadSpec(
        wires=tuple(Wire(q, k, s) for (q, k), s in wires.items()),
        values=tuple(ValueRoute(k, o, s) for (k, o), s in values.items()),
        block="self",
        mix=draw(st.floats(-2.0, 2.0, allow_nan=False)),
        layer=layer,
    )


@st.composite
def boards(draw):
    layers, heads = draw(st.integers(1, 4)), draw(st.integers(1, 2))
    causal = draw(st.booleans())
    n = draw(st.sampled_from([1, 3, 5, 7]))  # odd lengths and a single token
    sentences = [draw(st.lists(st.sampled_from(sorted(WORDS)), min_size=n, max_size=n))]
    sentences.append(draw(st.lists(st.sampled_from(sorted(WORDS)), min_size=1, max_size=6)))
    specs = tuple(draw(head_specs(slot // heads)) for slot in range(layers * heads))
    temperature = draw(st.sampled_from([0.5, 1.0, 2.0]))
    return layers, heads, causal, sentences, specs, temperature


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(boards())
def test_the_stream_matches_the_float64_reference(board):
    layers, heads, causal, sentences, specs, temperature = board
    level = load_level_text(level_text(layers, heads, causal, sentences), "prop.toml", REGISTRY)
    state = BoardState(specs, Settings(temperature=temperature, positional="none"))
    one_by_one = [evaluate_sentences(level, REGISTRY, state, [s])[0] for s in (0, 1)]
    batched = evaluate_sentences(level, REGISTRY, state, [0, 1])  # padded together
    streams = token_streams(level, REGISTRY, state, sentences)  # tasks' generated inputs
    for s, tokens in enumerate(sentences):
        expected = reference(tokens, specs, layers, causal, temperature)
        for got, want in zip(streams[s], expected, strict=True):
            np.testing.assert_allclose(got, want, rtol=1e-12, atol=1e-12)
        for evaluation in (one_by_one[s], batched[s]):
            assert evaluation.layers == layers and len(evaluation.residual) == layers + 1
            for got, want in zip(evaluation.residual, expected, strict=True):
                np.testing.assert_allclose(got, want, rtol=1e-12, atol=1e-12)
            last = expected[-1] - expected[-2]  # (n, d) the last layer's Σ mix·head
            np.testing.assert_allclose(evaluation.outputs["tokens"], last, rtol=1e-9, atol=1e-12)
