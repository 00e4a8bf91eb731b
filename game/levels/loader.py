"""Load a level file: bytes → TOML → upgrade → schema → catalog → goal checks.

Every stage reports problems located at a file, line and key path
(`bad.toml:12: goals[0].query: word "trophee" is not in the sentence`), and
the loader gathers all it can before raising one `LevelError`, so an author
fixes a file in one pass. Nothing but `LevelError` escapes for bad input.
"""

from __future__ import annotations

import copy
import difflib
import re
import tomllib
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError

from game.api import Catalog
from game.levels.checks import cross_field_problems
from game.levels.errors import LevelError, Loc, Problem, field_path
from game.levels.files import read_level_bytes
from game.levels.locate import key_lines, line_of
from game.levels.map_schema import installed_maps, map_problems
from game.levels.pattern_checks import pattern_problems, pattern_reference_problem
from game.levels.schema import (
    Controls,
    HeadTable,
    Level,
    Sentence,
    Solution,
    Start,
    ValueTable,
    WireTable,
)
from game.levels.scheme_settings import setting_problems
from game.levels.task_checks import task_problems, with_task_sentences
from game.levels.task_schema import Readout
from game.levels.upgrade import UPGRADES, Upgrade, UpgradeError, upgrade_table
from game.levels.views import level_view

MAX_FILE_BYTES = 1 << 20  # 1 MiB: refused before parsing

# The model whose keys live under a table of this name, for "did you mean".
_MODELS_BY_TABLE: dict[str, type[BaseModel]] = {
    "": Level,
    "controls": Controls,
    "start": Start,
    "solution": Solution,
    "heads": HeadTable,
    "wires": WireTable,
    "values": ValueTable,
    "sentences": Sentence,
    "readout": Readout,
}


class _Collector:
    """Problems for one file, located with the file's key lines (None: no file text)."""

    def __init__(self, name: str, lines: Mapping[tuple, int] | None) -> None:
        self.name = name
        self.lines = lines
        self.problems: list[Problem] = []

    def add(self, loc: Loc, message: str) -> None:
        line = None if self.lines is None else line_of(self.lines, loc)
        self.problems.append(Problem(self.name, line, field_path(loc), message))

    def raise_if_any(self) -> None:
        if self.problems:
            raise LevelError(sorted(self.problems, key=lambda p: p.line or 0))


def _suggest(word: object, known: Iterable[str]) -> str:
    """' (did you mean "rope"?)' when something close is known, else ''.

    Close means difflib's usual 0.6 similarity, or else being the only known
    name with the same first two letters ("rotary" → "rope").
    """
    if not isinstance(word, str) or not word:
        return ""
    known = list(known)
    close = difflib.get_close_matches(word, known, n=1, cutoff=0.6)
    if not close:
        close = [name for name in known if name[:2].lower() == word[:2].lower()]
    return f' (did you mean "{close[0]}"?)' if len(close) == 1 else ""


def _installed(known: Iterable[str]) -> str:
    names = sorted(known)
    return ", ".join(names) if names else "none"


# -- pydantic errors → located problems ---------------------------------------


def _clean_loc(loc: tuple[Any, ...]) -> Loc:
    """Drop pydantic's own location parts ("[key]", "function-after[…]")."""
    return tuple(p for p in loc if isinstance(p, int) or not (p.endswith("]") and "[" in p))


def _pattern_message(value: object, pattern: str) -> str:
    if "tokens|source|target" in pattern:
        return f'{value!r} is not a role: use a 0-based index or "sequence:index" (e.g. "target:2")'
    if pattern.startswith("^[A-Za-z0-9_-]"):
        return f'"{value}" is not a valid id: use letters, digits, _ and - (at most 64)'
    if pattern.startswith("^[A-Za-z_]"):
        return (
            f'"{value}" is not a valid name: use letters, digits and _, not starting with a digit'
        )
    if pattern.startswith("^[A-Za-z0-9_.-]"):
        return f'"{value}" is not a valid name: use letters, digits, _, . and -'
    if pattern == r"^\S+$":
        return f'"{value}" is not a word: words are non-empty and have no spaces'
    return f"{value!r} does not match {pattern}"


def _error_message(error: Mapping[str, Any], loc: Loc) -> str:
    kind = error["type"]
    value = error.get("input")
    if kind == "missing":
        return "missing (required)"
    if kind == "extra_forbidden":
        table = next((p for p in reversed(loc[:-1]) if isinstance(p, str)), "")
        model = _MODELS_BY_TABLE.get(table)
        known = list(model.model_fields) if model is not None else []
        return "unknown key" + _suggest(loc[-1] if loc else "", known)
    if kind == "string_pattern_mismatch":
        return _pattern_message(value, error.get("ctx", {}).get("pattern", ""))
    message = str(error["msg"])
    message = message.removeprefix("Value error, ")
    return message[:1].lower() + message[1:]


# -- catalog references -------------------------------------------------------


def _concept_problems(table: Mapping[str, Any], catalog: Catalog, out: _Collector) -> None:
    """A concept no plugin registered; a catalog without concepts accepts any (see `Catalog`)."""
    concept = table.get("concept")
    known = catalog.concepts
    if known and isinstance(concept, str) and concept not in known:
        out.add(
            ("concept",),
            f"unknown concept {concept!r}{_suggest(concept, known)}; known: {', '.join(known)}",
        )


def _reference_problems(table: Mapping[str, Any], catalog: Catalog, out: _Collector) -> None:
    """Names the level uses that nothing installed provides; works on the raw table."""
    _concept_problems(table, catalog, out)
    arch = table.get("architecture")
    if isinstance(arch, str) and arch not in catalog.architectures:
        out.add(
            ("architecture",),
            f'unknown architecture "{arch}"'
            f"{_suggest(arch, catalog.architectures)}; installed: "
            f"{_installed(catalog.architectures)}",
        )
    positional = table.get("positional")
    names = [positional] if isinstance(positional, str) else positional
    if isinstance(names, list):
        for i, name in enumerate(names):
            if isinstance(name, str) and name not in catalog.positional:
                loc: Loc = ("positional",) if isinstance(positional, str) else ("positional", i)
                out.add(
                    loc,
                    f'unknown positional scheme "{name}"'
                    f"{_suggest(name, catalog.positional)}; installed: "
                    f"{_installed(catalog.positional)}",
                )
    if (pattern_problem := pattern_reference_problem(table, catalog)) is not None:
        out.add(("pattern",), pattern_problem)
    goals = table.get("goals")
    if isinstance(goals, list):
        for g, goal in enumerate(goals):
            kind = goal.get("type") if isinstance(goal, dict) else None
            if isinstance(kind, str) and kind not in catalog.goal_types:
                out.add(
                    ("goals", g, "type"),
                    f'unknown goal type "{kind}"'
                    f"{_suggest(kind, catalog.goal_types)}; installed: "
                    f"{_installed(catalog.goal_types)}",
                )


def _architecture_problems(level: Level, catalog: Catalog, out: _Collector) -> None:
    arch = catalog.architectures.get(level.architecture)
    if arch is None:
        return
    for s, sentence in enumerate(level.sentences):
        given = tuple(sentence.sequences())
        if given != tuple(arch.sequences):
            out.add(
                ("sentences", s),
                f"the {arch.name} architecture reads "
                f"{' and '.join(arch.sequences)}; this sentence gives "
                f"{' and '.join(given) or 'none'}",
            )
    if level.layers > 1 and len(arch.sequences) > 1:
        out.add(
            ("layers",),
            f"the {arch.name} architecture reads {len(arch.sequences)} sequences; "
            "only single-sequence architectures (decoder, encoder) stack layers",
        )
    blocks = [block.name for block in arch.blocks]
    for where in ("start", "solution"):
        settings = getattr(level, where)
        heads = getattr(settings, "heads", None) or []
        for h, head in enumerate(heads):
            if head.block is not None and head.block not in blocks:
                out.add(
                    (where, "heads", h, "block"),
                    f"the {arch.name} architecture has no "
                    f'block "{head.block}"{_suggest(head.block, blocks)}; its blocks: '
                    f"{', '.join(blocks)}",
                )


def _parameter_problems(level: Level, catalog: Catalog, out: _Collector) -> None:
    for where in ("start", "solution"):
        settings = getattr(level, where)
        if settings is None or settings.parameter is None:
            continue
        name = settings.positional or level.start.positional or level.positional[0]
        scheme = catalog.positional.get(name)
        if scheme is None:
            continue
        if not scheme.parameters:
            out.add((where, "parameter"), f'the "{name}" scheme has no parameter to set')
            continue
        p = scheme.parameters[0]
        if not p.low <= settings.parameter <= p.high:
            out.add((where, "parameter"), f"{p.title} must lie in {p.low}..{p.high}")


_FIELD = re.compile(r"^([A-Za-z_]\w*(?:\[\d+\])*(?:\.[A-Za-z_]\w*(?:\[\d+\])*)*): (.+)$", re.S)


def _parse_field(text: str) -> Loc:
    """ "wires[0].key" -> ("wires", 0, "key")."""
    loc: list[str | int] = []
    for part in text.split("."):
        name, *indices = part.split("[")
        loc.append(name)
        loc.extend(int(index.rstrip("]")) for index in indices)
    return tuple(loc)


def _goal_problems(level: Level, catalog: Catalog, out: _Collector) -> None:
    """Each goal type's own `validate` (handed a read-only `LevelView`); a message
    "field: why" is located at that field."""
    view = level_view(level)
    for g, goal in enumerate(level.goals):
        goal_type = catalog.goal_types.get(goal.type)
        if goal_type is None or goal_type.validate is None:
            continue
        try:
            messages = list(goal_type.validate(goal.params, view))
        except Exception as error:  # a plugin's bug must not crash loading
            out.add(
                ("goals", g),
                f'the "{goal.type}" goal type failed to check this goal: '
                f"{type(error).__name__}: {error}",
            )
            continue
        for message in messages:
            match = _FIELD.match(str(message))
            if match:
                out.add(("goals", g, *_parse_field(match.group(1))), match.group(2))
            else:
                out.add(("goals", g), str(message))


# Top-level fields no other check reads: a bad one can be stood in for, so the
# checks that need a whole level still run and every problem shows at once.
_STAND_INS: dict[str, Any] = {
    "id": "stand-in",
    "title": "stand-in",
    "concept": "stand-in",
    "explanation": "",
    "hints": ["", "", ""],
    "par": 0,
}


def _repaired(table: Mapping[str, Any], errors: list[Any]) -> Level | None:
    """The level with unknown keys dropped and bad metadata stood in for, if that is enough."""
    fixed = copy.deepcopy(dict(table))
    for item in errors:
        loc = _clean_loc(item["loc"])
        if item["type"] == "extra_forbidden":
            parent: Any = fixed
            for part in loc[:-1]:
                parent = parent[part]
            parent.pop(loc[-1], None)
        elif len(loc) == 1 and loc[0] in _STAND_INS:
            fixed[loc[0]] = _STAND_INS[loc[0]]
        else:
            return None
    try:
        return Level.model_validate(fixed)
    except (ValidationError, LookupError, TypeError):
        return None


# -- the stages -----------------------------------------------------------------


def load_level_table(
    table: Mapping[str, Any],
    source_name: str,
    catalog: Catalog,
    *,
    source: str = "",
    upgrades: Mapping[int, Upgrade] = UPGRADES,
    lines: Mapping[tuple, int] | None = None,
) -> Level:
    """A level from an already-parsed table; `source_name` names it in problems.

    `lines` (key path → line) comes from the file text when there is one;
    without it problems have no line. Raises LevelError with every problem.
    """
    out = _Collector(source_name, lines)
    try:
        table = upgrade_table(dict(table), upgrades)
    except UpgradeError as error:
        out.add(("format_version",), str(error))
        out.raise_if_any()
    _reference_problems(table, catalog, out)
    try:
        level = Level.model_validate(table)
    except ValidationError as error:
        errors = error.errors(include_url=False)
        for item in errors:
            loc = _clean_loc(item["loc"])
            out.add(loc, _error_message(item, loc))
        level = _repaired(table, errors)
        if level is None:
            out.raise_if_any()
            raise AssertionError("unreachable") from None
    if task_problems(level, catalog, out.add):
        level = with_task_sentences(level, catalog, out.add)
    for loc, message in cross_field_problems(level):
        out.add(loc, message)
    _architecture_problems(level, catalog, out)
    _parameter_problems(level, catalog, out)
    pattern_problems(level, catalog, out.add)
    for loc, message in setting_problems(level.positional_settings, catalog.positional):
        out.add(loc, message)
    _goal_problems(level, catalog, out)
    for loc, message in map_problems(
        level.maps, level.layers, level.features, installed_maps(catalog)
    ):
        out.add(loc, message)
    out.raise_if_any()
    return level.located(source_name, source)


def _decode(data: bytes, name: str) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        raise LevelError(
            [Problem(name, line, "", "the file is not UTF-8 text; save it as UTF-8")]
        ) from None


_TOML_LINE = re.compile(r"line (\d+)")


def load_level_text(
    text: str,
    name: str,
    catalog: Catalog,
    *,
    source: str = "",
    upgrades: Mapping[int, Upgrade] = UPGRADES,
) -> Level:
    """A level from TOML text; `name` is the file name problems report."""
    try:
        table = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        message = str(error)
        lineno = getattr(error, "lineno", None)
        if lineno is None:
            found = _TOML_LINE.search(message)
            lineno = int(found.group(1)) if found else 1
        message = getattr(error, "msg", None) or re.sub(
            r" \(at (line \d+, column \d+|end of document)\)$", "", message
        )
        raise LevelError([Problem(name, lineno, "", f"TOML syntax: {message}")]) from None
    except RecursionError:
        raise LevelError([Problem(name, 1, "", "TOML syntax: nested too deeply")]) from None
    return load_level_table(
        table, name, catalog, source=source, upgrades=upgrades, lines=key_lines(text)
    )


def load_level_bytes(
    data: bytes,
    name: str,
    catalog: Catalog,
    *,
    source: str = "",
    upgrades: Mapping[int, Upgrade] = UPGRADES,
) -> Level:
    """A level from a file's bytes: refuses more than 1 MiB, then decodes UTF-8."""
    if len(data) > MAX_FILE_BYTES:
        raise LevelError(
            [
                Problem(
                    name,
                    None,
                    "",
                    f"the file is {len(data)} bytes; a level file may be "
                    f"at most {MAX_FILE_BYTES} bytes (1 MiB)",
                )
            ]
        )
    return load_level_text(_decode(data, name), name, catalog, source=source, upgrades=upgrades)


def load_level_file(
    path: str | Path,
    catalog: Catalog,
    *,
    source: str = "",
    upgrades: Mapping[int, Upgrade] = UPGRADES,
) -> Level:
    """Read, check and return the level in `path`; raises LevelError listing every problem.

    `source` is the plugin that registered the file ("" when read directly).
    """
    name = str(path)
    data = read_level_bytes(path, MAX_FILE_BYTES)
    return load_level_bytes(data, name, catalog, source=source, upgrades=upgrades)
