"""The plugin registry the quiz tests check packs against (built-ins only)."""

import pytest


@pytest.fixture(scope="session")
def registry():
    from game.plugins import load_plugins

    return load_plugins(use_user_dir=False, entry_points=False)
