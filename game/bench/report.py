"""BENCHMARKS.md, one section per benchmark: each run replaces only its own section.

The file is written atomically (a temporary file, then a rename), so an
interrupted benchmark never leaves a half-written report.
"""

from __future__ import annotations

import os
from pathlib import Path


def write_section(path: Path, heading: str, body: list[str]) -> None:
    """Replace the `## heading` section of the Markdown file at `path` (or add it)."""
    section = "\n".join([f"## {heading}", "", *body, ""])
    text = path.read_text(encoding="utf-8") if path.exists() else "# Benchmarks\n\n"
    start = text.find(f"## {heading}\n")
    if start == -1:
        text = text.rstrip("\n") + "\n\n" + section
    else:
        end = text.find("\n## ", start + 1)
        text = text[:start] + section + (text[end + 1 :] if end != -1 else "")
    tmp = path.with_suffix(path.suffix + ".tmp")
    tmp.write_text(text, encoding="utf-8")
    os.replace(tmp, path)
