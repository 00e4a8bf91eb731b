"""Watching the files an author edits, for `play --watch`: a thread that only reports.

What is watched: every level file or folder a plugin registered (the campaign,
level packs, lesson folders alike), the user plugin folder, each `--plugin`
path and a `--level FILE.toml`. The thread runs `watchfiles` (Rust `notify`:
inotify, FSEvents or ReadDirectoryChanges, so no polling) and hands each batch
of changed `.toml` and `.py` paths to `post`; it never touches the game. The
game loop applies the batch between frames (game.ui.flow.hot_reload), so a
frame never sees a half-reloaded state. A batch is yielded 50 ms after the
last change (at most 300 ms after the first): an editor's save, often a
delete-and-rename, arrives as one batch, well inside a second.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import Any

WATCHED_SUFFIXES = (".toml", ".py")
STEP_MS = 50  # quiet time after the last change before a batch is reported
DEBOUNCE_MS = 300  # the longest a batch is held while changes keep coming


def watched_roots(
    registry: Any, extra: Iterable[str | os.PathLike[str]], level: Any = None
) -> list[Path]:
    """The files and folders to watch: level sources, user plugins, --plugin paths, --level."""
    from game.plugins import user_plugin_dir

    roots = [Path(root) for _, root in getattr(registry, "level_sources", ())]
    roots += [Path(root) for _, root in getattr(registry, "lesson_sources", ())]
    roots += [user_plugin_dir(), *map(Path, extra)]
    if level is not None and getattr(level, "path", ""):
        roots.append(Path(level.path))
    found: list[Path] = []
    for root in roots:
        root = root.expanduser().resolve()
        if root.exists() and root not in found:
            found.append(root)
    return found


class Watcher:
    """A daemon thread reporting changed level and plugin files under `roots` to `post`."""

    def __init__(self, roots: Sequence[Path], post: Callable[[set[Path]], None]) -> None:
        self.roots = [Path(root).resolve() for root in roots]
        self.files = {root for root in self.roots if root.is_file()}
        self.folders = [root for root in self.roots if root.is_dir()]
        self.post = post
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="switchyard-watch", daemon=True)
        self.ready = threading.Event()  # set once the watch is in place (tests wait for it)

    def relevant(self, path: Path) -> bool:
        """A level or plugin file under a watched root, not a cache or an editor's backup."""
        if path.suffix not in WATCHED_SUFFIXES or "__pycache__" in path.parts:
            return False
        if path.name.startswith((".", "#")) or path.name.endswith("~"):
            return False
        return path in self.files or any(folder in path.parents for folder in self.folders)

    def start(self) -> Watcher:
        if self.roots:
            self._thread.start()
        return self

    def stop(self) -> None:
        self._stop.set()
        if self._thread.is_alive():
            self._thread.join(timeout=2.0)

    def _run(self) -> None:
        import watchfiles

        # A file is watched through its folder: editors replace the file when they save.
        places = sorted({str(p.parent) for p in self.files} | {str(p) for p in self.folders})
        try:
            for changes in watchfiles.watch(
                *places,
                watch_filter=lambda _change, path: self.relevant(Path(path)),
                debounce=DEBOUNCE_MS,
                step=STEP_MS,
                stop_event=self._stop,
                yield_on_timeout=True,
                rust_timeout=200,
                raise_interrupt=False,
            ):
                self.ready.set()
                paths = {Path(path) for _change, path in changes}
                if paths:
                    self.post(paths)
        except (OSError, RuntimeError):
            pass  # a watched folder vanished: hot reload stops, the game plays on
        finally:
            self.ready.set()
