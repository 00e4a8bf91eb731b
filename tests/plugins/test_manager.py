"""The plugin manager: discovery, isolation of broken plugins, and the switches for authors.

Every fixture plugin here is a real file (or installed distribution) on disk,
loaded the way a player's or teacher's plugin would be.
"""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from game.api import PositionalScheme
from game.plugins import KINDS, load_plugins

GOOD = """
from game.api import hookimpl, PositionalScheme

@hookimpl
def switchyard_register_positional_schemes(register):
    register(PositionalScheme(name="{name}", title="T", description="a fine scheme"))
"""


def write(folder: Path, name: str, source: str) -> Path:
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(textwrap.dedent(source).lstrip(), encoding="utf-8")
    return path


def load(user_dir: Path, **kwargs):
    """Built-ins plus one user folder; no installed entry points unless asked."""
    kwargs.setdefault("entry_points", False)
    return load_plugins(user_dir=user_dir, **kwargs)


def error_for(registry, plugin: str):
    found = [e for e in registry.errors if e.plugin == plugin]
    assert len(found) == 1, registry.errors
    return found[0]


def test_a_good_user_plugin_loads_with_the_builtins(tmp_path):
    write(tmp_path, "mine.py", GOOD.format(name="mine"))
    registry = load(tmp_path)
    assert registry.errors == []
    assert isinstance(registry.positional["mine"], PositionalScheme)
    info = next(p for p in registry.plugins if p.name == "mine")
    assert info.source == "user folder" and info.registered == {"positional scheme": ["mine"]}
    assert any(p.source == "built-in" for p in registry.plugins)


def test_a_package_plugin_with_relative_imports_loads(tmp_path):
    write(
        tmp_path, "pack/__init__.py", "from .scheme import switchyard_register_positional_schemes\n"
    )
    write(tmp_path, "pack/scheme.py", GOOD.format(name="packed"))
    registry = load(tmp_path)
    assert registry.errors == [] and "packed" in registry.positional


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


def test_non_callable_field_and_empty_name_are_rejected(tmp_path):
    write(
        tmp_path,
        "bad_fields.py",
        """
        from game.api import hookimpl, PositionalScheme

        @hookimpl
        def switchyard_register_positional_schemes(register):
            register(PositionalScheme(name="ok", title="T", description="d", bias=42))
        """,
    )
    write(
        tmp_path,
        "no_name.py",
        """
        from game.api import hookimpl, PositionalScheme

        @hookimpl
        def switchyard_register_positional_schemes(register):
            register(PositionalScheme(name="  ", title="T", description="d"))
        """,
    )
    registry = load(tmp_path)
    assert "bias must be callable" in error_for(registry, "bad_fields").message
    assert "non-empty name" in error_for(registry, "no_name").message


def test_architecture_blocks_must_use_its_sequences(tmp_path):
    write(
        tmp_path,
        "bad_arch.py",
        """
        from game.api import hookimpl, Architecture, AttentionBlock

        @hookimpl
        def switchyard_register_architectures(register):
            register(Architecture(name="odd", title="T", description="d", sequences=("tokens",),
                                  blocks=(AttentionBlock("cross", "target", "tokens"),)))
        """,
    )
    assert "'target'" in error_for(load(tmp_path), "bad_arch").message


def test_a_duplicate_name_disables_the_later_plugin_and_names_both(tmp_path):
    write(tmp_path, "a_first.py", GOOD.format(name="dup"))
    second = write(
        tmp_path,
        "b_second.py",
        GOOD.format(name="dup")
        + "\n@hookimpl\ndef switchyard_register_levels(register):\n    register('levels')\n",
    )
    registry = load(tmp_path)
    error = error_for(registry, "b_second")
    assert "'dup'" in error.message and "'a_first'" in error.message
    assert error.location == f"{second}:5"  # the register() call
    assert all(plugin != "b_second" for plugin, _ in registry.level_sources)


def test_duplicate_name_within_one_plugin_is_an_error(tmp_path):
    write(
        tmp_path,
        "twice.py",
        """
        from game.api import hookimpl, PositionalScheme

        @hookimpl
        def switchyard_register_positional_schemes(register):
            register(PositionalScheme(name="same", title="T", description="d"))
            register(PositionalScheme(name="same", title="T", description="d"))
        """,
    )
    registry = load(tmp_path)
    assert "'same'" in error_for(registry, "twice").message and "same" not in registry.positional


def test_a_builtin_name_cannot_be_taken_over(tmp_path):
    write(
        tmp_path,
        "impostor.py",
        """
        from game.api import hookimpl, AttentionBackend

        @hookimpl
        def switchyard_register_backends(register):
            register(AttentionBackend(name="naive", title="T", run=lambda inputs: None))
        """,
    )
    registry = load(tmp_path)
    assert "'backend_naive'" in error_for(registry, "impostor").message
    assert registry.backends["naive"].title.startswith("Naive")


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


def test_no_plugins_keeps_only_builtins_and_explicit_paths(tmp_path):
    user = tmp_path / "user"
    write(user, "mine.py", GOOD.format(name="mine"))
    extra = write(tmp_path / "elsewhere", "extra.py", GOOD.format(name="extra"))
    registry = load(user, no_plugins=True, extra=[extra])
    assert "mine" not in registry.positional
    assert "extra" in registry.positional
    assert {p.source for p in registry.plugins} == {"built-in", "command line"}


def test_a_missing_explicit_plugin_path_is_an_error_not_a_crash(tmp_path):
    registry = load(tmp_path, extra=[tmp_path / "nope.py"])
    assert "no such file" in error_for(registry, "nope").message


def test_user_folder_from_the_environment(tmp_path, monkeypatch):
    write(tmp_path, "env_plugin.py", GOOD.format(name="env_scheme"))
    monkeypatch.setenv("SWITCHYARD_PLUGIN_DIR", str(tmp_path))
    registry = load_plugins(entry_points=False)
    assert "env_scheme" in registry.positional


def test_level_paths_are_resolved_against_the_plugin(tmp_path):
    write(
        tmp_path,
        "pack/__init__.py",
        """
        from game.api import hookimpl

        @hookimpl
        def switchyard_register_levels(register):
            register("levels")
        """,
    )
    registry = load(tmp_path)
    assert ("pack", tmp_path / "pack" / "levels") in registry.level_sources


def make_distribution(site: Path, module_source: str, version: str = "2.5.1") -> None:
    """A real installed distribution on `site`: a module plus its dist-info with an entry point."""
    write(site, "sy_thirdparty.py", module_source)
    info = site / "sy_thirdparty-2.5.1.dist-info"
    info.mkdir(parents=True)
    (info / "METADATA").write_text(
        f"Metadata-Version: 2.1\nName: sy-thirdparty\nVersion: {version}\n", encoding="utf-8"
    )
    (info / "entry_points.txt").write_text(
        "[switchyard]\nthirdparty = sy_thirdparty\n", encoding="utf-8"
    )


def test_entry_point_plugins_are_discovered_with_their_version(tmp_path, monkeypatch):
    make_distribution(tmp_path, GOOD.format(name="thirdparty_scheme"))
    monkeypatch.syspath_prepend(str(tmp_path))
    registry = load_plugins(user_dir=tmp_path / "none", entry_points=True)
    assert "thirdparty_scheme" in registry.positional
    info = next(p for p in registry.plugins if p.name == "thirdparty")
    assert info.source == "entry point" and info.version == "2.5.1"
    sys.modules.pop("sy_thirdparty", None)


def test_a_broken_entry_point_is_isolated(tmp_path, monkeypatch):
    make_distribution(tmp_path, "x = 1\nraise ImportError('half installed')\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    registry = load_plugins(user_dir=tmp_path / "none", entry_points=True)
    error = error_for(registry, "thirdparty")
    assert "half installed" in error.message
    assert error.location == f"{tmp_path / 'sy_thirdparty.py'}:2"
    assert registry.backends  # the built-ins still loaded


def run_cli(*args, env_extra=None):
    import os

    env = {**os.environ, "SDL_VIDEODRIVER": "dummy", "SDL_AUDIODRIVER": "dummy"}
    env.update(env_extra or {})
    return subprocess.run(
        [sys.executable, "main.py", *args], capture_output=True, text=True, timeout=120, env=env
    )


def test_cli_lists_loaded_and_failed_plugins_without_crashing(tmp_path):
    write(tmp_path, "mine.py", GOOD.format(name="mine"))
    write(tmp_path, "broken.py", "def oops(:\n")
    result = run_cli("plugins", env_extra={"SWITCHYARD_PLUGIN_DIR": str(tmp_path)})
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stdout + result.stderr
    assert "mine" in result.stdout and "user folder" in result.stdout
    assert f"{tmp_path / 'broken.py'}:1" in result.stdout and "SyntaxError" in result.stdout


def test_cli_json_and_the_plugin_flag(tmp_path):
    extra = write(tmp_path / "x", "solo.py", GOOD.format(name="solo"))
    empty_user = tmp_path / "user"
    result = run_cli(
        "plugins", "--json", "--no-plugins", "--plugin", str(extra),
        env_extra={"SWITCHYARD_PLUGIN_DIR": str(empty_user)},
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    solo = next(row for row in data["loaded"] if row["name"] == "solo")
    assert solo["source"] == "command line" and "solo" in solo["registered"]
    assert data["failed"] == []
