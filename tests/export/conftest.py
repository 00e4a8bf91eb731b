"""The real plugin registry (built-ins only), shared by the export tests."""

import pytest


@pytest.fixture(scope="session")
def registry():
    from game.plugins import load_plugins

    loaded = load_plugins(use_user_dir=False, entry_points=False)
    assert loaded.levels, loaded.level_problems
    return loaded
