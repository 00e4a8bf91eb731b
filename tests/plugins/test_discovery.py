"""Finding plugins: the user folder, packages, entry points, --plugin paths and --no-plugins.

Every fixture plugin here is a real file (or installed distribution) on disk,
loaded the way a player's or teacher's plugin would be.
"""

from __future__ import annotations

import sys
from pathlib import Path

from game.api import PositionalScheme
from game.plugins import load_plugins
from tests.plugins.plugin_files import GOOD, error_for, load, make_distribution, write


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


def test_the_package_keeps_every_public_name_and_finds_the_builtins():
    import game.plugins

    for name in (
        "BUILTIN_DIR", "ENTRY_POINT_GROUP", "HOOK_PREFIX", "KINDS", "PluginError", "PluginFailure",
        "PluginInfo", "Registry", "RegistryKind", "find_plugins", "load_plugins", "summary_rows",
        "user_plugin_dir",
    ):  # fmt: skip
        assert hasattr(game.plugins, name), name
    repo = Path(__file__).resolve().parents[2]
    assert game.plugins.BUILTIN_DIR == repo / "game" / "builtin_plugins"
    assert (game.plugins.BUILTIN_DIR / "campaign.py").is_file()


def test_every_builtin_is_declared_as_an_entry_point_in_pyproject():
    """The wheel loads built-ins through entry points: one per module or package here."""
    import tomllib

    from game.plugins.discovery import _path_name, _plugin_paths

    repo = Path(__file__).resolve().parents[2]
    table = tomllib.loads((repo / "pyproject.toml").read_text(encoding="utf-8"))
    declared = table["project"]["entry-points"]["switchyard"]
    modules = {_path_name(p) for p in _plugin_paths(repo / "game" / "builtin_plugins")}
    assert len(modules) >= 11
    assert declared == {name: f"game.builtin_plugins.{name}" for name in sorted(modules)}


def test_builtins_load_through_their_entry_points_as_built_ins():
    registry = load_plugins(no_plugins=True)
    builtins = {info.name: info for info in registry.plugins if info.source == "built-in"}
    assert "campaign" in builtins and "goals" in builtins
    assert builtins["campaign"].location.startswith("entry point campaign = game.builtin_plugins")


def test_builtins_still_load_from_their_folder_without_installed_metadata(monkeypatch):
    """A source checkout never installed (or a stale install): no built-in is lost."""
    import importlib.metadata

    real = importlib.metadata.entry_points
    monkeypatch.setattr(
        importlib.metadata,
        "entry_points",
        lambda **kw: [ep for ep in real(**kw) if not ep.value.startswith("game.builtin_plugins")],
    )
    registry = load_plugins(no_plugins=True)
    builtins = {info.name: info for info in registry.plugins if info.source == "built-in"}
    assert {"campaign", "goals", "positional_rope"} <= set(builtins)
    assert builtins["campaign"].location.endswith("campaign.py")
    assert registry.errors == [] and "01_trophy" in registry.levels
