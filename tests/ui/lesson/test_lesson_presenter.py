"""A lesson end to end through the real presenter screen, driven by key events only:
the caption bar's step count, → / ← / Page Down / Page Up, a prompt answered before the
reveal, and the reveal's answer read from the board's real weights."""

from __future__ import annotations

import numpy as np
import pygame
import pytest

from game.progress import Progress
from game.ui.flow.game_flow import GameFlow
from game.ui.lesson.opening import open_lesson, render_lesson
from game.ui.lesson.scene import LessonScene
from game.ui.presenter.layer import Presenter
from tests.ui.events import click, press


@pytest.fixture
def presenter(app, registry, tmp_path):
    flow = GameFlow(app, registry, Progress(), progress_path=tmp_path / "p.json", presenter=True)
    app.presenter = Presenter(flow)
    flow.start()
    return flow


def lesson_scene(app) -> LessonScene:
    top = app.scenes.top
    assert isinstance(top, LessonScene)
    return top


def real_argmax(scene: LessonScene, word: str) -> str:
    """The key the shown board's real weights put most of `word`'s attention on."""
    ev = scene.play.evaluation
    head = ev.head(scene.play.head)
    row = head.weights[ev.resolve(word, head.query_sequence)]  # (n_k,)
    return ev.tokens[head.key_sequence][int(np.argmax(row))]


def test_a_lesson_end_to_end_with_keys_a_choice_prompt_and_its_reveal(app, registry, presenter):
    lesson = registry.lessons["what-is-attention"]
    open_lesson(presenter, lesson)
    scene = lesson_scene(app)
    assert app.presenter.navigator is scene.run  # the presenter walks the lesson
    assert scene.run.position == f"step 1 of {len(lesson.steps)}"
    press(app, pygame.K_RIGHT)
    assert scene.run.index == 1 and scene.prompt is not None and not scene.prompt.revealed
    assert scene.play.board.wire_count > 0  # the solution board, not a student's save
    press(app, pygame.K_SPACE)  # nobody has answered: no reveal yet
    assert not scene.prompt.revealed
    press(app, pygame.K_2)  # the class says "suitcase"
    picked = scene.play.evaluation.tokens["tokens"][scene.prompt.picked]
    assert picked == "suitcase"
    press(app, pygame.K_SPACE)
    reveal = scene.prompt.reveal
    assert scene.prompt.revealed and reveal is not None
    right = [reveal.keys[j] for j in reveal.right]
    assert right == [real_argmax(scene, "it")] == ["trophy"]
    assert not reveal.is_right(scene.prompt.picked)
    press(app, pygame.K_3)  # after the reveal the prediction stays what it was
    assert scene.play.evaluation.tokens["tokens"][scene.prompt.picked] == "suitcase"
    press(app, pygame.K_PAGEDOWN)  # a clicker, through the presenter layer
    assert scene.run.index == 2 and scene.prompt is None
    press(app, pygame.K_PAGEUP)
    assert scene.run.index == 1 and not scene.prompt.revealed  # asked again, fresh
    press(app, pygame.K_LEFT)
    press(app, pygame.K_LEFT)  # already at the first step: stays, says so
    assert scene.run.index == 0


def test_a_cell_prompt_is_answered_with_arrows_and_enter_and_then_the_mouse(
    app, registry, presenter
):
    lesson = registry.lessons["what-is-attention"]
    open_lesson(presenter, lesson)
    scene = lesson_scene(app)
    k = next(i for i, step in enumerate(lesson.steps) if step.prompt and step.prompt.kind == "cell")
    for _ in range(k):
        press(app, pygame.K_PAGEDOWN)
    assert scene.run.index == k and lesson.steps[k].prompt.kind == "cell"
    query = scene.prompt.reveal  # nothing revealed yet
    assert query is None
    press(app, pygame.K_RIGHT)  # the cursor moves along the query's row, not to the next step
    press(app, pygame.K_RETURN)
    assert scene.run.index == k and scene.prompt.picked == 1
    answer_row = scene._answer.query
    cell = scene.grid().cell_rect(answer_row, 4)
    click(app, cell.center)  # the mouse changes the prediction to column 4
    assert scene.prompt.picked == 4
    press(app, pygame.K_SPACE)
    reveal = scene.prompt.reveal
    assert [reveal.keys[j] for j in reveal.right] == [real_argmax(scene, "it")]
    app.draw()  # the revealed screen draws
    press(app, pygame.K_RIGHT)  # revealed: the arrows walk the lesson again
    assert scene.run.index == k + 1


def test_the_answer_follows_the_board_not_the_lesson_file(app, registry, presenter):
    """Change the board under the prompt: the reveal reads the new weights."""
    lesson = registry.lessons["what-is-attention"]
    open_lesson(presenter, lesson)
    scene = lesson_scene(app)
    press(app, pygame.K_RIGHT)
    board = scene.play.board
    wire = board.heads[0].wires[0]
    board.set_wire_strength(0, wire.query, wire.key, -wire.strength)  # "it" now avoids the trophy
    scene.play.resume()
    from game.lessons.answers import reveal

    answer = reveal(lesson.steps[1].prompt, scene.play.evaluation, 0)
    assert "trophy" not in [answer.keys[j] for j in answer.right]


def test_escape_leaves_the_lesson_for_the_title(app, registry, presenter):
    open_lesson(presenter, registry.lessons["what-is-attention"])
    press(app, pygame.K_ESCAPE)
    assert type(app.scenes.top).__name__ == "TitleScene"


def test_render_writes_every_step_to_numbered_pictures(registry, tmp_path):
    lesson = registry.lessons["what-is-attention"]
    paths = render_lesson(lesson, registry, tmp_path, size=(640, 360))
    names = [path.name for path in paths]
    assert names == [f"{k + 1:03d}_{step.level}.png" for k, step in enumerate(lesson.steps)]
    assert sorted(p.name for p in tmp_path.iterdir()) == names
    assert pygame.image.load(str(paths[1])).get_size() == (640, 360)


def test_the_f1_sheet_lists_the_lesson_keys(app, registry, presenter):
    open_lesson(presenter, registry.lessons["what-is-attention"])
    press(app, pygame.K_F1)
    titles = [title for title, _ in app.scenes.top.sections]
    assert titles[-2:] == [
        "Lesson (switchyard demo --lesson NAME)",
        "Presenter mode (switchyard demo)",
    ]
    keys = dict(app.scenes.top.sections[-2][1])
    assert keys["Space"].startswith("Reveal")


def test_a_step_that_cannot_be_shown_leaves_the_last_one_up(app, registry, presenter, monkeypatch):
    import game.ui.lesson.scene as lesson_scene_module

    open_lesson(presenter, registry.lessons["what-is-attention"])
    scene = lesson_scene(app)
    shown = scene.play

    def broken(*args, **kwargs):
        raise RuntimeError("a scheme plugin fell over")

    monkeypatch.setattr(lesson_scene_module, "step_scene", broken)
    press(app, pygame.K_RIGHT)
    assert scene.run.index == 0 and scene.play is shown  # still on step 1, still drawn
    assert any("could not be shown" in toast.message for toast in scene.play.toasts.items)
    app.draw()


def test_validate_checks_a_lesson_file_as_a_lesson(tmp_path, capsys):
    from game.cli import main

    good = tmp_path / "good.toml"
    good.write_text(
        'id = "g"\ntitle = "G"\nminutes = 2\n[[steps]]\nlevel = "01_trophy"\n'
        'caption = "Read the sentence aloud to the class."\n',
        encoding="utf-8",
    )
    bad = tmp_path / "bad.toml"
    bad.write_text(good.read_text(encoding="utf-8").replace("01_trophy", "01_trophee"), "utf-8")
    assert main(["validate", str(good), "--no-plugins"]) == 0
    assert "ok (g: G)" in capsys.readouterr().out
    assert main(["validate", str(bad), "--no-plugins"]) == 1
    assert f"{bad}:5: steps[0].level: no installed level" in capsys.readouterr().err


@pytest.mark.parametrize(
    ("theme", "scale"), [("normal", 1.0), ("projector", 1.0), ("projector", 1.5)]
)
def test_every_shipped_caption_fits_its_bar(registry, theme, scale):
    from game.ui.engine.text import TextCache
    from game.ui.engine.theme import themed
    from game.ui.lesson.caption_bar import ARROW_W, SIDE_W, caption_lines

    look, text = themed(theme, scale), TextCache()
    width = 1280 - 2 * ARROW_W - SIDE_W - 40
    for lesson in registry.lessons.values():
        for k, step in enumerate(lesson.steps):
            lines, size, cut = caption_lines(step.caption, width, look, text)
            assert not cut, f"{lesson.id} step {k + 1} does not fit at {theme} x{scale}"
            assert size >= look.font_px(11)


def test_a_caption_too_long_for_four_lines_ends_in_an_ellipsis():
    from game.ui.engine.text import TextCache
    from game.ui.engine.theme import themed
    from game.ui.lesson.caption_bar import caption_lines

    lines, _, cut = caption_lines("word " * 300, 900, themed("projector"), TextCache())
    assert cut and len(lines) == 4 and lines[-1].endswith("…")


def test_a_cell_question_in_step_mode_is_answered_on_the_step_matrix(app, registry, presenter):
    lesson = registry.lessons["campaign-tour"]
    open_lesson(presenter, lesson)
    scene = lesson_scene(app)
    k = next(
        i for i, s in enumerate(lesson.steps) if s.prompt and s.prompt.kind == "cell" and s.step
    )
    for _ in range(k):
        press(app, pygame.K_PAGEDOWN)
    assert scene.play.step_mode.active and scene.grid() is scene.play.step_view.heatmap
    app.draw()  # the step view lays out its matrix
    click(app, scene.grid().cell_rect(scene._answer.query, 1).center)
    assert scene.prompt.picked == 1
    press(app, pygame.K_SPACE)
    assert [scene.prompt.reveal.keys[j] for j in scene.prompt.reveal.right] == [
        real_argmax(scene, lesson.steps[k].prompt.query)
    ]


def test_in_step_mode_the_arrows_step_the_computation_and_page_down_moves_on(
    app, registry, presenter
):
    lesson = registry.lessons["what-is-attention"]
    open_lesson(presenter, lesson)
    scene = lesson_scene(app)
    k = next(i for i, s in enumerate(lesson.steps) if s.step and s.prompt is None)
    for _ in range(k):
        press(app, pygame.K_PAGEDOWN)
    mode = scene.play.step_mode
    assert scene.run.index == k and mode.active
    before = mode.index
    press(app, pygame.K_RIGHT)
    assert scene.run.index == k and mode.index == before + 1
    press(app, pygame.K_PAGEDOWN)
    assert scene.run.index == k + 1


def test_a_cell_question_on_a_level_without_a_heatmap_is_left_out(app, registry, presenter):
    from game.lessons import load_lesson_text

    lesson = load_lesson_text(
        'id = "f"\ntitle = "F"\nminutes = 2\n[[steps]]\nlevel = "11_flash"\nshow = "solution"\n'
        'caption = "Tiles that fit in fast memory, and a running softmax."\n'
        '[steps.prompt]\nkind = "cell"\nquestion = "Where?"\nquery = "fit"\n',
        "f.toml",
        registry.levels,
    )
    open_lesson(presenter, lesson)
    scene = lesson_scene(app)
    assert scene.play.machinery.active and scene.prompt is None
    assert any("no heatmap" in toast.message for toast in scene.play.toasts.items)
    press(app, pygame.K_SPACE)
    app.draw()
