"""Shared fixtures for the UI tests: the real plugin registry and the campaign levels."""

import pygame
import pytest


@pytest.fixture(scope="session")
def registry():
    from game.plugins import load_plugins

    loaded = load_plugins(use_user_dir=False, entry_points=False)
    assert loaded.levels, loaded.level_problems
    return loaded


@pytest.fixture
def app():
    from game.ui.engine.app import App

    application = App((1280, 720))
    yield application
    pygame.quit()
