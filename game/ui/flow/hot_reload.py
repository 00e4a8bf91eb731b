"""Hot reload (`play --watch`): apply an edited level or plugin file between frames.

The watcher thread (game.ui.flow.watcher) only posts a `RELOAD_EVENT` holding
the changed paths; `HotReload.apply` runs on the game loop's thread, between
frames, like any other event:

- a level file is loaded and run the way `validate` does (a scheme or goal
  that would raise on it counts as broken). A broken edit shows its located
  error (`FILE:LINE: field: message`) on screen until the file is fixed, and
  the last good version keeps playing. A good one replaces the level; if the
  player is on it, their board is replayed onto the new version
  (game.model.saved_board) and survives when its tokens, features and
  controls still fit, else the level starts over and says why;
- a lesson file is loaded and checked the same way (game.ui.lesson.reload);
- a plugin file reloads every plugin (and so every level) into a new
  registry; a plugin that now fails shows its file:line and the old registry
  stays.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pygame

from game.levels.errors import LevelError, Problem
from game.levels.schema import Level
from game.model import Board
from game.model.saved_board import SavedBoardError, restore_state, state_to_dict
from game.ui.flow.watcher import Watcher, watched_roots
from game.ui.lesson.reload import is_lesson_file, reload_lesson

if TYPE_CHECKING:
    from game.ui.flow.game_flow import GameFlow

RELOAD_EVENT = pygame.event.custom_type()
ERROR_SECONDS = float("inf")  # an error stays on screen until its file is fixed
PLUGINS = "plugins"  # the error key for a plugin reload


def post_reload(paths: Iterable[Path]) -> None:
    """From the watcher thread: queue the changed paths for the game loop (thread-safe)."""
    pygame.event.post(pygame.event.Event(RELOAD_EVENT, paths=tuple(sorted(map(str, paths)))))


def _same_file(a: str | Path, b: str | Path) -> bool:
    return bool(a) and bool(b) and Path(a).resolve() == Path(b).resolve()


class HotReload:
    """Applies reloads to one game run; remembers which file's error is on screen."""

    def __init__(self, flow: GameFlow, load_registry: Callable[[], Any]) -> None:
        self.flow = flow
        self.load_registry = load_registry
        self.errors: dict[str, str] = {}  # file (or PLUGINS) -> the message on screen

    def handle(self, event: pygame.event.Event) -> None:
        self.apply(Path(path) for path in getattr(event, "paths", ()))

    def apply(self, paths: Iterable[Path]) -> None:
        """Reload what changed: all plugins if a .py changed, else each level file."""
        paths = sorted(set(paths))
        if any(path.suffix == ".py" for path in paths):
            self.reload_plugins()
            return
        for path in paths:
            if path.suffix == ".toml" and is_lesson_file(path):  # a lesson (game.ui.lesson)
                reload_lesson(self, path)
            elif path.suffix == ".toml":
                self.reload_level(path)

    # -- what is shown ----------------------------------------------------------------
    def _fail(self, key: str, lines: list[str]) -> None:
        more = f" (and {len(lines) - 1} more)" if len(lines) > 1 else ""
        message = f"Not reloaded, still playing the last good version: {lines[0]}{more}"
        self._clear(key)
        self.errors[key] = message
        self.flow.app.toasts.show(message, "error", ERROR_SECONDS)

    def _clear(self, key: str) -> None:
        old = self.errors.pop(key, None)
        if old is not None:
            toasts = self.flow.app.toasts
            toasts.items = [toast for toast in toasts.items if toast.message != old]

    # -- levels -----------------------------------------------------------------------
    def _source_of(self, path: Path) -> str:
        """The plugin that registered the folder or file `path` is in ("" for none)."""
        for plugin, root in getattr(self.flow.registry, "level_sources", ()):
            root = Path(root).resolve()
            if root == path.resolve() or root in path.resolve().parents:
                return plugin
        return ""

    def load(self, path: Path) -> Level:
        """The level in `path`, loaded and run; LevelError when it is broken."""
        from game.levels.loader import load_level_file
        from game.levels.registry import id_line
        from game.model.level_check import check_level

        registry = self.flow.registry
        level = load_level_file(path, registry, source=self._source_of(path))
        problems = check_level(level, registry, stars=False)
        if problems:
            raise LevelError(problems)
        other = self.flow.levels.get(level.id)
        if other is not None and not _same_file(other.path, path):
            message = f'level id "{level.id}" is already used by {other.path}'
            raise LevelError([Problem(str(path), id_line(path), "id", message)])
        return level

    def reload_level(self, path: Path) -> None:
        if not path.is_file():
            return  # deleted, or between an editor's delete and rename: keep the last good one
        try:
            level = self.load(path)
        except LevelError as error:
            self._fail(str(path), [str(problem) for problem in error.problems])
            return
        self._clear(str(path))
        flow = self.flow
        old = next((lv for lv in flow.levels.values() if _same_file(lv.path, path)), None)
        if old is not None and old.id in flow.own_levels:
            del flow.own_levels[old.id]
            flow.own_levels[level.id] = level
        levels = {i: lv for i, lv in flow.levels.items() if not _same_file(lv.path, path)}
        flow.set_levels({**levels, level.id: level})
        self.refresh_screens(f"Reloaded {path.name}")

    # -- plugins ----------------------------------------------------------------------
    def reload_plugins(self) -> None:
        flow = self.flow
        try:
            registry = self.load_registry()
        except Exception as error:  # the manager isolates plugins; this is a last resort
            self._fail(PLUGINS, [f"{type(error).__name__}: {error}"])
            return
        before = {str(error) for error in getattr(flow.registry, "errors", ())}
        fresh = [str(e) for e in getattr(registry, "errors", ()) if str(e) not in before]
        if fresh:
            self._fail(PLUGINS, fresh)
            return
        self._clear(PLUGINS)
        flow.registry = registry
        flow.set_levels(registry.levels)
        self.refresh_screens("Reloaded the plugins")

    # -- the screens ------------------------------------------------------------------
    def refresh_screens(self, message: str) -> None:
        """Rebuild the play screen (board kept when it fits) or the level list on top."""
        from game.ui.levels.scene import LevelSelectScene
        from game.ui.play import PlayScene

        flow, scenes = self.flow, self.flow.app.scenes
        top = scenes.top
        if isinstance(top, LevelSelectScene):
            scenes.pop()
            flow.open_levels()
        elif isinstance(top, PlayScene):
            self._replay(top, message)
            return
        flow.app.toasts.show(message, "good", 2.5)

    def _replay(self, scene: Any, message: str) -> None:
        flow = self.flow
        board: Board = scene.controller.board
        level = next(
            (lv for lv in flow.levels.values() if _same_file(lv.path, board.level.path)), None
        )
        if level is None or level is board.level:  # not this screen's level (or the sandbox)
            flow.app.toasts.show(message, "good", 2.5)
            return
        try:
            state = restore_state(state_to_dict(board.state), level, flow.registry)
            note = "; your board was kept"
        except SavedBoardError as error:
            state, note = None, f"; your board no longer fits ({error}) and starts over"
        new_board = Board(level, flow.registry, state, backend=flow.backend)
        flow.app.scenes.pop()
        flow.app.scenes.push(flow.play_scene(level.id, board=new_board))
        flow.app.toasts.show(message + note, "good", 4.0)


def start_hot_reload(flow: GameFlow, reload: Mapping[str, Any]) -> Watcher:
    """Watch this run's files; the app applies each posted batch between frames."""
    from game.plugins import load_plugins

    load = reload.get("registry") or load_plugins
    hot = HotReload(flow, load)
    flow.app.handlers[RELOAD_EVENT] = hot.handle
    flow.hot_reload = hot
    level = next(iter(flow.own_levels.values()), None)
    roots = watched_roots(flow.registry, reload.get("extra") or (), level)
    lesson_path = getattr(getattr(flow, "lesson", None), "path", "")  # demo --lesson FILE
    roots += [Path(lesson_path).resolve()] if lesson_path else []
    return Watcher(roots, post_reload).start()
