"""Quizzes: pre/post question packs on the campaign's concepts, and the answers students give.

A quiz pack is data (TOML, `schema.py`), loaded with located errors like a level
(`loader.py`), its numeric answers computed by the real attention code
(`compute.py`); a `QuizRun` (`run.py`) is one student taking one pack, question by
question; answers are kept on this computer in an append-safe file (`answers.py`)
and exported as CSV for the teacher (`csv_export.py`). No pygame, no network.
"""
