"""Title, settings and help: each opens and closes by keyboard alone and by mouse alone,
settings reach the callback (and the saved progress), and every screen draws at 720p
and 1080p in both themes and at every text size without going off the canvas."""

import dataclasses

import pygame
import pytest

from game.progress import Preferences, Progress, load_progress, save_progress
from game.ui.engine.app import App
from game.ui.engine.display import LOGICAL_SIZE
from game.ui.engine.theme import FONT_SCALE_RANGE
from game.ui.help.overlay import HelpOverlay
from game.ui.settings.scene import SettingsScene
from game.ui.title.scene import TitleScene


@pytest.fixture(params=[(1280, 720), (1920, 1080)], ids=["720p", "1080p"])
def app(request):
    application = App(request.param)
    yield application
    pygame.quit()


def press(app, k, mod=0):
    app.step(1 / 60, [pygame.event.Event(pygame.KEYDOWN, key=k, mod=mod)])


def click(app, logical_pos):
    """A left click at a logical position, sent in window pixels like a real one."""
    pos = app.viewport.to_window(logical_pos)
    app.step(
        1 / 60,
        [
            pygame.event.Event(pygame.MOUSEBUTTONDOWN, pos=pos, button=1),
            pygame.event.Event(pygame.MOUSEBUTTONUP, pos=pos, button=1),
        ],
    )


class Game:
    """The wiring the lead will do: settings saved to progress and applied to the app."""

    def __init__(self, app, path):
        self.app, self.path = app, path
        self.progress = Progress()
        self.changes = []

    def on_settings_change(self, settings):
        self.changes.append(settings)
        self.app.apply_settings(settings)
        self.progress.settings = settings
        save_progress(self.progress, self.path)

    def open_settings(self):
        self.app.scenes.push(
            SettingsScene(
                self.app,
                self.progress.settings,
                self.on_settings_change,
                backends=["auto", "reference", "tiled"],
            )
        )

    def title(self):
        title = TitleScene(self.app, on_play=lambda: None, on_settings=self.open_settings)
        self.app.scenes.push(title)
        self.app.step(0.0, [])
        return title


@pytest.fixture
def game(app, tmp_path):
    return Game(app, tmp_path / "progress.json")


def test_title_to_settings_and_back_by_keyboard_alone(game):
    app = game.app
    title = game.title()
    assert title.group.focused is title.buttons["Play"]
    press(app, pygame.K_DOWN)  # Sandbox is disabled: skipped
    assert title.group.focused is title.buttons["Settings"]
    press(app, pygame.K_RETURN)
    assert isinstance(app.scenes.top, SettingsScene)
    press(app, pygame.K_ESCAPE)
    assert app.scenes.top is title
    press(app, pygame.K_ESCAPE)  # Esc on the title asks first (issue 14, item 15)
    assert app.running and app.scenes.top is title and title.asking_quit
    press(app, pygame.K_DOWN)  # any other key: stay
    assert not title.asking_quit
    press(app, pygame.K_ESCAPE)
    press(app, pygame.K_ESCAPE)  # asked, and answered: quit
    app.step(0.0, [])
    assert not app.running


def test_title_to_settings_and_back_by_mouse_alone(game):
    app = game.app
    title = game.title()
    click(app, title.buttons["Settings"].rect.center)
    settings = app.scenes.top
    assert isinstance(settings, SettingsScene)
    click(app, settings.back_button.rect.center)
    assert app.scenes.top is title
    click(app, title.buttons["Quit"].rect.center)
    app.step(0.0, [])
    assert not app.running


@pytest.mark.parametrize("closer", ["escape", "f1", "click"])
def test_help_opens_by_key_or_button_and_closes_three_ways(game, closer):
    app = game.app
    title = game.title()
    press(app, pygame.K_F1)
    assert isinstance(app.scenes.top, HelpOverlay)
    press(app, pygame.K_TAB)  # swallowed by the overlay
    assert title.group.focused is title.buttons["Play"]
    if closer == "click":
        click(app, (10, 10))
    else:
        press(app, pygame.K_ESCAPE if closer == "escape" else pygame.K_F1)
    assert app.scenes.top is title and app.running
    click(app, title.buttons["Help"].rect.center)
    assert isinstance(app.scenes.top, HelpOverlay)
    click(app, (640, 360))
    assert app.scenes.top is title


def test_help_from_the_settings_screen(game):
    game.title()
    game.open_settings()
    press(game.app, pygame.K_F1)
    assert isinstance(game.app.scenes.top, HelpOverlay)
    press(game.app, pygame.K_ESCAPE)
    assert isinstance(game.app.scenes.top, SettingsScene)


def test_every_setting_by_keyboard_reaches_the_callback_and_the_saved_file(game):
    app = game.app
    game.title()
    game.open_settings()
    settings = app.scenes.top
    back_before = settings.back_button.rect.copy()
    press(app, pygame.K_RIGHT)  # theme tabs: projector
    assert app.theme.name == "projector"
    assert settings.back_button.rect != back_before  # re-flowed for the bigger text
    press(app, pygame.K_TAB)
    press(app, pygame.K_RIGHT)  # text size 1.0 -> 1.1
    press(app, pygame.K_TAB)
    press(app, pygame.K_SPACE)  # sound off
    press(app, pygame.K_TAB)
    press(app, pygame.K_END)  # backend: the last one
    press(app, pygame.K_TAB)
    press(app, pygame.K_RETURN)  # fullscreen on
    expected = Preferences(
        theme="projector", font_scale=1.1, sound=False, backend="tiled", fullscreen=True
    )
    assert game.changes[-1] == expected and len(game.changes) == 5
    assert app.fullscreen and app.theme.font_scale == pytest.approx(1.3 * 1.1)
    saved, warning = load_progress(game.path)
    assert warning is None and saved.settings == expected
    press(app, pygame.K_TAB)
    press(app, pygame.K_SPACE)  # teacher mode on
    assert game.changes[-1] == dataclasses.replace(expected, teacher=True)
    assert load_progress(game.path)[0].settings.teacher
    press(app, pygame.K_TAB)
    assert settings.group.focused is settings.back_button
    press(app, pygame.K_RETURN)
    assert isinstance(app.scenes.top, TitleScene)


def test_settings_by_mouse(game):
    app = game.app
    game.title()
    game.open_settings()
    settings = app.scenes.top
    click(app, settings.theme_tabs.tab_rect(1).center)
    assert game.changes[-1].theme == "projector"
    slider = settings.font_slider
    track = slider.track_rect()
    click(app, (track.right, track.top))
    assert game.changes[-1].font_scale == FONT_SCALE_RANGE[1]
    click(app, settings.sound_toggle.rect.center)
    assert game.changes[-1].sound is False
    click(app, settings.backend_tabs.tab_rect(1).center)
    assert game.changes[-1].backend == "reference"
    assert load_progress(game.path)[0].settings == game.changes[-1]


def test_a_saved_backend_missing_here_is_still_shown(app):
    scene = SettingsScene(
        app, Preferences(backend="cupy"), lambda s: None, backends=["auto", "tiled"]
    )
    assert scene.backends == ["auto", "tiled", "cupy"]
    assert scene.backend_tabs.selected == 2


@pytest.mark.parametrize("theme", ["normal", "projector"])
@pytest.mark.parametrize("font_scale", [FONT_SCALE_RANGE[0], 1.0, FONT_SCALE_RANGE[1]])
def test_every_screen_draws_inside_the_canvas(app, theme, font_scale):
    app.apply_settings(Preferences(theme=theme, font_scale=font_scale))
    canvas = pygame.Rect((0, 0), LOGICAL_SIZE)
    title = TitleScene(app, on_play=lambda: None, on_settings=lambda: None)
    settings = SettingsScene(app, Preferences(theme=theme), lambda s: None)
    for stack in ([title], [settings], [TitleScene(app), HelpOverlay(app)]):
        while len(app.scenes):
            app.scenes.pop()
        for scene in stack:
            app.scenes.push(scene)
        app.step(1 / 60, [])
        app.step(1 / 60, [])
    for scene in (title, settings):
        rects = [w.rect for w in scene.group.widgets]
        assert all(canvas.contains(r) for r in rects), rects
        for a, b in zip(rects, rects[1:], strict=False):
            assert not a.colliderect(b)  # no widget drawn over another


def test_the_screenshot_tool_writes_every_screen_in_both_themes(tmp_path):
    import importlib.util
    from pathlib import Path

    path = Path(__file__).resolve().parents[2] / "tools" / "screenshot_ui.py"
    spec = importlib.util.spec_from_file_location("screenshot_ui", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    assert module.main([str(tmp_path)]) == 0
    names = sorted(p.name for p in tmp_path.glob("*.png"))
    game_screens = ("levels", "play-01-start", "play-01-solved", "play-05", "play-inspector",
                    "play-sparse_01_window", "play-linear_01_blur", "play-linear-difference",
                    "play-steps", "play-steps-qk", "results", "sandbox", "sandbox-encdec",
                    "sandbox-error", "watch-early", "watch-done", "play-11_flash-start",
                    "play-11_flash-solved", "play-12_scaling-start",
                    "play-12_scaling-solved", "play-18_induction-layer2",
                    "play-18_induction-steps", "play-18_induction-failures",
                    "play-21_double_histogram-layer2")  # fmt: skip
    assert names == sorted(
        [
            f"{screen}-{theme}.png"
            for screen in ("title", "settings", "help", "heatmap")
            for theme in ("normal", "projector")
        ]
        + [
            f"{screen}-{theme}-1280x720.png"
            for screen in game_screens
            for theme in ("normal", "projector")
        ]
    )
    image = pygame.image.load(str(tmp_path / "title-normal.png"))
    assert image.get_size() == LOGICAL_SIZE


def test_themed_applies_the_text_size_within_its_range():
    from game.ui.engine.theme import themed

    assert themed("projector", 1.2).font_scale == pytest.approx(1.3 * 1.2)
    assert themed("no-such-theme", 9.0).name == "normal"
    assert themed("normal", 9.0).font_scale == FONT_SCALE_RANGE[1]
    assert themed("normal", float("nan")).font_scale == 1.0
