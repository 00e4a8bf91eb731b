"""Reading older level files: one upgrade function per old format version.

`UPGRADES[v]` rewrites a version-v table into version v+1; the loader applies
them in order up to `FORMAT_VERSION` before validation, so the schema only
ever knows the current shape. Version 1 is the first and current format, so
the table is empty; tests pass their own table to exercise the mechanism.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from game.levels.schema import FORMAT_VERSION

Table = dict[str, Any]
Upgrade = Callable[[Table], Table]

UPGRADES: Mapping[int, Upgrade] = {}


class UpgradeError(ValueError):
    """The table's format_version cannot be brought up to the current one."""


def upgrade_table(
    table: Table, upgrades: Mapping[int, Upgrade] = UPGRADES, current: int = FORMAT_VERSION
) -> Table:
    """The table rewritten to `current`, with `format_version` set to it.

    Raises UpgradeError for a missing or malformed version, a version newer
    than `current` (the game needs updating) or one with no upgrade path.
    """
    if "format_version" not in table:
        raise UpgradeError(f"missing; this game reads format_version = {current}")
    version = table["format_version"]
    if isinstance(version, bool) or not isinstance(version, int):
        raise UpgradeError(f"must be a whole number (the current one is {current})")
    if version > current:
        raise UpgradeError(
            f"this level is format version {version}, newer than this game reads "
            f"({current}): update Switchyard to play it"
        )
    while version < current:
        if version not in upgrades:
            raise UpgradeError(f"format version {version} is too old for this game to read")
        table = dict(upgrades[version](dict(table)))
        version += 1
        table["format_version"] = version
    return table
