"""The exported JSON Schema is up to date, and says what the models say."""

from __future__ import annotations

from pathlib import Path

from game.levels.schema_export import json_schema, json_schema_text

SCHEMA_FILE = Path(__file__).resolve().parents[2] / "docs" / "level.schema.json"


def test_json_schema_file_is_up_to_date():
    assert SCHEMA_FILE.read_text(encoding="utf-8") == json_schema_text(), (
        "docs/level.schema.json is stale; regenerate it with: python -c "
        "\"from game.levels import write_json_schema; write_json_schema('docs/level.schema.json')\""
    )


def test_json_schema_forbids_unknown_keys_and_leaves_concepts_open():
    schema = json_schema()
    assert schema["additionalProperties"] is False
    assert schema["$defs"]["Controls"]["additionalProperties"] is False
    concept = schema["properties"]["concept"]
    # Concepts are registered by plugins, so the schema names an identifier, not a closed list.
    assert "enum" not in concept and concept["pattern"] == "^[A-Za-z0-9_.-]+$"
    assert "why-attention" in concept["description"]
    assert set(schema["required"]) >= {"id", "title", "features", "goals", "par"}
    # Sentences are required unless a [task] draws them.
    assert {"required": ["sentences"]} in schema["anyOf"]
    assert {"required": ["task"]} in schema["anyOf"]
    assert set(schema["$defs"]["Readout"]["properties"]) >= {"how", "features", "at_least"}


def test_the_example_in_docs_levels_md_loads():
    from game.levels import load_level_text
    from tests.model.fixtures import CATALOG

    doc = (Path(__file__).resolve().parents[2] / "docs" / "levels.md").read_text(encoding="utf-8")
    example = doc.split("```toml\n", 1)[1].split("```", 1)[0]
    level = load_level_text(example, "docs/levels.md", CATALOG)
    assert level.id == "01_trophy" and level.par == 2 and level.controls.mix
