"""Loading plugins one at a time: a broken plugin is disabled alone, at its file and line.

Import errors, hooks that raise or return, misspelled or unmarked hooks,
unknown hook arguments, a newer plugin API, strict mode and blocked names.
"""

from __future__ import annotations

import pytest

from game.plugins import KINDS
from tests.plugins.plugin_files import GOOD, error_for, load, write


def test_syntax_error_is_reported_with_file_and_line(tmp_path):
    path = write(tmp_path, "broken.py", "x = 1\ndef oops(:\n")
    registry = load(tmp_path)
    error = error_for(registry, "broken")
    assert error.location == f"{path}:2"
    assert "SyntaxError" in error.message
    assert "\n" not in str(error)


def test_import_time_exception_names_the_line_that_raised(tmp_path):
    path = write(tmp_path, "needs_lib.py", "import os\nimport not_a_real_module_xyz\n")
    error = error_for(load(tmp_path), "needs_lib")
    assert error.location == f"{path}:2"
    assert "ModuleNotFoundError" in error.message and "not_a_real_module_xyz" in error.message


@pytest.mark.parametrize("kind", KINDS, ids=lambda k: k.hook)
def test_a_plugin_that_raises_in_any_hook_is_disabled_alone(tmp_path, kind):
    path = write(
        tmp_path,
        "raiser.py",
        f"""
        from game.api import hookimpl, PositionalScheme

        @hookimpl
        def switchyard_register_positional_schemes(register):
            register(PositionalScheme(name="from_raiser", title="T", description="d"))

        @hookimpl
        def {kind.hook}(register):
            raise RuntimeError("boom in {kind.hook}")
        """
        if kind.hook != "switchyard_register_positional_schemes"
        else """
        from game.api import hookimpl

        @hookimpl
        def switchyard_register_positional_schemes(register):
            raise RuntimeError("boom in switchyard_register_positional_schemes")
        """,
    )
    write(tmp_path, "zz_good.py", GOOD.format(name="still_here"))
    registry = load(tmp_path)
    error = error_for(registry, "raiser")
    assert f"boom in {kind.hook}" in error.message
    line = next(
        i for i, text in enumerate(path.read_text().splitlines(), 1) if "raise RuntimeError" in text
    )
    assert error.location == f"{path}:{line}"
    # Disabled as a whole: nothing it registered before failing is kept.
    assert "from_raiser" not in registry.positional
    assert "still_here" in registry.positional
    assert all(p.name != "raiser" for p in registry.plugins)


def test_wrong_type_names_the_register_call(tmp_path):
    path = write(
        tmp_path,
        "garbage.py",
        """
        from game.api import hookimpl

        @hookimpl
        def switchyard_register_architectures(register):
            register({"name": "not a dataclass"})
        """,
    )
    error = error_for(load(tmp_path), "garbage")
    assert error.location == f"{path}:5"
    assert "game.api.Architecture" in error.message and "dict" in error.message


def test_returning_a_list_instead_of_registering_is_an_error(tmp_path):
    write(
        tmp_path,
        "returner.py",
        """
        from game.api import hookimpl, PositionalScheme

        @hookimpl
        def switchyard_register_positional_schemes(register):
            return [PositionalScheme(name="x", title="T", description="d")]
        """,
    )
    registry = load(tmp_path)
    error = error_for(registry, "returner")
    assert "returned list" in error.message and "register(" in error.message
    assert "x" not in registry.positional


def test_a_misspelled_hook_gets_a_did_you_mean(tmp_path):
    write(
        tmp_path,
        "typo.py",
        """
        from game.api import hookimpl

        @hookimpl
        def switchyard_register_positional_scheme(register):
            pass
        """,
    )
    error = error_for(load(tmp_path), "typo")
    assert "did you mean 'switchyard_register_positional_schemes'" in error.message
    assert error.location.endswith("typo.py:3")  # where its definition starts


def test_a_hook_without_the_marker_is_reported_not_ignored(tmp_path):
    write(
        tmp_path,
        "unmarked.py",
        "def switchyard_register_levels(register):\n    register('levels')\n",
    )
    assert "not marked with @hookimpl" in error_for(load(tmp_path), "unmarked").message


def test_a_hook_with_an_unknown_argument_is_rejected(tmp_path):
    write(
        tmp_path,
        "extra_arg.py",
        """
        from game.api import hookimpl

        @hookimpl
        def switchyard_register_levels(register, colour):
            pass
        """,
    )
    error = error_for(load(tmp_path), "extra_arg")
    assert "'colour'" in error.message and "only offers 'register'" in error.message
    assert error.location.endswith("extra_arg.py:3")


def test_a_plugin_needing_a_newer_api_is_refused(tmp_path):
    write(tmp_path, "future.py", "SWITCHYARD_PLUGIN_API = 99\n" + GOOD.format(name="future"))
    registry = load(tmp_path)
    assert "plugin API 99" in error_for(registry, "future").message
    assert "future" not in registry.positional


def test_strict_mode_reraises_for_authors(tmp_path, monkeypatch):
    write(tmp_path, "broken.py", "raise RuntimeError('loud')\n")
    with pytest.raises(RuntimeError, match="loud"):
        load(tmp_path, strict=True)
    monkeypatch.setenv("SWITCHYARD_STRICT_PLUGINS", "1")
    with pytest.raises(RuntimeError, match="loud"):
        load(tmp_path)


def test_disable_by_name_from_the_environment(tmp_path, monkeypatch):
    write(tmp_path, "mine.py", GOOD.format(name="mine"))
    monkeypatch.setenv("SWITCHYARD_DISABLE_PLUGINS", "mine, backend_naive")
    registry = load(tmp_path)
    assert "mine" not in registry.positional and "naive" not in registry.backends
    assert sorted(registry.blocked) == ["backend_naive", "mine"]
    assert registry.errors == []
