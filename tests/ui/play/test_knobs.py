"""Knob levels on the play screen, driven only by synthetic input through App.step:
both machinery chapters won by keys alone and by mouse, one undo step per drag, integer
steps, Page Up/Down, the goal panel following, and no empty fixed editors drawn."""

import pygame
import pytest

from game.progress import Progress
from game.ui.flow.game_flow import GameFlow
from game.ui.play import PlayScene
from game.ui.play.knob_panel import KnobSlider
from game.ui.results.scene import ResultsScene
from tests.ui.events import drag, press, presses

CTRL = pygame.KMOD_CTRL


@pytest.fixture
def flow(app, registry, tmp_path):
    game = GameFlow(app, registry, Progress(), progress_path=tmp_path / "progress.json")
    game.start()
    game.teacher = True
    game.open_levels()
    return game


def open_level(flow, level_id):
    flow.open_level(level_id)
    flow.app.step(1 / 60, [])
    scene = flow.app.scenes.top
    assert isinstance(scene, PlayScene)
    return scene


def knob(scene, name):
    return dict(scene.board.settings.knobs)[name]


def slider(scene, name):
    return next(s for s in scene.knob_panel.sliders if s.knob.name == name)


def tab_to(app, scene, widget):
    for _ in range(len(scene.group.widgets) + 1):
        if scene.group.focused is widget:
            return
        press(app, pygame.K_TAB)
    raise AssertionError(f"Tab never reached {widget}")


def keys_to(app, scene, name, target):
    """Page Up/Down, then arrows, until the knob holds `target` (keyboard only)."""
    widget = slider(scene, name)
    tab_to(app, scene, widget)
    for _ in range(400):
        now = knob(scene, name)
        if abs(now - target) < 1e-9:
            return
        gap_steps = (target - now) / ((widget.high - widget.low) / widget.steps)
        if abs(gap_steps) >= 10:
            press(app, pygame.K_PAGEUP if gap_steps > 0 else pygame.K_PAGEDOWN)
        else:
            press(app, pygame.K_RIGHT if gap_steps > 0 else pygame.K_LEFT)
    raise AssertionError(f"{name} never reached {target}: {knob(scene, name)}")


def check_and_read_stars(app, scene):
    assert scene.check_button.enabled, scene.evaluation.goal_results
    press(app, pygame.K_RETURN, CTRL)
    results = app.scenes.top
    assert isinstance(results, ResultsScene)
    return results.result


@pytest.mark.parametrize("level_id", ["11_flash", "12_scaling"])
def test_knob_levels_are_won_by_keyboard_alone(flow, level_id):
    scene = open_level(flow, level_id)
    assert not scene.evaluation.goals_met
    for name, value in scene.level.solution.knobs.items():
        keys_to(flow.app, scene, name, value)
    assert scene.evaluation.goals_met
    assert check_and_read_stars(flow.app, scene).stars == 3  # the reference settings
    assert flow.progress.stars[level_id] == 3


def test_a_knob_level_is_won_by_dragging(flow):
    scene = open_level(flow, "12_scaling")
    app = flow.app
    for name, value in scene.level.solution.knobs.items():
        widget = slider(scene, name)
        track = widget.track_rect()
        x = track.left + round(widget.fraction_of(value) * track.width)
        drag(app, (track.left + 2, track.top), (x, track.top))
        assert abs(knob(scene, name) - value) <= 0.1 + 1e-9
    assert scene.evaluation.goals_met, scene.evaluation.goal_results


def test_one_drag_is_one_undo_step_and_the_goal_panel_follows(flow):
    scene = open_level(flow, "11_flash")
    app = flow.app
    widget = slider(scene, "block_k")
    before_message = scene.evaluation.goal_results[0].message
    track = widget.track_rect()
    drag(app, (track.left, track.top), (track.centerx, track.top), steps=8)
    moved = knob(scene, "block_k")
    assert moved > 100 and moved == round(moved)  # whole rows only
    assert scene.evaluation.goal_results[0].message != before_message
    press(app, pygame.K_z, CTRL)
    assert knob(scene, "block_k") == 16  # the whole drag came back in one step
    assert scene.evaluation.goal_results[0].message == before_message


def test_integer_steps_page_jumps_and_the_value_shown(flow):
    scene = open_level(flow, "11_flash")
    app = flow.app
    widget = slider(scene, "block_q")
    assert isinstance(widget, KnobSlider)
    tab_to(app, scene, widget)
    press(app, pygame.K_RIGHT)
    assert knob(scene, "block_q") == 17
    press(app, pygame.K_PAGEUP)
    assert knob(scene, "block_q") == 27
    presses(app, pygame.K_PAGEDOWN, 5)
    assert knob(scene, "block_q") == 1  # stops at the knob's low end
    assert widget.format(widget.value) == "1 rows"


def test_fixed_empty_editors_give_their_place_to_the_knobs(flow):
    scene = open_level(flow, "11_flash")
    assert scene.wire_editor in scene.hidden and scene.value_editor in scene.hidden
    assert scene.knob_panel.rect.colliderect(scene.layout.editor)
    for widget in scene.knob_panel.sliders:
        assert scene.knob_panel.rect.contains(widget.rect)
    first = open_level(flow, "01_trophy")
    assert first.hidden == [] and first.knob_panel.sliders == []


def test_knob_levels_speak_of_their_own_par_and_held_out_setup(flow):
    from game.model import score
    from game.ui.play.goal_panel import StarPreview
    from game.ui.results.reasons import star_reasons

    scene = open_level(flow, "11_flash")
    keys_to(flow.app, scene, "block_q", 32)
    keys_to(flow.app, scene, "block_k", 128)  # the hint: within budget, over par
    result = score(scene.board)
    (_, goals), (par_ok, par), (held_ok, held) = star_reasons(scene.level, scene.board, result)
    assert not par_ok and par.startswith("Par: not yet") and "par 20,000,000" in par
    assert held_ok and held.startswith("Held-out setup: HBM traffic") and "16,384" in held
    preview = StarPreview(True, 0, 0, goal_par=False).rows()
    assert preview[1] == (False, "Not at par yet")
    assert StarPreview(True, 0, 0).rows()[1] == (True, "0 wires; par 0: the fewest that solve it")


@pytest.mark.parametrize("level_id", ["11_flash", "12_scaling"])
def test_render_draws_the_knobs_and_the_levels_own_views(registry, tmp_path, level_id):
    from game.ui.engine.theme import THEMES
    from game.ui.flow.game_flow import render_level
    from game.ui.play.layout import PlayLayout

    size = (1280, 720)
    shots = [
        pygame.image.load(
            str(render_level(level_id, tmp_path / f"{s}.png", size, "normal", registry, solution=s))
        )
        for s in (False, True)
    ]
    lay = PlayLayout.fit(THEMES["normal"], 1)
    for region in (lay.editor, lay.board, lay.heatmap):  # knobs, schedule or plot, counters
        start, solved = (pygame.image.tobytes(shot.subsurface(region), "RGB") for shot in shots)
        assert start != solved, region


def test_knobs_held_back_until_the_goals_are_met(flow):
    scene = open_level(flow, "12_scaling")
    app = flow.app
    later = scene.knob_panel.held_back
    assert [s.knob.name for s in later] == ["again_params_log10", "again_tokens_log10"]
    assert all(not s.can_focus for s in later)
    for _ in range(len(scene.group.widgets) + 1):  # Tab never lands on them
        press(app, pygame.K_TAB)
        assert scene.group.focused not in later
    for name in ("params_log10", "tokens_log10"):
        keys_to(app, scene, name, scene.level.solution.knobs[name])
    assert scene.evaluation.goals_met and all(s.can_focus for s in later)
    keys_to(app, scene, "again_params_log10", 10.2)
    assert scene.machinery.scaling.again[0] == pytest.approx(10**10.2)


def test_the_wheel_over_a_knob_steps_it(flow):
    from tests.ui.events import wheel

    scene = open_level(flow, "11_flash")
    widget = slider(scene, "block_k")
    wheel(flow.app, widget.rect.center, 3)
    assert knob(scene, "block_k") == 19
    wheel(flow.app, widget.rect.center, -1)
    assert knob(scene, "block_k") == 18
    press(flow.app, pygame.K_z, CTRL)
    assert knob(scene, "block_k") == 19  # one notch, one undo step


def test_knobs_take_the_half_of_the_one_editor_hidden():
    from game.ui.engine.theme import THEMES
    from game.ui.play.knob_panel import knob_region
    from game.ui.play.layout import PlayLayout, editor_halves

    lay = PlayLayout.fit(THEMES["normal"], 1)
    halves = editor_halves(lay.editor)
    out = lay.outputs
    assert knob_region(lay, (True, True), halves, out, 120) == (lay.editor, out)
    assert knob_region(lay, (False, True), halves, out, 120) == (halves[1], out)
    assert knob_region(lay, (True, False), halves, out, 120) == (halves[0], out)
    # Both editors shown: the knobs take the bottom of the output bars' place, never more
    # than half, and the bars keep the rest above them.
    knobs, bars = knob_region(lay, (False, False), halves, out, 120)
    assert knobs.bottom == out.bottom and knobs.height == 120 and bars.top == out.top
    assert not knobs.colliderect(bars) and bars.height > 0
    knobs, bars = knob_region(lay, (False, False), halves, out, 10_000)
    assert knobs.height == out.height // 2


def test_a_sparse_window_knob_never_covers_the_pattern_strip_or_the_bars(flow):
    """Level sparse_01_window shows both editors, the pattern strip and a window knob."""
    scene = open_level(flow, "sparse_01_window")
    strip, bars = scene.pattern_strip.rect, scene.outputs_rect
    assert strip is not None and scene.knob_panel.sliders
    for slider in scene.knob_panel.sliders:
        assert not slider.rect.colliderect(strip) and not slider.rect.colliderect(bars)
        assert scene.layout.outputs.contains(slider.rect)
