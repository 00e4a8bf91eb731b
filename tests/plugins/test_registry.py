"""What a plugin registers: checked item by item, and unique across all plugins."""

from __future__ import annotations

from tests.plugins.plugin_files import GOOD, error_for, load, write


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
