"""The GPU benchmark's arithmetic and report, which need no GPU to check."""

from game.bench.gpu import TOKENS, WIDTH, Row, format_rows, summarise


def _row(n, d, causal, ours, torch, naive):
    return Row(n, d, causal, ours, ours, "4 warps × 64 keys", torch, naive, 1e-3)


def test_tflops_follow_the_issue_formula_and_halve_for_causal():
    row = _row(1024, 64, False, 2.0, None, None)
    b_h = (TOKENS // 1024) * (WIDTH // 64)  # 16 sequences × 32 heads
    assert row.tflops(2.0) == 4 * b_h * 1024**2 * 64 / 2e-3 / 1e12
    assert _row(1024, 64, True, 2.0, None, None).tflops(2.0) == row.tflops(2.0) / 2
    assert row.tflops(None) is None


def test_the_table_shows_ratios_and_dashes_for_what_was_not_measured():
    lines = format_rows(
        [_row(4096, 128, True, 1.0, 0.8, None), _row(512, 64, False, 1.0, None, 5.0)]
    )
    assert len(lines) == 4
    assert "| 0.80 |" in lines[2] and "| — | —× |" in lines[2]  # torch ratio; naive did not fit
    assert "| — |" in lines[3] and "| 5.0× |" in lines[3]


def test_the_summary_names_the_worst_case_of_each_target():
    rows = [
        _row(2048, 64, False, 1.0, 0.9, 4.0),
        _row(8192, 128, True, 1.0, 0.6, None),
        _row(1024, 64, True, 1.0, 0.1, 9.0),  # below 2k: not part of the torch target
        _row(4096, 64, True, 1.0, 0.95, 20.0),
    ]
    notes = "\n".join(summarise(rows))
    assert "worst 0.60× (n = 8192, d = 128, causal on)" in notes
    assert "causal off (target ≥ 3×): worst 4.0× (n = 2048)" in notes
    assert "causal on (target ≥ 8×): worst 9.0× (n = 1024)" in notes
