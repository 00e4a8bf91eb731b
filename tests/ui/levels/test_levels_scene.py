"""The level select: campaign order by concept, locks, keyboard and mouse navigation,
the way in from the title and back out, and the problems panel for broken level files."""

import pygame
import pytest

from game.plugins import load_plugins
from game.progress import Progress
from game.ui.flow.game_flow import GameFlow, problem_lines
from game.ui.levels.scene import LevelSelectScene, campaign_order, unlocked
from game.ui.play import PlayScene
from game.ui.title.scene import TitleScene
from tests.ui.events import click, press


@pytest.fixture
def flow(app, registry, tmp_path):
    game = GameFlow(app, registry, Progress(), progress_path=tmp_path / "progress.json")
    game.start()
    app.step(1 / 60, [])
    return game


def test_campaign_order_follows_the_concepts(registry):
    order = campaign_order(registry.levels, registry.concepts)
    ranks = [list(registry.concepts).index(level.concept) for level in order]
    assert ranks == sorted(ranks)
    assert [lv.id for lv in order][:3] == ["01_trophy", "02_query_key_value", "03_first_word"]


def test_a_level_opens_once_the_one_before_has_a_star(registry):
    order = campaign_order(registry.levels, registry.concepts)
    assert unlocked(order, {}, False) == [True] + [False] * (len(order) - 1)
    flags = unlocked(order, {order[0].id: 1}, False)
    assert flags[:3] == [True, True, False]
    assert all(unlocked(order, {}, True))


def test_title_to_levels_to_play_and_back_by_keyboard_alone(flow):
    app = flow.app
    assert isinstance(app.scenes.top, TitleScene)
    press(app, pygame.K_RETURN)  # Play
    levels = app.scenes.top
    assert isinstance(levels, LevelSelectScene) and levels.cursor == 0
    press(app, pygame.K_RIGHT)
    press(app, pygame.K_RETURN)  # the second level is locked: a toast, no level
    assert app.scenes.top is levels and levels.toasts.messages
    press(app, pygame.K_LEFT)
    press(app, pygame.K_RETURN)
    assert isinstance(app.scenes.top, PlayScene)
    assert app.scenes.top.level.id == "01_trophy"
    press(app, pygame.K_ESCAPE)
    assert app.scenes.top is levels
    press(app, pygame.K_ESCAPE)
    assert isinstance(app.scenes.top, TitleScene)


def test_title_to_levels_to_play_and_back_by_mouse_alone(flow):
    app = flow.app
    title = app.scenes.top
    click(app, title.buttons["Play"].rect.center)
    levels = app.scenes.top
    assert isinstance(levels, LevelSelectScene)
    click(app, levels.card_rect(0).center)
    play = app.scenes.top
    assert isinstance(play, PlayScene)
    click(app, play.back_button.rect.center)
    assert app.scenes.top is levels
    click(app, levels.back_button.rect.center)
    assert app.scenes.top is title


def test_arrows_move_between_rows_and_teacher_mode_opens_everything(flow):
    app = flow.app
    flow.teacher = True
    flow.open_levels()
    levels = app.scenes.top
    press(app, pygame.K_DOWN)
    assert levels.cards[levels.cursor].top > levels.cards[0].top
    press(app, pygame.K_END)
    last = levels.cursor
    assert last == len(levels.order) - 1
    press(app, pygame.K_RETURN)
    assert isinstance(app.scenes.top, PlayScene)
    assert app.scenes.top.level.id == levels.order[last].id


def test_stars_earned_unlock_the_next_card(flow):
    app = flow.app
    flow.progress.record_stars("01_trophy", 1)
    flow.open_levels()
    levels = app.scenes.top
    assert levels.open_flags[:3] == [True, True, False]
    click(app, levels.card_rect(1).center)
    assert isinstance(app.scenes.top, PlayScene)


def test_broken_level_files_are_listed_with_file_and_line(app, tmp_path, registry):
    folder = tmp_path / "pack"
    folder.mkdir()
    (folder / "bad.toml").write_text(
        'format_version = 1\nid = "bad"\ntitle = "Bad"\nconcept = "nonsense"\n', encoding="utf-8"
    )
    broken = load_plugins(use_user_dir=False, entry_points=False)
    broken.level_sources.append(("teacher-pack", folder))
    lines = problem_lines(broken)
    assert any(line.startswith(f"{folder / 'bad.toml'}:") for line in lines), lines
    scene = LevelSelectScene(
        app, broken.levels, {}, on_open=lambda _: None, concepts=broken.concepts, problems=lines
    )
    app.scenes.push(scene)
    app.step(1 / 60, [])  # draws the panel without error
    assert scene.list_rect.right < app.canvas.get_width() - 300
    assert "01_trophy" in broken.levels  # the good levels still load


def test_the_level_list_and_the_play_screen_name_each_chapter_alike(app, registry, monkeypatch):
    """Both screens show the registered concept title (the play screen once said "Qkv")."""
    import game.ui.levels.scene as scenes_levels
    import game.ui.play.drawing as play_scene

    drawn: list[str] = []

    def recording(fit_text):
        def fit(text, label, *args, **kwargs):
            drawn.append(label)
            return fit_text(text, label, *args, **kwargs)

        return fit

    monkeypatch.setattr(scenes_levels, "fit_text", recording(scenes_levels.fit_text))
    monkeypatch.setattr(play_scene, "fit_text", recording(play_scene.fit_text))
    levels = LevelSelectScene(
        app, registry.levels, {}, on_open=lambda _: None, concepts=registry.concepts
    )
    app.scenes.push(levels)
    app.step(1 / 60, [])  # draws every card, scrolled into view or not
    on_cards = list(drawn)
    headings = [title for title, _ in levels.headings]
    assert headings == [concept.title for concept in registry.concepts.values()]
    first = {}
    for level in levels.order:
        first.setdefault(level.concept, level)
    for concept in registry.concepts.values():
        level = first[concept.id]
        label = f"{concept.title}  ·  {level.id}"
        assert label in on_cards, (concept.id, on_cards)  # the level card
        app.scenes.push(PlayScene(app, level, registry))
        drawn.clear()
        app.step(1 / 60, [])
        assert label in drawn, (concept.id, drawn)  # the play screen's chapter line
        app.scenes.pop()
