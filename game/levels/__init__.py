"""Level files: schema, loader with located errors, registry (no pygame).

load_level_file(path, catalog) -> Level        raises LevelError (all problems)
load_registered_levels(sources, catalog=…)     -> (levels by id, problems)
"""

from game.levels.errors import LevelError, Problem
from game.levels.loader import (
    MAX_FILE_BYTES,
    load_level_bytes,
    load_level_file,
    load_level_table,
    load_level_text,
)
from game.levels.positions import Position, PositionError, position_problem, resolve
from game.levels.registry import level_files, load_registered_levels
from game.levels.schema import FORMAT_VERSION, Level
from game.levels.schema_export import json_schema, write_json_schema

__all__ = [
    "FORMAT_VERSION",
    "MAX_FILE_BYTES",
    "Level",
    "LevelError",
    "Position",
    "PositionError",
    "Problem",
    "json_schema",
    "level_files",
    "load_level_bytes",
    "load_level_file",
    "load_level_table",
    "load_level_text",
    "load_registered_levels",
    "position_problem",
    "resolve",
    "write_json_schema",
]
