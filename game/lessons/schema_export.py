"""The JSON Schema of a lesson file, for editors (docs/lesson.schema.json, kept by a test)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from game.lessons.schema import Lesson


def json_schema() -> dict[str, Any]:
    """The JSON Schema of a lesson file (TOML language servers read it)."""
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": "https://switchyard.invalid/lesson.schema.json",
        **Lesson.model_json_schema(),
    }


def json_schema_text() -> str:
    return json.dumps(json_schema(), indent=2, ensure_ascii=False, sort_keys=True) + "\n"


def write_json_schema(path: str | Path) -> None:
    """Write the schema to `path` (docs/lesson.schema.json in the repository)."""
    Path(path).write_text(json_schema_text(), encoding="utf-8")


if __name__ == "__main__":  # python -m game.lessons.schema_export
    write_json_schema(Path(__file__).resolve().parents[2] / "docs" / "lesson.schema.json")
