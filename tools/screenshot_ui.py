"""Render every screen to PNG files, headless: title, settings, help, a sample heatmap,
the level select, and the play screen (01_trophy at the start and solved, 06_two_heads,
the math inspector open, a step-mode frame, the sparse and linear attention
levels with the linear heatmap showing its difference from softmax, 11_flash and
12_scaling at the start and solved; the induction level of the Circuits chapter on
layer 2 with its residual stream, in step mode, and its failing examples; the
double histogram on layer 2, its stream showing the maps' MLP step), the
results, the sandbox setup and "watch it learn" part way and done.

    python tools/screenshot_ui.py OUT_FOLDER [--size 1280x720] [--font-scale 1.0]

One PNG per screen and theme, drawn exactly as the game draws a frame, for
looking at layout, clipping and contrast without opening a window.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

os.environ.setdefault("SDL_VIDEODRIVER", "dummy")
os.environ.setdefault("SDL_AUDIODRIVER", "dummy")
os.environ.setdefault("PYGAME_HIDE_SUPPORT_PROMPT", "1")
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import numpy as np  # noqa: E402
import pygame  # noqa: E402

from game.attention import causal_mask, masked_softmax  # noqa: E402
from game.model import Board  # noqa: E402
from game.progress import Preferences, Progress  # noqa: E402
from game.ui.engine.app import App  # noqa: E402
from game.ui.engine.scene_stack import Scene  # noqa: E402
from game.ui.help.overlay import HelpOverlay  # noqa: E402
from game.ui.settings.scene import SettingsScene  # noqa: E402
from game.ui.title.scene import TitleScene  # noqa: E402
from game.ui.widgets.heatmap import Heatmap  # noqa: E402

WORDS = [
    "The",
    "trophy",
    "did",
    "not",
    "fit",
    "in",
    "the",
    "suitcase",
    "because",
    "it",
    "was",
    "big",
]


class HeatmapDemo(Scene):
    """A causal 12-token heatmap with labels, one focused cell and one hovered."""

    def __init__(self, app: App):
        self.app = app
        n = len(WORDS)
        rng = np.random.default_rng(3)
        scores = rng.normal(size=(n, n)) * 1.5
        scores[9, 1] += 6  # "it" -> "trophy"
        allowed = causal_mask(n)  # (n, n)
        weights = masked_softmax(scores, allowed)  # (n, n)
        self.heatmap = Heatmap((340, 40, 640, 640))
        masked = ~allowed  # (n, n) the heatmap hatches these
        self.heatmap.set_data(weights, mask=masked, revision=0, row_labels=WORDS, col_labels=WORDS)
        self.heatmap.hover, self.heatmap.cursor, self.heatmap.focused = (9, 1), (4, 2), True

    def draw(self, surface: pygame.Surface) -> None:
        self.heatmap.draw(surface, self.app.theme, self.app.text)


def shoot(app: App, scenes: list[Scene], path: Path) -> None:
    while len(app.scenes):
        app.scenes.pop()
    for scene in scenes:
        app.scenes.push(scene)
    app.step(0.0, [])
    pygame.image.save(app.window, str(path))  # the window: the canvas scaled to --size
    print(path)


def load_registry():
    """The built-in plugins and the campaign, without the user's own plugins."""
    from game.plugins import load_plugins

    return load_plugins(use_user_dir=False, entry_points=False)


def shoot_game(app: App, registry, out: Path, suffix: str) -> None:
    """The level select and the play screen in the states worth looking at."""
    from game.ui.flow.game_flow import GameFlow
    from game.ui.play import PlayScene

    progress = Progress(stars={"01_trophy": 3, "02_query_key_value": 2})
    flow = GameFlow(app, registry, progress, save=False)

    def fresh(scenes: list[Scene], path: Path) -> None:
        shoot(app, scenes, path)

    def levels():
        from game.ui.flow.game_flow import problem_lines
        from game.ui.levels.scene import LevelSelectScene

        scene = LevelSelectScene(
            app, registry.levels, progress.stars, on_open=lambda _: None,
            concepts=registry.concepts, problems=problem_lines(registry),
        )  # fmt: skip
        scene.cursor = 1
        return scene

    fresh([levels()], out / f"levels-{suffix}.png")

    def play(level_id: str, solution: bool) -> PlayScene:
        level = registry.levels[level_id]
        board = Board.with_solution(level, registry) if solution else Board(level, registry)
        return PlayScene(app, level, registry, board=board, on_next=lambda: None)

    fresh([play("01_trophy", False)], out / f"play-01-start-{suffix}.png")
    solved = play("01_trophy", True)
    solved.next_hint()
    fresh([solved], out / f"play-01-solved-{suffix}.png")
    fresh([play("06_two_heads", True)], out / f"play-05-{suffix}.png")
    inspecting = play("01_trophy", True)
    inspecting.open_inspector(9, 1)
    fresh([inspecting], out / f"play-inspector-{suffix}.png")
    for level_id in ("sparse_01_window", "linear_01_blur"):  # the attention-pattern strip
        fresh([play(level_id, True)], out / f"play-{level_id}-{suffix}.png")
    blurred = play("linear_01_blur", False)
    blurred.pattern_strip.cycle()
    blurred.pattern_strip.cycle()  # the heatmap shows |linear − softmax| per cell
    blurred.open_inspector(6, 1)  # "it" → "fox": the sharp wire that linear attention blurs
    fresh([blurred], out / f"play-linear-difference-{suffix}.png")
    stepping = play("06_two_heads", True)
    stepping.toggle_step_mode()
    stepping.step_mode.index = 6  # softmax
    fresh([stepping], out / f"play-steps-{suffix}.png")
    stepping = play("01_trophy", True)
    stepping.toggle_step_mode()
    stepping.step_mode.index = 2  # QKᵀ, 13×13
    fresh([stepping], out / f"play-steps-qk-{suffix}.png")
    for machinery in ("11_flash", "12_scaling"):  # knobs, schedule view, plot
        fresh([play(machinery, False)], out / f"play-{machinery}-start-{suffix}.png")
        fresh([play(machinery, True)], out / f"play-{machinery}-solved-{suffix}.png")
    checked = play("06_two_heads", True)
    shoot(app, [checked], out / "_scratch.png")
    checked.check()
    app.step(0.0, [])
    pygame.image.save(app.window, str(out / f"results-{suffix}.png"))
    print(out / f"results-{suffix}.png")
    (out / "_scratch.png").unlink()
    shoot_sandbox_and_watch(app, registry, out, suffix)
    shoot_circuits(app, play, out, suffix)
    del flow


def shoot_circuits(app: App, play, out: Path, suffix: str) -> None:
    """A stacked task level: layer 2's head with the stream, its step mode, and the
    failing examples of the empty board."""
    from game.ui.play.task_view import FailuresOverlay

    induction = play("18_induction", True)
    induction.select_head(1)  # layer 2: the head that keys on what layer 1 wrote
    shoot(app, [induction], out / f"play-18_induction-layer2-{suffix}.png")
    stepping = play("18_induction", True)
    stepping.select_head(1)
    stepping.toggle_step_mode()
    shoot(app, [stepping], out / f"play-18_induction-steps-{suffix}.png")
    double = play("21_double_histogram", True)
    double.select_head(1)  # layer 2 reads the counts the fixed maps (the MLP step) wrote
    shoot(app, [double], out / f"play-21_double_histogram-layer2-{suffix}.png")
    empty = play("18_induction", False)
    shoot(app, [empty], out / "_scratch.png")
    failures = FailuresOverlay(app, empty.evaluation.task)
    shoot(app, [empty, failures], out / f"play-18_induction-failures-{suffix}.png")
    (out / "_scratch.png").unlink()


def shoot_sandbox_and_watch(app: App, registry, out: Path, suffix: str) -> None:
    """The sandbox setup (encoder and encoder–decoder, and a refused level), and
    "watch it learn" part way and finished."""
    from game.ui.play import PlayScene
    from game.ui.sandbox.scene import SandboxScene

    setup = SandboxScene(app, registry)
    setup.group.focus(setup.grid)
    setup.grid.row, setup.grid.col = 1, 0
    shoot(app, [setup], out / f"sandbox-{suffix}.png")
    setup = SandboxScene(app, registry)
    setup.arch_tabs.select(setup.architectures.index("encoder-decoder"))
    setup.scheme_tabs.select(setup.schemes.index("rope"))
    setup.head_tabs.select(1)
    shoot(app, [setup], out / f"sandbox-encdec-{suffix}.png")
    refused = SandboxScene(app, registry, sentence="a " + "very" * 12 + " long word")
    refused.start()
    shoot(app, [refused], out / f"sandbox-error-{suffix}.png")
    for frames, name in ((90, "watch-early"), (1200, "watch-done")):  # paced: ~8 s to done
        level = registry.levels["01_trophy"]
        scene = PlayScene(app, level, registry)
        shoot(app, [scene], out / "_scratch.png")
        scene.start_watch()
        for _ in range(frames):
            app.step(1 / 60, [])
            if scene.watch.done:
                break
        pygame.image.save(app.window, str(out / f"{name}-{suffix}.png"))
        print(out / f"{name}-{suffix}.png")
    (out / "_scratch.png").unlink()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--size", default="1280x720", help="window size, WIDTHxHEIGHT")
    parser.add_argument("--font-scale", type=float, default=1.0)
    args = parser.parse_args(argv)
    width, height = (int(v) for v in args.size.lower().split("x"))
    args.out.mkdir(parents=True, exist_ok=True)
    app = App((width, height))
    registry = load_registry()
    for theme in ("normal", "projector"):
        settings = Preferences(theme=theme, font_scale=args.font_scale)
        app.apply_settings(settings)
        suffix = theme if args.font_scale == 1.0 else f"{theme}-{args.font_scale:g}"

        def title() -> TitleScene:
            return TitleScene(app, on_play=lambda: None, on_settings=lambda: None)

        settings_scene = SettingsScene(app, settings, app.apply_settings)
        shoot(app, [title()], args.out / f"title-{suffix}.png")
        settings_scene.group.move(+1)  # focus on the text size slider, to show the ring
        shoot(app, [settings_scene], args.out / f"settings-{suffix}.png")
        shoot(app, [title(), HelpOverlay(app)], args.out / f"help-{suffix}.png")
        shoot(app, [HeatmapDemo(app)], args.out / f"heatmap-{suffix}.png")
        shoot_game(app, registry, args.out, f"{suffix}-{width}x{height}")
    pygame.quit()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
