""" "Show a hint" stays under the mouse (issue 14, item 15): it moved after each click as
the hint text above the goals grew."""

import pytest

from game.progress import Progress
from game.ui.engine.theme import themed
from game.ui.flow.game_flow import GameFlow
from tests.ui.events import DT, click


@pytest.mark.parametrize("look", [("normal", 1.0), ("projector", 1.5)], ids=["normal", "proj-150"])
def test_the_hint_button_does_not_move_as_hints_are_shown(app, registry, tmp_path, look):
    app.theme = themed(*look)
    flow = GameFlow(app, registry, Progress(), progress_path=tmp_path / "p.json", save=False)
    flow.start()
    flow.teacher = True
    flow.open_levels()
    flow.open_level("01_trophy")
    app.step(DT, [])
    scene = app.scenes.top
    where = scene.hint_button.rect.copy()
    for shown in range(1, len(scene.level.hints) + 1):
        click(app, where.center)
        assert scene.hints_shown == shown
        assert scene.hint_button.rect == where
        assert not scene.layout.hint_text.colliderect(scene.hint_button.rect)
