"""Goal messages are never cut (issue 14, item 10): at 150% text and on the projector
"the goal is at least…" lost its end. Every goal of every shipped level, in both themes
at 100% and 150% text, gets room for every line it wraps to, and the goals stay clear
of the hint row above and the stars below."""

import pytest

from game.progress import Progress
from game.ui.engine.theme import themed
from game.ui.flow.game_flow import GameFlow
from game.ui.play import PlayScene
from game.ui.play.goal_panel import GOAL_MIN_PX, goal_line_counts
from game.ui.play.layout import GOAL_BAR_ROOM, GOAL_TEXT_W
from tests.ui.events import DT

LOOKS = [("normal", 1.0), ("normal", 1.5), ("projector", 1.0), ("projector", 1.5)]


@pytest.mark.parametrize("look", LOOKS, ids=[f"{t}-{s}" for t, s in LOOKS])
def test_every_goal_line_of_every_level_has_room(app, registry, tmp_path, look):
    app.theme = theme = themed(*look)
    flow = GameFlow(app, registry, Progress(), progress_path=tmp_path / "p.json", save=False)
    flow.start()
    flow.teacher = True
    flow.open_levels()
    for level_id in flow.order:
        flow.open_level(level_id)
        app.step(DT, [])
        app.step(DT, [])
        scene = app.scenes.top
        assert isinstance(scene, PlayScene)
        lay = scene.layout
        assert lay.goal_lines == 0, level_id  # every line, not a fixed number
        size = lay.goal_px or theme.font_px(15)
        assert size >= GOAL_MIN_PX
        results = scene.evaluation.goal_results
        counts = goal_line_counts(results, GOAL_TEXT_W, size, app.text)
        need = (
            round(theme.font_px(18) * 1.3)
            + sum(counts) * round(size * 1.3)
            + len(results) * GOAL_BAR_ROOM
        )
        assert need <= lay.goals.height, (level_id, need, lay.goals)
        assert lay.goals.top >= lay.hint_text.bottom and lay.goals.bottom <= lay.stars.top
        assert lay.hint_button.top >= lay.title.bottom, level_id
        # The level's text keeps at least one readable line to scroll, clear of the hints.
        assert lay.explanation.height >= round(theme.font_px(15) * 1.3), (level_id, lay)
        assert lay.explanation.bottom <= lay.hint_text.top, level_id
        assert lay.goals.width == GOAL_TEXT_W
        flow.back_to_levels()
        app.step(DT, [])
