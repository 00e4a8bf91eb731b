"""The game's wiring: title → level select → play → results, progress and settings saved.

`run_game` is what `switchyard play` (and `demo`, with the projector theme)
calls; `render_level` is `switchyard render`: the play screen of one level
drawn headless into a PNG. `GameFlow` holds the run's plain state (registry,
progress, where it is saved, teacher mode) and builds each screen with the
callbacks that connect it to the next; tests drive it through `App.step`.
"""

from __future__ import annotations

import dataclasses
import os
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING

from game.attention import backends, resolve_backend
from game.levels.schema import Level
from game.model import Board, BoardError, BoardState, Score
from game.model.saved_board import state_from_dict, state_to_dict
from game.progress import (
    Preferences,
    Progress,
    SavingOff,
    load_progress,
    presenter_path,
    save_progress,
)
from game.ui.engine.app import App
from game.ui.engine.display import LOGICAL_SIZE
from game.ui.engine.failure import describe_failure
from game.ui.engine.theme import themed
from game.ui.levels.scene import LevelSelectScene, campaign_order
from game.ui.settings.scene import SettingsScene
from game.ui.title.scene import TitleScene

if TYPE_CHECKING:  # the plugins' registry: a game.api.Catalog that also holds the levels
    from game.plugins import Registry
    from game.ui.presenter import Navigator


def load_registry(registry: Registry | None = None) -> Registry:
    if registry is not None:
        return registry
    from game.plugins import load_plugins

    return load_plugins()


def problem_lines(registry: Registry) -> list[str]:
    """Level files that failed to load and plugins that failed, one `FILE:LINE: message` each."""
    lines = [str(problem) for problem in getattr(registry, "level_problems", [])]
    lines += [str(error) for error in getattr(registry, "errors", [])]
    return lines


class GameFlow:
    """Connects the screens of one run; all state is here, passed down, never global."""

    def __init__(
        self,
        app: App,
        registry: Registry,
        progress: Progress,
        *,
        progress_path: str | os.PathLike[str] | None = None,
        teacher: bool = False,
        save: bool = True,
        presenter: bool = False,
    ):
        self.app = app
        # presenter mode: no saved board restored, nothing recorded (game.ui.presenter)
        self.presenter = presenter
        self.registry = registry
        self.progress = progress
        self.progress_path = progress_path
        self.teacher = teacher
        self.save_enabled = save
        self.saving_off_said = False
        self.levels: Mapping[str, Level] = registry.levels
        self.order = [level.id for level in campaign_order(self.levels, registry.concepts)]
        self.own_levels: dict[str, Level] = {}  # read from files (--level FILE), kept on reload
        self.hot_reload: object = None  # --watch: the HotReload applying edited files
        app.on_fullscreen = self.fullscreen_changed

    def use_level(self, level: Level) -> None:
        """Play `level` under its id, in place of an installed level with the same id."""
        self.own_levels[level.id] = level
        self.set_levels(self.registry.levels)

    def set_levels(self, levels: Mapping[str, Level]) -> None:
        """The levels this run offers (a reload changes them); files given by path win."""
        self.levels = {**levels, **self.own_levels}
        self.order = [level.id for level in campaign_order(self.levels, self.registry.concepts)]

    # -- saving --------------------------------------------------------------------
    def save(self) -> None:
        if not self.save_enabled:
            return
        try:
            save_progress(self.progress, self.progress_path)
        except SavingOff as error:  # said once: the start-up warning already explained it
            if not self.saving_off_said:
                self.saving_off_said = True
                self.warn(f"Progress is not saved: {error}")
        except OSError as error:
            self.warn(f"Could not save progress: {error}")

    @property
    def unlock_all(self) -> bool:
        """Teacher mode: from the command line (`--level`) or the saved setting."""
        return self.teacher or self.progress.settings.teacher

    def fullscreen_changed(self, fullscreen: bool) -> None:
        """F11: remembered like the settings screen's choice."""
        self.progress.settings = dataclasses.replace(self.progress.settings, fullscreen=fullscreen)
        self.save()

    def warn(self, message: str) -> None:
        """A message for the player over whatever screen is open."""
        self.app.toasts.show(message, "error", 8.0)

    # -- screens -------------------------------------------------------------------
    def title_scene(self) -> TitleScene:
        return TitleScene(
            self.app,
            on_play=self.open_levels,
            on_sandbox=self.open_sandbox,
            on_settings=self.open_settings,
            on_quiz=self.open_quiz,
        )

    def start(self, level_id: str | None = None, state: BoardState | None = None) -> None:
        """Title on the stack; with `level_id`, straight on to that level (all unlocked), on
        the board `state` when given (`play --board FILE.json`), else as `open_level` does."""
        self.app.scenes.push(self.title_scene())
        if level_id is not None:
            self.teacher = True
            self.open_levels()
            self.open_level(level_id, state)

    def open_levels(self) -> None:
        self.app.scenes.push(
            LevelSelectScene(
                self.app,
                self.levels,
                self.progress.stars,
                learned=self.progress.learned,
                on_open=self.open_level,
                on_back=self.app.scenes.pop,
                concepts=self.registry.concepts,
                problems=problem_lines(self.registry),
                unlock_all=self.unlock_all,
            )
        )

    def open_quiz(self, phase: str = "pre", pack: str | None = None) -> None:
        """The pre/post quiz (game.ui.quiz): name, questions, summary with Export CSV."""
        from game.ui.quiz.flow import open_quiz

        open_quiz(self, phase, pack)

    def open_settings(self) -> None:
        self.app.scenes.push(
            SettingsScene(
                self.app, self.progress.settings, self.change_settings, registry=self.registry
            )
        )

    def open_sandbox(self) -> None:
        from game.ui.sandbox.scene import SandboxScene

        self.app.scenes.push(SandboxScene(self.app, self.registry, on_start=self.play_sandbox))

    def play_sandbox(self, level: Level) -> None:
        """The sandbox's Start: the ordinary play screen; nothing is recorded in progress."""
        from game.ui.play import PlayScene
        from game.ui.sandbox.scene import SandboxScene

        def back() -> None:
            scenes = self.app.scenes
            while scenes.top is not None and not isinstance(scenes.top, SandboxScene | TitleScene):
                scenes.pop()

        self.app.scenes.push(PlayScene(self.app, level, self.registry, on_back=back))

    def change_settings(self, settings: Preferences) -> None:
        self.progress.settings = settings
        self.app.apply_settings(settings)
        self.save()

    def play_scene(self, level_id: str, board: Board | None = None):
        """The play screen of `level_id`: `board`, else the best saved one, else the start."""
        from game.ui.play import PlayScene

        level = self.levels[level_id]
        best = self.best_board(level) if board is None and not self.presenter else None
        if board is None:
            board = best if best is not None else Board(level, self.registry, backend=self.backend)
        scene = PlayScene(
            self.app, level, self.registry, board=board,
            on_scored=self.record, on_back=self.back_to_levels,
            on_next=self._next_action(level_id),
        )  # fmt: skip
        if best is not None:
            scene.toasts.show("Your best board is back. Reset (Alt+R) starts over.", "info", 5.0)
        return scene

    def best_board(self, level: Level) -> Board | None:
        """A board holding the player's best saved solution for `level`, if it still fits.

        Its start (what Reset goes back to) is the level's own start."""
        saved = self.progress.best.get(level.id)
        if not isinstance(saved, dict):
            return None
        state = state_from_dict(saved, level, self.registry)
        if state is None:
            return None
        return Board(level, self.registry, state, backend=self.backend)

    @property
    def backend(self) -> object:
        """The attention backend from the settings, or "auto" where this machine lacks it.

        A plugin's backend is resolved in this game's registry (with its `--plugin`
        paths and `--no-plugins`), not in the default one a plain name would find."""
        backend = self.progress.settings.backend
        if backend not in backends(self.registry):
            return "auto"
        return resolve_backend(backend, self.registry)

    def open_level(self, level_id: str, state: BoardState | None = None) -> None:
        if level_id not in self.levels:
            self.warn(f'There is no level "{level_id}"; see the problems panel.')
            return
        try:
            board = None
            if state is not None:  # a saved board the command line named, checked there
                board = Board(self.levels[level_id], self.registry, state, backend=self.backend)
            scene = self.play_scene(level_id, board)
        except BoardError as error:
            self.warn(f"{level_id}: {error}")
            return
        except Exception as error:  # a plugin's scheme or goal failing on this level
            self.warn(f"{level_id} could not be shown: {describe_failure(error)}")
            return
        self.app.scenes.push(scene)

    def next_level(self, level_id: str) -> str | None:
        k = self.order.index(level_id) if level_id in self.order else -1
        return self.order[k + 1] if 0 <= k < len(self.order) - 1 else None

    def _next_action(self, level_id: str):
        following = self.next_level(level_id)
        if following is None:
            return None
        return lambda: self.go_next(following)

    def go_next(self, level_id: str) -> None:
        """From the results: drop results and the finished level, open the next one."""
        scenes = self.app.scenes
        while scenes.top is not None and not isinstance(scenes.top, LevelSelectScene | TitleScene):
            scenes.pop()
        self.open_level(level_id)

    def back_to_levels(self) -> None:
        scenes = self.app.scenes
        while scenes.top is not None and not isinstance(scenes.top, LevelSelectScene | TitleScene):
            scenes.pop()
        if not isinstance(scenes.top, LevelSelectScene):
            self.open_levels()

    def record(self, level: Level, board: Board, result: Score, learned: bool = False) -> None:
        """The play screen's Check: stars (never fewer than before) and the best solution;
        `learned` when a head on the board is the one gradient descent found.
        A presenter's demo records nothing: each level opens on its start next time."""
        if self.presenter:
            return
        self.progress.record_result(
            level.id, result.stars, state_to_dict(board.state), learned=learned
        )
        self.save()


def run_game(
    level_id: str | Level | None = None,
    fullscreen: bool = False,
    theme: str | None = None,
    registry: Registry | None = None,
    *,
    progress_path: str | os.PathLike[str] | None = None,
    teacher: bool = False,
    reload: Mapping[str, object] | None = None,
    presenter: bool = False,
    navigator: Navigator | None = None,
    lesson: object = None,
    state: BoardState | None = None,
) -> int:
    """Open the window and play: title first, or straight into `level_id` (all unlocked).

    `level_id` may be a `Level` read from a file: that level is played, even where an
    installed one has its id. `theme` ("normal" or "projector") overrides the saved
    setting for this run (`switchyard demo` passes "projector"). `reload` (with
    `registry`, a function loading the plugins again, and `extra`, the --plugin paths)
    turns on hot reload (`--watch`, game.ui.flow.hot_reload). `presenter` (`switchyard
    demo`) is presenter mode: its own progress file (`presenter_path`), every level
    open, the presenter's keys (game.ui.presenter), → / ← walking `navigator` (default:
    the campaign's levels). `lesson` (a `game.lessons.Lesson`, `demo --lesson`) opens
    on its first step, and → / ← walk its steps (game.ui.lesson). `state` (`--board`) is the
    board `level_id` opens on, instead of the saved best or the start. Returns the exit code (0).
    """
    registry = load_registry(registry)
    if presenter and progress_path is None:
        progress_path = presenter_path()
    progress, warning = load_progress(progress_path)
    settings = progress.settings
    app = App(fullscreen=fullscreen or settings.fullscreen)
    app.theme = themed(theme or settings.theme, settings.font_scale)
    app.sounds.enabled = settings.sound
    flow = GameFlow(
        app, registry, progress, progress_path=progress_path, teacher=teacher or presenter,
        presenter=presenter,
    )  # fmt: skip
    if isinstance(level_id, Level):
        flow.use_level(level_id)
        level_id = level_id.id
    if presenter:
        from game.ui.presenter.layer import Presenter

        app.presenter = Presenter(flow, navigator)
    flow.start(level_id if level_id in flow.levels else None, state)
    if lesson is not None:
        from game.ui.lesson.opening import open_lesson

        open_lesson(flow, lesson)
    if level_id is not None and level_id not in flow.levels:
        flow.warn(f'There is no level "{level_id}"; see the problems panel.')
        flow.open_levels()
    if warning:
        flow.warn(warning)
    return run_loop(flow, reload)


def run_loop(flow: GameFlow, reload: Mapping[str, object] | None = None) -> int:
    """The app's loop over the stack `flow` built, with hot reload's file watcher around it
    when `reload` is given (see `run_game`). Returns the exit code (0)."""
    watcher = None
    if reload is not None:
        from game.ui.flow.hot_reload import start_hot_reload

        watcher = start_hot_reload(flow, reload)
    try:
        flow.app.run()  # the stack is already built
    finally:
        if watcher is not None:
            watcher.stop()
    return 0


def render_level(
    level_id: str | Level,
    out_path: str | os.PathLike[str],
    size: tuple[int, int] = LOGICAL_SIZE,
    theme: str = "normal",
    registry: Registry | None = None,
    *,
    solution: bool = False,
    state: BoardState | None = None,
    head: int = 0,
) -> Path:
    """Draw the play screen of `level_id` (sentence 0; the start board, the reference
    solution with `solution=True`, or `state`, a saved board) into a PNG of `size`
    pixels, with no window, showing `head` (a 0-based global index: layer · heads + i,
    so any head of any layer).

    `level_id` is an installed id or a `Level` (one read from a file is drawn as it is).
    Raises KeyError for an unknown level and BoardError when `solution=True` and the
    level has none.
    """
    import pygame

    from game.ui.engine.headless import headless_app
    from game.ui.play import PlayScene

    registry = load_registry(registry)
    if isinstance(level_id, Level):
        level = level_id
    elif level_id not in registry.levels:
        raise KeyError(f'there is no level "{level_id}"')
    else:
        level = registry.levels[level_id]
    if state is not None:
        board = Board(level, registry, state)
    else:
        board = Board.with_solution(level, registry) if solution else Board(level, registry)
    with headless_app(size, theme) as app:
        scene = PlayScene(app, level, registry, board=board)
        scene.select_head(head)
        app.scenes.push(scene)
        app.step(0.0, [])
        out = Path(out_path)
        out.parent.mkdir(parents=True, exist_ok=True)
        pygame.image.save(app.window, str(out))
    return out
