"""Presenter mode (`switchyard demo`): a layer over every screen for a teacher at a projector.

navigator.py: what → / ← walk (`Navigator`, `Stop`, the default `LevelPlaylist`);
layer.py: the keys and what they do (`Presenter`); lens.py: drawing the blank
screen, the magnifier, the pointer ring and the lock badge; lock.py: what screens ask
before they give away an answer; shortcuts.py: the F1 sheet's presenter section.
Only navigator.py and lock.py are imported here, so the play screen can ask about
the lock without importing the layer (which imports the screens).
"""

from game.ui.presenter.lock import locked, refused, solutions_hidden
from game.ui.presenter.navigator import LevelPlaylist, Navigator, Stop

__all__ = ["LevelPlaylist", "Navigator", "Stop", "locked", "refused", "solutions_hidden"]
