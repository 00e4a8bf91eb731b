"""The sandbox screen: a typed sentence, any architecture and scheme, loaded as a real level
(the level table itself is tested in tests/levels/test_sandbox.py)."""

import pygame
import pytest

from game.levels.sandbox import DEFAULT_SENTENCE, FEATURES
from game.progress import Progress
from game.ui.flow.game_flow import GameFlow
from game.ui.play import PlayScene
from game.ui.sandbox.scene import SandboxScene
from game.ui.title.scene import TitleScene
from tests.ui.events import DT, click, press, presses


def typed(app, text):
    app.step(DT, [pygame.event.Event(pygame.TEXTINPUT, text=text)])


def test_title_sandbox_button_opens_setup_and_start_plays(app, registry):
    flow = GameFlow(app, registry, Progress(), save=False)
    flow.start()
    app.step(DT, [])
    title = app.scenes.top
    assert isinstance(title, TitleScene) and title.buttons["Sandbox"].enabled
    title.buttons["Sandbox"].activate()
    app.step(DT, [])
    setup = app.scenes.top
    assert isinstance(setup, SandboxScene)
    click(app, setup.start_button.rect.center)
    play = app.scenes.top
    assert isinstance(play, PlayScene) and play.level.id == "sandbox"
    assert play.level.sentences[0].tokens == DEFAULT_SENTENCE.split()
    press(app, pygame.K_ESCAPE)  # back to the setup, not the level select
    assert app.scenes.top is setup


def test_typing_backspace_and_the_feature_grid_shape_the_level(app, registry):
    scene = SandboxScene(app, registry)
    app.scenes.push(scene)
    app.step(DT, [])
    assert scene.group.focused is scene.sentence_field
    presses(app, pygame.K_BACKSPACE, len(DEFAULT_SENTENCE))
    assert scene.sentence_text == ""
    for word in ("a ", "cat ", "sat"):
        typed(app, word)
    assert scene.sentence_text == "a cat sat" and scene.grid.words == ["a", "cat", "sat"]
    press(app, pygame.K_BACKSPACE, pygame.KMOD_CTRL)
    assert scene.sentence_text == "a cat "
    typed(app, "zoomed")
    # Keyboard: focus the grid, move to "zoomed" × verb, toggle with Space.
    scene.group.focus(scene.grid)
    presses(app, pygame.K_DOWN, 2)
    presses(app, pygame.K_RIGHT, FEATURES.index("verb"))
    press(app, pygame.K_SPACE)
    assert "verb" in scene.features["zoomed"]
    # Mouse: click "cat" × adj.
    click(app, scene.grid.cell_rect(1, FEATURES.index("adj")).center)
    assert scene.features["cat"] == {"noun", "adj"}
    scene.head_tabs.select(2)
    scene.scheme_tabs.select(scene.schemes.index("rope"))
    press(app, pygame.K_RETURN)
    play = app.scenes.top
    assert isinstance(play, PlayScene)
    assert play.level.vocab["zoomed"] == {"verb": 1.0}
    assert play.level.vocab["cat"] == {"noun": 1.0, "adj": 1.0}
    assert len(play.board.heads) == 3 and play.board.settings.positional == "rope"


@pytest.mark.parametrize(
    "sentence, expected",
    [("", "Type a sentence"), ("x" * 45 + " fits", "at most 40 characters")],
)
def test_a_level_the_loader_refuses_is_shown_as_messages(app, registry, sentence, expected):
    scene = SandboxScene(app, registry, sentence=sentence)
    app.scenes.push(scene)
    press(app, pygame.K_RETURN)
    assert app.scenes.top is scene
    assert any(expected in message for message in scene.messages), scene.messages
    typed(app, "!")  # editing clears them
    assert scene.messages == []


def test_encoder_decoder_asks_for_a_target(app, registry):
    scene = SandboxScene(app, registry, target="")
    app.scenes.push(scene)
    assert not scene.target_field.enabled
    scene.arch_tabs.select(scene.architectures.index("encoder-decoder"))
    assert scene.target_field.enabled
    scene.start()
    assert any("target" in message for message in scene.messages)
    scene.group.focus(scene.target_field)
    typed(app, "le trophée")
    assert "trophée" in scene.grid.words
    press(app, pygame.K_RETURN)
    play = app.scenes.top
    assert isinstance(play, PlayScene)
    assert [h.block for h in play.board.heads] == ["cross"]


def test_a_grid_that_scrolls_keeps_its_last_row_clear_of_the_word_count(app, registry):
    long = " ".join(f"w{i}" for i in range(30))
    scene = SandboxScene(app, registry, sentence=long)
    app.scenes.push(scene)
    app.step(DT, [])
    grid = scene.grid
    shown = grid.visible_rows()
    assert shown < len(grid.words)  # it scrolls
    last_row = grid.cell_rect(grid.scroll + shown - 1, 0)
    assert last_row.bottom <= grid.rect.bottom - grid.footer_px
    short = SandboxScene(app, registry, sentence="a cat sat")
    app.scenes.push(short)
    app.step(DT, [])
    assert short.grid.visible_rows() >= 3  # no count line, no room taken for one
