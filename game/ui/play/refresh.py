"""The model → the views: after a change, the play screen's views get the board's numbers.

`refresh(scene)` runs from the play screen's update (never from a draw): it
evaluates the shown board once per change and hands every view what it shows,
so drawing only reads. A plugin failure on a change the player just made takes
that change back, with a toast naming the plugin.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from game.model import BoardError, Evaluation
from game.model.peek import peek_report
from game.ui.engine.failure import describe_failure
from game.ui.engine.theme import Theme, head_colours
from game.ui.play.wire_editor import Link

if TYPE_CHECKING:
    from game.ui.play.scene import PlayScene


def refresh(scene: PlayScene) -> None:
    """Hand the views the board's numbers when the board, the head, the theme or the
    watched step moved; a plugin failure on a change takes the change back."""
    theme = scene.look.theme
    watching = None if scene.watch is None else (id(scene.watch), scene.watch.frame)
    key = (scene.board.revision, scene.head, theme, watching, scene.live_task.quick)
    if key != scene.shown_key:
        try:
            show_evaluation(scene, theme)
        except BoardError:
            raise
        except Exception as error:  # plugin code (a scheme, a goal) failed on this board
            if scene.controller.undo_failed_change(error):
                key = (scene.board.revision, scene.head, theme, watching, scene.live_task.quick)
                show_evaluation(scene, theme)
            elif scene.controller.evaluation is None:
                raise  # nothing shown yet: whoever opened the screen reports it
            else:  # not a change to take back (a head, a theme): keep the last picture
                scene.toasts.show(f"Could not show this: {describe_failure(error)}", "error")
        scene.shown_key = key
    if scene.dk_lab is not None:
        scene.dk_lab.follow(scene.board.settings.scale)  # a new sample when d_k or scale moved
    step_key = (scene.board.revision, scene.head, scene.step_mode.index, theme)
    if scene.step_mode.active and step_key != scene.step_shown_key:
        scene.step_shown_key = step_key
        scene.step_view.set_step(scene.step_mode, step_key[:3], theme)


def show_evaluation(scene: PlayScene, theme: Theme) -> None:
    """Evaluate the shown board and give every view (editors, heatmap, board, controls,
    inspector, step mode) its numbers."""
    play = scene.controller
    ev = play.evaluate(scene.live_task.sample)
    show_head(scene, ev, theme)
    spec = play.shown_board.heads[scene.head]
    scene.wire_editor.set_links([Link(w.query, w.key, w.strength) for w in spec.wires])
    scene.value_editor.set_links([Link(r.key, r.out, r.strength) for r in spec.values])
    if scene.guide is not None and scene.watch is None:
        scene.guide.follow(scene.wire_editor.links)
    scene.level_controls.sync(scene.board, scene.head, scene.catalog)
    scene.knob_panel.sync(scene.board, ev.goals_met)
    scene.machinery.sync(scene.board, ev.goals_met)
    scene.undo_button.enabled = scene.board.can_undo
    scene.redo_button.enabled = scene.board.can_redo
    scene.check_button.enabled = ev.goals_met and scene.watch is None
    play.note_goals(ev.goals_met)
    scene.peek = peek_report(play.shown_board) if not play.shown_board.settings.causal else None
    scene.inspector.follow(ev)
    scene.layer_views.show(ev, scene.head, scene.inspector.state)
    scene.wire_editor.marks = scene.value_editor.marks = scene.layer_views.marks(theme)
    state = scene.inspector.state
    scene.board_view.highlight = (
        (state.i, state.j) if state is not None and state.head == scene.head else None
    )
    if scene.step_mode.active:
        play.load_steps(ev)


def show_head(scene: PlayScene, ev: Evaluation, theme: Theme) -> None:
    """The selected head's weights on the heatmap and the board."""
    watch, head = scene.watch, ev.head(scene.head)
    mask = ~head.allowed
    scene.heatmap.set_data(
        scene.pattern_strip.matrix(ev, scene.head),
        revision=(
            scene.board.revision,
            scene.head,
            None if watch is None else watch.frame,
            scene.pattern_strip.mode,
        ),  # fmt: skip
        mask=mask if mask.any() else None,
        row_labels=list(ev.tokens[head.query_sequence]),
        col_labels=list(ev.tokens[head.key_sequence]),
    )
    colours = head_colours(theme)
    scene.board_view.show_head(ev, scene.head, colours[scene.head % len(colours)], theme)
