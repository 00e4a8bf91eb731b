"""Sound cues: synthesised, played on the moments that matter, silent when turned off."""

import numpy as np

from game.progress import Progress
from game.ui.engine.sound import CUES, SAMPLE_RATE, Sounds, synthesise
from game.ui.flow.game_flow import GameFlow


def test_cues_are_short_loud_enough_and_never_clip():
    for name, notes in CUES.items():
        samples = synthesise(notes)
        assert samples.dtype == np.int16
        assert 0.05 < len(samples) / SAMPLE_RATE < 0.6, name
        assert 0.2 * 32767 < np.abs(samples.astype(int)).max() <= 32767 * 0.26, name
        assert abs(int(samples[0])) < 200, f"{name} starts with a click"


def test_sound_off_plays_nothing():
    sounds = Sounds(enabled=False)
    sounds.play("wire")
    assert sounds.played == []


def test_play_screen_cues(app, registry, tmp_path):
    flow = GameFlow(app, registry, Progress(), progress_path=tmp_path / "p.json")
    flow.start()
    flow.open_level("01_trophy")
    scene = flow.app.scenes.top
    board = scene.board
    scene.intent(board.add_wire, 0, "pronoun", "bulky", 6.0)
    scene.intent(board.add_wire, 0, "pronoun", "bulky", 6.0)  # refused: already there
    app.step(1 / 60, [])
    scene.check()
    assert app.sounds.played == ["wire", "refused", "goal", "stars"]


def test_the_sound_setting_reaches_the_app(app, registry, tmp_path):
    import dataclasses

    progress = Progress()
    flow = GameFlow(app, registry, progress, progress_path=tmp_path / "p.json")
    flow.change_settings(dataclasses.replace(progress.settings, sound=False))
    assert app.sounds.enabled is False
