"""`switchyard bench --only layers`: the stacked benchmark board is what it says it is."""

from __future__ import annotations

from game.bench.layers import LAYERS, edit_evaluate_timings, stacked_board, verdicts


def test_the_stacked_board_copies_the_wired_heads_into_every_layer():
    board = stacked_board(2)
    assert [h.layer for h in board.heads] == [0] * 4 + [1] * 4
    assert board.heads[:4] == tuple(
        h.__class__(h.wires, h.values, h.block, h.mix) for h in board.heads[4:]
    )
    assert board.used_layers() == 2 and len(board.evaluate(0).residual) == 3


def test_one_timing_and_one_verdict_per_layer_count():
    timings = edit_evaluate_timings(edits=2)
    assert [t.samples for t in timings] == [2] * len(LAYERS)
    assert all(t.median_ms > 0 for t in timings)
    assert len(verdicts(timings)) == len(LAYERS)
