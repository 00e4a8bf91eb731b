"""`demo --watch --lesson FILE`: an edited lesson file applies between frames; a broken
edit shows its FILE:LINE error and the last good version keeps running."""

from __future__ import annotations

from pathlib import Path

import pygame

from game.lessons import load_lesson_file
from game.progress import Progress
from game.ui.flow.game_flow import GameFlow
from game.ui.flow.hot_reload import HotReload
from game.ui.lesson.opening import open_lesson
from game.ui.presenter.layer import Presenter
from tests.ui.events import press

LESSON = """\
id = "mine"
title = "Mine"
minutes = 5

[[steps]]
level = "01_trophy"
caption = "First: read the sentence aloud to the class."

[[steps]]
level = "01_trophy"
show = "solution"
caption = "Second: one wire makes it look for something bulky."
"""


def running(app, registry, tmp_path):
    path = tmp_path / "mine.toml"
    path.write_text(LESSON, encoding="utf-8")
    flow = GameFlow(app, registry, Progress(), progress_path=tmp_path / "p.json", presenter=True)
    app.presenter = Presenter(flow)
    flow.start()
    scene = open_lesson(flow, load_lesson_file(path, registry.levels))
    return path, scene, HotReload(flow, lambda: registry)


def test_an_edited_lesson_goes_on_at_the_same_step(app, registry, tmp_path):
    path, scene, hot = running(app, registry, tmp_path)
    press(app, pygame.K_RIGHT)
    path.write_text(LESSON.replace("Second:", "Second, edited:"), encoding="utf-8")
    hot.apply([path])
    app.step(1 / 60, [])
    assert scene.run.index == 1
    assert scene.run.step.caption.startswith("Second, edited:")
    assert not [t for t in app.toasts.items if t.kind == "error"]


def test_a_broken_edit_is_located_and_the_last_good_lesson_keeps_running(app, registry, tmp_path):
    path, scene, hot = running(app, registry, tmp_path)
    path.write_text(
        LESSON.replace('level = "01_trophy"\nshow', 'level = "01_trophe"\nshow'), "utf-8"
    )
    hot.apply([path])
    errors = [t.message for t in app.toasts.items if t.kind == "error"]
    assert len(errors) == 1 and f"{path}:10: steps[1].level: no installed level" in errors[0]
    press(app, pygame.K_RIGHT)
    assert scene.run.index == 1 and scene.play.level.id == "01_trophy"
    path.write_text(LESSON, encoding="utf-8")  # fixed: the error goes away
    hot.apply([path])
    assert not [t for t in app.toasts.items if t.kind == "error"]


def test_a_shipped_lesson_file_is_not_mistaken_for_a_level(app, registry, tmp_path):
    _, _, hot = running(app, registry, tmp_path)
    shipped = registry.lessons["what-is-attention"].path
    hot.apply([Path(shipped)])
    assert not [t for t in app.toasts.items if t.kind == "error"]
