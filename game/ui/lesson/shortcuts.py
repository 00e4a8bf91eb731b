"""A lesson's keys, as the F1 sheet lists them while a lesson runs (beside the presenter's)."""

from __future__ import annotations

from game.ui.help.overlay import Section

# The bundled font has no arrow glyphs, so keys are named in words (as the presenter's are).
LESSON_SHORTCUTS: tuple[Section, ...] = (
    (
        "Lesson (switchyard demo --lesson NAME)",
        (
            ("Right / Page Down", "Next step of the lesson (in step mode: Page Down)"),
            ("Left / Page Up", "Previous step (in step mode: Page Up)"),
            ("1 to 4, or click", "The class's answer to a question"),
            ("Up / Down", "Move between the choices"),
            ("Left / Right, Enter", "Pick a cell in the marked row of the heatmap"),
            ("Space", "Reveal the real answer beside the prediction"),
            ("Esc", "Leave the lesson"),
        ),
    ),
)
