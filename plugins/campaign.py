"""The campaign: the level files in `levels/`, registered like any level pack.

The core knows no level by name; this plugin points the registry at the
campaign folder beside `plugins/`, in file-name order (01_, 02_, …).
"""

from pathlib import Path

from game.api import hookimpl

CAMPAIGN = Path(__file__).resolve().parent.parent / "levels"


@hookimpl
def switchyard_register_levels(register):
    register(CAMPAIGN)
