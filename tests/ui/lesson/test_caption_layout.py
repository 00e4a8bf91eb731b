"""During a lesson the play screen lays out below the caption bar, not under it: the top
strip's Undo, Redo, Reset and Steps take real clicks, and no caption (three lines at 150%
text) covers the board, on a 1280×720 window and a 1920×1080 projector. Step mode's footer
says what Space does while a question is open (it reveals the answer, it does not play)."""

from __future__ import annotations

import pygame
import pytest

from game.progress import Progress
from game.ui.engine.app import App
from game.ui.engine.theme import themed
from game.ui.flow.game_flow import GameFlow
from game.ui.lesson.opening import open_lesson
from game.ui.lesson.scene import LessonScene
from game.ui.presenter.layer import Presenter
from tests.ui.events import DT, click


@pytest.fixture(params=[(1280, 720), (1920, 1080)], ids=["720p", "1080p"])
def sized_app(request):
    application = App(request.param)
    yield application
    pygame.quit()


def open_at_longest_solution_step(app, registry, tmp_path, scale):
    """The lesson step with the longest caption that shows a solved board and no question."""
    flow = GameFlow(app, registry, Progress(), progress_path=tmp_path / "p.json", presenter=True)
    app.presenter = Presenter(flow)
    flow.start()
    app.theme = themed("projector", scale)
    lesson, k = max(
        ((lesson, k) for lesson in registry.lessons.values() for k, step in enumerate(lesson.steps)
         if step.show == "solution" and step.prompt is None and step.step is None),
        key=lambda pair: len(pair[0].steps[pair[1]].caption),
    )  # fmt: skip
    open_lesson(flow, lesson)
    scene = app.scenes.top
    assert isinstance(scene, LessonScene)
    scene.run.go(k)
    scene.show_current()
    app.step(DT, [])
    return scene


@pytest.mark.parametrize("scale", [1.0, 1.5])
def test_the_top_strip_takes_clicks_during_a_lesson(sized_app, registry, tmp_path, scale):
    app = sized_app
    scene = open_at_longest_solution_step(app, registry, tmp_path, scale)
    play, bar = scene.play, scene.caption_bar()
    lay = play.layout
    if scale == 1.5:
        assert len(bar.lines) >= 2  # a caption that needs room: the case that used to cover
    for region in (lay.top, lay.left, lay.board, lay.heatmap, *lay.strips):
        assert region.top >= bar.rect.bottom, region  # nothing of the play screen under it
    for button in (play.reset_button, play.undo_button, play.redo_button, play.steps_button):
        assert button.rect.top >= bar.rect.bottom and not button.rect.colliderect(bar.rect)
    wires = play.board.wire_count
    assert wires > 0
    click(app, play.reset_button.rect.center)
    assert play.board.wire_count == 0
    click(app, play.undo_button.rect.center)
    assert play.board.wire_count == wires
    click(app, play.redo_button.rect.center)
    assert play.board.wire_count == 0
    click(app, play.steps_button.rect.center)
    assert play.step_mode.active
    click(app, bar.forward.center)  # and ▶ still moves the lesson on
    assert scene.play is not play


def test_leaving_the_lesson_layout_for_plain_play_has_no_inset(app, registry):
    from game.ui.play import PlayScene

    scene = PlayScene(app, registry.levels["01_trophy"], registry)
    app.scenes.push(scene)
    app.step(DT, [])
    assert scene.top_inset == 0 and scene.layout.top.top == 0
    assert scene.back_button.rect.top < 30


def test_step_modes_footer_says_space_reveals_while_a_question_is_open(app, registry, tmp_path):
    flow = GameFlow(app, registry, Progress(), progress_path=tmp_path / "p.json", presenter=True)
    app.presenter = Presenter(flow)
    flow.start()
    lesson = registry.lessons["campaign-tour"]
    open_lesson(flow, lesson)
    scene = app.scenes.top
    k = next(i for i, s in enumerate(lesson.steps) if s.prompt and s.step)
    scene.run.go(k)
    scene.show_current()
    app.step(DT, [])
    view, mode = scene.play.step_view, scene.play.step_mode
    assert mode.active and view.space_does == "reveal the answer"
    scene.prompt.pick(scene.prompt.options[0])
    app.step(DT, [pygame.event.Event(pygame.KEYDOWN, key=pygame.K_SPACE, mod=0)])
    assert scene.prompt.revealed and not mode.playing  # Space did what the footer said
    assert view.space_does == "play/pause"
    app.step(DT, [pygame.event.Event(pygame.KEYDOWN, key=pygame.K_SPACE, mod=0)])
    assert mode.playing  # once answered, Space plays the steps again, as the footer says


@pytest.mark.parametrize("scale", [1.0, 1.5])
def test_the_lock_badge_covers_neither_the_caption_nor_its_own_toast(
    sized_app, registry, tmp_path, scale
):
    app = sized_app
    scene = open_at_longest_solution_step(app, registry, tmp_path, scale)
    app.step(DT, [pygame.event.Event(pygame.KEYDOWN, key=pygame.K_l, mod=0)])
    assert app.presenter.locked
    app.draw()
    (badge,) = app.presenter.overlays(app.canvas)
    assert not badge.colliderect(scene.caption_bar().rect)  # the caption stays readable
    assert badge.top >= scene.caption_bar().rect.bottom
    assert app.toasts.drawn_at and all(not box.colliderect(badge) for box in app.toasts.drawn_at)


@pytest.mark.parametrize("kind", ["cell", "choice"])
def test_a_toast_is_never_drawn_under_the_questions_card(
    sized_app, registry, tmp_path, monkeypatch, kind
):
    """E's "Exported …" toast went under a revealed question's card, cutting off the start
    of the folder's path: the play screen's toasts keep clear of the lesson's card and bar."""
    monkeypatch.setenv("SWITCHYARD_EXPORT_DIR", str(tmp_path / "exports"))
    app = sized_app
    flow = GameFlow(app, registry, Progress(), progress_path=tmp_path / "p.json", presenter=True)
    app.presenter = Presenter(flow)
    flow.start()
    app.theme = themed("projector")
    lesson = registry.lessons["what-is-attention"]
    open_lesson(flow, lesson)
    scene = app.scenes.top
    scene.run.go(next(i for i, s in enumerate(lesson.steps) if s.prompt and s.prompt.kind == kind))
    scene.show_current()
    scene.prompt.pick(scene.prompt.options[0])
    scene.reveal()
    app.step(DT, [pygame.event.Event(pygame.KEYDOWN, key=pygame.K_e, mod=0)])
    app.draw()
    drawn = scene.play.toasts.drawn_at
    assert drawn and any("Exported" in m for m in scene.play.toasts.messages)
    for box in drawn:
        assert not box.colliderect(scene.card_rect()) and not box.colliderect(
            scene.caption_bar().rect
        )


def test_the_lock_toast_on_a_question_step_leaves_the_caption_readable(
    sized_app, registry, tmp_path
):
    """L on a question step: "Locked: …" was drawn over the caption's text."""
    app = sized_app
    flow = GameFlow(app, registry, Progress(), progress_path=tmp_path / "p.json", presenter=True)
    app.presenter = Presenter(flow)
    flow.start()
    app.theme = themed("projector")
    lesson = registry.lessons["what-is-attention"]
    open_lesson(flow, lesson)
    scene = app.scenes.top
    app.step(10.0, [])  # the presenter's greeting has gone: the lock's toast is alone
    scene.run.go(next(i for i, s in enumerate(lesson.steps) if s.prompt))
    scene.show_current()
    app.step(DT, [pygame.event.Event(pygame.KEYDOWN, key=pygame.K_l, mod=0)])
    app.draw()
    assert app.toasts.drawn_at
    for box in app.toasts.drawn_at:
        assert not box.colliderect(scene.caption_bar().rect)
        assert not box.colliderect(scene.card_rect())


def test_step_mode_after_a_choice_reveal_is_not_under_the_card(app, registry, tmp_path):
    """Steps after a revealed multiple-choice question: the card stayed over the matrices."""
    flow = GameFlow(app, registry, Progress(), progress_path=tmp_path / "p.json", presenter=True)
    app.presenter = Presenter(flow)
    flow.start()
    app.theme = themed("projector")
    lesson = registry.lessons["what-is-attention"]
    open_lesson(flow, lesson)
    scene = app.scenes.top
    scene.run.go(
        next(i for i, s in enumerate(lesson.steps) if s.prompt and s.prompt.kind == "choice")
    )
    scene.show_current()
    scene.prompt.pick(scene.prompt.options[0])
    scene.reveal()
    click(app, scene.play.steps_button.rect.center)
    assert scene.play.step_mode.active
    app.draw()
    view = scene.play.step_view
    current = view.ribbon_rects(app.theme)[scene.play.step_mode.index]
    assert tuple(app.canvas.get_at(current.move(3, 0).midleft)[:3]) == tuple(app.theme.accent)
