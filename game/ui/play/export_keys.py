"""The play screen's P and E keys: a picture of the screen, and the board's numbers as files.

P saves what the window shows (at the window's own size: on a projector, its
full resolution) as `<level>-<time>.png`; E writes the board's export
(`game.export`: weights and outputs as .csv and .npy, board.json, README.txt)
into a new folder `<level>-<time>/`. Both go under `game.export.export_root()`
(~/Switchyard/exports unless the environment says otherwise) and a toast says
the path. A folder that cannot be written (read-only, a full disk) or a plugin
failing on a held-out sentence is a toast as well, never a crash; nothing
half-written is left behind. The sandbox plays on this screen, so it has both.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import pygame

from game.export import export_root, export_to_new_folder, free_name, stamp, write_atomic
from game.ui.engine.display import LOGICAL_SIZE
from game.ui.engine.failure import describe_failure

if TYPE_CHECKING:
    from game.ui.play.scene import PlayScene

EXPORT_KEYS = (pygame.K_p, pygame.K_e)
EXPORT_SHORTCUTS = (
    "Saving what is on screen",
    (
        ("P", "Save the screen as a picture (PNG)"),
        ("E", "Export the board's numbers (CSV, .npy) and the board (JSON)"),
    ),
)
SHOWN_FOR = 8.0  # seconds: long enough to read a path off a projector


def export_key(scene: PlayScene, key: int) -> None:
    """P or E (see EXPORT_KEYS)."""
    if key == pygame.K_p:
        save_picture(scene)
    elif key == pygame.K_e:
        export_numbers(scene)


def screen_image(scene: PlayScene) -> pygame.Surface:
    """A copy of what the window shows; a bare look (tests, tools) draws the screen afresh."""
    window = getattr(scene.look, "window", None)
    if isinstance(window, pygame.Surface):
        return window.copy()
    surface = pygame.Surface(LOGICAL_SIZE)
    surface.fill(scene.look.theme.background)
    scene.draw(surface)
    return surface


def save_picture(scene: PlayScene, root: Path | None = None) -> Path | None:
    """P: the screen as a PNG under `root` (default export_root()); the path, or None."""
    image = screen_image(scene)  # before any toast of ours is drawn on it
    root = root if root is not None else export_root()
    try:
        root.mkdir(parents=True, exist_ok=True)
        path = free_name(root, f"{scene.level.id}-{stamp()}", ".png")
        write_atomic(path, lambda temp: pygame.image.save(image, str(temp)))
    except (OSError, pygame.error) as error:
        _refused(scene, f"Could not save the picture in {shown(root)}: {_why(error)}")
        return None
    scene.toasts.show(f"Saved a picture of the screen: {shown(path)}", "good", SHOWN_FOR)
    return path


def export_numbers(scene: PlayScene, root: Path | None = None) -> Path | None:
    """E: the board's export in a new folder under `root`; the folder, or None."""
    root = root if root is not None else export_root()
    try:
        result = export_to_new_folder(scene.board, root)
    except OSError as error:
        _refused(scene, f"Could not export to {shown(root)}: {_why(error)}")
        return None
    except Exception as error:  # a scheme or goal plugin failing on a held-out sentence
        _refused(scene, f"Could not export this board: {describe_failure(error)}")
        return None
    message = f"Exported the board's numbers to {shown(result.folder)} (see README.txt there)"
    scene.toasts.show(message, "good", SHOWN_FOR)
    return result.folder


def shown(path: Path) -> str:
    """A path as a toast shows it: under the home folder as ~/…, so it fits on one line."""
    try:
        return str(Path("~") / path.relative_to(Path.home()))
    except (ValueError, RuntimeError):  # elsewhere, or no home folder known
        return str(path)


def _why(error: BaseException) -> str:
    return (getattr(error, "strerror", None) or str(error)).strip() or type(error).__name__


def _refused(scene: PlayScene, message: str) -> None:
    scene.toasts.show(message, "error", SHOWN_FOR)
    scene.cue("refused")


__all__ = ["EXPORT_KEYS", "EXPORT_SHORTCUTS", "export_key", "export_numbers", "save_picture"]
