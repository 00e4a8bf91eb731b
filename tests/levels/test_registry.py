"""Levels from several plugins: folders in name order, duplicates named, broken files isolated."""

from __future__ import annotations

from game.levels import load_registered_levels
from tests.model.fixtures import CATALOG, GOOD


def write(folder, name, text):
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def test_folders_files_duplicates_and_broken_files(tmp_path):
    a = tmp_path / "a"
    write(a, "02_second.toml", GOOD.replace('id = "01_trophy"', 'id = "second"'))
    first = write(a, "01_first.toml", GOOD)
    write(a, "notes.txt", "not a level")
    broken = write(a, "03_broken.toml", GOOD.replace("par = 1", "par = -1"))
    duplicate = write(tmp_path / "b", "copy.toml", GOOD)
    levels, problems = load_registered_levels(
        [("builtin", a), ("pack", duplicate), ("ghost", tmp_path / "missing")], catalog=CATALOG
    )
    assert list(levels) == ["01_trophy", "second"]  # name order within a folder
    assert levels["01_trophy"].path == str(first)
    assert levels["01_trophy"].source == "builtin"
    assert [str(p) for p in problems] == [
        f"{broken}:14: par: input should be greater than or equal to 0",
        f'{duplicate}:2: id: level id "01_trophy" is already used by {first} (plugin builtin)',
        f"{tmp_path / 'missing'}: no such file or folder (registered by plugin ghost)",
    ]
