"""The decoder level's causal-mask toggle: off shows the peek banner with the model's
numbers, on again hides it."""

from game.ui.play import PlayScene
from tests.ui.events import DT, click


def test_the_mask_toggle_lifts_and_restores_the_mask(app, registry, monkeypatch):
    level = registry.levels["decoder_01_next_word"]
    scene = PlayScene(app, level, registry)
    app.scenes.push(scene)
    app.step(DT, [])
    toggle = scene.level_controls.mask_toggle
    assert toggle in scene.level_controls.shown and scene.peek is None
    click(app, toggle.rect.center)
    assert not scene.board.settings.causal and scene.peek is not None
    drawn = []
    real = app.text.render
    monkeypatch.setattr(app.text, "render", lambda t, *a, **k: drawn.append(t) or real(t, *a, **k))
    app.step(DT, [])
    assert any("do not exist yet" in line for line in drawn)
    click(app, toggle.rect.center)
    assert scene.board.settings.causal and scene.peek is None


def test_no_toggle_where_the_level_keeps_the_mask(app, registry):
    scene = PlayScene(app, registry.levels["09_rope"], registry)
    assert scene.level_controls.mask_toggle not in scene.level_controls.shown
