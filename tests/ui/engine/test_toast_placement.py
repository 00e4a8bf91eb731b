"""Toasts never cover an interactive widget (issue 14, item 11): "Back to the start" sat on
Keep/Discard and "Every goal is met" on the wire editor. Every screen state we can
build gets three long toasts at once (its own and the app's); each drawn toast must miss
every control of that screen, gathered here from the widgets themselves."""

import pygame
import pytest

from game.progress import Progress
from game.ui.engine.theme import themed
from game.ui.engine.toast import Toasts
from game.ui.flow.game_flow import GameFlow
from game.ui.levels.scene import LevelSelectScene
from game.ui.play import PlayScene
from game.ui.widgets.menu_scene import MenuScene
from tests.ui.events import DT

LONG = "Back to the start (Ctrl+Z brings your work back). " * 2
MESSAGES = [LONG, "Every goal is met! Press Check (or Ctrl+Enter) to score it.", "Saved."]


def controls(scene) -> list[pygame.Rect]:
    """The screen's interactive widgets, found from the widgets, not from the scene's say."""
    if isinstance(scene, PlayScene):
        rects = [w.rect for w in scene.group.widgets]
        if scene.watch is not None:
            rects += [w.rect for w in scene.watch_panel.group.widgets]
        return rects
    if isinstance(scene, LevelSelectScene):
        area = scene.list_rect
        cards = [scene.card_rect(i).clip(area) for i in range(len(scene.order))]
        return [scene.back_button.rect, *(c for c in cards if c.width and c.height)]
    if isinstance(scene, MenuScene):
        return [w.rect for w in scene.group.widgets]
    return []


def states(flow):
    """(name, build) for every screen state: each build leaves that state on top."""
    app = flow.app

    def play(level="01_trophy"):
        flow.open_levels()
        flow.open_level(level)
        app.step(DT, [])
        return app.scenes.top

    def watch():
        scene = play()
        scene.start_watch()
        app.step(DT, [])

    def steps():
        play().toggle_step_mode()

    def inspector():
        play().open_inspector(0, 0)

    def results():
        scene = play()
        from tests.ui.play.test_play import build_by_mouse

        build_by_mouse(app, scene, scene.level)
        scene.check()

    return [
        ("title", lambda: None), ("levels", flow.open_levels), ("settings", flow.open_settings),
        ("sandbox", flow.open_sandbox), ("play", play), ("play-06", lambda: play("06_two_heads")),
        ("watch", watch), ("steps", steps), ("inspector", inspector), ("results", results),
    ]  # fmt: skip


STATE_NAMES = [
    "title", "levels", "settings", "sandbox", "play", "play-06", "watch", "steps", "inspector",
    "results",
]  # fmt: skip


@pytest.mark.parametrize("look", [("normal", 1.0), ("projector", 1.5)], ids=["normal", "proj-150"])
@pytest.mark.parametrize("state", STATE_NAMES)
def test_no_toast_covers_a_control(app, registry, tmp_path, state, look):
    app.theme = themed(*look)
    flow = GameFlow(app, registry, Progress(), progress_path=tmp_path / "p.json", save=False)
    flow.start()
    flow.teacher = True
    app.step(DT, [])
    dict(states(flow))[state]()
    app.step(DT, [])
    scene = app.scenes.top
    own = getattr(scene, "toasts", None)
    for message in MESSAGES:
        app.toasts.show(message, duration=10)
        if isinstance(own, Toasts):
            own.show(message, duration=10)
    app.step(DT, [])
    drawn = list(app.toasts.drawn_at) + (list(own.drawn_at) if isinstance(own, Toasts) else [])
    assert drawn, "no toast was drawn"
    rects = controls(scene)
    assert rects, "the state has controls to avoid"
    for box in drawn:
        assert pygame.Rect(0, 0, 1280, 720).contains(box), box
        hits = [r for r in rects if box.colliderect(r)]
        assert not hits, f"{state}: toast {box} covers {hits}"


def test_a_toast_stays_home_when_nothing_is_there():
    pygame.font.init()
    from game.ui.engine.text import TextCache

    toasts = Toasts()
    toasts.show("hello")
    surface = pygame.Surface((1280, 720))
    area = surface.get_rect()
    theme = themed("normal")
    toasts.draw(surface, area, theme, TextCache())
    home = toasts.drawn_at[0]
    assert home.centerx == area.centerx and home.bottom == area.bottom - 16
    toasts.draw(surface, area, theme, TextCache(), avoid=[home.inflate(40, 40)])
    moved = toasts.drawn_at[0]
    assert not moved.colliderect(home.inflate(40, 40))


def test_toasts_on_a_screen_with_no_free_spot_show_the_newest_alone():
    """Three toasts and every place covered: the newest is drawn where it usually goes."""
    pygame.font.init()
    from game.ui.engine.text import TextCache

    toasts = Toasts()
    for message in MESSAGES:
        toasts.show(message)
    surface = pygame.Surface((1280, 720))
    area = surface.get_rect()
    toasts.draw(surface, area, themed("normal"), TextCache(), avoid=[area])
    assert len(toasts.drawn_at) == 1
    assert toasts.drawn_at[0].bottom == area.bottom - 16
