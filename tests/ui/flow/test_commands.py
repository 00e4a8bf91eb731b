"""`play` and `demo` open the game as promised (the window loop replaced by one frame)."""

import pytest

from game.cli import main
from game.ui.engine.app import App


@pytest.fixture
def one_frame(monkeypatch, tmp_path):
    """Run App.run as a single frame and keep the app for inspection."""
    seen = {}

    def run(self, first=None, fps=60):
        if first is not None:
            self.scenes.push(first)
        self.step(1 / 60, [])
        seen["app"] = self

    monkeypatch.setattr(App, "run", run)
    monkeypatch.setenv("SWITCHYARD_DATA_DIR", str(tmp_path))
    monkeypatch.setenv("SWITCHYARD_PLUGIN_DIR", str(tmp_path / "none"))
    return seen


def test_play_opens_the_title_screen(one_frame):
    assert main(["play"]) == 0
    app = one_frame["app"]
    assert type(app.scenes.top).__name__ == "TitleScene"
    assert app.theme.name == "normal"


def test_play_level_opens_that_level(one_frame):
    assert main(["play", "--level", "09_rope"]) == 0
    assert one_frame["app"].scenes.top.level.id == "09_rope"


def test_demo_is_the_projector_theme_with_every_level_open(one_frame):
    assert main(["demo", "--window"]) == 0
    app = one_frame["app"]
    assert app.theme.name == "projector"
    title = app.scenes.top
    assert type(title).__name__ == "TitleScene"
