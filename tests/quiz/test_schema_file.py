"""docs/quiz.schema.json is the schema the models export, and it describes the shipped pack."""

import json
import tomllib
from pathlib import Path

from game.quiz.packs import shipped_pack_files
from game.quiz.schema_export import json_schema_text

SCHEMA_FILE = Path(__file__).resolve().parents[2] / "docs" / "quiz.schema.json"


def test_the_schema_file_is_current():
    assert SCHEMA_FILE.read_text(encoding="utf-8") == json_schema_text(), (
        "docs/quiz.schema.json is stale; regenerate it with: python -c "
        '"from game.quiz.schema_export import write_json_schema; '
        "write_json_schema('docs/quiz.schema.json')\""
    )


def test_the_schema_names_every_key_the_shipped_pack_uses():
    schema = json.loads(SCHEMA_FILE.read_text(encoding="utf-8"))
    question_keys = set(schema["$defs"]["Question"]["properties"])
    assert set(schema["properties"]) >= {"id", "title", "questions", "format_version"}
    for path in shipped_pack_files():
        pack = tomllib.loads(path.read_text(encoding="utf-8"))
        for question in pack["questions"]:
            assert set(question) <= question_keys
    kinds = {"WeightsCompute", "LevelCompute", "TrafficCompute"}
    assert kinds <= set(schema["$defs"])
    assert schema["$defs"]["Question"]["additionalProperties"] is False
