"""Fault injection: try many bad inputs on every boundary and count how each is handled.

    SDL_VIDEODRIVER=dummy python tools/fault_injection.py [--kills N] [--attention N] [--seed S]

Classes (issue 16): bad level files, faulty plugins, damaged saves, kills during
saves, attention cases (every backend × dtype, NaN and ±inf planted), bad command
lines. For each case "handled well" means: a located error or a one-line message,
or a correct answer; never a traceback, a crash, a lost file or a non-finite
number on screen. Prints one table (tried / handled well / bad) and every bad case.
Exit code 1 when anything is bad.
"""

from __future__ import annotations

import argparse
import contextlib
import functools
import io
import os
import random
import re
import signal
import subprocess
import sys
import tempfile
import textwrap
import time
import warnings
from collections.abc import Callable, Iterator
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("SDL_VIDEODRIVER", "dummy")
os.environ.setdefault("SDL_AUDIODRIVER", "dummy")

GOOD_LEVEL = (ROOT / "levels" / "01_trophy.toml").read_text(encoding="utf-8")


class Tally:
    """tried / handled well / bad, with the bad cases named."""

    def __init__(self) -> None:
        self.rows: dict[str, list[int]] = {}
        self.bad: list[str] = []

    def record(self, kind: str, name: str, ok: bool, why: str = "") -> None:
        row = self.rows.setdefault(kind, [0, 0, 0])
        row[0] += 1
        row[1 if ok else 2] += 1
        if not ok:
            self.bad.append(f"{kind}: {name}: {why}"[:300])

    def check(self, kind: str, name: str, attempt: Callable[[], str | None]) -> None:
        """Run `attempt`; it returns None when handled well, else why not. Raising is bad."""
        try:
            why = attempt()
        except BaseException as error:  # noqa: BLE001 (anything escaping is the finding)
            why = f"escaped: {type(error).__name__}: {str(error)[:120]}"
        self.record(kind, name, why is None, why or "")


# --- bad level files ----------------------------------------------------------------------


def level_mutations() -> Iterator[tuple[str, str]]:
    """(name, text): bad or borderline level files made from a good one."""
    numbers = ["nan", "inf", "-inf", "1e308", "-1e308", "1e400", "1e30", "99999999999999999999",
               '"1"', "true", "[]", "{}", "0", "-0.0", "1e-320"]  # fmt: skip
    for value in numbers:
        yield (
            f"vocab value {value}",
            GOOD_LEVEL.replace(
                "trophy = { noun = 1, bulky = 1", f"trophy = {{ noun = 1, bulky = {value}", 1
            ),
        )
        yield (
            f"query word value {value}",
            GOOD_LEVEL.replace("it = { pronoun = 1 }", f"it = {{ pronoun = {value} }}", 1),
        )
        yield f"par {value}", GOOD_LEVEL.replace("par = 1", f"par = {value}", 1)
        yield f"heads {value}", GOOD_LEVEL.replace("heads = 1", f"heads = {value}", 1)
        yield (
            f"goal number {value}",
            re.sub(r"at_least = [0-9.]+", f"at_least = {value}", GOOD_LEVEL, count=1),
        )
        yield (
            f"goal extra {value}",
            GOOD_LEVEL.replace('type = "attention"', f'type = "attention"\nslack = {value}', 1),
        )
        yield (
            f"temperature {value}",
            GOOD_LEVEL.replace("[vocab]", f"[start]\ntemperature = {value}\n\n[vocab]", 1),
        )
        yield (
            f"parameter {value}",
            GOOD_LEVEL.replace("[vocab]", f"[start]\nparameter = {value}\n\n[vocab]", 1),
        )
        yield (
            f"setting {value}",
            GOOD_LEVEL.replace(
                "[vocab]", f"[positional_settings.none]\ntable = [[{value}]]\n\n[vocab]", 1
            ),
        )
        yield (
            f"strength {value}",
            re.sub(r"strength = [-0-9.]+", f"strength = {value}", GOOD_LEVEL, count=1),
        )
    yield "empty", ""
    yield "garbage bytes", "\x00\x01\x02{{[["
    yield "BOM", "\ufeff" + GOOD_LEVEL
    yield "truncated", GOOD_LEVEL[: len(GOOD_LEVEL) // 2]
    yield "deep nesting", "x = " + "[" * 5000 + "]" * 5000
    yield "deep inline tables", "x = " + "{a = " * 2000 + "1" + "}" * 2000
    yield "huge file", "# " + "x" * (2 << 20)
    yield "no goals", re.sub(r"\[\[goals\]\][^\[]*", "", GOOD_LEVEL)
    yield "format 99", GOOD_LEVEL.replace("format_version = 1", "format_version = 99", 1)
    yield "unknown key", GOOD_LEVEL.replace("par = 1", "par = 1\nparr = 2", 1)
    yield "duplicate key", GOOD_LEVEL.replace("par = 1", "par = 1\npar = 2", 1)
    yield "word not in vocab", GOOD_LEVEL.replace('"trophy"', '"trophee"', 1)
    yield "long title", GOOD_LEVEL.replace('title = "', 'title = "' + "x" * 5000, 1)
    yield "newline in id", GOOD_LEVEL.replace('id = "01_trophy"', 'id = "a\\nb"', 1)
    yield "tokens 300", GOOD_LEVEL.replace("tokens = [", "tokens = [" + '"the", ' * 300, 1)


def level_case(text: str) -> str | None:
    from game.levels import LevelError, load_level_text
    from game.model.board import Board
    from game.model.stars import score
    from game.plugins import load_plugins

    registry = _registry(load_plugins)
    try:
        level = load_level_text(text, "bad.toml", registry)
    except LevelError as error:
        problems = [str(p) for p in error.problems] or [str(error)]
        located = all(re.match(r"^bad\.toml(:\d+)?: ", p) for p in problems)
        return None if located else f"unlocated: {problems[:2]}"
    board = Board.with_solution(level, registry) if level.solution else Board(level, registry)
    result = score(board)
    shown = " ".join(goal.message for goals in result.per_sentence for goal in goals)
    if re.search(r"\b(inf|nan)\b", shown, re.I):
        return f"a non-finite number reached the messages: {shown[:100]}"
    return _draw_play_screen(level, registry, board)


def _draw_play_screen(level, registry, board) -> str | None:
    """One frame of the play screen with `board` (as `switchyard render` draws it)."""
    import pygame

    from game.ui.engine.app import App
    from game.ui.play import PlayScene

    try:
        app = App((1280, 720))
        app.scenes.push(PlayScene(app, level, registry, board=board))
        app.step(1 / 60, [])
    finally:
        pygame.display.quit()
    return None


_REGISTRY: list = []


def _registry(load_plugins):
    if not _REGISTRY:
        _REGISTRY.append(load_plugins(use_user_dir=False, entry_points=False))
    return _REGISTRY[0]


# --- faulty plugins -----------------------------------------------------------------------

PLUGIN = """
import os, sys
from pathlib import Path
import numpy as np
from game.api import AttentionBackend, GoalResult, GoalType, PositionalScheme, hookimpl

{top}

def scheme_function(*args, **_):
    {scheme}

def check(params, evaluation):
    {check}

def target(params, evaluation, head):
    {target}

def run(inputs):
    {run}

@hookimpl
def switchyard_register_positional_schemes(register):
    register(PositionalScheme(name="fi_scheme", title="F", description="d",
                              {kind}=scheme_function))

@hookimpl
def switchyard_register_goal_types(register):
    register(GoalType(name="fi_goal", title="G", description="d", check=check, target=target))

@hookimpl
def switchyard_register_backends(register):
    register(AttentionBackend(name="fi_backend", title="B", run=run))

@hookimpl
def switchyard_register_levels(register):
    register(Path(__file__).parent / "levels")
"""

PLUGIN_LEVEL = """
format_version = 1
id = "fi_level"
title = "T"
concept = "qkv"
explanation = "x"
hints = ["a", "b", "c"]
architecture = "encoder"
positional = "fi_scheme"
features = ["noun", "pronoun"]
par = 1

[vocab]
lamp = { noun = 1 }
it = { pronoun = 1 }

[[sentences]]
tokens = ["lamp", "it"]

[[goals]]
type = "fi_goal"

[solution]
heads = [{ wires = [{ query = "pronoun", key = "noun" }] }]
"""

SOUND = {
    "top": "",
    "kind": "embed",
    "scheme": "return np.zeros((len(args[0]), args[1]))",
    "check": "return GoalResult(True, 1.0, 'ok')",
    "target": "return None",
    "run": "return np.zeros((*inputs.lead, inputs.n_q, inputs.d_v))",
}


def plugin_faults() -> Iterator[tuple[str, dict[str, str]]]:
    """(name, changes to SOUND): one fault each."""
    for body in ["raise RuntimeError('x')", "sys.exit(3)", "raise KeyboardInterrupt",
                 "class Odd(BaseException): pass\nraise Odd()", "import no_such_module",
                 "raise SystemExit", "1/0", "def broken(:\n    pass"]:  # fmt: skip
        yield f"import: {body.splitlines()[-1]}", {"top": body}
    returns = {
        "NaN": "np.full({shape}, np.nan)",
        "inf": "np.full({shape}, np.inf)",
        "wrong shape": "np.zeros((7, 7, 7))",
        "a string": "'sideways'",
        "None": "None",
        "raise": "(_ for _ in ()).throw(ValueError('bad'))",
        "sys.exit": "sys.exit(4)",
        "1e308": "np.full({shape}, 1e308) * 10",
    }
    shapes = {
        "embed": "(len(args[0]), args[1])",
        "rotate": "args[0].shape",
        "bias": "(args[2], len(args[0]), len(args[1]))",
        "slopes": "(args[0],)",
    }
    for kind, shape in shapes.items():
        for label, value in returns.items():
            yield (
                f"{kind} returns {label}",
                {"kind": kind, "scheme": "return " + value.format(shape=shape)},
            )
    for label, value in {
        "NaN progress": "GoalResult(True, float('nan'), 'x')",
        "inf progress": "GoalResult(False, float('inf'), 'x')",
        "a tuple": "(True, 1.0, 'x')",
        "raise": "1/0",
        "sys.exit": "sys.exit(5)",
        "met text": "GoalResult('yes', 1.0, 'x')",
    }.items():
        yield f"check returns {label}", {"check": "return " + value}
    for label, value in {
        "NaN": "np.full((2, 2), np.nan), np.ones(2)",
        "wrong shape": "np.zeros((5, 5)), np.ones(5)",
        "one item": "(np.zeros((2, 2)),)",
        "raise": "1/0",
    }.items():
        yield f"target returns {label}", {"target": "return " + value}
    for label, value in {
        "NaN": "np.full((*inputs.lead, inputs.n_q, inputs.d_v), np.nan)",
        "wrong shape": "np.zeros((3,))",
        "raise": "1/0",
        "sys.exit": "sys.exit(6)",
    }.items():
        yield f"backend returns {label}", {"run": "return " + value}


def plugin_case(folder: Path, name: str, changes: dict[str, str]) -> str | None:
    from game.attention import BackendFailure, attention
    from game.model.board import Board
    from game.model.evaluate import evaluate_sentences
    from game.model.learn import NothingToLearn, learn_head
    from game.plugins import load_plugins

    try:
        from game.plugin_calls import PluginCodeError
    except ImportError:  # run against an older checkout: there is no boundary to catch
        PluginCodeError = type("PluginCodeError", (Exception,), {})  # noqa: N806

    fields = {**SOUND, **changes}
    indent = lambda text: textwrap.indent(text, "    ").lstrip()  # noqa: E731
    source = PLUGIN.format(
        top=fields["top"], kind=fields["kind"], scheme=indent(fields["scheme"]),
        check=indent(fields["check"]), target=indent(fields["target"]), run=indent(fields["run"]),
    )  # fmt: skip
    (folder / "levels").mkdir(parents=True, exist_ok=True)
    (folder / "__init__.py").write_text(source, encoding="utf-8")
    (folder / "levels" / "fi_level.toml").write_text(PLUGIN_LEVEL, encoding="utf-8")
    registry = load_plugins(no_plugins=True, extra=[folder])
    if registry.errors:
        error = registry.errors[0]
        named = error.plugin == folder.name and str(folder) in error.location
        return None if named else f"disabled without naming it: {error}"
    level = registry.levels["fi_level"]
    board = Board(level, registry)
    try:
        evaluations = evaluate_sentences(level, registry, board.state, [0])
        if name.startswith("target"):
            learn_head(board, 0)
    except PluginCodeError as error:
        return None if str(folder) in error.location else f"unlocated: {error}"
    except NothingToLearn:
        pass
    if not all(np.isfinite(h.weights).all() for e in evaluations for h in e.heads):
        return "non-finite weights reached the board"
    q = np.ones((1, 2, 2))
    try:
        out = attention(q, q, q, backend=registry.backends["fi_backend"])
    except BackendFailure as failure:
        return None if "fi_backend" in str(failure) else f"unnamed: {failure}"
    return None if np.isfinite(out).all() else "a backend's NaN came through"


# --- damaged saves ------------------------------------------------------------------------


def save_damages(good: str) -> Iterator[tuple[str, Callable[[Path], None], bool]]:
    """(name, damage(path), kept): `kept` when the file must be left byte for byte."""

    def text(content: str | bytes) -> Callable[[Path], None]:
        def write(path: Path) -> None:
            (path.write_bytes if isinstance(content, bytes) else path.write_text)(content)

        return write

    for cut in (0, 1, 10, len(good) // 2, len(good) - 2):
        yield f"truncated at {cut}", text(good[:cut]), False
    for name, content in {
        "garbage": b"\x00\xff\xfe garbage", "not utf-8": b"\xff\xfe\x00{",
        "deep lists": "[" * 100_000 + "]" * 100_000,
        "deep objects": '{"a":' * 50_000 + "1" + "}" * 50_000,
        "a list": "[1, 2]", "null": "null", "a number": "1e999", "NaN": "NaN",
        "stars NaN": '{"format": 1, "stars": {"a": NaN}}',
        "stars 1e999": '{"format": 1, "stars": {"a": 1e999}}',
        "format string": '{"format": "1"}', "format huge": '{"format": 1e999}',
        "best a list": '{"format": 1, "best": {"a": [1]}}',
        "settings null": '{"format": 1, "settings": null}',
        "unknown key": '{"format": 1, "x": 1}',
        "font NaN": '{"format": 1, "settings": {"font_scale": NaN}}',
        "huge int": '{"format": 1, "stars": {"a": ' + "9" * 5000 + "}}",
    }.items():  # fmt: skip
        yield name, text(content), False
    yield "BOM", text(b"\xef\xbb\xbf" + good.encode()), True
    yield "newer format", text('{"format": 2, "stars": {"a": 3}, "new": []}'), True
    yield "newer format 99", text('{"format": 99}'), True
    yield "a folder", lambda path: path.mkdir(), True
    yield "a symlink loop", lambda path: os.symlink(path, path), True
    yield "a dangling symlink", lambda path: os.symlink(path.with_name("gone"), path), False


def save_case(folder: Path, damage: Callable[[Path], None], kept: bool, good: str) -> str | None:
    from game.progress import Progress, load_progress, save_progress

    SavingOff = getattr(sys.modules["game.progress"], "SavingOff", OSError)  # noqa: N806

    path = folder / "progress.json"
    damage(path)
    before = _snapshot(path)
    try:
        load_progress(path, read_only=True)  # what `switchyard levels` does
    except TypeError:  # an older checkout: `levels` loads as the game does
        load_progress(path)
    if _snapshot(path) != before:
        return "the read-only load (switchyard levels) changed the file"
    progress, warning = load_progress(path)
    if not isinstance(progress, Progress):
        return "no progress"
    if kept and _snapshot(path) != before:
        return "a file that must be kept was moved or changed"
    progress.record_stars("fi", 2)
    try:
        save_progress(progress, path)
        saved = True
    except SavingOff:
        saved = False
    if kept and before is not None and not before.startswith(b"\xef\xbb\xbf") and saved:
        return "saved over a file it could not read"
    if kept and not saved and _snapshot(path) != before:
        return "saving was off but the file changed"
    if not kept and not saved:
        return f"saving stayed off for a damaged file ({warning})"
    if not kept and not list(folder.glob("progress.corrupt-*")) and before not in (None, b""):
        if warning is not None:
            return "a damaged file was not kept aside"
    return None


def _snapshot(path: Path) -> bytes | None:
    try:
        return path.read_bytes()
    except OSError:
        return None if not path.is_symlink() and not path.is_dir() else b"<special>"


# --- kills during saves -------------------------------------------------------------------

WRITER = """
import sys
from game.progress import Progress, save_progress
path = sys.argv[1]
n = 0
while True:
    n += 1
    p = Progress()
    p.stars["count"] = n % 4
    p.best["last"] = {"i": n, "pad": "x" * 200000}
    save_progress(p, path)
    print(n, flush=True)
"""


def kills(tally: Tally, count: int, seed: int) -> None:
    from game.progress import load_progress

    rng = random.Random(seed)
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "progress.json"
        for k in range(count):
            writer = subprocess.Popen([sys.executable, "-c", WRITER, str(path)],
                                      stdout=subprocess.PIPE, env=env, cwd=ROOT)  # fmt: skip
            writer.stdout.readline()
            time.sleep(rng.uniform(0.0, 0.05))
            writer.send_signal(signal.SIGKILL)
            writer.communicate()
            progress, warning = load_progress(path, now=time.time() + 3600)  # leftovers stale
            leftovers = list(Path(tmp).glob(".progress-*.tmp"))
            ok = warning is None and "last" in progress.best and not leftovers
            why = warning or (f"{len(leftovers)} temp file(s) left after open" if leftovers else "")
            tally.record("kills during saves", f"kill {k}", ok, why or "no best")


# --- attention ----------------------------------------------------------------------------


def attention_cases(tally: Tally, count: int, seed: int) -> None:
    from game.attention import backends
    from game.attention.inputs import prepare
    from game.attention.reference import reference_attention, reference_scores

    rng = np.random.default_rng(seed)
    names = ["auto", *(n for n in backends() if n != "cupy")]
    for case in range(count):
        dtype = [np.float16, np.float32, np.float64][case % 3]
        n_q, n_k = int(rng.integers(0, 40)), int(rng.integers(0, 40))
        d, d_v = int(rng.integers(1, 10)), int(rng.integers(1, 5))
        size = float(rng.choice([1.0, 10.0, 100.0]))
        q = (rng.normal(size=(2, n_q, d)) * size).astype(dtype)
        k = (rng.normal(size=(2, n_k, d)) * size).astype(dtype)
        v = rng.normal(size=(2, n_k, d_v)).astype(dtype)
        kwargs: dict = {"causal": bool(rng.integers(2))}
        if rng.integers(2):
            kwargs["mask"] = rng.random((2, n_q, n_k)) > 0.4
        if rng.integers(2) and n_k:
            target = [q, k, v][int(rng.integers(3))]
            if target.shape[-2]:
                target[..., int(rng.integers(target.shape[-2])), 0] = rng.choice(
                    [np.nan, np.inf, -np.inf]
                )
        inputs = prepare(q, k, v, **kwargs)
        expected, _ = reference_attention(inputs)
        logits, _ = reference_scores(inputs)
        finite_logits = np.abs(logits[np.isfinite(logits)])
        clean_v = np.abs(v[np.isfinite(v)].astype(np.float64))
        tol = clean_v.max(initial=0.0) * (
            2 * np.finfo(inputs.out_dtype).eps
            + 16 * np.finfo(inputs.compute_dtype).eps * (1 + finite_logits.max(initial=0.0))
        ) + (1e-3 if dtype == np.float16 else 1e-12)
        for name in names:
            label = f"case {case} {np.dtype(dtype).name} {name} n_q={n_q} n_k={n_k}"
            attempt = functools.partial(_agrees, name, (q, k, v), kwargs, expected, tol)
            tally.check("attention cases", label, attempt)


def _agrees(name, qkv, kwargs, expected, tol) -> str | None:
    """None when backend `name` has NaN and ±inf where the reference has them, and the
    other entries within `tol` of it."""
    from game.attention import attention

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        out = attention(*qkv, backend=name, **kwargs).astype(np.float64)
    if out.shape != expected.shape:
        return f"shape {out.shape}"
    if not (np.array_equal(np.isnan(out), np.isnan(expected))
            and np.array_equal(np.isinf(out), np.isinf(expected))):  # fmt: skip
        return "NaN/inf in other places than the reference"
    finite = np.isfinite(expected)
    error = np.abs(out[finite] - expected[finite]).max(initial=0.0)
    return None if error <= tol else f"error {error:.3g} > {tol:.3g}"


# --- command lines ------------------------------------------------------------------------


def command_lines(tmp: Path) -> Iterator[list[str]]:
    (tmp / "d.png").mkdir()
    ro = tmp / "ro"
    ro.mkdir()
    os.chmod(ro, 0o555)
    bad_level = tmp / "bad.toml"
    bad_level.write_text("par = nan\n")
    yield from (
        ["solve", "02_query_key_value", "--learn", "--head", h] for h in ("0", "-1", "99", "x", "")
    )
    yield from (["bench", "--only", "attention", "--sizes", s] for s in ("0", "-5", "1e9", "x"))
    yield from (
        ["render", "01_trophy", "--out", out]
        for out in (
            "/proc/x.png",
            str(tmp / "d.png"),
            str(tmp / "none" / "x.png"),
            str(tmp / "x.jpg"),
            "",
            str(ro / "x.png"),
        )  # fmt: skip
    )
    yield ["render", "01_trophy", "--out", str(tmp / "y.png"), "--size", "0x0"]
    yield ["render", "01_trophy", "--out", str(tmp / "y.png"), "--size", "abc"]
    yield ["render", "no_such_level", "--out", str(tmp / "y.png")]
    for command in ("new-level", "new-plugin"):
        for where in (str(tmp / "missing" / "x"), "/proc", str(bad_level)):
            yield [command, "thing", "--dir", where]
        for name in ("foo\n", "a\nb", "", "Foo", "x" * 100, "../up", "\x00"):
            yield [command, name, "--dir", str(tmp)]
    yield ["solve", "no_such_level"]
    yield ["solve", str(bad_level)]
    yield ["solve", str(tmp / "missing.toml")]
    yield ["validate", str(bad_level), "/proc/self/mem", str(tmp / "d.png")]
    yield ["validate"]
    yield ["play", "--level", "no_such_level", "--no-plugins"]
    yield ["levels", "--plugin", str(tmp / "missing")]
    yield ["levels", "--plugin", str(bad_level)]
    yield ["plugins", "--plugin", "/proc"]
    yield ["nope"]
    yield ["--version"]
    yield ["levels", "--json"]


def command_case(argv: list[str], data: Path) -> str | None:
    from game.cli import main

    os.environ["SWITCHYARD_DATA_DIR"] = str(data)
    err, out = io.StringIO(), io.StringIO()
    if argv[:2] == ["play", "--level"]:
        return _subprocess_case(argv, data)
    with contextlib.redirect_stderr(err), contextlib.redirect_stdout(out):
        try:
            code = main(argv)
        except SystemExit as exit_:
            code = exit_.code if isinstance(exit_.code, int) else 1
    text = err.getvalue()
    if "Traceback" in text:
        return "traceback: " + text.strip().splitlines()[-1]
    if code not in (0, 1, 2):
        return f"exit code {code}"
    if code and not text.strip():
        return "failed without a message"
    return None


def _subprocess_case(argv: list[str], data: Path) -> str | None:
    env = dict(os.environ, SWITCHYARD_DATA_DIR=str(data))
    result = subprocess.run([sys.executable, str(ROOT / "main.py"), *argv], capture_output=True,
                            text=True, env=env, timeout=120)  # fmt: skip
    if "Traceback" in result.stderr:
        return "traceback: " + result.stderr.strip().splitlines()[-1]
    return None if result.returncode in (0, 1, 2) else f"exit code {result.returncode}"


def pipe_case(data: Path) -> str | None:
    env = dict(os.environ, SWITCHYARD_DATA_DIR=str(data))
    for reader in ("head -1", "true", "head -c 10"):
        script = f"{sys.executable} {ROOT / 'main.py'} levels --json | {reader}"
        result = subprocess.run(["bash", "-o", "pipefail", "-c", script], capture_output=True,
                                text=True, env=env, timeout=120)  # fmt: skip
        if "Traceback" in result.stderr or "BrokenPipe" in result.stderr:
            return f"| {reader}: " + result.stderr.strip().splitlines()[-1]
        if result.returncode not in (0, 1):
            return f"| {reader}: exit code {result.returncode}"
    return None


# --- main -----------------------------------------------------------------------------------


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--kills", type=int, default=200, help="kills during saves")
    parser.add_argument("--attention", type=int, default=300, help="attention cases (× backends)")
    parser.add_argument("--seed", type=int, default=16)
    args = parser.parse_args()
    tally = Tally()
    for name, text in level_mutations():
        tally.check("bad level files", name, lambda text=text: level_case(text))
    with tempfile.TemporaryDirectory() as tmp:
        for n, (name, changes) in enumerate(plugin_faults()):
            folder = Path(tmp) / f"fi_plugin_{n}"
            tally.check(
                "faulty plugins", name, lambda f=folder, c=changes, nm=name: plugin_case(f, nm, c)
            )
    from game.progress import Progress, save_progress

    with tempfile.TemporaryDirectory() as tmp:
        good_path = save_progress(Progress(stars={"a": 3}), Path(tmp) / "good.json")
        good = good_path.read_text()
        for n, (name, damage, kept) in enumerate(save_damages(good)):
            folder = Path(tmp) / f"save_{n}"
            folder.mkdir()
            tally.check(
                "damaged saves", name, lambda f=folder, d=damage, k=kept: save_case(f, d, k, good)
            )
    kills(tally, args.kills, args.seed)
    attention_cases(tally, args.attention, args.seed)
    with tempfile.TemporaryDirectory() as tmp:
        for argv in command_lines(Path(tmp)):
            tally.check(
                "bad command lines", repr(argv), lambda a=argv: command_case(a, Path(tmp) / "data")
            )
        tally.check(
            "bad command lines", "levels --json | head", lambda: pipe_case(Path(tmp) / "data")
        )
    print(f"{'class':22} {'tried':>6} {'handled well':>13} {'bad':>5}")
    for kind, (tried, good_count, bad) in tally.rows.items():
        print(f"{kind:22} {tried:6} {good_count:13} {bad:5}")
    for line in tally.bad:
        print("BAD", line)
    return 1 if tally.bad else 0


if __name__ == "__main__":
    sys.exit(main())
