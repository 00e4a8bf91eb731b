"""The built-in plugins: positional schemes, architectures and their level packs, goal
types, the naive backend and the campaign's chapters.

Each module or package here is one plugin, declared as a `switchyard` entry point in
pyproject.toml and loaded exactly like a third-party plugin (game/plugins/discovery.py).
They import only `game.api` (and NumPy and the standard library), which
tests/plugins/test_imports.py enforces. This file only makes the folder a package so the
wheel carries it; it registers nothing.
"""
