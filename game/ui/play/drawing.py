"""Drawing the play screen: one frame from the scene's state, which it never changes.

`draw_play` paints the regions of `PlayLayout` in order: the top strip, the
left column (title, concept, hint, goals, star preview), the heatmap panel,
the board (or the inspector, or step mode, in the same place), every widget,
the "watch it learn" panel, the output bars and the toasts.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import pygame

from game.levels.registry import concept_title
from game.ui.engine.text import TextCache
from game.ui.engine.theme import Theme
from game.ui.play.controller import PlayController
from game.ui.play.goal_panel import StarPreview, draw_goals, draw_star_preview
from game.ui.play.layout import HINT_MAX_LINES, PlayLayout
from game.ui.play.output_bars import draw_output_bars
from game.ui.play.peek_note import draw_peek_note
from game.ui.play.step_room import covers_right_column
from game.ui.widgets.base import draw_box, fit_text

if TYPE_CHECKING:
    from game.ui.play.scene import PlayScene


def draw_play(surface: pygame.Surface, scene: PlayScene) -> None:
    theme, text, lay, play = scene.look.theme, scene.look.text, scene.layout, scene.controller
    ev = play.evaluation
    for strip in lay.strips:
        pygame.draw.rect(surface, theme.panel, strip)
    for strip in reversed(lay.strips):  # the further rows' edge, then the first row's
        pygame.draw.line(
            surface, theme.panel_edge, strip.bottomleft, strip.bottomright, theme.line_px(1)
        )
    draw_left_column(surface, lay, play, theme, text)
    draw_box(surface, lay.heatmap, theme, fill=theme.panel, edge=theme.panel_edge, edge_width=1)
    if play.step_mode.active:
        scene.step_view.draw(surface, play.step_mode, theme, text)
    elif scene.inspector.open:
        scene.inspector.draw(surface, theme, text)
    elif scene.machinery.active:
        scene.machinery.draw(surface, lay, theme, text)
    else:
        scene.board_view.draw(surface, theme, text)
        if scene.peek is not None:  # the causal mask is lifted: what peeking buys and costs
            draw_peek_note(surface, lay.board, scene.peek, theme, text)
    scene.knob_panel.draw(surface, theme, text)
    lab = scene.dk_lab  # the √d_k lab, in the value editor's place
    for widget in scene.group.widgets:
        if (widget is scene.learn_button and not scene.learn_shown) or widget in scene.hidden:
            continue
        if lab is not None and widget in (scene.value_editor, lab.slider):
            continue
        if play.step_mode.active and widget in (scene.wire_editor, scene.value_editor):
            continue  # under the step view, which takes the centre column
        if widget is scene.heatmap and covers_right_column(scene):
            continue  # and in the projector theme the right column too
        if widget is not scene.board_view:
            widget.draw(surface, theme, text)
    if lab is not None:
        lab.draw(surface, theme, text)
    if play.watch is not None:
        scene.watch_panel.draw(surface, play.watch, theme, text)
    elif scene.guide is not None and not play.step_mode.active:  # the editor is under steps
        scene.guide.draw(surface, theme, text)  # the guided first move, over the wire editor
    if ev is not None and not scene.machinery.active and not covers_right_column(scene):
        head = ev.head(play.head)
        if not scene.layer_views.active:  # a stacked or task level shows its stream there
            draw_output_bars(
                surface, scene.outputs_rect, ev.outputs[head.query_sequence],
                ev.tokens[head.query_sequence], ev.features, theme, text,
            )  # fmt: skip
        scene.pattern_strip.draw(surface, ev, play.head, theme, text)
    toast_room = pygame.Rect(lay.editor.left, 0, lay.editor.width, lay.editor.bottom)
    avoid = [*scene.interactive_rects(), *scene.toast_avoid]  # and a layer's over the screen
    play.toasts.draw(surface, toast_room, theme, text, avoid)


def draw_left_column(
    surface: pygame.Surface, lay: PlayLayout, play: PlayController, theme: Theme, text: TextCache
) -> None:
    """Title and concept, the hint shown, the goals and the star preview (widgets aside)."""
    level, ev = play.level, play.evaluation
    draw_box(surface, lay.left, theme, fill=theme.panel, edge=theme.panel_edge, edge_width=1)
    title = fit_text(text, level.title, lay.title.width, theme.font_px(24), theme.text, "bold")
    surface.blit(title, lay.title.topleft)
    title_line = round(theme.font_px(24) * 1.3)
    if lay.title.height >= title_line + round(theme.font_px(15) * 1.3):  # room for the chapter
        concept = f"{concept_title(play.catalog.concepts, level.concept)}  ·  {level.id}"
        sub = fit_text(text, concept, lay.title.width, theme.font_px(15), theme.accent)
        surface.blit(sub, (lay.title.left, lay.title.top + title_line))
    if play.hint is not None:
        draw_hint(surface, lay.hint_text, play.hint, theme, text)
    if ev is not None:
        draw_goals(surface, lay.goals, ev.goal_results, theme, text, lay.goal_lines, lay.goal_px)
        pars = [r.par_met for r in ev.goal_results if r.par_met is not None]
        goal_par = all(pars) if pars else None
        layer_par = (level.par_layers, level.par_heads)
        board = play.shown_board
        used = None if layer_par == (None, None) else (board.used_layers(), board.used_heads())
        preview = StarPreview(
            ev.goals_met, play.shown_wires, level.par, goal_par=goal_par, used=used,
            layer_par=layer_par, task=ev.task,
        )  # fmt: skip
        draw_star_preview(surface, lay.stars, preview, theme, text)


def draw_hint(
    surface: pygame.Surface, rect: pygame.Rect, hint: str, theme: Theme, text: TextCache
) -> None:
    """The hint, wrapped into at most HINT_MAX_LINES lines (a long one shrinks to fit)."""
    size = theme.font_px(15)
    line = round(size * 1.25)
    lines = text.wrap(hint, rect.width - 8, size)
    if len(lines) > HINT_MAX_LINES:  # a very long hint: shrink it into the lines there are
        lines = text.wrap(hint, round((rect.width - 8) * len(lines) / HINT_MAX_LINES), size)
    for k, part in enumerate(lines[:HINT_MAX_LINES]):
        image = fit_text(text, part, rect.width - 8, size, theme.text, min_size=9)
        surface.blit(image, (rect.left + 4, rect.top + k * line))
