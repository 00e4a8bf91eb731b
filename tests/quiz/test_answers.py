"""Answers are saved atomically, one per line; a damaged line never costs the others, and a
file that cannot be read is never written over. The CSV loads back equal."""

import csv
import json
import os
import stat
from dataclasses import asdict, replace

import pytest

from game.quiz.answers import Answer, AnswerStore, AnswersUnreadable, read_answers
from game.quiz.csv_export import COLUMNS, csv_text, read_csv, write_csv

ONE = Answer(
    name="Ada",
    quiz_id="attention-basics",
    phase="pre",
    question_id="softmax-share",
    choice=2,
    choice_text="0.79",
    correct=True,
    seconds=4.25,
    timestamp="2026-11-29T09:15:02+01:00",
)


def answers(count):
    return [
        replace(ONE, question_id=f"q{k}", choice=1 + k % 4, correct=k % 2 == 0)
        for k in range(count)
    ]


def test_answers_are_added_and_read_back_in_order(tmp_path):
    store = AnswerStore(tmp_path / "a.jsonl")
    assert store.load() == ([], None)
    for answer in answers(3):
        assert store.add(answer) is None
    assert AnswerStore(tmp_path / "a.jsonl").load() == (answers(3), None)
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".tmp")]  # no temp left


def test_a_damaged_line_is_set_aside_and_every_other_answer_kept(tmp_path):
    path = tmp_path / "a.jsonl"
    store = AnswerStore(path)
    store.add(*answers(2))
    good = path.read_bytes()
    path.write_bytes(good + b'{"name": "Bo", "choi\n' + b"\x00\xff garbage\n")
    found, note = store.load()
    assert found == answers(2)
    assert "2 damaged line(s)" in note and "line 3, 4" in note and "other 2 answers" in note
    assert path.read_bytes().endswith(b"garbage\n")  # reading never changes the file
    note = store.add(replace(ONE, name="Cy"), now=0)
    assert found + [replace(ONE, name="Cy")] == store.load()[0]
    assert store.load()[1] is None  # the file is clean again
    (aside,) = tmp_path.glob("a.damaged-*.jsonl")
    assert aside.name in note and "every other answer is kept" in note
    assert aside.read_bytes() == b'{"name": "Bo", "choi\n\x00\xff garbage\n'


def test_a_line_with_wrong_fields_counts_as_damaged(tmp_path):
    path = tmp_path / "a.jsonl"
    bad = [dict(asdict(ONE), choice="2"), dict(asdict(ONE), extra=1), dict(asdict(ONE), correct=1)]
    path.write_text("\n".join(json.dumps(b) for b in [asdict(ONE), *bad]) + "\n")
    loaded = read_answers(path)
    assert loaded.answers == [ONE] and [n for n, _ in loaded.damaged] == [2, 3, 4]


@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0, reason="needs file permissions")
def test_an_unreadable_file_is_never_written_over_and_answers_wait(tmp_path):
    path = tmp_path / "a.jsonl"
    store = AnswerStore(path)
    store.add(ONE)
    path.chmod(0)
    try:
        with pytest.raises(AnswersUnreadable, match="could not be read"):
            store.add(replace(ONE, name="Di"))
        found, note = store.load()
        assert found == [replace(ONE, name="Di")] and "could not be read" in note
    finally:
        path.chmod(stat.S_IRUSR | stat.S_IWUSR)
    assert read_answers(path).answers == [ONE]  # untouched
    store.add(replace(ONE, name="Ed"))  # readable again: the waiting answer is saved too
    names = [a.name for a in read_answers(path).answers]
    assert names == ["Ada", "Di", "Ed"]


def test_a_failed_write_keeps_the_old_file_and_the_answer_waiting(tmp_path, monkeypatch):
    path = tmp_path / "a.jsonl"
    store = AnswerStore(path)
    store.add(ONE)
    before = path.read_bytes()

    def broken(*args):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", broken)
    with pytest.raises(OSError, match="No space"):
        store.add(replace(ONE, name="Fa"))
    monkeypatch.undo()
    assert path.read_bytes() == before
    assert not list(tmp_path.glob("*.tmp"))
    store.add()
    assert [a.name for a in read_answers(path).answers] == ["Ada", "Fa"]


def test_the_csv_has_a_header_and_one_row_per_answer_and_loads_back_equal(tmp_path):
    given = answers(5) + [replace(ONE, name='=HYPERLINK("x")', choice_text='say "hi", then')]
    path = write_csv(given, tmp_path / "out.csv")
    lines = path.read_text(encoding="utf-8").splitlines()
    assert lines[0] == ",".join(COLUMNS) and len(lines) == 1 + len(given)
    assert lines[1].split(",")[:7] == ["Ada", "attention-basics", "pre", "q0", "1", "0.79", "1"]
    assert lines[-1].startswith('"\'=HYPERLINK(""x"")"')  # a spreadsheet shows it as text
    assert read_csv(path) == given
    with open(path, encoding="utf-8", newline="") as handle:  # as any script would read it
        rows = list(csv.DictReader(handle))
    assert [row["name"] for row in rows][:1] == ["Ada"] and rows[-1][
        "choice_text"
    ] == 'say "hi", then'
    assert [int(row["correct"]) for row in rows] == [int(a.correct) for a in given]


def test_the_csv_of_no_answers_is_just_the_header():
    assert csv_text([]).splitlines() == [",".join(COLUMNS)]


def test_a_folder_where_the_file_should_be_is_reported_and_left_alone(tmp_path):
    path = tmp_path / "a.jsonl"
    path.mkdir()
    store = AnswerStore(path)
    with pytest.raises(AnswersUnreadable, match="could not be read"):
        store.add(ONE)
    assert path.is_dir() and store.waiting == [ONE]


@pytest.mark.skipif(os.name != "posix", reason="the lock is POSIX flock")
def test_two_processes_adding_at_once_keep_every_answer(tmp_path):
    import subprocess
    import sys

    code = (
        "import sys\n"
        "from dataclasses import replace\n"
        "from game.quiz.answers import AnswerStore\n"
        "from tests.quiz.test_answers import ONE\n"
        "store = AnswerStore(sys.argv[1])\n"
        "for k in range(40):\n"
        "    store.add(replace(ONE, name=sys.argv[2], question_id=f'q{k}'))\n"
    )
    path = tmp_path / "a.jsonl"
    runs = [
        subprocess.Popen([sys.executable, "-c", code, str(path), who]) for who in ("Ann", "Ben")
    ]
    assert [run.wait(timeout=120) for run in runs] == [0, 0]
    names = [a.name for a in read_answers(path).answers]
    assert names.count("Ann") == 40 and names.count("Ben") == 40
