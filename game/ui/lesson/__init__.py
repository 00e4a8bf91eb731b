"""Running a lesson on the projector: the teacher's caption bar, step by step, and the
class's predict-then-see prompts over the real play screen.

- `run`: where the lesson is (step k of n, next/previous) and a prompt's answer state;
- `slide`: the play screen of one step (start or solution board, head, step mode);
- `caption_bar`, `prompt_card`: drawing;
- `scene`: `LessonScene`, which joins them and takes the keys.
"""
