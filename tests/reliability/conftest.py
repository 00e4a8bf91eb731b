"""The UI fixtures, for the tests here that open a screen."""

from tests.ui.conftest import app  # noqa: F401
