"""The play screen's parts on their own: the controller without widgets or a window, and
the top strip's geometry for every theme."""

import pygame
import pytest

from game.model import Board
from game.ui.engine.display import LOGICAL_SIZE
from game.ui.engine.theme import NORMAL, PROJECTOR, themed
from game.ui.play.controller import PlayController
from game.ui.play.layout import PlayLayout, editor_halves, hint_row, top_bar


@pytest.fixture
def play(registry):
    cues = []
    controller = PlayController(registry.levels["01_trophy"], registry, None, cue=cues.append)
    controller.cues = cues
    return controller


def test_the_controller_sends_intents_and_turns_refusals_into_toasts(play):
    play.add_wire("noun", "container")
    assert play.board.wire_count == 1 and play.cues == ["wire"]
    play.add_wire("noun", "no such feature")  # refused by the board: a toast, no exception
    assert play.board.wire_count == 1 and play.cues[-1] == "refused"
    assert play.toasts.messages
    play.undo()
    assert play.board.wire_count == 0
    play.redo()
    assert play.board.wire_count == 1


def test_the_controller_evaluates_and_scores_only_when_the_goals_are_met(play, registry):
    assert play.score() is None  # nothing evaluated yet: a toast says what to do
    ev = play.evaluate()
    assert play.evaluation is ev and not ev.goals_met
    play.note_goals(ev.goals_met)
    solved = Board.with_solution(play.level, registry)
    play.board.replace_head(0, solved.heads[0])
    ev = play.evaluate()
    play.note_goals(ev.goals_met)
    assert ev.goals_met and play.cues[-1] == "goal"  # turned green by the player: said once
    result = play.score()
    assert result is not None and play.last_score is result and result.stars >= 1


def test_hints_cycle_and_the_button_says_what_comes_next(play):
    assert play.hint is None and play.hint_label == "Show a hint"
    labels = []
    for _ in range(len(play.level.hints) + 1):
        play.next_hint()
        labels.append(play.hint_label)
    assert play.hints_shown == 1 and play.hint == play.level.hints[0]  # wrapped around
    assert labels[0].startswith("Hint 1 of") and labels[-2] == "Hint 3 of 3: again"


@pytest.mark.parametrize("theme", [NORMAL, PROJECTOR, themed("projector", 1.5)])
@pytest.mark.parametrize("controls", [0, 1, 5])
def test_the_top_strip_never_overlaps_and_stays_on_the_canvas(theme, controls):
    top = PlayLayout.fit(theme, 2).top
    wanted = [420, 200, 230, 420, 240][:controls]
    bar = top_bar(top, theme, (84, 84, 124, 96, None), wanted, [w in (230, 240) for w in wanted])
    rects = [bar.back, *bar.controls, *bar.buttons]
    for a, b in zip(rects, rects[1:], strict=False):
        assert a.right <= b.left, (a, b)  # left to right, no overlap
    assert bar.back.left >= 0 and bar.buttons[-1].right <= LOGICAL_SIZE[0]
    assert bar.buttons[-1].width == bar.buttons[-1].height  # "?" is square
    for rect in rects:
        assert top.top <= rect.top and rect.bottom <= top.bottom


def test_the_editors_and_the_hint_row_split_their_region():
    region = pygame.Rect(100, 400, 601, 300)
    wires, values = editor_halves(region)
    assert wires.left == region.left and values.right == region.right
    assert wires.right < values.left and wires.height == values.height == region.height
    hint, learn = hint_row(pygame.Rect(20, 50, 300, 40))
    assert hint.left == 20 and learn.right == 320 and hint.right < learn.left
