"""Fuzzing the loader: any text either loads or raises a located LevelError, quickly."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from game.levels import Level, LevelError, load_level_bytes
from tests.model.fixtures import CATALOG, GOOD, TRANSLATION

LINES = GOOD.splitlines(keepends=True) + TRANSLATION.splitlines(keepends=True)


def check(data: bytes) -> None:
    """Loads, or fails with problems that all name the file and a line."""
    try:
        level = load_level_bytes(data, "fuzz.toml", CATALOG)
    except LevelError as error:
        assert error.problems
        for problem in error.problems:
            assert problem.path == "fuzz.toml"
            assert isinstance(problem.line, int) and problem.line >= 1, problem
            assert problem.line <= data.count(b"\n") + 1, problem
            assert str(problem).startswith(f"fuzz.toml:{problem.line}: ")
    else:
        assert isinstance(level, Level)


@st.composite
def mutated(draw) -> bytes:
    """GOOD with a few lines deleted, duplicated or swapped in, and characters changed."""
    lines = GOOD.splitlines(keepends=True)
    for _ in range(draw(st.integers(1, 4))):
        i = draw(st.integers(0, len(lines) - 1))
        action = draw(st.sampled_from(["delete", "duplicate", "replace", "insert", "chars"]))
        if action == "delete":
            del lines[i]
        elif action == "duplicate":
            lines.insert(i, lines[i])
        elif action == "replace":
            lines[i] = draw(st.sampled_from(LINES))
        elif action == "insert":
            lines.insert(i, draw(st.sampled_from(LINES)))
        else:
            text = lines[i]
            j = draw(st.integers(0, len(text)))
            junk = draw(st.text(alphabet="\"[]{}=,.#\\'0123456789abc@ -\n", max_size=3))
            cut = draw(st.integers(0, 3))
            lines[i] = text[:j] + junk + text[j + cut :]
        if not lines:
            lines = [""]
    return "".join(lines).encode()


FAST = settings(max_examples=300, deadline=1000, suppress_health_check=[HealthCheck.too_slow])


@FAST
@given(mutated())
def test_mutated_good_level(data):
    check(data)


TOMLISH = st.recursive(
    st.one_of(
        st.integers(-(2**70), 2**70).map(str),
        st.floats().map(lambda f: repr(f).replace("nan", "nan").replace("inf", "inf")),
        st.text(max_size=8).map(lambda s: '"' + s.replace("\\", "").replace('"', "") + '"'),
        st.sampled_from(["true", "false", "[]", "{}", "1979-05-27T07:32:00Z"]),
    ),
    lambda inner: st.one_of(
        st.lists(inner, max_size=4).map(lambda xs: "[" + ", ".join(xs) + "]"),
        st.dictionaries(st.sampled_from(["a", "type", "query", "tokens", "noun"]), inner,
                        max_size=3).map(
            lambda d: "{" + ", ".join(f"{k} = {v}" for k, v in d.items()) + "}"
        ),
    ),
    max_leaves=8,
)  # fmt: skip
KEYS = st.sampled_from(
    ["format_version", "id", "title", "features", "heads", "d_k", "par", "vocab", "sentences",
     "goals", "positional", "architecture", "hints", "tokens", "roles", "x.y", '"q z"']
)  # fmt: skip
HEADERS = st.sampled_from(
    ["[controls]", "[[sentences]]", "[[goals]]", "[vocab]", "[[solution.heads]]", "[start]"]
)


@FAST
@given(st.lists(st.one_of(HEADERS, st.tuples(KEYS, TOMLISH).map(" = ".join)), max_size=12))
def test_random_tomlish_text(lines):
    check("\n".join(lines).encode())


@FAST
@given(st.binary(max_size=200))
def test_random_bytes(data):
    check(data)


def test_deep_nesting_is_a_problem_not_a_crash():
    check(b"a = " + b"[" * 5000)
    check(b"a = " + b"[" * 3000 + b"]" * 3000)
