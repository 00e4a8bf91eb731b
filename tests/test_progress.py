"""Saved progress: round trip, damaged files moved aside, stars only go up, and atomic saves
that survive SIGKILL at any moment."""

import json
import os
import random
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from game.progress import (
    FORMAT,
    Preferences,
    Progress,
    SavingOff,
    data_dir,
    default_path,
    load_progress,
    save_progress,
)

ROOT = Path(__file__).resolve().parent.parent


def sample() -> Progress:
    progress = Progress(settings=Preferences(theme="projector", font_scale=1.25, sound=False))
    progress.record_result("coref-1", 2, {"wires": [["pronoun", "noun", 1.5]], "scale": True})
    progress.record_stars("qkv-1", 3)
    return progress


def test_round_trip(tmp_path):
    path = tmp_path / "deep" / "folder" / "progress.json"
    written = save_progress(sample(), path)
    assert written == path
    loaded, warning = load_progress(path)
    assert warning is None
    assert loaded == sample()
    assert json.loads(path.read_text())["format"] == FORMAT
    assert [p.name for p in path.parent.iterdir()] == ["progress.json"]  # no temp files left


def test_missing_file_is_a_fresh_start(tmp_path):
    progress, warning = load_progress(tmp_path / "progress.json")
    assert progress == Progress() and warning is None


def test_data_folder_can_be_overridden(tmp_path, monkeypatch):
    monkeypatch.setenv("SWITCHYARD_DATA_DIR", str(tmp_path))
    assert data_dir() == tmp_path and default_path() == tmp_path / "progress.json"
    save_progress(sample())
    assert load_progress() == (sample(), None)
    monkeypatch.delenv("SWITCHYARD_DATA_DIR")
    assert "switchyard" in str(data_dir()).lower()


GOOD = json.dumps(sample().to_dict(), indent=2)


@pytest.mark.parametrize(
    ("content", "problem"),
    [
        (GOOD[: len(GOOD) // 2], "invalid JSON at line"),  # truncated mid-write
        ("", "line 1, column 1"),
        ("\x00\x17garbage{{", "invalid JSON"),
        ("[1, 2, 3]", "top level is a list"),
        ('{"format": "1", "stars": {}}', "'format' is '1'"),
        ('{"stars": {}}', "'format' is None"),
        ('{"format": 1, "stars": {"a": "three"}}', "'stars.a' is 'three'"),
        ('{"format": 1, "stars": {"a": 7}}', "'stars.a' is 7"),
        ('{"format": 1, "stars": {"a": true}}', "'stars.a' is True"),
        ('{"format": 1, "best": {"a": [1]}}', "'best.a' is a list"),
        ('{"format": 1, "settings": {"sound": "yes"}}', "'settings.sound' is 'yes'"),
        ('{"format": 1, "settings": {"font_scale": true}}', "'settings.font_scale'"),
        ('{"format": 1, "settings": {"colour": 1}}', "unknown setting"),
        ('{"format": 1, "wat": 1}', "unknown key"),
    ],
)
def test_damaged_files_are_moved_aside_with_a_message(tmp_path, content, problem):
    path = tmp_path / "progress.json"
    path.write_text(content)
    now = time.mktime((2024, 5, 6, 7, 8, 9, 0, 0, -1))
    progress, warning = load_progress(path, now=now)
    assert progress == Progress()
    assert warning is not None and problem in warning and str(path) in warning
    aside = tmp_path / "progress.corrupt-20240506-070809.json"
    assert aside.read_text() == content and not path.exists()
    assert aside.name in warning
    # a second damaged file in the same second gets its own name
    path.write_text(content)
    _, again = load_progress(path, now=now)
    assert (tmp_path / "progress.corrupt-20240506-070809-1.json").exists() and again


def test_invalid_utf8_is_damage_not_a_crash(tmp_path):
    path = tmp_path / "progress.json"
    path.write_bytes(b"\xff\xfe\x00{")
    progress, warning = load_progress(path)
    assert progress == Progress() and "UTF-8" in warning


def test_old_files_without_newer_settings_keep_defaults(tmp_path):
    path = tmp_path / "progress.json"
    path.write_text('{"format": 1, "stars": {"x": 1}, "settings": {"theme": "projector"}}')
    progress, warning = load_progress(path)
    assert warning is None and progress.stars == {"x": 1}
    assert progress.settings == Preferences(theme="projector")


# A progress file exactly as the code before the rename (when the player's preferences
# were a class named Settings) wrote it, commit a154e31: the JSON format must not change.
OLD_FILE = """{
  "best": {"01_trophy": {"heads": [{"block": "self", "mix": 1.0, "values": [],
      "wires": [{"key": "bulky", "query": "pronoun", "strength": 3.0}]}],
    "settings": {"knobs": [], "parameter": null, "positional": "none", "scale": true,
      "temperature": 1.0}}},
  "format": 1,
  "settings": {"backend": "tiled", "font_scale": 1.25, "fullscreen": true, "sound": false,
    "teacher": true, "theme": "projector"},
  "stars": {"01_trophy": 3, "02_query_key_value": 1}
}
"""


def test_a_file_written_before_the_rename_loads_and_writes_back_the_same(tmp_path):
    path = tmp_path / "progress.json"
    path.write_text(OLD_FILE)
    progress, warning = load_progress(path)
    assert warning is None
    assert progress.settings == Preferences(
        theme="projector", font_scale=1.25, sound=False, backend="tiled", fullscreen=True,
        teacher=True,
    )  # fmt: skip
    assert progress.stars == {"01_trophy": 3, "02_query_key_value": 1}
    assert progress.best["01_trophy"]["heads"][0]["wires"][0]["key"] == "bulky"
    save_progress(progress, path)
    assert json.loads(path.read_text()) == json.loads(OLD_FILE)


def test_stars_never_decrease():
    progress = Progress()
    assert progress.record_stars("a", 2)
    assert not progress.record_stars("a", 1)
    assert not progress.record_stars("a", 0)
    assert progress.stars_for("a") == 2
    assert progress.record_stars("a", 3) and progress.stars_for("a") == 3
    assert progress.stars_for("never-played") == 0
    with pytest.raises(ValueError):
        progress.record_stars("a", 4)
    with pytest.raises(ValueError):
        progress.record_stars("a", True)


def test_a_worse_replay_keeps_the_best_solution():
    progress = Progress()
    progress.record_result("a", 2, {"wires": 1})
    assert not progress.record_result("a", 1, {"wires": 9})
    assert progress.best["a"] == {"wires": 1} and progress.stars_for("a") == 2
    assert progress.record_result("a", 2, {"wires": 2})  # as good: the newest wins
    assert progress.best["a"] == {"wires": 2}
    solution = {"wires": [1, 2]}
    progress.record_result("b", 1, solution)
    solution["wires"].append(3)
    assert progress.best["b"] == {"wires": [1, 2]}  # a copy, not the caller's object
    with pytest.raises(TypeError):
        progress.record_result("c", 1, {"bad": object()})


WRITER = textwrap.dedent(
    """
    import sys
    from game.progress import Progress, save_progress

    path = sys.argv[1]
    progress = Progress()
    i = 0
    while True:
        i += 1
        progress.record_stars(f"level-{i}", i % 4)
        progress.best[f"level-{i}"] = {"i": i, "pad": "x" * (i % 500) * 10}
        progress.stars["count"] = i % 4
        progress.best["last"] = {"i": i}
        save_progress(progress, path)
        print(i, flush=True)
    """
)


def expected(i: int) -> Progress:
    """What the writer has saved after its i-th save."""
    progress = Progress()
    for n in range(1, i + 1):
        progress.record_stars(f"level-{n}", n % 4)
        progress.best[f"level-{n}"] = {"i": n, "pad": "x" * (n % 500) * 10}
        progress.stars["count"] = n % 4
        progress.best["last"] = {"i": n}
    return progress


@pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs SIGKILL")
def test_sigkill_mid_save_leaves_the_old_or_the_new_file(tmp_path):
    path = tmp_path / "progress.json"
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    rng = random.Random(1234)
    started = time.monotonic()
    for _ in range(30):
        writer = subprocess.Popen(
            [sys.executable, "-c", WRITER, str(path)],
            stdout=subprocess.PIPE,
            env=env,
            cwd=ROOT,
        )
        writer.stdout.readline()  # at least one save done: the file exists from here on
        time.sleep(rng.uniform(0.0, 0.03))
        writer.send_signal(signal.SIGKILL)
        rest = writer.communicate()[0].split()
        writer.wait()
        last_reported = int(rest[-1]) if rest else 1
        progress, warning = load_progress(path)
        assert warning is None
        i = progress.best["last"]["i"]
        # the save in flight when killed either landed whole or not at all
        assert last_reported <= i <= last_reported + 1
        assert progress == expected(i)
        path.unlink()
    assert time.monotonic() - started < 20


# --- damaged and unreadable saves, as SQLite treats its files (issue 16) ----------------


def test_a_deeply_nested_file_is_damage_not_a_recursion_error(tmp_path):
    path = tmp_path / "progress.json"
    path.write_text("[" * 100_000 + "]" * 100_000)
    progress, warning = load_progress(path)
    assert progress == Progress() and "nested too deeply" in warning
    assert not path.exists() and list(tmp_path.glob("progress.corrupt-*.json"))


def test_a_utf8_byte_order_mark_is_accepted(tmp_path):
    path = tmp_path / "progress.json"
    path.write_bytes(b"\xef\xbb\xbf" + GOOD.encode())
    progress, warning = load_progress(path)
    assert warning is None and progress == sample()


def test_a_newer_format_is_opened_read_only_and_left_alone(tmp_path):
    path = tmp_path / "progress.json"
    content = '{"format": 99, "stars": {"a": 3}, "quests": []}'
    path.write_text(content)
    progress, warning = load_progress(path)
    assert "newer Switchyard" in warning and "read-only" in warning
    assert progress.saving_off is not None
    with pytest.raises(SavingOff):
        save_progress(progress, path)
    assert path.read_text() == content and list(tmp_path.iterdir()) == [path]


def test_an_unreadable_file_turns_saving_off_instead_of_being_overwritten(tmp_path, monkeypatch):
    path = tmp_path / "progress.json"
    save_progress(sample(), path)
    before = path.read_bytes()
    real = Path.read_bytes

    def denied(self):
        if self == path:
            raise PermissionError(13, "Permission denied")
        return real(self)

    monkeypatch.setattr(Path, "read_bytes", denied)
    progress, warning = load_progress(path)
    assert "could not be read" in warning and "saving is off" in warning
    progress.record_stars("b", 2)
    with pytest.raises(SavingOff, match="could not be read"):
        save_progress(progress, path)
    monkeypatch.undo()
    assert path.read_bytes() == before  # the stars on disk were kept


def test_a_folder_in_place_of_the_file_turns_saving_off(tmp_path):
    path = tmp_path / "progress.json"
    path.mkdir()
    progress, warning = load_progress(path)
    assert progress.saving_off and "saving is off" in warning and path.is_dir()


def test_leftover_temp_files_are_removed_on_open_but_a_fresh_one_is_kept(tmp_path):
    path = tmp_path / "progress.json"
    save_progress(sample(), path)
    old = tmp_path / ".progress-killed1.tmp"
    fresh = tmp_path / ".progress-inflight.tmp"
    for leftover in (old, fresh):
        leftover.write_text("{half")
    os.utime(old, (time.time() - 3600, time.time() - 3600))
    progress, warning = load_progress(path)
    assert warning is None and progress == sample()
    assert not old.exists() and fresh.exists()


def test_read_only_loading_never_renames_or_removes(tmp_path):
    path = tmp_path / "progress.json"
    path.write_text("{not json")
    leftover = tmp_path / ".progress-killed.tmp"
    leftover.write_text("x")
    os.utime(leftover, (0, 0))
    progress, warning = load_progress(path, read_only=True)
    assert progress == Progress() and "left as it is" in warning
    assert sorted(p.name for p in tmp_path.iterdir()) == [leftover.name, path.name]


@pytest.mark.parametrize(
    "content",
    [
        '{"format": 1, "stars": {"a": 1e999}}',
        '{"format": 1e999}',
        "NaN",
        '{"format": 1, "best": 5}',
    ],
)
def test_every_parse_error_is_caught(tmp_path, content):
    path = tmp_path / "progress.json"
    path.write_text(content)
    progress, warning = load_progress(path)
    assert progress == Progress() and "damaged" in warning
