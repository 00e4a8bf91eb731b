"""A lesson step names a head of a stacked level readably (issue 17 × issue 13).

`head = "L2H1"` and `layer = 2, head = 1` are layer 2's first head, as the game
labels it; a bare `head = N` keeps counting from 0 across every layer, as lessons
written before layers did. Bad names are located errors. `render --lesson` draws
the head a step names: the campaign tour's induction step (`head = 1`) shows the
layer-2 head, the same picture as the step written with either new spelling.
"""

from __future__ import annotations

import pygame
import pytest

from game.cli import main
from game.lessons import LessonError, load_lesson_text
from game.plugins import load_plugins

HEADER = 'id = "heads"\ntitle = "Heads"\nminutes = 5\n'
CAPTION = "The same induction board, with one of its two heads on screen for the class."


@pytest.fixture(scope="module")
def registry():
    return load_plugins(no_plugins=True)


def step(body: str, level: str = "18_induction") -> str:
    return f'\n[[steps]]\nlevel = "{level}"\nshow = "solution"\n{body}\ncaption = "{CAPTION}"\n'


@pytest.mark.parametrize(
    ("body", "layer_head", "index"),
    [
        ("", (0, 0), 0),
        ("head = 1", (1, 0), 1),
        ('head = "L2H1"', (1, 0), 1),
        ('head = "L2·H1"', (1, 0), 1),
        ('head = "L1H1"', (0, 0), 0),
        ("layer = 2\nhead = 1", (1, 0), 1),
        ("layer = 2", (1, 0), 1),
        ("layer = 1", (0, 0), 0),
    ],
)
def test_every_spelling_names_the_head_the_game_shows(registry, body, layer_head, index):
    lesson = load_lesson_text(HEADER + step(body), "heads.toml", registry.levels)
    (only,) = lesson.steps
    assert only.layer_and_head(1) == layer_head
    assert only.head_index(1) == index


def test_names_count_heads_within_a_layer_on_a_level_with_several_heads(registry):
    lesson = load_lesson_text(HEADER + step("head = 1", "06_two_heads"), "x.toml", registry.levels)
    assert lesson.steps[0].head_index(2) == 1  # old spelling, 0-based: the second head
    named = lesson.steps[0].model_copy(update={"head": "L1H2"})
    assert named.head_index(2) == 1
    assert named.model_copy(update={"head": "L2H1"}).head_index(2) == 2


@pytest.mark.parametrize(
    ("body", "line", "message"),
    [
        ('head = "L3H1"', "heads.toml:8: steps[0].head:", "has 2 layer(s): there is no layer 3"),
        ('head = "L2H2"', "heads.toml:8: steps[0].head:", "1 head(s) a layer: use L1H1..L2H1"),
        ("layer = 3", "heads.toml:8: steps[0].layer:", "there is no layer 3"),
        ("head = 2", "heads.toml:8: steps[0].head:", "has 2 head(s): use 0..1"),
        ("layer = 2\nhead = 0", "heads.toml:", "with `layer`, heads count from 1"),
        ('layer = 2\nhead = "L2H1"', "heads.toml:", "give the layer once"),
        ('head = "second"', "heads.toml:8: steps[0].head", ""),
    ],
)
def test_a_head_the_level_lacks_is_a_located_error(registry, body, line, message):
    with pytest.raises(LessonError) as caught:
        load_lesson_text(HEADER + step(body), "heads.toml", registry.levels)
    lines = [str(problem) for problem in caught.value.problems]
    assert any(text.startswith(line) and message in text for text in lines), lines


def render(lesson_text: str, folder, capsys) -> bytes:
    """The one picture `switchyard render --lesson FILE` draws of a one-step lesson."""
    folder.mkdir()
    path = folder / "heads.toml"
    path.write_text(lesson_text, encoding="utf-8")
    out = folder / "pictures"
    assert main(["render", "--lesson", str(path), "--out", str(out), "--size", "800x450"]) == 0
    capsys.readouterr()
    (picture,) = sorted(out.glob("*.png"))
    return pygame.image.tobytes(pygame.image.load(str(picture)), "RGB")


def test_render_lesson_draws_the_named_layer_two_head(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("SWITCHYARD_PLUGIN_DIR", str(tmp_path / "none"))
    monkeypatch.setenv("SWITCHYARD_DATA_DIR", str(tmp_path / "data"))
    bodies = ("head = 1", 'head = "L2H1"', "layer = 2\nhead = 1", "head = 0")
    old, named, layered, first = (
        render(HEADER + step(body), tmp_path / str(n), capsys) for n, body in enumerate(bodies)
    )
    assert old == named == layered  # three spellings, one picture: layer 2's head
    assert first != old  # and it is not layer 1's head


def test_the_campaign_tours_induction_step_shows_layer_two(registry, tmp_path):
    """The tour's Circuits steps: the induction step's `head = 1` is L2H1 on a 2-layer level."""
    from game.ui.lesson.opening import render_lesson

    tour = registry.lessons["campaign-tour"]
    circuits = [s for s in tour.steps if registry.levels[s.level].concept == "circuits"]
    assert {s.level for s in circuits} >= {"18_induction", "19_dyck"}
    induction = [s for s in circuits if s.level == "18_induction" and s.head_index(1) == 1]
    assert induction, "the tour shows the induction level's layer-2 head"
    shown = induction[0]
    assert shown.layer_and_head(registry.levels["18_induction"].heads) == (1, 0)
    variants = [
        shown,
        shown.model_copy(update={"head": "L2H1"}),
        shown.model_copy(update={"head": 1, "layer": 2}),
        shown.model_copy(update={"head": "L1H1"}),
    ]
    pictures = []
    for n, variant in enumerate(variants):  # one step each: the same "step 1 of 1" counter
        lesson = tour.model_copy(update={"steps": [variant]})
        (path,) = render_lesson(lesson, registry, tmp_path / str(n), size=(800, 450))
        pictures.append(pygame.image.tobytes(pygame.image.load(str(path)), "RGB"))
    assert pictures[0] == pictures[1] == pictures[2] != pictures[3]


def test_the_docs_show_the_readable_spelling():
    from pathlib import Path

    docs = (Path(__file__).resolve().parents[2] / "docs" / "lessons.md").read_text("utf-8")
    assert 'head = "L2H1"' in docs and "layer = 2" in docs
