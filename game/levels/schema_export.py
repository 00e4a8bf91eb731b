"""The JSON Schema of a level file, exported from the pydantic models for editors.

TOML language servers read docs/level.schema.json to complete and check level
files as they are typed; a test keeps that file equal to `json_schema_text()`.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from game.levels.schema import Level


def json_schema() -> dict[str, Any]:
    """The JSON Schema of a level file, for editors (TOML language servers read it)."""
    schema = Level.model_json_schema()
    # A level writes its sentences, or a [task] draws them (game.levels.task_checks).
    schema["anyOf"] = [{"required": ["sentences"]}, {"required": ["task"]}]
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": "https://switchyard.invalid/level.schema.json",
        **schema,
    }


def json_schema_text() -> str:
    return json.dumps(json_schema(), indent=2, ensure_ascii=False, sort_keys=True) + "\n"


def write_json_schema(path: str | Path) -> None:
    """Write the schema to `path` (docs/level.schema.json in the repository)."""
    Path(path).write_text(json_schema_text(), encoding="utf-8")
