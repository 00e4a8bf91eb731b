"""The quiz played through the real screens with key events and clicks, as a student would:
title → Quiz → name and phase → every question → summary → Export CSV."""

import pygame
import pytest

from game.progress import Progress
from game.quiz.answers import AnswerStore, read_answers
from game.quiz.csv_export import read_csv
from game.ui.flow.game_flow import GameFlow
from game.ui.quiz import flow as quiz_flow
from game.ui.quiz.choice import OTHER, PICKED, RIGHT, WRONG
from game.ui.quiz.question import QuizQuestionScene
from game.ui.quiz.start import QuizStartScene
from game.ui.quiz.summary import QuizSummaryScene
from game.ui.title.scene import TitleScene
from tests.ui.events import DT, click, press


def type_text(app, text):
    for ch in text:
        app.step(DT, [pygame.event.Event(pygame.TEXTINPUT, text=ch)])


@pytest.fixture
def game(app, registry, tmp_path, monkeypatch):
    monkeypatch.setenv("SWITCHYARD_DATA_DIR", str(tmp_path / "data"))
    clock = [1000.0]  # answer times come from a clock that runs with the frames' dt
    step = app.step

    def step_and_tick(dt, events, **options):
        clock[0] += dt
        step(dt, events, **options)

    monkeypatch.setattr(app, "step", step_and_tick)
    monkeypatch.setattr(quiz_flow, "TIMER", lambda: clock[0])
    flow = GameFlow(app, registry, Progress(), progress_path=tmp_path / "p.json")
    flow.start()
    app.step(DT, [])
    return flow


def open_quiz_from_title(app):
    title = app.scenes.top
    assert isinstance(title, TitleScene)
    click(app, title.buttons["Quiz"].rect.center)
    assert isinstance(app.scenes.top, QuizStartScene)
    return app.scenes.top


def answer_all(app, pick):
    """Answer every question with the keys: `pick(question) -> 1..4`, then Enter twice."""
    given = []
    while isinstance(app.scenes.top, QuizQuestionScene):
        scene = app.scenes.top
        question = scene.run.question
        number = pick(question)
        press(app, getattr(pygame, f"K_{number}"))
        assert scene.choices[number - 1].state == PICKED
        app.step(0.5, [])  # half a second of thinking
        press(app, pygame.K_RETURN)  # check
        assert scene.run.revealed
        states = [c.state for c in scene.choices]
        assert states[question.answer - 1] == RIGHT
        if number != question.answer:
            assert states[number - 1] == WRONG
        assert states.count(OTHER) == len(states) - (1 if number == question.answer else 2)
        given.append(number)
        press(app, pygame.K_RETURN)  # next
    return given


def test_a_student_takes_the_quiz_with_keys_and_exports_the_csv(app, game, tmp_path):
    start = open_quiz_from_title(app)
    press(app, pygame.K_RETURN)  # no name yet: refused, with a line saying so
    assert isinstance(app.scenes.top, QuizStartScene) and "name" in start.problem
    type_text(app, "Ada Lovelace")
    press(app, pygame.K_RETURN)
    scene = app.scenes.top
    assert isinstance(scene, QuizQuestionScene) and scene.run.name == "Ada Lovelace"
    assert scene.run.phase == "pre" and len(scene.run.questions) >= 12
    given = answer_all(app, lambda q: q.answer if q.id != "softmax-share" else 1)
    summary = app.scenes.top
    assert isinstance(summary, QuizSummaryScene)
    assert summary.run.score == len(given) - 1
    assert summary.headline().endswith(f"{len(given) - 1} of {len(given)} right")
    saved = read_answers(AnswerStore().path).answers  # saved as they were given
    assert [a.choice for a in saved] == given
    assert all(a.seconds == pytest.approx(0.5 + 2 * DT, abs=0.02) for a in saved)
    wrong = next(a for a in saved if not a.correct)
    assert wrong.question_id == "softmax-share" and wrong.choice_text == "0.67"
    click(app, summary.export_button.rect.center)
    assert "answers saved to" in summary.status
    (csv_file,) = (tmp_path / "data" / "exports").glob("quiz-answers-*.csv")
    assert str(csv_file) in summary.status
    assert read_csv(csv_file) == saved
    press(app, pygame.K_ESCAPE)  # Done
    assert isinstance(app.scenes.top, TitleScene)


def test_the_mouse_picks_checks_and_goes_on_and_post_shows_the_pre_score(app, game):
    start = open_quiz_from_title(app)
    type_text(app, "Bo")
    press(app, pygame.K_RETURN)
    answer_all(app, lambda q: 1)
    pre_score = app.scenes.top.run.score
    click(app, app.scenes.top.done_button.rect.center)
    start = open_quiz_from_title(app)
    click(app, start.name_field.rect.center)
    type_text(app, "bo")
    click(app, start.phase_tabs.tab_rect(1).center)
    click(app, start.start_button.rect.center)
    scene = app.scenes.top
    assert scene.run.phase == "post"
    while isinstance(app.scenes.top, QuizQuestionScene):
        question = scene.run.question
        assert not scene.action.enabled  # nothing picked: Check is off
        click(app, scene.choices[question.answer - 1].rect.center)
        click(app, scene.action.rect.center)
        assert scene.run.revealed and scene.run.answers[-1].correct
        click(app, scene.action.rect.center)
    summary = app.scenes.top
    assert summary.run.score == len(summary.run.questions)
    assert summary.before == (pre_score, len(summary.run.questions))


def test_up_down_pick_and_esc_asks_before_leaving(app, game):
    open_quiz_from_title(app)
    type_text(app, "Cy")
    press(app, pygame.K_RETURN)
    scene = app.scenes.top
    press(app, pygame.K_DOWN)
    press(app, pygame.K_DOWN)
    assert scene.run.selected == 2
    press(app, pygame.K_UP)
    assert scene.run.selected == 1
    press(app, pygame.K_9)  # not a choice
    assert scene.run.selected == 1
    press(app, pygame.K_F1)  # the quiz's keys
    assert type(app.scenes.top).__name__ == "HelpOverlay"
    assert "Pick that answer" in str(app.scenes.top.sections)
    press(app, pygame.K_ESCAPE)
    assert app.scenes.top is scene and scene.run.selected == 1
    press(app, pygame.K_RETURN)
    press(app, pygame.K_2)  # locked in after the reveal
    assert scene.run.answers[-1].choice == 1
    press(app, pygame.K_ESCAPE)
    assert scene.asking_leave and app.scenes.top is scene
    press(app, pygame.K_a)  # anything else: stay
    assert not scene.asking_leave
    press(app, pygame.K_ESCAPE)
    press(app, pygame.K_ESCAPE)
    assert isinstance(app.scenes.top, TitleScene)
    assert len(read_answers(AnswerStore().path).answers) == 1  # what was answered is kept


def test_a_damaged_answers_file_is_said_and_costs_no_other_answer(app, game, tmp_path):
    path = AnswerStore().path
    path.parent.mkdir(parents=True)
    path.write_bytes(b"not json\n")
    open_quiz_from_title(app)
    assert any("damaged line" in m for m in app.toasts.messages)
    type_text(app, "Di")
    press(app, pygame.K_RETURN)
    press(app, pygame.K_1)
    press(app, pygame.K_RETURN)
    assert any("were moved to" in m for m in app.toasts.messages)
    assert [a.name for a in read_answers(path).answers] == ["Di"]
    assert list(path.parent.glob("quiz-answers.damaged-*.jsonl"))


def test_an_answer_that_cannot_be_saved_is_said_and_waits(app, game, tmp_path):
    path = AnswerStore().path
    path.mkdir(parents=True)  # a folder where the file should be
    open_quiz_from_title(app)
    type_text(app, "Ed")
    press(app, pygame.K_RETURN)
    press(app, pygame.K_1)
    press(app, pygame.K_RETURN)
    assert any("not saved yet" in m for m in app.toasts.messages)
    assert app.scenes.top.run.answers  # the quiz goes on


def test_an_export_to_a_folder_that_cannot_be_written_says_why(app, registry, tmp_path):
    from game.quiz.packs import load_pack
    from game.ui.quiz.flow import QuizFlow

    blocker = tmp_path / "file"
    blocker.write_text("x")
    flow = QuizFlow(app, load_pack(None, registry), store=AnswerStore(tmp_path / "a.jsonl"),
                    export_dir=blocker / "sub")  # fmt: skip
    message = flow.export()
    assert message.startswith("Could not export the answers") and str(blocker) in message


def test_every_text_of_the_shipped_pack_draws_with_the_bundled_fonts(registry):
    from game.quiz.packs import load_pack
    from game.ui.engine.text import TextCache
    from game.ui.quiz.question import QUIZ_SHORTCUTS

    cache = TextCache()
    pack = load_pack(None, registry)
    texts = [pack.title, pack.description, str(QUIZ_SHORTCUTS)]
    for question in pack.questions:
        texts += [question.prompt, question.explanation]
        texts += [question.choice_text(k) for k in range(len(question.choices))]
    for weight in ("regular", "bold"):
        assert cache.missing("".join(texts), weight) == ""


def test_a_pack_that_does_not_load_is_a_located_message_not_a_crash(app, game, tmp_path):
    bad = tmp_path / "bad.toml"
    bad.write_text('id = "bad"\ntitle = "Bad"\nquestions = 3\n')
    game.open_quiz("pre", str(bad))
    assert isinstance(app.scenes.top, TitleScene)
    assert any(f"{bad}:3: questions:" in m for m in app.toasts.messages)
    game.open_quiz("post", "no-such-pack")
    assert any("no quiz pack 'no-such-pack'" in m for m in app.toasts.messages)


def test_a_phase_without_questions_is_said_on_the_start_screen(app, registry, tmp_path):
    from game.quiz.packs import load_pack
    from game.ui.quiz.flow import QuizFlow

    pack = load_pack(None, registry)
    pre_only = pack.model_copy(
        update={"questions": [q.model_copy(update={"phases": ["pre"]}) for q in pack.questions]}
    )
    QuizFlow(app, pre_only, store=AnswerStore(tmp_path / "a.jsonl")).open("post", name="Fa")
    start = app.scenes.top
    press(app, pygame.K_RETURN)
    assert app.scenes.top is start and "no questions for after the lessons" in start.problem
    click(app, start.phase_tabs.tab_rect(0).center)
    assert start.problem == ""
    click(app, start.start_button.rect.center)
    assert isinstance(app.scenes.top, QuizQuestionScene)


def test_tab_and_space_reach_every_choice_by_keyboard(app, game):
    open_quiz_from_title(app)
    type_text(app, "Gu")
    press(app, pygame.K_RETURN)
    scene = app.scenes.top
    for _ in range(3):
        press(app, pygame.K_TAB)
    assert scene.group.focused is scene.choices[2]
    press(app, pygame.K_SPACE)
    assert scene.run.selected == 3 and scene.choices[2].state == PICKED
    press(app, pygame.K_RETURN)
    assert scene.run.answers[-1].choice == 3
