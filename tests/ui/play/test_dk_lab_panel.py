"""The scale level's √d_k lab on the play screen: a d_k slider reachable by keys, numbers
that follow it and the board's own scale switch."""

import pygame

from game.ui.play import PlayScene
from tests.ui.events import DT, press


def test_the_lab_follows_its_slider_and_the_boards_scale(app, registry):
    level = registry.levels["04_scale"]
    scene = PlayScene(app, level, registry)
    app.scenes.push(scene)
    app.step(DT, [])
    lab = scene.dk_lab
    assert lab is not None and lab.d_k == level.head_dim
    assert not lab.sample.scaled and lab.sample.top_weight > 0.8  # saturated at d_k = 64
    scene.group.focus(lab.slider)
    for _ in range(6):
        press(app, pygame.K_LEFT)
    assert lab.d_k == 1 and lab.sample.d_k == 1
    for _ in range(10):
        press(app, pygame.K_RIGHT)
    assert lab.sample.d_k == 1024 and lab.sample.spread > 25
    scene.controller.set_scale(True)
    app.step(DT, [])
    assert lab.sample.scaled and lab.sample.used_spread < 1.5
    assert any("Scale on" in line for line, _ in lab.lines())


def test_no_lab_where_the_level_does_not_offer_it(app, registry):
    assert PlayScene(app, registry.levels["05_temperature"], registry).dk_lab is None
