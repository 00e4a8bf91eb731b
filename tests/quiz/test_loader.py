"""A quiz pack is checked like a level file: every problem at once, at its file and line."""

import pytest

from game.quiz.loader import QuizError, load_quiz_file, load_quiz_text

GOOD = """\
id = "tiny"
title = "Tiny"

[[questions]]
id = "share"
concept = "qkv"
level = "02_query_key_value"
prompt = "Scores 2, 0, 0: what weight goes to the first key?"
choices = [0.79, 0.33, 1.0]
answer = 1
explanation = "Softmax: e^2 / (e^2 + 2)."
[questions.compute]
kind = "weights"
q = [[2.0, 0.0]]
k = [[1.0, 0.0], [0.0, 1.0], [0.0, 1.0]]
scale = false

[[questions]]
id = "words"
concept = "scale"
prompt = "Why scale?"
choices = ["to keep softmax from saturating", "for speed"]
answer = 1
explanation = "Large dot products push softmax to one-hot."
"""


def problems(text, registry, name="q.toml"):
    with pytest.raises(QuizError) as caught:
        load_quiz_text(text, name, registry)
    return [str(p) for p in caught.value.problems]


def test_a_good_pack_loads(registry):
    pack = load_quiz_text(GOOD, "q.toml", registry)
    assert [q.id for q in pack.questions] == ["share", "words"]
    assert pack.questions[0].choice_text(0) == "0.79"


def test_a_marked_answer_the_model_disagrees_with_is_an_error_at_its_line(registry):
    text = GOOD.replace('answer = 1\nexplanation = "Softmax', 'answer = 2\nexplanation = "Softmax')
    assert problems(text, registry) == [
        "q.toml:10: questions[0].answer: the model computes 0.79; choice 2 says 0.33"
    ]


def test_two_choices_showing_the_models_number_are_an_error(registry):
    text = GOOD.replace("choices = [0.79, 0.33, 1.0]", "choices = [0.79, 0.786, 1.0]")
    (line,) = problems(text, registry)
    assert line.startswith("q.toml:9: questions[0].choices: choices [1, 2] all show 0.79")


def test_unknown_concept_level_and_key_are_all_reported_with_lines(registry):
    text = GOOD.replace('concept = "scale"', 'concept = "scaled"').replace(
        'level = "02_query_key_value"', 'level = "02_query_key_valu"\nhint = "x"'
    )
    found = problems(text, registry)
    assert found == ["q.toml:8: questions[0].hint: unknown key"]  # schema first, then the rest
    text = text.replace('hint = "x"\n', "")
    found = problems(text, registry)
    assert found[0] == (
        "q.toml:7: questions[0].level: no level '02_query_key_valu' is installed"
        ' (did you mean "02_query_key_value"?)'
    )
    assert found[1].startswith(
        "q.toml:20: questions[1].concept: unknown concept 'scaled' (did you mean \"scale\"?)"
    )
    assert len(found) == 2


def test_a_level_of_another_concept_is_an_error(registry):
    text = GOOD.replace('concept = "qkv"', 'concept = "rope"')
    assert problems(text, registry) == [
        "q.toml:6: questions[0].concept: level '02_query_key_value' teaches 'qkv', not 'rope'"
    ]


def test_shape_and_answer_problems(registry):
    text = GOOD.replace('answer = 1\nexplanation = "Large', 'answer = 3\nexplanation = "Large')
    text = text.replace('id = "words"', 'id = "share"')
    found = problems(text, registry)
    assert "q.toml:19: questions[1].id: 'share' is also the id of question 1" in found
    assert "q.toml:23: questions[1].answer: 3 is past the 2 choices" in found
    text = GOOD.replace("q = [[2.0, 0.0]]", "q = [[2.0]]")
    assert problems(text, registry) == [
        "q.toml:12: questions[0].compute: q rows have 1 numbers and k rows 2; give both d"
    ]


def test_numbers_without_compute_and_text_with_compute_are_refused(registry):
    text = GOOD.replace('["to keep softmax from saturating", "for speed"]', "[1.0, 2.0]")
    assert problems(text, registry) == [
        "q.toml:22: questions[1].choices: numbers need [questions.compute] to check them"
    ]
    text = GOOD.replace("[0.79, 0.33, 1.0]", '["a", "b"]')
    assert problems(text, registry) == [
        "q.toml:9: questions[0].choices: a computed question's choices are numbers"
    ]


def test_mixed_choices_missing_fields_and_a_level_compute_on_a_missing_word(registry):
    text = GOOD.replace("[0.79, 0.33, 1.0]", '[0.79, "b"]').replace(
        'explanation = "Large dot products push softmax to one-hot."\n', ""
    )
    found = problems(text, registry)
    assert (
        "q.toml:9: questions[0].choices: choices are all text, or (computed questions) all "
        "numbers" in found
    )
    assert "q.toml:18: questions[1].explanation: missing (required)" in found
    level = GOOD.replace(
        'kind = "weights"\nq = [[2.0, 0.0]]\nk = [[1.0, 0.0], [0.0, 1.0], [0.0, 1.0]]\n'
        "scale = false",
        'kind = "level"\nlevel = "02_query_key_value"\nquery = "it"\nkey = "cat"',
    )
    (line,) = problems(level, registry)
    assert line.startswith("q.toml:12: questions[0].compute: on level '02_query_key_value'")
    assert "cat" in line


def test_toml_syntax_and_files_that_are_not_packs(registry, tmp_path):
    assert problems('id = "x"\ntitle = = 3\n', registry)[0].startswith("q.toml:2: TOML syntax:")
    with pytest.raises(QuizError) as caught:
        load_quiz_file(tmp_path, registry)
    assert "a folder, not a quiz pack" in str(caught.value)
    bad = tmp_path / "bad.toml"
    bad.write_bytes(b'id = "x"\n\xff\n')
    with pytest.raises(QuizError, match="bad.toml:2: the file is not UTF-8 text"):
        load_quiz_file(bad, registry)


def test_computations_that_cannot_run_are_located_problems(registry):
    base = GOOD.split("[questions.compute]")[0]
    traffic = '[questions.compute]\nkind = "traffic"\nn = 4096\nd = 1024\nsram = 16\n'
    (line,) = problems(base + traffic, registry)
    assert line.startswith("q.toml:12: questions[0].compute: an SRAM of 16 elements")
    for compute in ('[questions.compute]\nkind = "flux"\n', "[questions.compute]\n"):
        assert problems(base + compute, registry) == [
            'q.toml:12: questions[0].compute: kind must be "weights", "level" or "traffic"'
        ]
    level = '[questions.compute]\nkind = "level"\nlevel = "01_trophy"\nquery = 0\nkey = 0\n'
    (line,) = problems(base + level + "head = 5\n", registry)
    assert line.startswith("q.toml:12: questions[0].compute: level '01_trophy' has heads 0..0")
    induction = level.replace("01_trophy", "18_induction")
    for head, message in (
        ("layer = 3\n", "level '18_induction' has layers 1..2; no layer 3"),
        ('head = "L2H2"\n', "level '18_induction' has 1 head(s) in a layer"),
    ):
        (line,) = problems(base + induction + head, registry)
        assert line.startswith(f"q.toml:12: questions[0].compute: {message}"), line
