"""The presenter's keys through the real screens: blank, hints, the follow-along lock,
the magnifier, the pointer ring, the solution only when asked, and the F1 sheet."""

import pygame

from game.model import Board
from game.ui.presenter.lens import LENS_SIZE, RING_COLOUR, RING_RADIUS
from tests.ui.events import DT, click, move, press, wheel


def canvas_copy(app):
    app.step(DT, [])
    return app.canvas.copy()


def test_b_blanks_the_screen_and_any_key_brings_it_back_doing_nothing_else(demo):
    app = demo("--level", "01_trophy")
    scene = app.scenes.top
    press(app, pygame.K_b)
    assert app.presenter.blanked
    window = pygame.surfarray.array3d(app.window)
    assert window.max() == 0  # nothing but black on the projector
    click(app, scene.check_button.rect.center)  # a click while blank: only brings it back
    assert not app.presenter.blanked
    press(app, pygame.K_b)
    press(app, pygame.K_s)  # any key brings it back, and does not open step mode
    assert not app.presenter.blanked and not scene.step_mode.active
    assert pygame.surfarray.array3d(app.window).max() > 0
    assert not app.idle()  # the wires flow, a toast shows
    press(app, pygame.K_b)
    assert app.idle()  # a black screen costs no frames


def test_h_shows_and_hides_the_hints(demo):
    app = demo("--level", "01_trophy")
    scene = app.scenes.top
    assert scene.hints_shown == 0
    press(app, pygame.K_h)
    assert scene.hints_shown == 1 and scene.controller.hint == scene.level.hints[0]
    assert scene.hint_button.label != "Show a hint"
    press(app, pygame.K_h)
    assert scene.hints_shown == 0 and scene.hint_button.label == "Show a hint"


def test_l_locks_hints_watch_it_learn_and_the_solution_with_a_badge(demo):
    app = demo("--level", "01_trophy")
    scene = app.scenes.top
    before = canvas_copy(app)
    press(app, pygame.K_l)
    assert app.presenter.locked
    assert not scene.learn_button.enabled and not scene.hint_button.enabled
    click(app, scene.learn_button.rect.center)
    assert scene.watch is None
    scene.start_watch()  # the button's own action, however it is reached
    assert scene.watch is None
    assert any("locked" in m for m in scene.toasts.messages)
    press(app, pygame.K_h)
    scene.next_hint()
    assert scene.hints_shown == 0
    press(app, pygame.K_a)
    assert app.scenes.top is scene and scene.board.state == scene.board.initial_state
    badge = pygame.Rect(540, 0, 200, 60)  # the top centre
    locked = canvas_copy(app)
    focus = app.theme.focus
    assert any(
        locked.get_at((x, y))[:3] == focus and before.get_at((x, y))[:3] != focus
        for x in range(badge.left, badge.right) for y in range(badge.top, badge.bottom)
    )  # fmt: skip
    press(app, pygame.K_l)  # unlocked: Watch it learn runs again
    assert scene.learn_button.enabled
    click(app, scene.learn_button.rect.center)
    assert scene.watch is not None


def test_z_magnifies_under_the_pointer_and_esc_or_z_leaves(demo):
    app = demo("--level", "01_trophy")
    app.presenter.ring = False  # compare the lens alone
    pointer = (640, 360)
    move(app, pointer)
    plain = canvas_copy(app)
    press(app, pygame.K_z)
    zoomed = canvas_copy(app)
    lens = pygame.Rect(0, 0, *LENS_SIZE)
    lens.center = pointer
    outside = (lens.left - 20, lens.top - 20)
    assert zoomed.get_at(outside) == plain.get_at(outside)
    # the lens shows the canvas twice as big: a spot 2d from the pointer shows what is d away
    spots = [(640 + dx, 360 + dy) for dx in range(-200, 200, 10) for dy in range(-120, 120, 10)]
    differs = sum(zoomed.get_at(spot) != plain.get_at(spot) for spot in spots)
    assert differs > 20
    x, y = pointer
    for dx, dy in ((60, 40), (-140, 20), (100, -80), (-60, -60)):  # a block d away, enlarged
        near = pygame.transform.average_color(plain, (x + dx // 2, y + dy // 2, 20, 20))
        far = pygame.transform.average_color(zoomed, (x + dx, y + dy, 40, 40))
        assert max(abs(a - b) for a, b in zip(near[:3], far[:3], strict=True)) < 25
    zoom = app.presenter.lens.zoom
    wheel(app, pointer, 1)
    assert app.presenter.lens.zoom > zoom
    press(app, pygame.K_ESCAPE)  # leaves the lens, not the level
    assert not app.presenter.lens.on and type(app.scenes.top).__name__ == "PlayScene"
    back = canvas_copy(app)  # the wires' dots move, so compare blocks, not bytes
    for dx, dy in ((60, 40), (-140, 20), (100, -80), (-60, -60)):
        now = pygame.transform.average_color(back, (x + dx, y + dy, 40, 40))
        then = pygame.transform.average_color(plain, (x + dx, y + dy, 40, 40))
        assert max(abs(a - b) for a, b in zip(now[:3], then[:3], strict=True)) < 8
    press(app, pygame.K_z)
    press(app, pygame.K_z)
    assert not app.presenter.lens.on


def test_a_ring_follows_the_pointer(demo):
    app = demo("--level", "01_trophy")
    for spot in ((300, 300), (900, 500)):
        move(app, spot)
        frame = canvas_copy(app)
        ring = frame.get_at((spot[0] + RING_RADIUS + 1, spot[1]))[:3]
        assert ring == RING_COLOUR


def test_the_solution_is_shown_only_when_asked(demo):
    app = demo("--level", "01_trophy")
    scene = app.scenes.top
    level, registry = scene.level, scene.catalog
    solution = Board.with_solution(level, registry).state
    assert scene.board.state != solution
    press(app, pygame.K_a)  # asked: the level again, holding the reference solution
    solved = app.scenes.top
    assert solved is not scene and solved.board.state == solution
    press(app, pygame.K_RETURN, pygame.KMOD_CTRL)  # Check: the results hide the reference
    results = app.scenes.top
    assert type(results).__name__ == "ResultsScene" and results.reference_hidden
    press(app, pygame.K_a)
    assert not results.reference_hidden and results.view == 1
    press(app, pygame.K_ESCAPE)  # Retry: back on the board; Alt+R goes to the start
    press(app, pygame.K_r, pygame.KMOD_ALT)
    assert app.scenes.top.board.state == app.scenes.top.board.initial_state


def test_f1_lists_the_presenter_keys_on_every_screen(demo):
    app = demo()
    for opened in ("title", "play"):
        if opened == "play":
            press(app, pygame.K_PAGEDOWN)
        press(app, pygame.K_F1)
        sheet = app.scenes.top
        keys = [key for _, items in sheet.sections for key, _ in items]
        assert {"B", "H", "L", "Z", "Right / Page Down"} <= set(keys), opened
        press(app, pygame.K_F1)


def test_an_ordinary_game_has_no_presenter_keys(app, registry):
    from game.ui.help.overlay import HelpOverlay
    from game.ui.play import PlayScene

    scene = PlayScene(app, registry.levels["01_trophy"], registry)
    app.scenes.push(scene)
    press(app, pygame.K_b)
    press(app, pygame.K_l)
    assert app.presenter is None and scene.learn_button.enabled
    assert not any(name.startswith("Presenter") for name, _ in HelpOverlay(app).sections)


def test_at_an_edge_the_lens_keeps_what_is_under_the_pointer_under_it():
    from game.ui.presenter.lens import Lens

    lens = Lens(on=True, zoom=2.0)
    canvas = pygame.Rect(0, 0, 1280, 720)
    for pointer in ((1260, 20), (15, 700), (640, 360), (900, 100)):
        window = lens.window_rect(canvas, pointer)
        source = lens.source_rect(window, pointer)
        assert canvas.contains(window) and window.contains(source)
        # the canvas point under the pointer is drawn at the pointer
        shown_x = window.left + (pointer[0] - source.left) * window.width / source.width
        shown_y = window.top + (pointer[1] - source.top) * window.height / source.height
        assert abs(shown_x - pointer[0]) <= 2 and abs(shown_y - pointer[1]) <= 2


def test_letters_on_a_screen_with_a_text_field_are_text_not_presenter_keys(demo):
    app = demo()
    assert any("Presenter mode" in m for m in app.toasts.messages)  # says what it is
    app.presenter.flow.open_sandbox()
    app.step(DT, [])
    sandbox = app.scenes.top
    assert type(sandbox.group.focused).__name__ == "TextField"
    before = sandbox.sentence_text
    for letter in ("b", "l", "z"):
        press(app, getattr(pygame, f"K_{letter}"))
        app.step(DT, [pygame.event.Event(pygame.TEXTINPUT, text=letter)])
    assert sandbox.sentence_text == before + "blz"
    sandbox.group.focus(sandbox.grid)  # whatever has the keyboard: a name may be typed next
    press(app, pygame.K_b)
    assert not (app.presenter.blanked or app.presenter.locked or app.presenter.lens.on)
    press(app, pygame.K_PAGEDOWN)  # the clicker still moves on
    assert type(app.scenes.top).__name__ == "PlayScene"


def test_the_key_that_ends_a_blank_screen_sends_no_text(demo):
    app = demo()
    press(app, pygame.K_b)
    presenter = app.presenter
    assert presenter.handle(pygame.event.Event(pygame.KEYDOWN, key=pygame.K_x, mod=0))
    assert presenter.handle(pygame.event.Event(pygame.TEXTINPUT, text="x"))  # taken too
    assert not presenter.blanked
    assert not presenter.handle(pygame.event.Event(pygame.TEXTINPUT, text="y"))  # typing again


def test_a_student_types_a_name_with_bs_and_ls_into_the_quiz_in_demo(demo):
    app = demo()
    app.presenter.flow.open_quiz()
    app.step(DT, [])
    start = app.scenes.top
    for letter in "Bella":
        press(app, getattr(pygame, f"K_{letter.lower()}"))
        app.step(DT, [pygame.event.Event(pygame.TEXTINPUT, text=letter)])
    assert start.name_field.value.endswith("Bella")
    assert not (app.presenter.blanked or app.presenter.locked)
