"""The sparse and linear levels on the play screen, driven by synthetic mouse events.

Both levels are won to three stars by mouse; the pattern strip says the
evaluation's own numbers; the heatmap-mode button switches the heatmap between
the linear weights, exact softmax and |linear − softmax|; the sandbox offers
every registered pattern.
"""

import numpy as np
import pytest

from game.progress import Progress
from game.ui.flow.game_flow import GameFlow
from game.ui.play.pattern_panel import pattern_summary
from game.ui.results.scene import ResultsScene
from game.ui.sandbox.scene import SandboxScene
from tests.ui.events import DT, click
from tests.ui.play.test_play import build_by_mouse, open_level


@pytest.fixture
def flow(app, registry, tmp_path):
    game = GameFlow(app, registry, Progress(), progress_path=tmp_path / "progress.json")
    game.start()
    game.teacher = True
    game.open_levels()
    return game


def remove_start_wires(app, scene):
    """Right-click each wire of the start board off (the linear level starts with a sharp one)."""
    editor = scene.wire_editor
    for link in list(editor.links):
        ends = editor.link_ends(link)
        middle = ((ends[0][0] + ends[1][0]) // 2, (ends[0][1] + ends[1][1]) // 2)
        click(app, middle, button=3)
        assert editor.link(link.left, link.right) is None


@pytest.mark.parametrize("level_id", ["sparse_01_window", "linear_01_blur"])
def test_three_stars_by_mouse(flow, level_id):
    app = flow.app
    scene = open_level(flow, level_id)
    assert not scene.evaluation.goals_met
    remove_start_wires(app, scene)
    build_by_mouse(app, scene, scene.level)
    assert scene.evaluation.goals_met, [r.message for r in scene.evaluation.goal_results]
    click(app, scene.check_button.rect.center)
    results = app.scenes.top
    assert isinstance(results, ResultsScene)
    assert results.result.stars == 3, results.reasons


def test_the_sparse_strip_counts_the_scores_the_head_computes(flow):
    scene = open_level(flow, "sparse_01_window")
    head = scene.evaluation.heads[0]
    summary = pattern_summary(scene.evaluation, 0, scene.pattern_strip.pattern.title)
    n_q, n_k = head.qk.shape
    computed = int(head.allowed.sum())
    assert computed < n_q * n_k
    assert summary.lines[0].startswith(f"{computed} of {n_q * n_k} scores computed")
    assert not summary.linear and scene.pattern_strip.widgets == []
    np.testing.assert_array_equal(scene.heatmap.mask, ~head.allowed)  # drawn hatched


def test_the_mode_button_shows_linear_softmax_and_their_difference(flow):
    app = flow.app
    scene = open_level(flow, "linear_01_blur")
    head = scene.evaluation.heads[0]
    assert scene.pattern_strip.button in scene.group.widgets
    np.testing.assert_array_equal(scene.heatmap.weights, head.weights)
    summary = pattern_summary(scene.evaluation, 0, "Linear")
    gap = 0.5 * np.abs(head.weights - head.exact_weights).sum(axis=1)
    assert f"{gap.mean():.0%} on average per row" in summary.lines[0]
    click(app, scene.pattern_strip.button.rect.center)
    assert scene.pattern_strip.button.label == "Heatmap: softmax"
    np.testing.assert_allclose(scene.heatmap.weights, head.exact_weights)
    click(app, scene.pattern_strip.button.rect.center)
    np.testing.assert_allclose(scene.heatmap.weights, np.abs(head.weights - head.exact_weights))
    click(app, scene.pattern_strip.button.rect.center)
    np.testing.assert_array_equal(scene.heatmap.weights, head.weights)


def test_the_inspector_explains_a_linear_cell_with_its_own_numbers(flow):
    from game.ui.play.inspector import inspection_rows

    scene = open_level(flow, "linear_01_blur")
    ev = scene.evaluation
    it = ev.resolve("@it")
    ins = ev.inspect(0, it, 1)
    head = ev.heads[0]
    assert ins.weight == pytest.approx(head.weights[it, 1])
    assert ins.exact_weight == pytest.approx(head.exact_weights[it, 1])
    assert ins.kernel / ins.kernel_sum == pytest.approx(ins.weight)
    rows = dict((name, value) for name, value, _ in inspection_rows(ins))
    assert rows["softmax"] != rows["weight"] and "difference" in rows


def test_the_sandbox_offers_every_pattern(app, registry):
    scene = SandboxScene(app, registry)
    assert scene.patterns[0] == "dense" and {"local", "linear-elu"} <= set(scene.patterns)
    scene.pattern_tabs.selected = scene.patterns.index("local")
    level = scene.build_level()
    assert level is not None and level.pattern == "local", scene.messages
    scene.pattern_tabs.selected = scene.patterns.index("linear-elu")
    level = scene.build_level()
    assert level is not None and level.pattern == "linear-elu", scene.messages
    assert "alibi" not in level.positional  # a bias has no place in linear attention
    scene.scheme_tabs.selected = scene.schemes.index("alibi")
    assert scene.build_level() is None
    assert any("linear attention has no score matrix" in m for m in scene.messages)
    app.step(DT, [])


def test_step_mode_names_the_linear_weights_for_what_they_are(flow):
    scene = open_level(flow, "linear_01_blur")
    scene.toggle_step_mode()
    flow.app.step(DT, [])
    assert scene.step_mode.linear
    arrays = dict(scene.step_mode.arrays)
    np.testing.assert_array_equal(arrays["softmax"], scene.evaluation.heads[0].weights)
    sparse = open_level(flow, "sparse_01_window")
    sparse.toggle_step_mode()
    assert not sparse.step_mode.linear
