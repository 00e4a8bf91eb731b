"""A level with many features (18_induction: 14) gives its editors and stream panel the
room: every socket row inside its editor and tall enough to read, and every stream row
shown, in the normal theme and on a projector at 150% text."""

from __future__ import annotations

import pytest

from game.model import Board
from game.progress import Preferences
from game.ui.play import PlayScene
from game.ui.play.layout import SPLIT, board_split
from tests.ui.events import DT


@pytest.mark.parametrize(("theme", "scale"), [("normal", 1.0), ("projector", 1.5)])
def test_fourteen_features_fit_their_editors(app, registry, theme, scale):
    app.apply_settings(Preferences(theme=theme, font_scale=scale))
    level = registry.levels["18_induction"]
    play = PlayScene(app, level, registry, board=Board.with_solution(level, registry))
    app.scenes.push(play)
    app.step(DT, [])
    for editor in (play.wire_editor, play.value_editor):
        rows = [editor.socket_rect(column, i) for column in (0, 1) for i in range(14)]
        assert all(editor.rect.contains(row) for row in rows)
        assert min(row.height for row in rows) >= 16
    panel = play.layer_views.panel
    if theme == "normal":
        assert panel.visible_rows(app.theme) >= len(level.features)  # no scrolling needed


def test_only_crowded_levels_shrink_the_board():
    assert board_split(7) == SPLIT
    assert board_split(14) < SPLIT
