"""UI foundations: the letterbox transform, colour tables, text cache and scene stack."""

import numpy as np
import pygame
import pytest

from game.ui.engine.display import Viewport
from game.ui.engine.scene_stack import Scene, SceneStack
from game.ui.engine.text import TextCache
from game.ui.engine.theme import THEMES
from game.ui.widgets.colormaps import apply, colour_table


@pytest.mark.parametrize("window", [(1280, 720), (1920, 1080), (1000, 1000), (2560, 1080)])
def test_viewport_round_trips_and_letterboxes(window):
    view = Viewport(window)
    x, y, w, h = view.rect
    assert abs(w / h - 1280 / 720) < 0.01
    assert x >= 0 and y >= 0 and (x == 0 or y == 0)  # bars on one axis only
    for point in [(0, 0), (640, 360), (1279, 719), (17, 700)]:
        back = view.to_logical(view.to_window(point))
        assert back is not None and abs(back[0] - point[0]) <= 1 and abs(back[1] - point[1]) <= 1


def test_clicks_on_the_bars_are_ignored():
    view = Viewport((1000, 1000))  # bars above and below
    assert view.to_logical((500, 5)) is None
    x, y = view.to_logical((500, 500))
    assert x == 640 and abs(y - 360) <= 1


@pytest.mark.parametrize("name", ["viridis", "cividis"])
def test_colour_tables_run_dark_to_bright(name):
    table = colour_table(name)
    assert table.shape == (256, 3) and table.dtype == np.uint8
    luminance = table @ np.array([0.2126, 0.7152, 0.0722])
    assert np.all(np.diff(luminance) > -1.0)  # monotone up to rounding
    assert luminance[-1] - luminance[0] > 150
    colours = apply(table, np.array([[0.0, 1.0], [np.nan, 2.0]]))
    assert (
        colours[0, 0].tolist() == table[0].tolist()
        and colours[1, 1].tolist() == table[255].tolist()
    )
    assert colours[1, 0].tolist() == table[0].tolist()


def test_unknown_colour_map_is_named():
    with pytest.raises(ValueError, match="'jet'"):
        colour_table("jet")


def test_projector_theme_is_larger_and_uses_cividis():
    normal, projector = THEMES["normal"], THEMES["projector"]
    assert projector.font_px(20) > normal.font_px(20)
    assert projector.line_px(2) > normal.line_px(2)
    assert projector.heatmap == "cividis"


def test_text_cache_renders_each_label_once():
    pygame.font.init()
    cache = TextCache(capacity=2)
    a = cache.render("trophy", 20, (255, 255, 255))
    assert cache.render("trophy", 20, (255, 255, 255)) is a
    assert cache.renders == 1 and a.get_width() > 0
    cache.render("it", 20, (255, 255, 255))
    cache.render("suitcase", 20, (255, 255, 255))  # evicts "trophy", the least recent
    cache.render("trophy", 20, (255, 255, 255))
    assert cache.renders == 4


class Recorder(Scene):
    def __init__(self, name, log, opaque=True):
        self.name, self.log, self.opaque = name, log, opaque

    def pause(self):
        self.log.append(f"{self.name}.pause")

    def resume(self):
        self.log.append(f"{self.name}.resume")

    def exit(self):
        self.log.append(f"{self.name}.exit")

    def handle(self, event):
        self.log.append(f"{self.name}.handle")

    def draw(self, surface):
        self.log.append(f"{self.name}.draw")


def test_scene_stack_order_of_calls_and_drawing_under_popups():
    log = []
    stack = SceneStack()
    stack.push(Recorder("title", log))
    stack.push(Recorder("play", log))
    stack.push(Recorder("help", log, opaque=False))
    stack.draw(pygame.Surface((4, 4)))
    stack.handle(pygame.event.Event(pygame.KEYDOWN, key=pygame.K_ESCAPE))
    stack.pop()
    stack.replace(Recorder("results", log))
    assert log == [
        "title.pause",
        "play.pause",
        "play.draw",
        "help.draw",  # the opaque scene under the pop-up, then the pop-up
        "help.handle",
        "help.exit",
        "play.resume",
        "play.exit",
    ]
    assert len(stack) == 2


def test_characters_the_font_lacks_are_drawn_as_plain_text():
    """→, Σ and ᵀ come from model messages; the bundled font would draw boxes."""
    from game.ui.engine.text import TextCache, drawable

    assert drawable("pronoun → bulky, QKᵀ") == "pronoun -> bulky, QK^T"
    cache = TextCache()
    arrow = cache.render("a → b", 20, (255, 255, 255))
    plain = cache.render("a -> b", 20, (255, 255, 255))
    assert arrow.get_size() == plain.get_size()
    assert cache.wrap("a → b", 500, 20) == ("a -> b",)


def test_the_bundled_fonts_are_found():
    """The text cache falls back to pygame's default font when a file is missing, silently:
    moving text.py (or the assets) must not lose the game's own font."""
    from game.ui.engine.text import FONT_DIR, FONT_FILES

    for name in FONT_FILES.values():
        assert (FONT_DIR / name).is_file(), FONT_DIR / name
