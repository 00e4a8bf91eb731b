"""game.export: an export's files load back and equal the board's own numbers.

The weights of every head on every sentence are exactly what
`game.attention.attention_weights` gives for the board (recomputed here from the
head's q and k, its scale, temperature, bias and mask), on every installed
level: one and several heads, ALiBi, causal decoders, encoder–decoder cross
attention, sparse and linear patterns, the start board and the solution.
"""

from __future__ import annotations

import dataclasses
import json

import numpy as np
import pytest

from game.attention import attention_weights
from game.export import export_to_new_folder, write_export
from game.export.tables import layer_of, weight_tables
from game.model import Board
from game.model.saved_board import restore_state, state_to_dict
from game.plugins import load_plugins
from tests.export.loading import (
    assert_export_matches,
    read_board_json,
    read_csv_table,
    read_manifest,
)

LEVEL_IDS = sorted(load_plugins(use_user_dir=False, entry_points=False).levels)
KINDS = ("01_trophy", "06_two_heads", "10_alibi", "decoder_01_next_word", "translate_01_red_car")


def test_the_levels_cover_every_kind_of_board():
    assert set(KINDS) <= set(LEVEL_IDS)


def boards(level, registry):
    yield "start", Board(level, registry)
    if level.solution is not None:
        yield "solution", Board.with_solution(level, registry)


@pytest.mark.parametrize("level_id", LEVEL_IDS)
def test_every_head_on_every_sentence_is_what_attention_weights_gives(level_id, registry, tmp_path):
    level = registry.levels[level_id]
    for name, board in boards(level, registry):
        folder = tmp_path / name
        write_export(board, folder)
        assert_export_matches(folder, board)
        for s in range(len(level.sentences)):
            for head in board.evaluate(s).heads:
                _, _, _, csv_weights = read_csv_table(
                    folder / f"sentence{s}_head{head.index}_weights.csv"
                )
                sums = csv_weights.sum(axis=-1)  # (n_q,) each row 1, or 0 where nothing is allowed
                assert np.all((np.abs(sums - 1) < 1e-9) | (sums == 0)), sums
                t = head.temperature
                expected = attention_weights(  # (n_q, n_k)
                    head.q, head.k, scale=head.scale / t, bias=head.bias / t, mask=head.allowed
                )
                if head.exact_weights is not None:  # linear attention: the softmax is beside it
                    stem = f"sentence{s}_head{head.index}_softmax_weights.csv"
                    csv_weights = read_csv_table(folder / stem)[3]
                assert np.array_equal(csv_weights, expected), (level_id, name, s, head.index)


def test_board_json_is_the_saved_board_and_loads_back_after_edits(registry, tmp_path):
    level = registry.levels["06_two_heads"]
    board = Board.with_solution(level, registry)
    board.add_wire(1, level.features[0], level.features[1], 2.5)
    board.set_mix(0, 0.75)
    write_export(board, tmp_path)
    data = read_board_json(tmp_path)
    assert data == json.loads(json.dumps(state_to_dict(board.state)))  # the progress format
    assert restore_state(data, level, registry) == board.state
    assert restore_state(data, level, registry) != Board.with_solution(level, registry).state


def test_the_manifest_lists_every_table_with_its_labels(registry, tmp_path):
    board = Board.with_solution(registry.levels["translate_01_red_car"], registry)
    write_export(board, tmp_path)
    facts = read_manifest(tmp_path)
    assert facts["level"]["id"] == "translate_01_red_car"
    assert [s["index"] for s in facts["sentences"]] == list(range(len(board.level.sentences)))
    weights = [t for t in facts["tables"] if t["kind"] == "weights"]
    assert {(t["sentence"], t["head"], t["layer"]) for t in weights} == {
        (s, 0, 0) for s in range(len(board.level.sentences))
    }
    for table in facts["tables"]:
        corner, rows, cols, values = read_csv_table(tmp_path / table["csv"])
        assert (rows, cols, list(values.shape)) == (table["rows"], table["columns"], table["shape"])
        assert np.load(tmp_path / table["npy"]).shape == tuple(table["shape"])
    cross = weights[0]
    assert (cross["queries"], cross["keys"], cross["block"]) == ("target", "source", "cross")


def test_readme_names_every_file_the_level_and_the_sentences(registry, tmp_path):
    board = Board(registry.levels["06_two_heads"], registry)
    write_export(board, tmp_path)
    readme = (tmp_path / "README.txt").read_text(encoding="utf-8")
    assert "06_two_heads" in readme and "board.json" in readme
    for path in tmp_path.glob("sentence*.csv"):
        assert path.stem in readme
    for sentence in board.level.sentences:
        assert " ".join(sentence.tokens) in readme


def test_a_head_with_a_layer_is_written_with_it(registry):
    """Boards that stack layers give HeadEvaluation a `layer`; files keep the head's index."""
    ev = Board.with_solution(registry.levels["06_two_heads"], registry).evaluate(0)
    heads = tuple(dataclasses.replace(h, layer=h.index) for h in ev.heads)
    tables = weight_tables(dataclasses.replace(ev, heads=heads))
    assert [(t.stem, t.about["layer"]) for t in tables] == [
        ("sentence0_head0_weights", 0),
        ("sentence0_head1_weights", 1),
    ]
    assert layer_of(ev.heads[0]) == 0


def test_a_new_folder_appears_whole_with_a_free_name(registry, tmp_path):
    board = Board(registry.levels["01_trophy"], registry)
    first = export_to_new_folder(board, tmp_path, now=0.0)
    second = export_to_new_folder(board, tmp_path, now=0.0)
    assert second.folder.name == f"{first.folder.name}-2"
    assert first.folder.name.startswith("01_trophy-")
    assert sorted(p.name for p in tmp_path.iterdir()) == [first.folder.name, second.folder.name]
    assert all(path.parent == second.folder and path.is_file() for path in second.files)
    assert_export_matches(second.folder, board)


def test_a_folder_that_cannot_be_written_is_an_oserror_and_leaves_nothing(
    registry, tmp_path, monkeypatch
):
    board = Board(registry.levels["01_trophy"], registry)
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    with pytest.raises(OSError):
        export_to_new_folder(board, blocker / "exports")
    with pytest.raises(OSError):
        write_export(board, blocker)

    def disk_full(*args, **kwargs):
        raise OSError(28, "No space left on device")

    root = tmp_path / "exports"
    monkeypatch.setattr(np, "save", disk_full)
    with pytest.raises(OSError, match="No space"):
        export_to_new_folder(board, root)
    assert list(root.iterdir()) == []  # no half-written export, no temp folder


def test_the_export_core_imports_no_pygame():
    import subprocess
    import sys
    from pathlib import Path

    code = (
        "import sys, game.export, game.cli.export\n"
        "bad = [m for m in sys.modules if m.split('.')[0] == 'pygame' or m.startswith('game.ui')]\n"
        "assert not bad, bad\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True, cwd=Path(__file__).parents[2])


def test_exporting_again_into_a_folder_replaces_only_the_earlier_exports_files(registry, tmp_path):
    """A two-head level, then a one-head encoder–decoder level in the same folder: the
    tables of the first that the second lacks go; a file of the user's own stays."""
    write_export(Board(registry.levels["06_two_heads"], registry), tmp_path)
    assert (tmp_path / "sentence2_head1_weights.csv").exists()
    (tmp_path / "notes.txt").write_text("mine")
    translation = Board(registry.levels["translate_01_red_car"], registry)
    write_export(translation, tmp_path)
    (tmp_path / "notes.txt").unlink()
    assert_export_matches(tmp_path, translation)
