"""The play screen's top strip (issue 14, item 9): in the sandbox at 1280×720 the level
controls were squeezed ("Hea…", an unlabelled "On" switch, "R… 1e+04") and the scheme
tabs reordered; the text still named the first scheme after a switch. Every level and
every sandbox set-up, in both themes at 100% and 150% text: every control at least as
wide as its labels need, nothing overlapping, all on the canvas and above the body."""

import itertools

import pygame
import pytest

from game.levels.sandbox import scheme_names
from game.progress import Progress
from game.ui.engine.theme import themed
from game.ui.flow.game_flow import GameFlow
from game.ui.play import PlayScene
from game.ui.play.layout import TOP_H
from game.ui.play.level_controls import _needed
from game.ui.sandbox.scene import SandboxScene
from tests.ui.events import DT

LOOKS = [("normal", 1.0), ("normal", 1.5), ("projector", 1.0), ("projector", 1.5)]


def check_strip(scene: PlayScene, what: str) -> None:
    theme, text = scene.look.theme, scene.look.text
    controls = scene.level_controls
    canvas = pygame.Rect(0, 0, 1280, 720)
    rects = [scene.back_button.rect, *(b.rect for b in scene.right_buttons)]
    for widget in controls.shown:
        assert widget.rect.width >= _needed(widget, theme, text), (what, widget, widget.rect)
        rects.append(widget.rect)
    for k, rect in enumerate(rects):
        assert canvas.contains(rect), (what, rect)
        assert rect.bottom <= scene.layout.top.bottom, (what, rect, scene.layout.top)
        assert rect.collidelist(rects[k + 1 :]) == -1, (what, rect, rects)
        assert not rect.colliderect(scene.layout.left), (what, rect, scene.layout.left)
    assert scene.layout.left.top > min(scene.layout.top.bottom, TOP_H)
    for column in (scene.layout.board, scene.layout.heatmap):  # under every row of controls
        assert column.top > scene.layout.top.bottom, (what, column)


@pytest.fixture
def flow(app, registry, tmp_path):
    game = GameFlow(app, registry, Progress(), progress_path=tmp_path / "p.json", save=False)
    game.start()
    game.teacher = True
    return game


@pytest.mark.parametrize("look", LOOKS, ids=[f"{t}-{s}" for t, s in LOOKS])
def test_every_level_and_sandbox_strip_shows_whole_controls(flow, registry, look):
    app = flow.app
    app.theme = themed(*look)
    flow.open_levels()
    for level_id in flow.order:
        flow.open_level(level_id)
        app.step(DT, [])
        check_strip(app.scenes.top, level_id)
        flow.back_to_levels()
    app.scenes.pop()
    for scheme, heads in itertools.product(scheme_names(registry), (0, 3)):
        flow.open_sandbox()
        setup = app.scenes.top
        assert isinstance(setup, SandboxScene)
        setup.scheme_tabs.select(setup.schemes.index(scheme))
        setup.head_tabs.select(heads)
        setup.start()
        app.step(DT, [])
        scene = app.scenes.top
        assert isinstance(scene, PlayScene)
        check_strip(scene, f"sandbox {scheme} {heads + 1} heads")
        # the tabs keep one (teaching) order whichever scheme was chosen
        assert scene.level_controls.scheme_tabs.labels == scheme_names(registry)
        while app.scenes.top is not None and not isinstance(app.scenes.top, SandboxScene):
            app.scenes.pop()
        app.scenes.pop()


def test_the_sandbox_text_follows_the_scheme_switch(flow, registry):
    app = flow.app
    flow.open_sandbox()
    setup = app.scenes.top
    setup.scheme_tabs.select(setup.schemes.index("rope"))
    setup.start()
    app.step(DT, [])
    scene = app.scenes.top
    rope, alibi = registry.positional["rope"], registry.positional["alibi"]
    assert rope.title in scene.explanation.body
    tabs = scene.level_controls.scheme_tabs
    tabs.select(tabs.labels.index("alibi"))
    app.step(DT, [])
    assert scene.board.settings.positional == "alibi"
    assert alibi.title in scene.explanation.body and rope.title not in scene.explanation.body
    assert any(alibi.description.split(".")[0] in line for line in [scene.explanation.body])
