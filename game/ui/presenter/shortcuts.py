"""The presenter's keys, as the F1 sheet lists them (added to every screen's sheet in demo)."""

from __future__ import annotations

from game.ui.help.overlay import Section

# The bundled font has no arrow glyphs, so keys are named in words.
PRESENTER_SHORTCUTS: tuple[Section, ...] = (
    (
        "Presenter mode (switchyard demo)",
        (
            ("Right / Page Down", "Next level (or lesson step)"),
            ("Left / Page Up", "Previous level (or lesson step)"),
            ("Shift+Left / Right", "A wire's strength (in step mode plain arrows step)"),
            ("B", "Blank the screen; any key brings it back"),
            ("H", "Show or hide the hints"),
            ("L", "Lock hints, Watch it learn and the solution"),
            ("Z", "Magnify under the pointer (wheel zooms; Z or Esc leaves)"),
            ("A", "Show the reference solution"),
        ),
    ),
)
