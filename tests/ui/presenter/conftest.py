"""`switchyard demo` as a test runs it: the real command, its window loop replaced by
one frame, then driven with key and mouse events through `App.step`."""

import json

import pygame
import pytest

from game.cli import main
from game.ui.engine.app import App
from tests.ui.events import DT

# The player's own save: stars, a solved best board for the first level, their settings.
PLAYER_SAVE = {
    "format": 1,
    "stars": {"01_trophy": 3, "02_query_key_value": 2},
    "best": {},
    "settings": {"theme": "normal", "font_scale": 1.2, "teacher": False},
}


@pytest.fixture
def data_dir(monkeypatch, tmp_path):
    monkeypatch.setenv("SWITCHYARD_DATA_DIR", str(tmp_path))
    monkeypatch.setenv("SWITCHYARD_PLUGIN_DIR", str(tmp_path / "no-plugins"))
    return tmp_path


@pytest.fixture
def demo(monkeypatch, data_dir):
    """demo(*args) runs `switchyard demo --window *args` and returns its app, one frame in."""
    seen = {}

    def run(self, first=None, fps=60):
        self.step(DT, [])
        seen["app"] = self

    monkeypatch.setattr(App, "run", run)

    def start(*args: str) -> App:
        assert main(["demo", "--window", *args]) == 0
        return seen["app"]

    yield start
    pygame.quit()


def write_player_save(data_dir, best: dict | None = None) -> bytes:
    """The player's progress.json (with `best` boards); returns its bytes."""
    save = dict(PLAYER_SAVE, best=best or {})
    raw = (json.dumps(save, indent=2, sort_keys=True) + "\n").encode()
    (data_dir / "progress.json").write_bytes(raw)
    return raw
