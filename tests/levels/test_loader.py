"""Loading level files: a good one loads; each kind of mistake is reported where it is."""

from __future__ import annotations

import re

import pytest

from game.api import GoalType, StaticCatalog
from game.levels import (
    MAX_FILE_BYTES,
    LevelError,
    load_level_bytes,
    load_level_file,
    load_level_table,
    load_level_text,
)
from tests.model.fixtures import CATALOG, GOAL_TYPES, GOOD, TRANSLATION, load


def line(text: str, snippet: str, first: bool = False) -> int:
    """The 1-based line where `snippet` (unique in `text`, or its first time) starts."""
    assert first or text.count(snippet) == 1, snippet
    return text[: text.index(snippet)].count("\n") + 1


def problems(text: str, name: str = "bad.toml", catalog=CATALOG) -> list[str]:
    with pytest.raises(LevelError) as caught:
        load_level_text(text, name, catalog)
    return [str(p) for p in caught.value.problems]


def only(text: str, **kw) -> str:
    found = problems(text, **kw)
    assert len(found) == 1, found
    return found[0]


def test_good_level_loads(tmp_path):
    path = tmp_path / "good.toml"
    path.write_text(GOOD, encoding="utf-8")
    level = load_level_file(path, CATALOG, source="builtin")
    assert level.id == "01_trophy" and level.d_model == 5 and level.head_dim == 5
    assert level.path == str(path) and level.source == "builtin"
    assert level.positional_choices == ("none", "wave", "rope", "distance", "alibi")
    assert level.sentences[0].roles == {"pronoun": "9", "referent": "1"}
    assert level.goals[0].params == {
        "type": "attention",
        "query": "@pronoun",
        "key": "@referent",
        "at_least": 0.5,
    }
    assert level.controls.wires and level.controls.scale
    assert load(TRANSLATION).sentences[0].alignment == [[0, 1], [1, 0]]


def test_handwritten_bad_file_has_exact_lines():
    bad = GOOD.replace('query = "@pronoun"', 'query = "trophee"').replace(
        'title = "It was too big"', 'titel = "It was too big"'
    )
    assert problems(bad) == [
        "bad.toml:1: title: missing (required)",
        'bad.toml:3: titel: unknown key (did you mean "title"?)',
        'bad.toml:59: goals[0].query: word "trophee" is not in the sentence',
    ]


def test_goal_word_missing_from_a_held_out_sentence():
    bad = GOOD.replace('key = "@referent"', 'key = "trophy"')
    where = line(bad, 'key = "trophy"')
    assert only(bad) == (
        f'bad.toml:{where}: goals[0].key: word "trophy" is not in '
        "held-out sentence 1 (sentences[1])"
    )


@pytest.mark.parametrize(
    ("old", "new", "snippet", "expected"),
    [
        ('architecture = "encoder"', 'architecture = "enocder"', "architecture =",
         'architecture: unknown architecture "enocder" (did you mean "encoder"?); installed: '
         "decoder, encoder, encoder-decoder, plain"),
        ('"none", "wave", "rope"', '"none", "wave", "rotary"', "positional = [",
         'positional[2]: unknown positional scheme "rotary" (did you mean "rope"?); installed: '
         "alibi, distance, none, rope, wave"),
        ('type = "attention"', 'type = "attenton"', "type = ",
         'goals[0].type: unknown goal type "attenton" (did you mean "attention"?); installed: '
         "attention, output"),
        ('concept = "why-attention"', 'concept = "why_attention"', "concept =",
         "concept: unknown concept 'why_attention' (did you mean \"why-attention\"?); known: "
         "why-attention, qkv, scale, multi-head, positional, sinusoidal, rope, alibi, encoder, "
         "decoder, encoder-decoder, flash, scaling"),
        ('"fit", "in", "the", "suitcase"', '"fit", "inn", "the", "suitcase"', '"fit", "inn"',
         'sentences[0].tokens[5]: word "inn" is not in the vocab'),
        ("pronoun = 9, referent = 1", "pronoun = 99, referent = 1", "pronoun = 99",
         "sentences[0].roles.pronoun: position 99 is past the end of the tokens (13 tokens)"),
        ("pronoun = 9, referent = 1", "pronoun = 9.5, referent = 1", "pronoun = 9.5",
         'sentences[0].roles.pronoun: a role is a 0-based index or "sequence:index", '
         'e.g. 9 or "target:2"'),
        ("trophy = { noun = 1,", "trophy = { noun = 1, huge = 1,", "huge = 1",
         "vocab.trophy.huge: \"huge\" is not one of the level's features"),
        ('"Wire pronoun to a key feature.", ', "", "hints =",
         "hints: list should have at least 3 items after validation, not 2"),
        ("heads = 1\n", "heads = 1\nd_k = 7\n", "d_k = 7",
         "d_k: must be a multiple of d_model = 5 (the number of features)"),
        ('query = "pronoun", key = "big"', 'query = "pronoun", key = "bigg"', 'key = "bigg"',
         "solution.heads[0].wires[0].key: \"bigg\" is not one of the level's features"),
        ("strength = 8.0", "strength = 80.0", "strength = 80.0",
         "solution.heads[0].wires[0].strength: input should be less than or equal to 10"),
        ("strength = 8.0", "strength = nan", "strength = nan",
         "solution.heads[0].wires[0].strength: input should be a finite number"),
        ("heads = 1\n", "heads = 2\n", "[[solution.heads]]",
         "solution.heads: gives 1 heads; the level has heads = 2"),
        ("par = 1", "par = -1", "par = -1",
         "par: input should be greater than or equal to 0"),
        ("par = 1", 'par = "1"', 'par = "1"', "par: input should be a valid integer"),
        ('id = "01_trophy"', 'id = "01 trophy"', 'id = "01 trophy"',
         '"01 trophy" is not a valid id: use letters, digits, _ and - (at most 64)'),
        ("at_least = 0.5", "at_least = 5", "at_least = 5", "goals[0].at_least: must be a number "
         "in 0..1"),
        ("at_least = 0.5", "at_least = 0.5\nhed = 0", "hed = 0",
         "goals[0].hed: unknown key for an attention goal"),
        ("[controls]\n", "[controls]\nscael = true\n", "scael",
         'controls.scael: unknown key (did you mean "scale"?)'),
        ("[controls]\n", "[start]\npositional = \"rope\"\nparameter = 1.0\n[controls]\n",
         "parameter = 1.0", "start.parameter: Base must lie in 2.0..10000.0"),
        ("[[solution.heads]]\n", "[[solution.heads]]\nblock = \"cross\"\n", 'block = "cross"',
         'solution.heads[0].block: the encoder architecture has no block "cross"; its blocks: '
         "self"),
    ],
)  # fmt: skip
def test_each_mistake_is_located(old, new, snippet, expected):
    assert old in GOOD
    bad = GOOD.replace(old, new, 1)
    found = problems(bad)[0]  # (a bad role also breaks the goal that uses it)
    where = f"bad.toml:{line(bad, snippet)}: "
    if expected.startswith('"'):  # the id message has its field first
        expected = "id: " + expected
    assert found == where + expected


def test_sentences_must_fit_the_architecture():
    bad = GOOD.replace('architecture = "encoder"', 'architecture = "encoder-decoder"')
    found = problems(bad)
    where = line(bad, "[[sentences]]", first=True)
    assert found[0] == (
        f"bad.toml:{where}: sentences[0]: the encoder-decoder architecture "
        "reads source and target; this sentence gives tokens"
    )
    assert len(found) == 3


def test_roles_must_name_a_sequence_in_two_sequence_levels():
    bad = TRANSLATION.replace('adj = "source:0"', "adj = 0")
    assert only(bad) == (
        f"bad.toml:{line(bad, 'adj = 0')}: sentences[0].roles.adj: say which sequence, "
        'e.g. "target:0"'
    )


def test_all_errors_at_once_in_line_order():
    bad = (
        GOOD.replace('title = "It was too big"', 'title = ""')
        .replace("par = 1", "par = -2")
        .replace("trophy = { noun = 1, big = 1, shiny = 1 }", "trophy = { noun = 1, bog = 1 }")
        .replace('"because", "it"', '"because", "itt"', 1)
        .replace("at_least = 0.5", "at_least = 0.5\nextra = 1")
    )
    found = problems(bad)
    assert len(found) == 5, found
    fields = [p.split(": ")[1] for p in found]
    assert fields == [
        "title",
        "par",
        "vocab.trophy.bog",
        "sentences[0].tokens[9]",
        "goals[0].extra",
    ]
    lines = [int(p.split(":")[1]) for p in found]
    assert lines == sorted(lines)


def test_schema_errors_and_reference_errors_together():
    bad = GOOD.replace("par = 1", "par = -2").replace('"encoder"', '"enocder"')
    assert [p.split(": ")[1] for p in problems(bad)] == ["architecture", "par"]


def test_toml_syntax_error_has_its_line():
    bad = GOOD.replace("heads = 1", "heads = = 1")
    assert only(bad) == f"bad.toml:{line(bad, 'heads = = 1')}: TOML syntax: Invalid value"


def test_toml_duplicate_key_is_a_syntax_error():
    bad = GOOD.replace("par = 1", "par = 1\npar = 2")
    assert only(bad).startswith(f"bad.toml:{line(bad, 'par = 2')}: TOML syntax: ")


def test_not_utf8_names_the_line():
    data = GOOD.replace("explanation", "explanation_").encode()
    data = data.replace(b'"It was too big"', b'"It was too \xff"')
    with pytest.raises(LevelError) as caught:
        load_level_bytes(data, "bad.toml", CATALOG)
    assert str(caught.value) == "bad.toml:3: the file is not UTF-8 text; save it as UTF-8"


def test_too_large_file_is_refused_before_parsing(tmp_path):
    path = tmp_path / "huge.toml"
    path.write_bytes(b"# " + b"x" * MAX_FILE_BYTES)
    with pytest.raises(LevelError) as caught:
        load_level_file(path, CATALOG)
    (problem,) = caught.value.problems
    assert problem.line is None
    assert str(problem) == (
        f"{path}: the file is {MAX_FILE_BYTES + 2} bytes; a level file may be at most "
        f"{MAX_FILE_BYTES} bytes (1 MiB)"
    )


def test_missing_file(tmp_path):
    with pytest.raises(LevelError, match="cannot read: No such file"):
        load_level_file(tmp_path / "nope.toml", CATALOG)


def _replace_list(text: str, start: str, items: list[str]) -> str:
    """Replace the one-line list after `start` with `items`."""
    pattern = re.escape(start) + r"\[.*?\]"
    return re.sub(
        pattern, lambda _: start + "[" + ", ".join(items) + "]", text, count=1, flags=re.S
    )


@pytest.mark.parametrize(
    ("edit", "expected"),
    [
        (lambda t: _replace_list(t, "tokens = ", ['"the"'] * 257),
         "sentences[0].tokens: list should have at most 256 items after validation, not 257"),
        (lambda t: t + "\n[[sentences]]\ntokens = [\"it\"]\n" * 30,
         "sentences: list should have at most 32 items after validation, not 33"),
        (lambda t: _replace_list(t, "features = ", [f'"f{i}"' for i in range(17)]),
         "features: list should have at most 16 items after validation, not 17"),
        (lambda t: t.replace("heads = 1\n", "heads = 9\n"),
         "heads: input should be less than or equal to 8"),
        (lambda t: t.replace("heads = 1\n", "heads = 1\nd_k = 515\n"),
         "d_k: input should be less than or equal to 512"),
        (lambda t: t.replace("wires = [{", "wires = [" + "{ query = \"big\", key = \"big\" }, " * 64
                             + "{"),
         "solution.heads[0].wires: list should have at most 64 items after validation, not 65"),
    ],
)  # fmt: skip
def test_size_limits(edit, expected):
    found = problems(edit(GOOD))
    assert any(p.split(": ", 1)[1] == expected for p in found), found


def test_format_version_newer_than_the_game():
    bad = GOOD.replace("format_version = 1", "format_version = 2")
    assert only(bad) == (
        "bad.toml:1: format_version: this level is format version 2, newer than this game "
        "reads (1): update Switchyard to play it"
    )


def test_format_version_too_old_and_missing():
    assert only(GOOD.replace("format_version = 1", "format_version = 0")) == (
        "bad.toml:1: format_version: format version 0 is too old for this game to read"
    )
    missing = GOOD.replace("format_version = 1\n", "")
    assert (
        only(missing) == "bad.toml:1: format_version: missing; this game reads format_version = 1"
    )


def test_upgrade_from_a_fake_version_0():
    """Version 0 (pretend) called the title `name` and had no hints; the upgrade fixes both."""

    def from_0(table):
        table["title"] = table.pop("name")
        table.setdefault("hints", ["a", "b", "c"])
        return table

    old = (
        GOOD.replace("format_version = 1", "format_version = 0")
        .replace('title = "It was', 'name = "It was')
        .replace(line_text(GOOD, "hints ="), "")
    )
    with pytest.raises(LevelError):
        load_level_text(old, "old.toml", CATALOG)
    level = load_level_text(old, "old.toml", CATALOG, upgrades={0: from_0})
    assert level.format_version == 1 and level.title == "It was too big"
    assert level.hints == ["a", "b", "c"]


def line_text(text: str, start: str) -> str:
    return next(line for line in text.splitlines(keepends=True) if line.startswith(start))


def test_level_given_as_a_table_has_no_lines():
    import tomllib

    table = tomllib.loads(GOOD)
    table["par"] = -1
    with pytest.raises(LevelError) as caught:
        load_level_table(table, "<plugin table>", CATALOG)
    assert str(caught.value) == "<plugin table>: par: input should be greater than or equal to 0"
    del table["par"]
    table["par"] = 1
    assert load_level_table(table, "<plugin table>", CATALOG).path == "<plugin table>"


def test_a_crashing_goal_validator_is_a_located_problem():
    def broken(params, level):
        raise ZeroDivisionError("oops")

    catalog = StaticCatalog(
        positional=CATALOG.positional,
        architectures=CATALOG.architectures,
        goal_types={"attention": GoalType("attention", "A", "a", GOAL_TYPES[0].check, broken)},
    )
    assert only(GOOD, catalog=catalog) == (
        f'bad.toml:{line(GOOD, "[[goals]]")}: goals[0]: the "attention" goal type failed to '
        "check this goal: ZeroDivisionError: oops"
    )


def test_position_problem_names_the_held_out_sentence():
    from game.levels import position_problem

    level = load()
    assert position_problem(level, "@pronoun") is None
    assert position_problem(level, 12) == (
        "position 12 is outside the tokens (12 tokens) (in held-out sentence 1 (sentences[1]))"
    )
    assert position_problem(level, "@verb").startswith('role "@verb" is not in the sentence')


# --- every number in a level file is finite and of a sane size (issue 16) --------------


@pytest.mark.parametrize(
    ("old", "new", "snippet", "expected"),
    [
        ("trophy = { noun = 1,", "trophy = { noun = 1e308,", "trophy =",
         "vocab.trophy.noun: input should be less than or equal to 100"),
        ("trophy = { noun = 1,", "trophy = { noun = nan,", "trophy =",
         "vocab.trophy.noun: input should be a finite number"),
        ("it = { pronoun = 1 }", "it = { pronoun = -inf }", "it = { pronoun",
         "vocab.it.pronoun: input should be a finite number"),
        ("at_least = 0.5", "at_least = 0.5\nslack = nan", "slack = nan",
         "goals[0].slack: is nan; every number in a level file must be finite"),
        ("at_least = 0.5", "at_least = 0.5\nlimits = [1, 2e31]", "limits =",
         "goals[0].limits[1]: is 2e+31; numbers here are at most 1e+30 in size"),
        ("[controls]\n", "[positional_settings.wave]\ntable = [[0.0, nan]]\n[controls]\n",
         "table =", "positional_settings.wave.table[0][1]: is nan; every number in a level "
         "file must be finite"),
        ("[controls]\n", "[start]\nparameter = 1e300\n[controls]\n", "parameter = 1e300",
         "start.parameter: input should be less than or equal to 1000000000"),
    ],
)  # fmt: skip
def test_numbers_out_of_range_or_not_finite_are_located(old, new, snippet, expected):
    assert old in GOOD
    bad = GOOD.replace(old, new, 1)
    found = problems(bad)
    where = f"bad.toml:{line(bad, snippet)}: "
    assert any(p.startswith(where + expected) for p in found), found
