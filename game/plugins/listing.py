"""What `switchyard plugins` prints: one row per loaded plugin, then what was refused.

`summary_rows` is the data (also the `--json` output's `loaded` list);
`listing_text` and `listing_json` are the two ways the command shows it.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from game.plugins.registry import Registry


def summary_rows(registry: Registry) -> list[Mapping[str, str]]:
    """One row per loaded plugin for `switchyard plugins`: name, source, version, registered."""
    rows = []
    for info in registry.plugins:
        what = "; ".join(
            f"{noun}: {', '.join(Path(n).name if noun == 'level path' else n for n in names)}"
            for noun, names in info.registered.items()
        )
        rows.append(
            {
                "name": info.name,
                "source": info.source,
                "version": info.version,
                "registered": what or "nothing",
                "location": info.location,
            }
        )
    return rows


def text_table(rows: Sequence[Mapping[str, Any]], columns: Sequence[str]) -> str:
    """A plain-text table, columns padded to their widest cell."""
    widths = [max(len(c), *(len(str(r[c])) for r in rows)) for c in columns]
    lines = ["  ".join(c.ljust(w) for c, w in zip(columns, widths, strict=True)).rstrip()]
    lines.append("  ".join("-" * w for w in widths))
    for row in rows:
        cells = (str(row[c]).ljust(w) for c, w in zip(columns, widths, strict=True))
        lines.append("  ".join(cells).rstrip())
    return "\n".join(lines)


def listing_json(registry: Registry) -> dict[str, Any]:
    """`switchyard plugins --json`: the loaded rows, the failed plugins and the blocked names."""
    failed = [
        {"name": e.plugin, "location": e.location, "error": e.message} for e in registry.errors
    ]
    return {"loaded": summary_rows(registry), "failed": failed, "blocked": registry.blocked}


def listing_text(registry: Registry) -> str:
    """`switchyard plugins`: a table of loaded plugins, then the blocked and the failed ones."""
    rows = summary_rows(registry)
    parts = [text_table(rows, ["name", "source", "version", "registered"])]
    if not rows:
        parts = ["No plugins loaded."]
    if registry.blocked:
        parts.append(f"\nTurned off by SWITCHYARD_DISABLE_PLUGINS: {', '.join(registry.blocked)}")
    if registry.errors:
        parts.append(f"\n{len(registry.errors)} plugin(s) failed and were disabled:")
        parts += [f"  {error}" for error in registry.errors]
    return "\n".join(parts)
