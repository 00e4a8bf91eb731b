"""The FlashAttention level's IO simulator (game.model.io_sim) against the paper and attention()."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from game.attention import attention
from game.model.io_sim import (
    Schedule,
    count_io,
    default_blocks,
    paper_blocks,
    run_schedule,
    sram_needed,
)

TILED_CASES = [
    # (n, d, block_q, block_k)
    (1, 1, 1, 1),
    (1, 4, 3, 5),
    (7, 3, 2, 3),
    (7, 5, 7, 7),
    (7, 2, 16, 16),
    (64, 8, 16, 16),
    (64, 4, 5, 9),
    (257, 16, 32, 64),
    (257, 3, 64, 17),
]


def _qkv(n: int, d: int, seed: int = 0) -> tuple[np.ndarray, ...]:
    rng = np.random.default_rng(seed)
    return tuple(rng.normal(size=(3, n, d)) * 2.0)  # (n, d) each


# -- the output is attention() ---------------------------------------------------------


@pytest.mark.parametrize("causal", [False, True])
@pytest.mark.parametrize(("n", "d", "block_q", "block_k"), TILED_CASES)
def test_tiled_schedule_equals_attention(n, d, block_q, block_k, causal):
    q, k, v = _qkv(n, d, seed=n * 31 + d)
    out, _, _ = run_schedule(q, k, v, Schedule("tiled", block_q, block_k), causal=causal)
    expected = attention(q, k, v, causal=causal, backend="reference")
    np.testing.assert_allclose(out, expected, rtol=0, atol=1e-12)


@pytest.mark.parametrize("causal", [False, True])
@pytest.mark.parametrize("n", [1, 7, 64, 257])
def test_naive_schedule_equals_attention(n, causal):
    q, k, v = _qkv(n, 4, seed=n)
    out, _, trace = run_schedule(q, k, v, Schedule("naive"), causal=causal)
    expected = attention(q, k, v, causal=causal, backend="reference")
    np.testing.assert_allclose(out, expected, rtol=0, atol=1e-12)
    assert trace == []


def test_scale_is_passed_through():
    q, k, v = _qkv(9, 4)
    out, _, _ = run_schedule(q, k, v, Schedule("tiled", 2, 4), scale=0.7)
    np.testing.assert_allclose(out, attention(q, k, v, scale=0.7), atol=1e-12)
    default, _, _ = run_schedule(q, k, v, Schedule("tiled", 2, 4))
    assert not np.allclose(out, default)


def test_large_scores_do_not_overflow():
    # Scores far beyond exp's range: only the running max keeps this finite.
    q, k, v = _qkv(40, 4)
    out, _, _ = run_schedule(q * 30, k * 30, v, Schedule("tiled", 8, 8))
    assert np.all(np.isfinite(out))
    np.testing.assert_allclose(out, attention(q * 30, k * 30, v), atol=1e-12)


# -- counted IO is the closed form --------------------------------------------------------


@pytest.mark.parametrize("causal", [False, True])
@pytest.mark.parametrize(("n", "d", "block_q", "block_k"), TILED_CASES)
def test_counted_io_equals_closed_form(n, d, block_q, block_k, causal):
    q, k, v = _qkv(n, d)
    schedule = Schedule("tiled", block_q, block_k)
    _, counted, trace = run_schedule(q, k, v, schedule, sram=500, causal=causal)
    assert counted == count_io(n, d, 500, schedule, causal=causal)
    assert counted.tiles == len(trace)
    assert (trace[-1].reads, trace[-1].writes) == (counted.reads, counted.writes)


@pytest.mark.parametrize("causal", [False, True])
@pytest.mark.parametrize("n", [1, 7, 64])
def test_counted_naive_io_equals_closed_form(n, causal):
    q, k, v = _qkv(n, 3)
    _, counted, _ = run_schedule(q, k, v, Schedule("naive"), sram=100, causal=causal)
    assert counted == count_io(n, 3, 100, Schedule("naive"), causal=causal)


@settings(max_examples=60, deadline=None)
@given(
    n=st.integers(1, 40),
    d=st.integers(1, 6),
    block_q=st.integers(1, 45),
    block_k=st.integers(1, 45),
    causal=st.booleans(),
)
def test_counted_io_equals_closed_form_everywhere(n, d, block_q, block_k, causal):
    q, k, v = _qkv(n, d)
    schedule = Schedule("tiled", block_q, block_k)
    out, counted, _ = run_schedule(q, k, v, schedule, causal=causal)
    assert counted == count_io(n, d, None, schedule, causal=causal)
    np.testing.assert_allclose(out, attention(q, k, v, causal=causal), atol=1e-12)


def test_closed_form_by_hand():
    # N = 10, d = 2, B_r = 4, B_c = 5: T_r = 3, T_c = 2.
    count = count_io(10, 2, None, Schedule("tiled", 4, 5))
    by_part = {p.name: (p.reads, p.writes) for p in count.parts}
    assert by_part["initialise O, ℓ, m"] == (0, 10 * 2 + 2 * 10)
    assert by_part["load K_j, V_j"] == (2 * 10 * 2, 0)
    assert by_part["load Q_i, O_i, ℓ_i, m_i"] == (2 * 10 * (2 * 2 + 2), 0)  # T_c passes
    assert by_part["write O_i, ℓ_i, m_i"] == (0, 2 * 10 * (2 + 2))
    assert (count.reads, count.writes, count.tiles) == (160, 120, 6)
    assert count.total == 280
    # Causal: key block 1 starts at row 5, inside query block 1 (rows 4..7), so
    # query block 0 is skipped for it: 6 query rows are visited instead of 10.
    causal = count_io(10, 2, None, Schedule("tiled", 4, 5), causal=True)
    assert causal.tiles == 5
    assert causal.reads == 40 + (10 + 6) * 6
    assert causal.writes == 40 + (10 + 6) * 4
    naive = count_io(10, 2, None, Schedule("naive"))
    assert (naive.reads, naive.writes) == (3 * 10 * 2 + 2 * 100, 2 * 100 + 10 * 2)
    assert naive == count_io(10, 2, 1, Schedule("naive"), causal=True)  # M and mask: no effect


# -- Theorem 2: how the counts grow ----------------------------------------------------------


def test_naive_grows_like_n_squared():
    d, sram = 64, 1 << 15
    ratio = (
        count_io(8192, d, sram, Schedule("naive")).total
        / count_io(4096, d, sram, Schedule("naive")).total
    )
    assert 3.9 < ratio <= 4.0
    # …and it is Θ(N·d + N²): exactly 4·N·d + 4·N² here
    assert count_io(4096, d, sram, Schedule("naive")).total == 4 * 4096 * d + 4 * 4096**2


def test_tiled_grows_like_n_squared_d_squared_over_m():
    d, sram, n = 64, 1 << 15, 4096
    tiled = Schedule("tiled")

    def total(n: int, d: int, sram: int) -> int:
        return count_io(n, d, sram, tiled).total

    assert 3.8 < total(2 * n, d, sram) / total(n, d, sram) <= 4.0  # × N²
    assert 1.8 < total(n, d, sram) / total(n, d, 2 * sram) < 2.1  # × 1/M
    # d² / M held fixed (d × 2, M × 4): the count grows only by the N·d terms, under 2×
    assert 1.0 < total(n, 2 * d, 4 * sram) / total(n, d, sram) < 2.0
    # and against the theorem's N²·d²/M itself: T_c ≈ 4·N·d/M passes of (3·d + 4)·N
    # elements each make the constant about 12 + 16/d
    for n_, d_, m_ in [(4096, 64, 1 << 15), (8192, 32, 1 << 14), (16384, 128, 1 << 17)]:
        assert 11.0 < total(n_, d_, m_) / (n_**2 * d_**2 / m_) < 14.0


def test_more_sram_means_less_tiled_traffic():
    n, d = 2048, 64
    sizes = [1 << p for p in range(9, 19)]
    totals = [count_io(n, d, m, Schedule("tiled")).total for m in sizes]
    assert all(a > b for a, b in zip(totals, totals[1:], strict=False))


@pytest.mark.parametrize("n", [1024, 4096, 16384])
def test_tiled_beats_naive_once_sram_is_large_enough(n):
    d = 64
    naive = count_io(n, d, None, Schedule("naive")).total
    for sram in [1 << 14, 1 << 16, 100_000, 1 << 20]:
        assert count_io(n, d, sram, Schedule("tiled")).total < naive
    # …but not with an SRAM too small for more than a row or two
    assert count_io(n, d, 4 * d + 8, Schedule("tiled")).total > naive


def test_causal_skips_about_half_the_tiles():
    full = count_io(4096, 64, 1 << 15, Schedule("tiled"))
    causal = count_io(4096, 64, 1 << 15, Schedule("tiled"), causal=True)
    assert 0.45 < causal.tiles / full.tiles < 0.6
    assert causal.total < full.total


# -- blocks and SRAM ------------------------------------------------------------------------


def test_paper_blocks_follow_algorithm_1():
    assert paper_blocks(64, 1 << 16) == (64, 256)  # B_c = ⌈M/4d⌉, B_r = min(B_c, d)
    assert paper_blocks(64, 1000) == (4, 4)
    assert paper_blocks(8, 100) == (4, 4)  # ⌈100/32⌉ = 4


@pytest.mark.parametrize("d", [1, 2, 8, 64, 128])
@pytest.mark.parametrize("sram", [200, 1000, 4096, 1 << 15, 100_000])
def test_default_blocks_fit_and_are_the_largest_that_do(d, sram):
    try:
        block_q, block_k = default_blocks(d, sram)
    except ValueError:
        assert sram_needed(d, 1, 1) > sram
        return
    assert sram_needed(d, block_q, block_k) <= sram
    assert block_q == min(block_k, d)
    paper_q, paper_k = paper_blocks(d, sram)
    assert block_k <= paper_k
    bigger = block_k + 1
    if bigger <= paper_k:
        assert sram_needed(d, min(bigger, d), bigger) > sram
    if sram >= 8 * d * d + 4 * d:
        assert (block_q, block_k) == (paper_q, paper_k)


def test_sram_needed_counts_every_block():
    # K_j, V_j: 2·5·3; Q_i, O_i: 2·4·3; ℓ_i, m_i: 2·4; S_ij: 4·5
    assert sram_needed(3, 4, 5) == 30 + 24 + 8 + 20


def test_blocks_that_do_not_fit_are_reported():
    schedule = Schedule("tiled", 64, 64)
    need = sram_needed(16, 64, 64)
    assert count_io(1000, 16, need, schedule).fits
    assert not count_io(1000, 16, need - 1, schedule).fits
    assert count_io(1000, 16, need - 1, schedule).sram_needed == need
    # blocks longer than the sequence only hold the sequence
    assert count_io(8, 16, sram_needed(16, 8, 8), schedule).fits
    assert count_io(8, 16, None, schedule).fits
    q, k, v = _qkv(100, 16)
    _, counted, _ = run_schedule(q, k, v, schedule, sram=need - 1)
    assert not counted.fits
    assert count_io(1000, 16, 10, Schedule("naive")).fits
    with pytest.raises(ValueError, match="cannot hold even one row"):
        count_io(10, 16, 10, Schedule("tiled"))


def test_default_blocks_are_used_when_none_are_given():
    count = count_io(1000, 64, 1 << 15, Schedule("tiled"))
    assert (count.block_q, count.block_k) == default_blocks(64, 1 << 15)
    assert count.fits
    with pytest.raises(ValueError, match="block sizes or an SRAM size"):
        count_io(1000, 64, None, Schedule("tiled"))


def test_bad_arguments_are_rejected():
    with pytest.raises(ValueError, match="naive.*tiled"):
        Schedule("flash")
    with pytest.raises(ValueError, match="block_q"):
        Schedule("tiled", -1, 4)
    with pytest.raises(ValueError, match="n must"):
        count_io(0, 4, 100, Schedule("naive"))
    with pytest.raises(ValueError, match=r"\(n, d\)"):
        run_schedule(np.ones((3, 2)), np.ones((4, 2)), np.ones((4, 2)), Schedule("naive"))
    with pytest.raises(ValueError, match="trace_row"):
        run_schedule(*_qkv(3, 2), Schedule("tiled", 1, 1), trace_row=3)


# -- the trace the level animates -------------------------------------------------------------


def test_trace_follows_algorithm_1_loop_order_and_the_online_softmax():
    n, d, row = 12, 3, 5
    q, k, v = _qkv(n, d, seed=3)
    _, _, trace = run_schedule(q, k, v, Schedule("tiled", 4, 3), trace_row=row)
    assert [(s.i, s.j) for s in trace] == [(i, j) for j in range(4) for i in range(3)]
    scores = q[row] @ k.T / math.sqrt(d)  # (n,) the traced row's scores
    for step in trace:
        assert step.row == row
        assert step.in_tile == (step.i == 1)
        seen = scores[: step.k_rows[1]]  # (keys so far,)
        if step.i == 1:
            tile = scores[step.k_rows[0] : step.k_rows[1]]  # (B_c,)
            assert step.m_tile == pytest.approx(tile.max(), abs=1e-12)
            assert step.l_tile == pytest.approx(np.exp(tile - tile.max()).sum(), abs=1e-12)
            assert step.m == pytest.approx(seen.max(), abs=1e-12)
            assert step.l == pytest.approx(np.exp(seen - seen.max()).sum(), abs=1e-12)
        else:
            assert math.isnan(step.m_tile) and math.isnan(step.l_tile)
    reads = [s.reads for s in trace]
    assert reads == sorted(reads) and len(set(reads)) == len(reads)


def test_every_row_records_each_rows_running_max_and_sum_after_each_step():
    q, k, v = _qkv(10, 3)
    _, counted, plain = run_schedule(q, k, v, Schedule("tiled", 4, 3))
    _, again, trace = run_schedule(q, k, v, Schedule("tiled", 4, 3), every_row=True)
    assert again == counted and all(s.m_rows == () == s.l_rows for s in plain)
    scores = q @ k.T / math.sqrt(3)  # (10, 10)
    for step in trace:  # key blocks outer: rows up to this query block have seen keys 0..j
        for r in range(10):
            stop = step.k_rows[1] if r < step.q_rows[1] else step.k_rows[0]
            want = scores[r, :stop].max() if stop else -math.inf
            assert step.m_rows[r] == pytest.approx(want)
            if stop:
                assert step.l_rows[r] == pytest.approx(np.exp(scores[r, :stop] - want).sum())
        assert step.m_rows[step.row] == step.m and step.l_rows[step.row] == step.l
