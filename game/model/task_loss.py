"""The loss a head minimises on a task level: its readout's error on training inputs.

A task level (`[task]` + `[readout]`) has no attention pattern to aim at; it
reads an answer from the final residual stream. So one head h (every other
head frozen) is trained on the readout itself, on TRAINING examples drawn from
the level's seed on their own stream (TRAINING_STREAM, never the held-out one
the level is scored on), through the real stacked forward pass
(`game.model.residual`, `game.model.forward`).

The variables are the head's wires B (d, d: query feature × key feature) and
its value routes U (d, d: key feature × out feature), held side by side as one
(d, 2d) matrix so that `game.model.train` descends them like any head.

Why it is exact and cheap. x^l, the stream into h's layer, does not depend on
any head of that layer or above, so it is computed once; h's logits are linear
in B (`basis`, measured per unit wire on the real `forward.run_head`, offset =
bias and ALiBi). When no head above h writes anything (h is in the top layer,
or the layers above have no value routes), the final stream is

    final_i = rest_i + Σ_j A_ij · (x^l_j · U) · M_h        (M_h = h's W_O block)

with rest the stream without h and A = masked softmax(offset + Σ B_ab basis_ab).
Above such a head something reads its output; learning it alone would need
those heads to move with it, and `TaskProblem` refuses it (`NothingToLearn`).

Loss, per scored token i (answers that are not None), averaged:
- argmax readout: cross-entropy of softmax(r_i) over the readout's features,
  where r_i is final_i at those features; a label held by several features
  counts their summed probability;
- threshold readout: squared hinge keeping r_i inside its label's interval
  [cut_{k-1} + m, cut_k − m], m = MARGIN_SHARE of the smallest gap between cuts
  (or of the single cut's size).
Plus l1 · Σ|params|, with OWL-QN's minimum-norm subgradient at 0 as in
`game.model.head_loss`.

Gradient: analytic (hand-written backward through readout, W_O, A·V, the
masked softmax and `basis`); tests/model/test_task_loss.py holds it to central
finite differences in float64 (relative tolerance 1e-6).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from game.api import TaskExample
from game.levels.schema import Level, Sentence
from game.levels.task_checks import task_inputs
from game.levels.task_inputs import HELD_OUT_STREAM, SHOWN_STREAM, draw
from game.model import forward, maps, residual
from game.model.spec import BoardState, HeadSpec, Wire

TRAINING_STREAM = 2  # the seed's third stream: never the shown (0) or held-out (1) inputs
assert TRAINING_STREAM not in (SHOWN_STREAM, HELD_OUT_STREAM)
TRAINING_EXAMPLES = 128  # two padded batches; enough that every task's learned head generalises
MARGIN_SHARE = 0.25
TINY = 1e-150  # attention weights below this are 0 (`masked_softmax`)


class NotTrainable(ValueError):
    """This head cannot be trained on the level's task (the message says why, plainly)."""


@dataclass(frozen=True, eq=False)
class _Batch:
    """One padded batch of training examples as head h sees it."""

    pairs: np.ndarray  # (m,) flat indices a·d + b of the wires that change any logit here
    where: np.ndarray  # (e,) flat indices into (b, n, n) of the entries attention may use
    basis: np.ndarray  # (m, e): logits of a unit wire a→b at those entries, scale and T in
    offset: np.ndarray  # (b, n, n): logits with no wires (bias, ALiBi)
    allowed: np.ndarray  # (b, n, n) bool: causal, padding, sparse pattern
    x: np.ndarray  # (b, n, d): x^l, the stream into h's layer
    rest: np.ndarray  # (b, n, r): the readout's features of the final stream without h
    label: np.ndarray  # (b, n) int: the answer's label index, -1 where nothing is scored


@dataclass(frozen=True, eq=False)
class TaskProblem:
    """Head h of a board against a task's readout on training examples (see the module doc)."""

    batches: tuple[_Batch, ...]
    mix: np.ndarray  # (d, r): h's W_O block, restricted to the readout's columns
    how: str  # "argmax" or "threshold"
    owner: np.ndarray  # (r, L) bool, argmax: feature f reads as label k
    bounds: np.ndarray  # (L, 2), threshold: the interval each label must stay in, margin in
    scored: int  # tokens with an answer
    margin: float = 1.0  # threshold: how far inside its interval a value must sit

    @property
    def d(self) -> int:
        return self.mix.shape[0]

    @property
    def wire_shape(self) -> tuple[int, int]:
        """(d, 2d): wires B beside value routes U, the shape `game.model.train` descends."""
        return self.d, 2 * self.d

    def loss_and_grad(
        self,
        params: np.ndarray,
        problems: Sequence[TaskProblem] = (),
        *,
        l1: float = 0.0,
        allowed_wires: np.ndarray | None = None,
    ) -> tuple[float, np.ndarray]:
        """The loss at `params` (d, 2d) and its gradient (`train.iterate`'s objective)."""
        loss, grad = self.smooth(np.asarray(params, dtype=np.float64))
        mask = np.ones(self.wire_shape, bool) if allowed_wires is None else allowed_wires
        return with_l1(loss, grad, params, l1, mask)

    def smooth(self, params: np.ndarray) -> tuple[float, np.ndarray]:
        """The readout loss and its analytic gradient, without the L1 term."""
        d = self.d
        wires, routes = params[:, :d], params[:, d:]  # (d, d), (d, d)
        total, grad = 0.0, np.zeros_like(params)  # (d, 2d)
        for batch in self.batches:
            loss, d_wires, d_routes = self._batch(batch, wires, routes)
            total += loss
            grad[:, :d] += d_wires
            grad[:, d:] += d_routes
        n = max(self.scored, 1)
        return total / n, grad / n

    def _batch(self, batch: _Batch, wires: np.ndarray, routes: np.ndarray):
        """(summed loss, d/d wires, d/d routes) over one batch. Long because the forward and
        its backward sit side by side, step for step."""
        # -- forward --------------------------------------------------------------
        flat = batch.offset.ravel().copy()  # (b·n·n,)
        # einsum, not BLAS: a threaded BLAS matvec this small stalls on a busy machine
        flat[batch.where] += np.einsum("m,me->e", wires.ravel()[batch.pairs], batch.basis)
        logits = flat.reshape(batch.offset.shape)  # (b, n_q, n_k)
        attn = masked_softmax(logits, batch.allowed)  # (b, n_q, n_k)
        values = batch.x @ routes  # (b, n_k, d): what each key writes
        per_out = values @ self.mix  # (b, n_k, r): …as the readout's features
        read = batch.rest + attn @ per_out  # (b, n_q, r)
        loss, d_read = self._readout_loss(read, batch.label)  # d_read (b, n_q, r)
        # -- backward -------------------------------------------------------------
        d_attn = d_read @ np.swapaxes(per_out, 1, 2)  # (b, n_q, n_k)
        d_per_out = np.swapaxes(attn, 1, 2) @ d_read  # (b, n_k, r)
        d_values = d_per_out @ self.mix.T  # (b, n_k, d)
        d_routes = np.einsum("bjk,bjo->ko", batch.x, d_values)  # (d, d)
        row = (d_attn * attn).sum(axis=2, keepdims=True)  # (b, n_q, 1)
        d_logits = attn * (d_attn - row)  # (b, n_q, n_k): softmax backward, 0 where masked
        d_wires = np.zeros(wires.size)  # (d·d,)
        d_wires[batch.pairs] = np.einsum("me,e->m", batch.basis, d_logits.ravel()[batch.where])
        d_wires = d_wires.reshape(wires.shape)  # (d, d)
        return loss, d_wires, d_routes

    def _readout_loss(self, read: np.ndarray, label: np.ndarray) -> tuple[float, np.ndarray]:
        """Summed loss over scored tokens and d loss / d read, (b, n, r)."""
        scored = label >= 0  # (b, n)
        safe = np.where(scored, label, 0)  # (b, n)
        if self.how == "argmax":
            shifted = read - read.max(axis=2, keepdims=True)  # (b, n, r)
            probs = np.exp(shifted)
            probs /= probs.sum(axis=2, keepdims=True)  # (b, n, r)
            mine = self.owner.T[safe]  # (b, n, r): features that read as the answer
            p_label = (probs * mine).sum(axis=2)  # (b, n)
            loss = -np.log(np.maximum(p_label, 1e-300))  # (b, n)
            d_read = probs - mine * probs / np.maximum(p_label, 1e-300)[..., None]  # (b, n, r)
        else:
            low, high = self.bounds[safe, 0], self.bounds[safe, 1]  # (b, n) each
            value = read[..., 0]  # (b, n)
            under = np.maximum(low - value, 0.0)  # (b, n)
            over = np.maximum(value - high, 0.0)  # (b, n)
            unit = self.margin**2  # in margins², so tol and l1 mean the same at any scale
            loss = (under**2 + over**2) / unit  # (b, n)
            d_read = (2 * (over - under) / unit)[..., None]  # (b, n, 1)
        loss = np.where(scored, loss, 0.0)  # (b, n)
        return float(loss.sum()), np.where(scored[..., None], d_read, 0.0)


def masked_softmax(logits: np.ndarray, allowed: np.ndarray) -> np.ndarray:
    """Softmax over the allowed keys of each row; 0 where masked and in rows with no key."""
    masked = np.where(allowed, logits, -np.inf)  # (…, n_q, n_k)
    top = masked.max(axis=-1, keepdims=True)  # (…, n_q, 1)
    top = np.where(np.isfinite(top), top, 0.0)
    exp = np.where(allowed, np.exp(np.where(allowed, logits - top, 0.0)), 0.0)  # (…, n_q, n_k)
    total = exp.sum(axis=-1, keepdims=True)  # (…, n_q, 1)
    probs = exp / np.where(total > 0, total, 1.0)  # (…, n_q, n_k)
    # Weights below TINY change nothing a float64 sum can see, but as subnormal numbers they
    # make every product after them several times slower: flush them to 0.
    return np.where(probs < TINY, 0.0, probs)


def with_l1(
    loss: float, smooth_grad: np.ndarray, params: np.ndarray, l1: float, mask: np.ndarray
) -> tuple[float, np.ndarray]:
    """Loss + l1·Σ|params| and OWL-QN's minimum-norm subgradient (as `head_loss` does it)."""
    smooth_grad = np.where(mask, smooth_grad, 0.0)
    if l1 == 0:
        return loss, smooth_grad
    kept = np.where(mask, params, 0.0)
    loss += l1 * float(np.abs(kept).sum())
    at_zero = np.sign(smooth_grad) * np.maximum(np.abs(smooth_grad) - l1, 0.0)
    grad = np.where(kept != 0, smooth_grad + l1 * np.sign(kept), at_zero)
    return loss, np.where(mask, grad, 0.0)


def training_examples(level: Level, catalog, count: int = TRAINING_EXAMPLES) -> list[TaskExample]:
    """`count` examples from the level's seed on TRAINING_STREAM (never held out)."""
    inputs = task_inputs(level, catalog)
    if inputs is None:
        raise NotTrainable(f"level {level.id!r} has no task")
    return draw(inputs, TRAINING_STREAM, count)


def writes_nothing(spec: HeadSpec) -> bool:
    """A head with no value route (or only zero ones) adds nothing to the stream."""
    return all(route.strength == 0 for route in spec.values)


def bare_state(state: BoardState, head: int) -> BoardState:
    """The board with `head`'s wires and routes taken off (every other head as it is)."""
    spec = dataclasses.replace(state.heads[head], wires=(), values=())
    heads = tuple(spec if h == head else old for h, old in enumerate(state.heads))
    return dataclasses.replace(state, heads=heads)


def task_problem(level: Level, catalog, state: BoardState, head: int) -> TaskProblem:
    """Head `head` of `state` against `level`'s task on its training examples."""
    if level.readout is None or level.task is None:
        raise NotTrainable(f"level {level.id!r} has no task")
    layer = state.heads[head].layer
    above = [h for h, spec in enumerate(state.heads) if spec.layer > layer]
    if any(not writes_nothing(state.heads[h]) for h in above):
        raise NotTrainable(
            "the heads in the layers above read what this head writes, so it cannot learn "
            "alone; learn the top layer's head, or take the routes off the heads above first"
        )
    features = tuple(level.features)
    readout = level.readout
    columns = [features.index(f) for f in readout.read_features]
    examples = training_examples(level, catalog)
    bare = bare_state(state, head)
    labels = readout.all_labels
    batches = tuple(
        _measure(level, catalog, bare, head, examples[i : i + residual.TOKEN_BATCH], columns)
        for i in range(0, len(examples), residual.TOKEN_BATCH)
    )
    mix = state.heads[head].mix * np.eye(len(features))[:, columns]  # (d, r)
    owner = np.zeros((len(columns), len(labels)), bool)  # (r, L)
    bounds, margin = np.zeros((len(labels), 2)), 1.0  # (L, 2)
    if readout.how == "argmax":
        for f, label in enumerate(readout.features.values()):
            owner[f, labels.index(label)] = True
    else:
        bounds, margin = _bounds(readout.cuts)
    scored = sum(int((batch.label >= 0).sum()) for batch in batches)
    return TaskProblem(batches, mix, readout.how, owner, bounds, scored, margin)


def _bounds(cuts: tuple[float, ...]) -> tuple[np.ndarray, float]:
    """(L, 2) each threshold label's interval pulled in by the margin, and the margin."""
    gaps = np.diff(cuts) if len(cuts) > 1 else np.array([abs(cuts[0]) or 1.0])
    margin = MARGIN_SHARE * float(gaps.min())
    edges = np.concatenate([[-np.inf], cuts, [np.inf]])  # (L + 1,)
    return np.stack([edges[:-1] + margin, edges[1:] - margin], axis=1), margin  # (L, 2)


def _measure(
    level: Level,
    catalog,
    bare: BoardState,
    head: int,
    examples: Sequence[TaskExample],
    columns: list[int],
) -> _Batch:
    """One batch: x^l, the final stream without the head, and the logits' basis and offset."""
    arch, weights = residual.setup(level, catalog, bare)
    blocks = residual.blocks_of(arch, bare)
    spec = bare.heads[head]
    block = blocks[spec.block]
    sentences = [Sentence(tokens=list(example.tokens)) for example in examples]
    batch = forward.embed(level, arch.sequences, sentences, weights)
    bound = maps.bind(level, catalog, weights.features)  # the level's fixed maps, as scored
    run = residual.run_layers(bare, level.layers, blocks, batch, weights, "reference", bound)
    stream = run.streams[block.queries]
    x = stream[spec.layer]  # (b, n, d): the stream into the head's layer
    layer_batch = dataclasses.replace(batch, x={**batch.x, block.queries: x})
    args, _, _ = forward.attention_args(head % weights.heads_per_layer, block, layer_batch, weights)
    offset, allowed = _offset_and_mask(args, x.shape[0], x.shape[1])
    features = tuple(level.features)
    d, b, n = len(features), x.shape[0], x.shape[1]
    basis = np.zeros((d, d, b, n, n))  # (d_q, d_k, b, n_q, n_k)
    present = np.abs(x).reshape(-1, d).max(axis=0) > 0  # (d,): features x^l carries anywhere
    for a, query in enumerate(features):
        if not present[a]:
            continue  # W_Q of a wire a→k reads only x[a]: q = 0, so its logits are all 0
        for k, key in enumerate(features):
            unit = dataclasses.replace(spec, wires=(Wire(query, key, 1.0),))
            heads = tuple(unit if h == head else old for h, old in enumerate(bare.heads))
            _, unit_weights = residual.setup(level, catalog, dataclasses.replace(bare, heads=heads))
            ran = forward.run_head(head, block, layer_batch, unit_weights, "reference")
            basis[a, k] = args["scale"] * ran.qk  # (b, n_q, n_k): raw q·kᵀ, rotated, scaled
    label = np.full((b, n), -1)  # (b, n)
    labels = level.readout.all_labels
    for s, example in enumerate(examples):
        for i, answer in enumerate(example.answers):
            if answer is not None:
                label[s, i] = labels.index(answer)
    rest = stream[-1][..., columns]  # (b, n, r)
    # Keep only what a step reads: the allowed entries, and wires that change any of them
    # (a feature absent from x^l makes none): a step then reads a fraction of the basis.
    where = np.flatnonzero(allowed)  # (e,)
    basis = basis.reshape(d * d, -1)[:, where]  # (d·d, e)
    pairs = np.flatnonzero(np.abs(basis).max(axis=1, initial=0.0) > 0)  # (m,)
    return _Batch(pairs, where, basis[pairs], offset, allowed, x, rest, label)


def _offset_and_mask(args: dict, b: int, n: int) -> tuple[np.ndarray, np.ndarray]:
    """(b, n, n) logits with no wires and (b, n, n) where attention may go, from the
    attention keywords `forward.attention_args` makes."""
    offset = np.broadcast_to(args["bias"], (b, n, n)).astype(np.float64)  # (b, n_q, n_k)
    slopes = args.get("alibi_slopes")
    if slopes is not None:
        i, j = np.arange(n)[:, None], np.arange(n)[None, :]
        offset = offset - np.asarray(slopes)[:, None, None] * (i - j)  # (b, n_q, n_k)
    allowed = np.ones((b, n, n), bool)
    if args.get("causal"):
        allowed &= np.tril(np.ones((n, n), bool))
    if args.get("mask") is not None:
        allowed &= np.broadcast_to(args["mask"], (b, n, n))
    return offset, allowed
