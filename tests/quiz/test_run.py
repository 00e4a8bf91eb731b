"""One quiz run: pick, confirm, reveal, next; time counts only while the question is open."""

import pytest

from game.quiz.packs import load_pack
from game.quiz.run import QuizRun


@pytest.fixture(scope="module")
def pack(registry):
    return load_pack(None, registry)


def test_a_run_walks_the_questions_and_times_each_answer(pack):
    run = QuizRun(pack, "post", "Ada", clock=lambda: "T")
    assert run.confirm() is None  # nothing picked yet
    assert not run.select(5) and not run.select(0)
    run.tick(1.5)
    assert run.select(1) and run.select(run.question.answer)
    run.tick(0.25)
    answer = run.confirm()
    assert answer.correct and answer.seconds == 1.75 and answer.timestamp == "T"
    assert answer.question_id == run.questions[0].id and answer.phase == "post"
    run.tick(10.0)  # reading the explanation is not answering time
    assert not run.select(1)  # locked in
    assert run.advance() is False and run.index == 1 and run.elapsed == 0.0
    wrong = next(k for k in range(1, 5) if k != run.question.answer)
    run.select(wrong)
    assert run.confirm().correct is False
    assert run.score == 1


def test_the_last_advance_finishes(pack):
    run = QuizRun(pack, "pre", "Bo")
    for _ in run.questions:
        run.select(1)
        run.confirm()
        finished = run.advance()
    assert finished and run.finished and len(run.answers) == len(run.questions)
    assert run.score == sum(q.answer == 1 for q in run.questions)


def test_a_phase_without_questions_is_refused(pack):
    only_pre = pack.model_copy(
        update={"questions": [q.model_copy(update={"phases": ["pre"]}) for q in pack.questions]}
    )
    with pytest.raises(ValueError, match="no post questions"):
        QuizRun(only_pre, "post", "Cy")


def test_with_a_timer_the_time_is_the_clocks_not_the_frames(pack):
    """The game's loop sleeps on a still screen and caps dt: a timer counts real seconds."""
    now = [50.0]
    run = QuizRun(pack, "pre", "Di", timer=lambda: now[0])
    now[0] += 30.0  # thirty seconds of thinking, few frames
    run.tick(0.1)
    run.select(1)
    assert run.confirm().seconds == 30.0
    now[0] += 12.0  # reading the explanation
    run.advance()
    now[0] += 4.5
    run.select(2)
    assert run.confirm().seconds == 4.5


def test_class_scores_take_each_students_latest_answer_per_question():
    from dataclasses import replace

    from game.quiz.answers import Answer
    from game.quiz.run import class_scores

    a = Answer("Ada", "q", "pre", "x", 1, "one", False, 1.0, "t")
    given = [
        a,
        replace(a, correct=True),  # Ada answers x again: the latest counts
        replace(a, question_id="y"),
        replace(a, name="ADA", phase="post", correct=True),
        replace(a, name="Bo"),
    ]
    scores = class_scores(given)
    assert scores[("q", "pre")] == [("Ada", 1, 2), ("Bo", 0, 1)]
    assert scores[("q", "post")] == [("Ada", 1, 1)]
