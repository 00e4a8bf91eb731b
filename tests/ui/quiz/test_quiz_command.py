"""`switchyard quiz`: opens the quiz screen (pre or post), exports every saved answer as CSV
that loads back equal, and checks a pack with located errors and exit 1."""

from dataclasses import replace

import pytest

from game.cli import main
from game.quiz.answers import Answer, AnswerStore
from game.quiz.csv_export import COLUMNS, read_csv
from game.ui.engine.app import App

ONE = Answer("Ada", "attention-basics", "pre", "softmax-share", 2, "0.79", True, 4.2,
             "2026-11-29T09:15:02+01:00")  # fmt: skip


@pytest.fixture
def one_frame(monkeypatch, tmp_path):
    seen = {}

    def run(self, first=None, fps=60):
        self.step(1 / 60, [])
        seen["app"] = self

    monkeypatch.setattr(App, "run", run)
    monkeypatch.setenv("SWITCHYARD_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("SWITCHYARD_PLUGIN_DIR", str(tmp_path / "none"))
    return seen


@pytest.mark.parametrize(("flag", "phase"), [([], "pre"), (["--pre"], "pre"), (["--post"], "post")])
def test_quiz_opens_the_quiz_screen_in_its_phase_over_the_title(one_frame, flag, phase):
    assert main(["quiz", *flag]) == 0
    app = one_frame["app"]
    top = app.scenes.top
    assert type(top).__name__ == "QuizStartScene" and top.phase == phase
    top.on_back()
    assert type(app.scenes.top).__name__ == "TitleScene"


def test_export_writes_every_saved_answer_and_loads_back_equal(one_frame, tmp_path, capsys):
    given = [ONE, replace(ONE, name="Bo", correct=False, choice=1, choice_text="0.67")]
    AnswerStore().add(*given)
    out = tmp_path / "class.csv"
    assert main(["quiz", "--export", str(out)]) == 0
    printed = capsys.readouterr().out
    assert "wrote 2 answers from 2 student(s)" in printed
    assert "attention-basics pre: 2 student(s), 50% right on average" in printed
    lines = out.read_text(encoding="utf-8").splitlines()
    assert lines[0] == ",".join(COLUMNS) and len(lines) == 3
    assert read_csv(out) == given
    assert "app" not in one_frame  # no window


def test_export_says_what_is_wrong_without_a_traceback(one_frame, tmp_path, capsys):
    assert main(["quiz", "--export", str(tmp_path / "nowhere" / "x.csv")]) == 1
    assert "does not exist" in capsys.readouterr().err
    assert main(["quiz", "--export", str(tmp_path)]) == 1
    assert "is a folder" in capsys.readouterr().err
    path = AnswerStore().path
    path.parent.mkdir(parents=True)
    path.write_text("garbage\n")
    AnswerStore().add(ONE)
    path.write_text(path.read_text() + "more garbage\n")
    assert main(["quiz", "--export", str(tmp_path / "x.csv")]) == 0
    assert "1 damaged line(s)" in capsys.readouterr().err
    assert read_csv(tmp_path / "x.csv") == [ONE]


def test_check_reports_a_bad_pack_at_its_lines(one_frame, tmp_path, capsys):
    bad = tmp_path / "bad.toml"
    bad.write_text(
        'id = "bad"\ntitle = "Bad"\n\n[[questions]]\nid = "a"\nconcept = "rotary"\n'
        'prompt = "?"\nchoices = ["x", "y"]\nanswer = 1\nexplanation = "because"\n'
    )
    assert main(["quiz", "--check", "--pack", str(bad)]) == 1
    err = capsys.readouterr().err
    assert f"{bad}:6: questions[0].concept: unknown concept 'rotary'" in err
    assert "Traceback" not in err
    assert main(["quiz", "--check"]) == 0
    assert "attention-basics: 17 questions" in capsys.readouterr().out
    assert main(["quiz", "--pack", "nope", "--check"]) == 1
    assert "no quiz pack 'nope'" in capsys.readouterr().err


def test_quiz_opens_in_the_players_saved_look(one_frame):
    from game.progress import Preferences, Progress, save_progress

    save_progress(Progress(settings=Preferences(theme="projector", font_scale=1.5)))
    assert main(["quiz", "--post"]) == 0
    app = one_frame["app"]
    assert app.theme.name == "projector" and app.theme.font_px(20) > 20
