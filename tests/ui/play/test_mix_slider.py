"""W_O as something the player does: in a multi-head level that allows it, a slider sets
the selected head's weight in W_O, the outputs follow, and one drag is one undo step."""

import numpy as np
import pygame

from game.model import Board
from game.ui.play import PlayScene
from tests.ui.events import DT, drag, press


def open_two_heads(app, registry):
    level = registry.levels["06_two_heads"]
    scene = PlayScene(app, level, registry, board=Board.with_solution(level, registry))
    app.scenes.push(scene)
    app.step(DT, [])
    return scene


def test_the_mix_slider_sets_the_selected_heads_weight_in_w_o(app, registry):
    scene = open_two_heads(app, registry)
    slider = scene.level_controls.mix_slider
    assert slider in scene.level_controls.shown
    before = scene.evaluation.outputs[scene.evaluation.main_sequence].copy()
    scene.group.focus(slider)
    press(app, pygame.K_LEFT)
    assert scene.board.heads[0].mix < 1.0 and scene.board.heads[1].mix == 1.0
    after = scene.evaluation.outputs[scene.evaluation.main_sequence]
    assert not np.allclose(before, after)  # the mix reaches the output
    w_o = scene.evaluation.w_o  # (h·d_model, d_model): mix · I per head
    d = len(scene.level.features)
    np.testing.assert_allclose(w_o[:d], scene.board.heads[0].mix * np.eye(d))
    scene.select_head(1)
    app.step(DT, [])
    assert slider.label == "Head 2 mix" and slider.value == 1.0


def test_one_drag_is_one_undo_step(app, registry):
    scene = open_two_heads(app, registry)
    slider = scene.level_controls.mix_slider
    track = slider.track_rect()
    drag(app, (track.centerx + 8, track.centery), (track.left + 4, track.centery), steps=6)
    assert scene.board.heads[0].mix < 0
    press(app, pygame.K_z, pygame.KMOD_CTRL)
    assert scene.board.heads[0].mix == 1.0


def test_no_mix_slider_with_one_head_or_where_the_level_fixes_w_o(app, registry):
    one = PlayScene(app, registry.levels["01_trophy"], registry)
    assert one.level_controls.mix_slider not in one.level_controls.shown
    fixed = registry.levels["04_scale"]
    assert not fixed.controls.mix
