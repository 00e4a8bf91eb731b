"""`play --level FILE.toml`: the file's level is played, in place of an installed one."""

from pathlib import Path

from game.levels.loader import load_level_text
from game.progress import Progress
from game.ui.flow.game_flow import GameFlow

TROPHY = (Path(__file__).resolve().parents[3] / "game" / "campaign" / "01_trophy.toml").read_text(
    encoding="utf-8"
)


def test_a_level_file_opens_on_the_play_screen_in_place_of_the_installed_one(app, registry):
    level = load_level_text(TROPHY.replace("It was too big", "Mine"), "mine.toml", registry)
    flow = GameFlow(app, registry, Progress(), save=False)
    flow.use_level(level)
    flow.start(level.id)
    assert app.scenes.top.controller.level is level
    assert flow.levels["01_trophy"] is level and len(flow.levels) == len(registry.levels)
