"""The JSON Schema of a quiz pack, exported from the pydantic models for editors.

TOML language servers read docs/quiz.schema.json (beside docs/level.schema.json)
to complete and check quiz packs as they are typed; a test keeps the file equal
to `json_schema_text()`.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from game.quiz.schema import QuizPack


def json_schema() -> dict[str, Any]:
    schema = QuizPack.model_json_schema()
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": "https://switchyard.invalid/quiz.schema.json",
        **schema,
    }


def json_schema_text() -> str:
    return json.dumps(json_schema(), indent=2, ensure_ascii=False, sort_keys=True) + "\n"


def write_json_schema(path: str | Path) -> None:
    """Write the schema to `path` (docs/quiz.schema.json in the repository)."""
    Path(path).write_text(json_schema_text(), encoding="utf-8")
