"""How the quiz screens lead to each other, and where answers and exports go.

Start (name, phase) → one question at a time → summary (Export CSV, Done).
Each answer is saved the moment it is given (`game.quiz.answers.AnswerStore`);
a save that fails says why in a toast and the answer waits for the next save.
Exports go to `<data folder>/exports/quiz-answers-<time>.csv` unless the flow
is given another folder; the path is shown so the teacher can find the file.
"""

from __future__ import annotations

import time
from pathlib import Path

from game.quiz.answers import Answer, AnswerStore
from game.quiz.csv_export import write_csv
from game.quiz.run import QuizRun, latest_score
from game.quiz.schema import QuizPack
from game.ui.quiz.question import QuizQuestionScene
from game.ui.quiz.start import QuizStartScene
from game.ui.quiz.summary import QuizSummaryScene

# What answer times are read from: wall-clock seconds, so a student thinking in front of
# a still screen (the loop sleeps then) is timed right. Tests replace it.
TIMER = time.monotonic


def default_export_dir() -> Path:
    from game.progress import data_dir

    return data_dir() / "exports"


class QuizFlow:
    """One visit to the quiz: holds the pack, the answers file and the export folder."""

    def __init__(
        self,
        app: object,
        pack: QuizPack,
        *,
        concepts: dict[str, object] | None = None,
        store: AnswerStore | None = None,
        export_dir: Path | None = None,
        clock=time.time,
    ):
        self.app, self.pack = app, pack
        self.concept_titles = {key: getattr(c, "title", key) for key, c in (concepts or {}).items()}
        self.store = store if store is not None else AnswerStore()
        self.export_dir = export_dir
        self.clock = clock
        self.run: QuizRun | None = None

    def open(self, phase: str = "pre", name: str = "") -> None:
        counts = {p: len(self.pack.for_phase(p)) for p in ("pre", "post")}
        self.app.scenes.push(
            QuizStartScene(
                self.app, title=self.pack.title, description=self.pack.description,
                counts=counts, on_start=self.start, on_back=self.app.scenes.pop,
                phase=phase, name=name,
            )
        )  # fmt: skip
        _, note = self.store.load()
        if note:
            self.app.toasts.show(note, "error", 8.0)

    def start(self, name: str, phase: str) -> None:
        self.run = QuizRun(self.pack, phase, name, timer=TIMER)
        scene = QuizQuestionScene(
            self.app, self.run, on_answer=self.save, on_finish=self.finish,
            on_leave=self.app.scenes.pop, concept_titles=self.concept_titles,
        )  # fmt: skip
        self.app.scenes.replace(scene)

    def save(self, answer: Answer) -> None:
        try:
            note = self.store.add(answer)
        except OSError as error:
            self.app.toasts.show(f"Your answer is not saved yet: {error}", "error", 8.0)
            return
        if note:
            self.app.toasts.show(note, "error", 8.0)

    def finish(self, run: QuizRun) -> None:
        before = None
        if run.phase == "post":
            answers, _ = self.store.load()
            before = latest_score(answers, run.name, run.pack.id, "pre")
        summary = QuizSummaryScene(
            self.app, run, on_export=self.export, on_done=self.app.scenes.pop,
            before=before, concept_titles=self.concept_titles,
        )  # fmt: skip
        self.app.scenes.replace(summary)

    def export(self) -> str:
        """Write every saved answer to a new CSV; the line saying where (or why not), which
        the summary shows under its buttons."""
        answers, _ = self.store.load()
        stamp = time.strftime("%Y%m%d-%H%M%S", time.localtime(self.clock()))
        folder = self.export_dir if self.export_dir is not None else default_export_dir()
        path = folder / f"quiz-answers-{stamp}.csv"
        try:
            write_csv(answers, path)
        except OSError as error:
            return f"Could not export the answers: {error.strerror or error} ({folder})"
        return f"{len(answers)} answers saved to {path}"


def open_quiz(game: object, phase: str = "pre", pack_ref: str | None = None) -> QuizFlow | None:
    """The quiz over the game's screens (`game` is the GameFlow: its app, registry, warn).

    A pack that does not load is a message naming the file and line, not a crash."""
    from game.quiz.loader import QuizError
    from game.quiz.packs import load_pack

    try:
        pack = load_pack(pack_ref, game.registry)
    except QuizError as error:
        first = error.problems[0] if error.problems else "no problems listed"
        game.warn(f"The quiz could not be opened: {first}")
        return None
    except LookupError as error:
        game.warn(f"The quiz could not be opened: {error}")
        return None
    flow = QuizFlow(game.app, pack, concepts=game.registry.concepts)
    flow.open(phase)
    return flow


def run_quiz(
    registry: object,
    phase: str = "pre",
    pack_ref: str | None = None,
    *,
    fullscreen: bool = False,
) -> int:
    """`switchyard quiz`: the game's window with the quiz open over the title screen, in
    the player's saved look (theme, text size). Returns the exit code (0)."""
    from game.progress import load_progress
    from game.ui.engine.app import App
    from game.ui.engine.theme import themed
    from game.ui.flow.game_flow import GameFlow

    progress, warning = load_progress()
    settings = progress.settings
    app = App(fullscreen=fullscreen or settings.fullscreen)
    app.theme = themed(settings.theme, settings.font_scale)
    app.sounds.enabled = settings.sound
    flow = GameFlow(app, registry, progress)
    flow.start()
    flow.open_quiz(phase, pack_ref)
    if warning:
        flow.warn(warning)
    app.run()
    return 0
