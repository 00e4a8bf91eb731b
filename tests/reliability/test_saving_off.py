"""The game with a save it could not read: it says so once and never writes over it (issue 16)."""

from __future__ import annotations

from game.plugins import load_plugins
from game.progress import load_progress
from game.ui.flow.game_flow import GameFlow


def test_the_game_keeps_a_newer_save_and_says_saving_is_off_once(app, tmp_path):
    path = tmp_path / "progress.json"
    content = '{"format": 5, "stars": {"01_trophy": 3}}'
    path.write_text(content)
    progress, warning = load_progress(path)
    assert "read-only" in warning
    registry = load_plugins(use_user_dir=False, entry_points=False)
    flow = GameFlow(app, registry, progress, progress_path=path)
    flow.start()
    flow.progress.record_stars("01_trophy", 1)
    flow.save()
    flow.save()
    said = [m for m in app.toasts.messages if "not saved" in m]
    assert len(said) == 1 and "newer Switchyard" in said[0]
    assert path.read_text() == content
