"""The quiz packs that ship with the game (`game/quiz/packs/*.toml`) and finding one by id."""

from __future__ import annotations

from pathlib import Path

from game.quiz.loader import load_quiz_file
from game.quiz.schema import QuizPack

PACKS = Path(__file__).resolve().parent / "packs"
DEFAULT_PACK = "attention-basics"


def shipped_pack_files() -> list[Path]:
    return sorted(PACKS.glob("*.toml"))


def load_pack(ref: str | None, registry: object) -> QuizPack:
    """The pack `ref` names: a shipped id (default: the campaign's quiz) or a FILE.toml.

    Raises QuizError (with located problems) for a bad file, LookupError for an
    unknown id."""
    ref = ref or DEFAULT_PACK
    if ref.endswith(".toml") or "/" in ref or "\\" in ref:
        return load_quiz_file(ref, registry)
    path = PACKS / f"{ref}.toml"
    if not path.is_file():
        known = ", ".join(p.stem for p in shipped_pack_files())
        raise LookupError(f"no quiz pack {ref!r}; shipped: {known}")
    return load_quiz_file(path, registry)
