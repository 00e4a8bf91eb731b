"""The Pygame front end: the only package that imports pygame.

Its map: `engine/` (app loop, scene stack, display, text, theme, sound: no
screen), `widgets/` (buttons, sliders, the heatmap, the menu-scene base),
`flow/` (how the screens lead to each other; `switchyard play` and `render`),
and one folder per screen: `title/`, `levels/`, `play/`, `sandbox/`,
`settings/`, `results/`, `help/`, `quiz/` (the pre/post quiz), and two layers
over the screens: `presenter/` (presenter mode's keys, navigator and lock) and
`lesson/` (a lesson's caption bar, questions and reveal, `render --lesson`).
"""

import os

# pygame prints a banner on import; the command line and the tests have no use for it.
os.environ.setdefault("PYGAME_HIDE_SUPPORT_PROMPT", "1")
# Sharp text on high-DPI Windows screens instead of a blurry upscale (ignored elsewhere).
os.environ.setdefault("SDL_WINDOWS_DPI_AWARENESS", "permonitorv2")


def use_dummy_drivers() -> None:
    """Draw and play nothing for real (headless rendering, benchmarks), unless the caller's
    environment already chose its SDL drivers."""
    os.environ.setdefault("SDL_VIDEODRIVER", "dummy")
    os.environ.setdefault("SDL_AUDIODRIVER", "dummy")
