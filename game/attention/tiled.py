"""The tiled backend: FlashAttention's algorithm in NumPy.

Dao et al. 2022, "FlashAttention: Fast and Memory-Efficient Exact Attention
with IO-Awareness" (arXiv:2205.14135), Algorithm 1, with the FlashAttention-2
loop order (Dao 2023, arXiv:2307.08691): the outer loop runs over blocks of
queries, the inner loop over blocks of keys, and each query block keeps

    m   — its running row maximum of the scores,
    l   — its running row sum of exp(score - m),
    acc — its running, unnormalised output Σ exp(score - m)·v,

rescaling `l` and `acc` by exp(m_old - m_new) when a key block raises the
maximum by more than LAZY_RESCALE (lazily, as FlashAttention-4 does), and
dividing by `l` once at the end. Subtracting m rides in the q·kᵀ matmul (an
extra column −m against a row of ones) and `l` comes out of the p·v matmul (a
column of ones beside v), which saves two passes over every tile. The full
n_q × n_k score matrix never exists: only one (block_q, block_k) tile per
worker thread.

Where the whole key range fits in one tile the rescale is skipped and this is
the plain row-chunked softmax: that is every board the game draws. The tile
shape was chosen by measurement (see `BLOCK_K` and docs/attention-notes.md).

Causal attention skips key blocks above the diagonal and masks only the tiles
that cross it. ALiBi adds -slope·(i - j) tile by tile from two short vectors.
Large inputs are split over threads (NumPy releases the GIL inside BLAS and
ufuncs) with BLAS held to one thread each.
"""

from __future__ import annotations

import os
import threading
from dataclasses import dataclass

import numpy as np

from game.attention.inputs import AttentionInputs
from game.attention.reference import reference_attention

# Tile shape, measured on both 2-core machines the project has run on (AMD Zen 1
# and Intel AVX-512) at n = 8192, d = 64, float32 (docs/attention-notes.md):
# 256 × 1024 scores (1 MiB) per worker beat whole key rows (64 × 8192: 1.2–1.6×
# slower, the tile falls out of cache) and small tiles (Python's per-call cost).
BLOCK_K = 1024
TILE_SCORES = 256 * BLOCK_K
# Below this many (query, key) pairs in total, threads cost more than they save
# (measured: n = 1024 is 12.4 ms on one thread, 14.2 ms on two; n = 2048 is
# 44.7 ms on one, 36.0 ms on two).
THREADING_MIN_PAIRS = 1 << 21
# A row's reference m moves only when a tile's scores exceed it by more than this:
# exp then stays below e^8 ≈ 3000, far from overflow in float16/32/64 sums.
LAZY_RESCALE = 8.0


@dataclass(frozen=True)
class TilePlan:
    """How the tiled backend cuts the work: tile shape and worker count."""

    block_q: int
    block_k: int
    threads: int
    # Small problems (a game board: a few heads of a few dozen tokens) run every
    # (batch, head) through one tile at once, with batched matmuls, instead of
    # paying Python's per-tile overhead once per head.
    group_heads: bool = False


def plan_tiles(
    n_q: int,
    n_k: int,
    batch: int = 1,
    *,
    block_k: int = BLOCK_K,
    tile_scores: int = TILE_SCORES,
    threads: int | None = None,
) -> TilePlan:
    """Choose (block_q, block_k, threads) for one call.

    Keys come in blocks of `block_k` (a board of up to that many tokens is
    one tile per query block, so no online-softmax rescale happens there);
    query blocks fill the rest of a `tile_scores` tile. Memory is one tile
    per thread whatever n is.
    """
    n_q, n_k = max(n_q, 1), max(n_k, 1)
    block_k = max(1, min(n_k, block_k))
    block_q = max(1, min(n_q, tile_scores // block_k))
    if batch * n_q * n_k <= tile_scores:
        return TilePlan(block_q=n_q, block_k=n_k, threads=1, group_heads=True)
    if threads is None:
        threads = os.cpu_count() or 1
    if batch * n_q * n_k < THREADING_MIN_PAIRS:
        threads = 1
    work_items = batch * -(-n_q // block_q)
    return TilePlan(block_q=block_q, block_k=block_k, threads=max(1, min(threads, work_items)))


class _Scratch:
    """One worker's reusable buffers: a score tile, the shifted queries, the running state."""

    def __init__(self, job: _Job, poison: bool):
        plan, d, d_v, dtype = job.plan, job.inputs.d, job.inputs.d_v, job.dtype
        g = job.group_shape  # () for one (batch, head) per item, else the leading dims
        bq, bk = plan.block_q, plan.block_k
        self.s = np.empty((*g, bq, bk), dtype)  # (G, bq, bk) scores − m, then p
        alibi_shape = (*g, bq, bk) if job.inputs.slopes is not None else (0, 0)
        self.alibi = np.empty(alibi_shape, dtype)  # (G, bq, bk) ALiBi bias of one tile
        self.q = np.empty((*g, bq, d + 1), dtype)  # (G, bq, d+1) [q·scale, −m]
        self.pv = np.empty((*g, bq, d_v + 1), dtype)  # (G, bq, d_v+1) [p·v, Σp] of one tile
        self.acc = np.empty((*g, bq, d_v + 1), dtype)  # (G, bq, d_v+1) running [output, l]
        self.m = np.empty((*g, bq), dtype)  # (G, bq) the reference each row is shifted by
        self.row_max = np.empty((*g, bq), dtype)  # (G, bq) max of this tile, relative to m
        self.delta = np.empty((*g, bq), dtype)  # (G, bq) how far m moves this tile
        self.seen = np.empty((*g, bq), bool)  # (G, bq) rows whose m is set
        self.poison = poison

    def fresh(self) -> None:
        """Fill every buffer with NaN so a stale read shows up (tests only)."""
        if self.poison:
            for buffer in (self.s, self.alibi, self.q, self.pv, self.acc):
                buffer.fill(np.nan)
            for buffer in (self.m, self.row_max, self.delta):
                buffer.fill(np.nan)


class _Job:
    """Everything the workers share for one call, read-only once built."""

    def __init__(self, inputs: AttentionInputs, plan: TilePlan, out: np.ndarray):
        dtype = inputs.compute_dtype
        lead = inputs.lead
        self.inputs = inputs
        self.plan = plan
        self.dtype = dtype
        # All arithmetic in the compute type: 16-bit inputs are widened once, here, so
        # q·scale is not rounded to float16 first (NumPy 2 keeps a Python float's
        # product in the array's type) and every sum accumulates in float32.
        q = inputs.q.astype(dtype, copy=False)
        self.q = np.broadcast_to(q, (*lead, inputs.n_q, inputs.d))
        self.scale = dtype.type(inputs.scale)
        k, v = inputs.k, inputs.v
        # Kᵀ with a row of ones below it: [q·scale, −m] · [Kᵀ; 1] = q·kᵀ·scale − m, so the
        # shift by the running max rides along in the matmul instead of costing a pass.
        kt = np.empty((*k.shape[:-2], inputs.d + 1, inputs.n_k), dtype)  # (.., d+1, n_k)
        kt[..., :-1, :] = np.swapaxes(k, -1, -2)
        kt[..., -1, :] = 1
        # V with a column of ones: p · [V, 1] = [p·v, Σp], the row sums from the same matmul.
        v1 = np.empty((*v.shape[:-1], inputs.d_v + 1), dtype)  # (.., n_k, d_v+1)
        v1[..., :-1] = v
        v1[..., -1] = 1
        self.kt = np.broadcast_to(kt, (*lead, inputs.d + 1, inputs.n_k))
        self.v1 = np.broadcast_to(v1, (*lead, inputs.n_k, inputs.d_v + 1))
        self.out = out
        self.group_shape = lead if plan.group_heads else ()
        self.offset = inputs.causal_offset
        self.neg_inf = dtype.type(-np.inf)
        # Offsets (j - i) inside one tile, for the causal cut and for ALiBi.
        self.j_minus_i = (
            np.arange(plan.block_k, dtype=dtype)[None, :]
            - np.arange(plan.block_q, dtype=dtype)[:, None]
        )  # (bq, bk)

    def items(self) -> list[tuple[tuple[int, ...], int]]:
        """(lead index, first query row) for every query block, costliest first.

        With `group_heads` the lead index is `()`: the item covers every head.
        """
        n_q, bq = self.inputs.n_q, self.plan.block_q
        starts = list(range(0, n_q, bq))
        if self.inputs.causal:
            starts.reverse()  # later query blocks see more keys
        heads = [()] if self.plan.group_heads else list(np.ndindex(*self.inputs.lead))
        return [(idx, i0) for i0 in starts for idx in heads]

    def run(self, idx: tuple[int, ...], i0: int, scratch: _Scratch) -> None:
        """Attend the query rows [i0, i0 + block_q) of one (batch, head), or all, to their keys.

        Arrays below carry a leading group shape G: () for one (batch, head),
        the whole lead shape when heads are grouped.

        Each row keeps a reference m and accumulates exp(score − m) and
        exp(score − m)·v. The matmul subtracts m for free; m moves (and the
        running sums are rescaled by exp(m_old − m_new)) only when a tile's
        scores rise more than LAZY_RESCALE above it, or on the row's first
        unmasked tile — FlashAttention's online softmax with the rescale done
        lazily, as FlashAttention-4 does. exp never sees more than
        e^LAZY_RESCALE, so nothing overflows.

        Long because it is the online softmax loop itself, the one the game
        teaches, kept whole so it reads top to bottom: one pass over the key
        tiles, every step in place on this worker's scratch buffers. Bias and
        masks are the one named step (`_add_bias_and_mask`); cutting the lazy
        rescale out too would hand seven buffer views to a helper once per tile.
        """
        inputs, plan = self.inputs, self.plan
        d, d_v, offset = inputs.d, inputs.d_v, self.offset
        i1 = min(i0 + plan.block_q, inputs.n_q)
        bq = i1 - i0
        out = self.out[idx][..., i0:i1, :]  # (G, bq, d_v)
        # Keys this block may see at all: the causal cut at the diagonal.
        k_end = min(inputs.n_k, i1 + offset) if inputs.causal else inputs.n_k
        if k_end <= 0 or bq == 0:
            out.fill(0)
            return
        scratch.fresh()
        q = scratch.q[..., :bq, :]  # (G, bq, d+1): [q·scale, −m]
        np.multiply(self.q[idx][..., i0:i1, :], self.scale, out=q[..., :d])  # compute type
        q[..., d] = 0
        kt, v1 = self.kt[idx], self.v1[idx]  # (G, d+1, n_k), (G, n_k, d_v+1)
        m, seen = scratch.m[..., :bq], scratch.seen[..., :bq]  # (G, bq)
        row_max, delta = scratch.row_max[..., :bq], scratch.delta[..., :bq]  # (G, bq)
        acc, pv = scratch.acc[..., :bq, :], scratch.pv[..., :bq, :]  # (G, bq, d_v+1)
        m.fill(0)
        seen.fill(False)
        acc.fill(0)
        for j0 in range(0, k_end, plan.block_k):
            j1 = min(j0 + plan.block_k, k_end)
            s = scratch.s[..., :bq, : j1 - j0]  # (G, bq, bk)
            np.matmul(q, kt[..., j0:j1], out=s)  # (G, bq, d+1) @ (G, d+1, bk): q·kᵀ·scale − m
            self._add_bias_and_mask(s, scratch, idx, i0, i1, j0, j1)
            np.max(s, axis=-1, out=row_max)  # (G, bq) relative to m; −inf where all masked
            # Move m where a row meets its first unmasked score, or rises too far above m.
            move = np.isfinite(row_max) & (~seen | (row_max > LAZY_RESCALE))  # (G, bq)
            if move.any():
                np.copyto(delta, 0)
                np.copyto(delta, row_max, where=move)
                np.subtract(s, delta[..., None], out=s)  # (G, bq, bk)
                m += delta
                # Rows seen before rescale their sums by exp(m_old − m_new); rows seen for
                # the first time have nothing to rescale (and exp(−delta) could overflow).
                np.negative(delta, out=delta)
                np.exp(delta, out=delta, where=seen)
                np.copyto(delta, 1, where=~seen)
                np.multiply(acc, delta[..., None], out=acc)  # (G, bq, d_v+1)
                seen |= move
                np.negative(m, out=q[..., d])
            np.exp(s, out=s)  # (G, bq, bk) p, exactly 0 where masked
            np.matmul(s, v1[..., j0:j1, :], out=pv)  # (G, bq, bk) @ (G, bk, d_v+1)
            acc += pv
        # -- normalise once; a fully masked row has l == 0 and acc == 0 ------
        l = acc[..., d_v]  # (G, bq)
        np.copyto(l, 1, where=l == 0)
        np.divide(acc[..., :d_v], l[..., None], out=out, casting="unsafe")  # (G, bq, d_v)

    def _add_bias_and_mask(
        self,
        s: np.ndarray,
        scratch: _Scratch,
        idx: tuple[int, ...],
        i0: int,
        i1: int,
        j0: int,
        j1: int,
    ) -> None:
        """Add bias and ALiBi to one score tile and set masked entries to -inf."""
        inputs = self.inputs
        bq, bk = i1 - i0, j1 - j0
        if inputs.bias is not None:
            s += inputs.bias[idx][..., i0:i1, j0:j1]  # (G, bq, bk), widened to s's type
        if inputs.slopes is not None:
            # -slope·(i + offset - j): the integer distance is exact in floating point,
            # so one rounding (the product) keeps near-diagonal scores exact to ulps.
            alibi = scratch.alibi[..., :bq, :bk]  # (G, bq, bk)
            np.add(self.j_minus_i[:bq, :bk], j0 - i0 - self.offset, out=alibi)
            slopes = np.asarray(inputs.slopes[idx], self.dtype)[..., None, None]  # (G, 1, 1)
            np.multiply(alibi, slopes, out=alibi, casting="unsafe")
            s += alibi
        if inputs.causal and j1 - 1 > i0 + self.offset:  # the tile crosses the diagonal
            # masked where j > i + offset, i.e. (j - j0) - (i - i0) > i0 + offset - j0
            above = self.j_minus_i[:bq, :bk] > i0 + self.offset - j0  # (bq, bk)
            np.copyto(s, self.neg_inf, where=above)
        if inputs.mask is not None:
            np.copyto(s, self.neg_inf, where=~inputs.mask[idx][..., i0:i1, j0:j1])


def tiled_attention(
    inputs: AttentionInputs,
    *,
    plan: TilePlan | None = None,
    out: np.ndarray | None = None,
    poison: bool = False,
) -> np.ndarray:
    """(*lead, n_q, d_v) attention output, computed tile by tile.

    `out` may be given to write into (it must have the right shape and a
    floating dtype); `poison=True` fills scratch buffers with NaN before each
    use so that tests catch any element read before it is written.
    """
    batch = int(np.prod(inputs.lead, dtype=np.int64))
    if plan is None:
        plan = plan_tiles(inputs.n_q, inputs.n_k, batch)
    shape = (*inputs.lead, inputs.n_q, inputs.d_v)
    if out is None:
        out = np.empty(shape, dtype=inputs.out_dtype)
    elif out.shape != shape:
        raise ValueError(f"out has shape {out.shape}; expected {shape}")
    if out.size == 0:
        return out
    if not np.isfinite(inputs.v).all():  # rare: the rule that masked values are never read
        out[...] = reference_attention(inputs)[0]  # needs per-entry care; see read_values
        return out
    job = _Job(inputs, plan, out)
    items = job.items()
    with np.errstate(invalid="ignore", over="ignore", under="ignore"):
        if plan.threads == 1:
            scratch = _Scratch(job, poison)
            for idx, i0 in items:
                job.run(idx, i0, scratch)
        else:
            _run_threaded(job, items, poison)
    out[...] = inputs.unless_overflowed(out)  # scores past the compute type's range
    return out


def _run_threaded(job: _Job, items: list[tuple[tuple[int, ...], int]], poison: bool) -> None:
    """Share the query blocks among `plan.threads` workers, BLAS at one thread each."""
    from threadpoolctl import threadpool_limits

    next_item = iter(items)
    lock = threading.Lock()
    errors: list[BaseException] = []

    def worker() -> None:
        scratch = _Scratch(job, poison)
        with np.errstate(invalid="ignore", over="ignore", under="ignore"):
            while not errors:
                with lock:
                    item = next(next_item, None)
                if item is None:
                    return
                try:
                    job.run(*item, scratch)
                except BaseException as error:  # re-raised in the caller's thread
                    errors.append(error)

    with threadpool_limits(limits=1, user_api="blas"):
        workers = [threading.Thread(target=worker) for _ in range(job.plan.threads - 1)]
        for thread in workers:
            thread.start()
        worker()
        for thread in workers:
            thread.join()
    if errors:
        raise errors[0]
