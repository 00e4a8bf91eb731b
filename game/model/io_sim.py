"""The IO simulator of the FlashAttention level: HBM traffic of naive and tiled attention.

Dao et al. 2022, "FlashAttention: Fast and Memory-Efficient Exact Attention
with IO-Awareness" (arXiv:2205.14135). A GPU has a small, fast on-chip SRAM
(M elements) and a large, slow HBM. What costs time is moving elements
between them, so this module counts exactly that, in elements:

- naive (the paper's Algorithm 0, standard attention): S = Q·Kᵀ, P = softmax(S)
  and O = P·V each go through HBM, so the N×N matrices S and P are written and
  read back: Θ(N·d + N²) (Theorem 2).
- tiled (Algorithm 1): K, V are cut into blocks of B_c rows, Q, O into blocks of
  B_r rows. The outer loop loads K_j, V_j once; the inner loop loads Q_i, O_i
  and the running softmax statistics ℓ_i (sum) and m_i (max), updates them with
  one B_r×B_c tile of scores that never leaves SRAM, and writes O_i, ℓ_i, m_i
  back. Q and O are streamed once per key block, T_c = ⌈N/B_c⌉ times, and
  B_c ≈ M/4d, so the traffic is Θ(N·d·T_c) = Θ(N²·d²/M) (Theorem 2).

`count_io` gives the counts in closed form, term by term from the loops;
`run_schedule` runs the same loops on real numbers, moving arrays through a
counted "HBM", so the tests can hold the closed form to what the loops do and
the output to `game.attention.attention`.

Accounting, stated once:
- An element read from or written to HBM counts 1, whatever its dtype.
- Tiled: the initialisation of O = 0, ℓ = 0, m = −∞ in HBM (line 2) counts as
  writes. With `causal`, a tile whose queries all come before its keys is
  skipped and moves nothing (FlashAttention skips such blocks; Algorithm 1
  itself has no mask). K_j, V_j are still loaded for every j.
- Naive: the counts are those of Algorithm 0 and do not depend on M or on the
  causal mask (standard attention materialises the whole S and P).
- SRAM use of a tiled step (`sram_needed`): K_j and V_j (2·B_c·d), Q_i and O_i
  (2·B_r·d), ℓ_i and m_i (2·B_r) and the score tile S_ij, which P̃_ij overwrites
  in place (B_r·B_c). Blocks longer than the sequence count as the sequence.
  The schedule `fits` when that is at most M. Naive always fits: it streams
  blocks of any size, and its count does not depend on how large they are.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace

import numpy as np

from game.attention import causal_mask, causal_tile, masked_softmax

NAIVE = "naive"
TILED = "tiled"

# The parts of each algorithm whose traffic is counted, in the order shown.
NAIVE_PARTS = ("S = Q·Kᵀ", "P = softmax(S)", "O = P·V")
INIT, LOAD_KV, LOAD_Q, STORE_O = (
    "initialise O, ℓ, m",
    "load K_j, V_j",
    "load Q_i, O_i, ℓ_i, m_i",
    "write O_i, ℓ_i, m_i",
)
TILED_PARTS = (INIT, LOAD_KV, LOAD_Q, STORE_O)


@dataclass(frozen=True)
class Schedule:
    """How attention is computed: `naive`, or `tiled` with B_r × B_c blocks.

    A block size of 0 means "FlashAttention's choice for this SRAM size"
    (`default_blocks`).
    """

    kind: str  # "naive" | "tiled"
    block_q: int = 0  # B_r: query rows per block
    block_k: int = 0  # B_c: key rows per block

    def __post_init__(self) -> None:
        if self.kind not in (NAIVE, TILED):
            raise ValueError(f"schedule kind must be 'naive' or 'tiled', got {self.kind!r}")
        for name in ("block_q", "block_k"):
            value = getattr(self, name)
            if not isinstance(value, int | np.integer) or value < 0:
                raise ValueError(f"{name} must be a whole number >= 0, got {value!r}")


@dataclass(frozen=True)
class IOPart:
    """The HBM traffic of one part of an algorithm (one line of the level's bar chart)."""

    name: str
    reads: int
    writes: int


@dataclass(frozen=True)
class IOCount:
    """HBM reads and writes, in elements, of one schedule at one size."""

    reads: int
    writes: int
    fits: bool  # the blocks fit in SRAM (always True for naive, or with no SRAM size)
    sram_needed: int  # elements of SRAM one tiled step holds (0 for naive)
    block_q: int  # B_r actually used (0 for naive)
    block_k: int  # B_c actually used (0 for naive)
    tiles: int  # (i, j) tile steps run (0 for naive)
    parts: tuple[IOPart, ...]

    @property
    def total(self) -> int:
        return self.reads + self.writes


@dataclass(frozen=True)
class TileStep:
    """One (i, j) step of the tiled loop, as the level animates it.

    `m` and `l` are the running max and sum of the traced query row after
    this step; `m_tile`, `l_tile` are that row's max and sum within this tile
    alone (NaN when the row is not in query block i). `reads`, `writes` are
    the HBM traffic so far. `m_rows`, `l_rows`: every row's m and ℓ (every_row).
    """

    i: int
    j: int
    q_rows: tuple[int, int]  # [start, stop) of query block i
    k_rows: tuple[int, int]  # [start, stop) of key block j
    row: int
    in_tile: bool
    m: float
    l: float
    m_tile: float
    l_tile: float
    reads: int
    writes: int
    m_rows: tuple[float, ...] = ()  # (N,) every row's running max, with every_row
    l_rows: tuple[float, ...] = ()  # (N,) every row's running sum, with every_row


def sram_needed(d: int, block_q: int, block_k: int) -> int:
    """Elements of SRAM one tiled step holds: K_j, V_j, Q_i, O_i, ℓ_i, m_i and S_ij."""
    return 2 * block_k * d + 2 * block_q * d + 2 * block_q + block_q * block_k


def paper_blocks(d: int, sram: int) -> tuple[int, int]:
    """(B_r, B_c) exactly as Algorithm 1 line 1: B_c = ⌈M/4d⌉, B_r = min(⌈M/4d⌉, d).

    The paper sizes blocks up to constant factors; with the score tile and
    the rounding counted, these can overflow a small SRAM (see `default_blocks`).
    """
    _check_size("d", d)
    _check_size("sram", sram)
    block_k = math.ceil(sram / (4 * d))
    return min(block_k, d), block_k


def default_blocks(d: int, sram: int) -> tuple[int, int]:
    """(B_r, B_c): the paper's blocks, shrunk until they fit `sram_needed` ≤ M.

    Keeps the paper's shape B_r = min(B_c, d) and takes the largest B_c up
    to ⌈M/4d⌉ that fits; for M of about 8·d² or more that is the paper's own
    choice. Raises ValueError when not even 1×1 blocks fit.
    """
    block_q, block_k = paper_blocks(d, sram)
    while block_k >= 1:
        block_q = min(block_k, d)
        if sram_needed(d, block_q, block_k) <= sram:
            return block_q, block_k
        block_k -= 1
    raise ValueError(
        f"an SRAM of {sram} elements cannot hold even one row each of Q, K, V and O "
        f"at d = {d}: that needs {sram_needed(d, 1, 1)} elements"
    )


def _check_size(name: str, value: object) -> None:
    if not isinstance(value, int | np.integer) or value < 1:
        raise ValueError(f"{name} must be a whole number >= 1, got {value!r}")


def _resolve_blocks(n: int, d: int, sram: int | None, schedule: Schedule) -> tuple[int, int]:
    """The (B_r, B_c) a tiled schedule runs with at length n: defaults filled, capped at n."""
    block_q, block_k = schedule.block_q, schedule.block_k
    if block_q == 0 or block_k == 0:
        if sram is None:
            raise ValueError("a tiled schedule needs block sizes or an SRAM size to choose them")
        default_q, default_k = default_blocks(d, sram)
        block_q, block_k = block_q or default_q, block_k or default_k
    return min(block_q, n), min(block_k, n)


def _count(
    n: int,
    d: int,
    sram: int | None,
    schedule: Schedule,
    parts: dict[str, list[int]],
    tiles: int,
) -> IOCount:
    """Assemble an IOCount from per-part [reads, writes] tallies."""
    if schedule.kind == NAIVE:
        block_q = block_k = needed = 0
    else:
        block_q, block_k = _resolve_blocks(n, d, sram, schedule)
        needed = sram_needed(d, block_q, block_k)
    io_parts = tuple(IOPart(name, int(r), int(w)) for name, (r, w) in parts.items())
    return IOCount(
        reads=sum(p.reads for p in io_parts),
        writes=sum(p.writes for p in io_parts),
        fits=sram is None or needed <= sram,
        sram_needed=needed,
        block_q=block_q,
        block_k=block_k,
        tiles=tiles,
        parts=io_parts,
    )


def count_io(
    n: int, d: int, sram: int | None, schedule: Schedule, *, causal: bool = False
) -> IOCount:
    """HBM reads and writes of attention on N = n tokens of width d, in closed form.

    Each term is what one loop of the algorithm moves, summed over its
    iterations (see the module docstring for the accounting). `sram` is M in
    elements; it picks default blocks and decides `fits` (None: no budget).
    """
    _check_size("n", n)
    _check_size("d", d)
    if sram is not None:
        _check_size("sram", sram)
    if schedule.kind == NAIVE:
        s_qk, softmax, pv = NAIVE_PARTS
        parts = {
            s_qk: [2 * n * d, n * n],  # read Q, K; write S
            softmax: [n * n, n * n],  # read S; write P
            pv: [n * n + n * d, n * d],  # read P, V; write O
        }
        return _count(n, d, sram, schedule, parts, tiles=0)

    block_q, block_k = _resolve_blocks(n, d, sram, schedule)
    t_r = -(-n // block_q)  # T_r = ⌈N/B_r⌉
    t_c = -(-n // block_k)  # T_c = ⌈N/B_c⌉
    k_start = np.arange(t_c, dtype=np.int64) * block_k  # (T_c,) first key row of block j
    if causal:
        first_i = k_start // block_q  # (T_c,) first query block with a row >= k_start
    else:
        first_i = np.zeros(t_c, dtype=np.int64)  # (T_c,)
    rows = n - first_i * block_q  # (T_c,) query rows visited for key block j
    visited = int(rows.sum())
    parts = {
        INIT: [0, n * d + 2 * n],  # O (N×d), ℓ (N), m (N)
        LOAD_KV: [2 * n * d, 0],  # every K_j, V_j once
        LOAD_Q: [visited * (2 * d + 2), 0],  # Q_i, O_i (B_r×d each), ℓ_i, m_i (B_r each)
        STORE_O: [0, visited * (d + 2)],  # O_i, ℓ_i, m_i
    }
    tiles = int((t_r - first_i).sum())
    return _count(n, d, sram, schedule, parts, tiles=tiles)


class _HBM:
    """Arrays kept in "HBM", and a tally of every element moved to or from SRAM, per part."""

    def __init__(self, part_names: tuple[str, ...]):
        self.arrays: dict[str, np.ndarray] = {}
        self.tally = {name: [0, 0] for name in part_names}  # part -> [reads, writes]

    def write(self, part: str, name: str, rows: slice, value: np.ndarray) -> None:
        if name not in self.arrays:
            self.arrays[name] = np.array(value, dtype=np.float64)
        else:
            self.arrays[name][rows] = value
        self.tally[part][1] += np.size(value)

    def read(self, part: str, name: str, rows: slice) -> np.ndarray:
        value = self.arrays[name][rows].copy()
        self.tally[part][0] += value.size
        return value

    def peek(self, name: str, index: int) -> float:
        """Look at one element without moving it (for the trace only: not counted)."""
        return float(self.arrays[name][index])

    @property
    def moved(self) -> tuple[int, int]:
        return (sum(r for r, _ in self.tally.values()), sum(w for _, w in self.tally.values()))


def _check_qkv(q: object, k: object, v: object) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    q, k, v = (np.asarray(x, dtype=np.float64) for x in (q, k, v))  # (n, d) each
    if q.ndim != 2 or q.shape != k.shape or q.shape != v.shape or q.size == 0:
        raise ValueError(
            f"q, k, v must share one non-empty (n, d) shape, got {q.shape}, {k.shape}, {v.shape}"
        )
    return q, k, v


def _run_naive(hbm: _HBM, n: int, scale: float, causal: bool) -> np.ndarray:
    """Algorithm 0: S, then P, then O, each through HBM."""
    s_qk, softmax, pv = NAIVE_PARTS
    whole = slice(None)
    # -- S = Q·Kᵀ ------------------------------------------------------------
    q, k = hbm.read(s_qk, "Q", whole), hbm.read(s_qk, "K", whole)  # (N, d), (N, d)
    hbm.write(s_qk, "S", whole, scale * (q @ k.T))  # (N, N)
    # -- P = softmax(S), the mask applied on chip ----------------------------
    s = hbm.read(softmax, "S", whole)  # (N, N)
    allowed = causal_mask(n) if causal else np.ones((n, n), dtype=bool)  # (N, N) key j <= query i
    hbm.write(softmax, "P", whole, masked_softmax(s, allowed))  # (N, N)
    # -- O = P·V ----------------------------------------------------------------
    p, v = hbm.read(pv, "P", whole), hbm.read(pv, "V", whole)  # (N, N), (N, d)
    hbm.write(pv, "O", whole, p @ v)  # (N, d)
    return hbm.arrays["O"]


def _run_tiled(
    hbm: _HBM,
    n: int,
    d: int,
    block_q: int,
    block_k: int,
    scale: float,
    causal: bool,
    trace_row: int,
    every_row: bool = False,
) -> tuple[np.ndarray, list[TileStep], int]:
    """Algorithm 1, loop for loop: outer over key blocks j, inner over query blocks i.

    Long because it is kept as one function that reads beside the paper's
    Algorithm 1 line by line (the trace tests hold it to that loop order); only
    the recording of each step for the trace (`_tile_step`) is extra.
    """
    whole = slice(None)
    hbm.write(INIT, "O", whole, np.zeros((n, d)))  # (N, d)
    hbm.write(INIT, "l", whole, np.zeros(n))  # (N,)
    hbm.write(INIT, "m", whole, np.full(n, -np.inf))  # (N,)
    trace: list[TileStep] = []
    tiles = 0
    for k0 in range(0, n, block_k):
        kj = slice(k0, min(n, k0 + block_k))
        k_j = hbm.read(LOAD_KV, "K", kj)  # (B_c, d)
        v_j = hbm.read(LOAD_KV, "V", kj)  # (B_c, d)
        for q0 in range(0, n, block_q):
            qi = slice(q0, min(n, q0 + block_q))
            if causal and qi.stop - 1 < kj.start:
                continue  # every query of block i comes before every key of block j
            tiles += 1
            q_i = hbm.read(LOAD_Q, "Q", qi)  # (B_r, d)
            o_i = hbm.read(LOAD_Q, "O", qi)  # (B_r, d)
            l_i = hbm.read(LOAD_Q, "l", qi)  # (B_r,)
            m_i = hbm.read(LOAD_Q, "m", qi)  # (B_r,)
            # -- on chip: the score tile and its own softmax statistics ------
            s_ij = scale * (q_i @ k_j.T)  # (B_r, B_c)
            if causal:
                allowed = causal_tile(range(qi.start, qi.stop), range(kj.start, kj.stop))
                s_ij = np.where(allowed, s_ij, -np.inf)  # (B_r, B_c)
            m_tilde = s_ij.max(axis=1)  # (B_r,) −∞ where the row sees no key here
            tile_shift = np.where(np.isfinite(m_tilde), m_tilde, 0)  # (B_r,)
            p_tilde = np.exp(s_ij - tile_shift[:, None])  # (B_r, B_c)
            l_tilde = p_tilde.sum(axis=1)  # (B_r,)
            # -- on chip: merge with the running statistics ---------------------
            m_new = np.maximum(m_i, m_tilde)  # (B_r,)
            shift = np.where(np.isfinite(m_new), m_new, 0)  # (B_r,) keeps exp(−∞ − −∞) out
            alpha = np.exp(m_i - shift)  # (B_r,) rescales the old sum and output
            beta = np.exp(m_tilde - shift)  # (B_r,) rescales this tile
            l_new = alpha * l_i + beta * l_tilde  # (B_r,)
            pv = p_tilde @ v_j  # (B_r, B_c) @ (B_c, d) -> (B_r, d)
            unnormalised = (alpha * l_i)[:, None] * o_i + beta[:, None] * pv  # (B_r, d)
            o_new = unnormalised / np.where(l_new > 0, l_new, 1.0)[:, None]  # (B_r, d)
            hbm.write(STORE_O, "O", qi, o_new)  # (B_r, d)
            hbm.write(STORE_O, "l", qi, l_new)  # (B_r,)
            hbm.write(STORE_O, "m", qi, m_new)  # (B_r,)
            step = _tile_step(
                hbm, q0 // block_q, qi, k0 // block_k, kj, trace_row, m_tilde, l_tilde
            )
            if every_row:  # a copy of the running statistics, not counted as traffic
                m_all, l_all = tuple(hbm.arrays["m"].tolist()), tuple(hbm.arrays["l"].tolist())
                step = replace(step, m_rows=m_all, l_rows=l_all)
            trace.append(step)
    return hbm.arrays["O"], trace, tiles


def _tile_step(
    hbm: _HBM,
    i: int,
    qi: slice,
    j: int,
    kj: slice,
    trace_row: int,
    m_tilde: np.ndarray,
    l_tilde: np.ndarray,
) -> TileStep:
    """The traced row's view of step (i, j), after its results are stored.

    `m_tilde`, `l_tilde` (B_r,) are the tile's own row statistics.
    """
    in_tile = qi.start <= trace_row < qi.stop
    local = trace_row - qi.start
    reads, writes = hbm.moved
    return TileStep(
        i=i,
        j=j,
        q_rows=(qi.start, qi.stop),
        k_rows=(kj.start, kj.stop),
        row=trace_row,
        in_tile=in_tile,
        m=hbm.peek("m", trace_row),
        l=hbm.peek("l", trace_row),
        m_tile=float(m_tilde[local]) if in_tile else math.nan,
        l_tile=float(l_tilde[local]) if in_tile else math.nan,
        reads=reads,
        writes=writes,
    )


def run_schedule(
    q: object,
    k: object,
    v: object,
    schedule: Schedule,
    *,
    sram: int | None = None,
    causal: bool = False,
    scale: float | None = None,
    trace_row: int = 0,
    every_row: bool = False,
) -> tuple[np.ndarray, IOCount, list[TileStep]]:
    """Run `schedule` on real q, k, v (N, d) in float64, counting every element moved.

    Returns (out (N, d), the counted IOCount, the trace): the trace has one
    TileStep per tiled step, following row `trace_row`, and is empty for
    naive. `scale` defaults to 1/√d and `causal` means query i sees keys
    j ≤ i, as in `game.attention.attention`; `sram` picks default blocks and
    decides `fits`; `every_row` records every row's m and ℓ in each step (small N).
    The counts equal `count_io(N, d, sram, schedule, causal=causal)`.
    """
    q, k, v = _check_qkv(q, k, v)
    n, d = q.shape
    if not 0 <= trace_row < n:
        raise ValueError(f"trace_row must lie in 0..{n - 1}, got {trace_row}")
    if sram is not None:
        _check_size("sram", sram)
    scale = 1.0 / math.sqrt(d) if scale is None else float(scale)
    parts = NAIVE_PARTS if schedule.kind == NAIVE else TILED_PARTS
    hbm = _HBM(parts)
    hbm.arrays.update(Q=q, K=k, V=v)  # the inputs start in HBM
    if schedule.kind == NAIVE:
        out = _run_naive(hbm, n, scale, causal)
        trace: list[TileStep] = []
        tiles = 0
    else:
        block_q, block_k = _resolve_blocks(n, d, sram, schedule)
        blocks = (block_q, block_k)
        out, trace, tiles = _run_tiled(hbm, n, d, *blocks, scale, causal, trace_row, every_row)
    count = _count(n, d, sram, schedule, hbm.tally, tiles=tiles)
    return out.copy(), count, trace
