"""Find the line where each key of a TOML document is written.

tomllib gives values but not positions, and a good error names its line. This
scanner walks TOML text (already accepted by tomllib) and records, for every
key path it meets — `("goals", 0, "query")`, `("sentences", 1, "tokens", 3)`
— the 1-based line where it starts: table headers `[x]`, arrays of tables
`[[goals]]` counted by index, dotted keys, inline tables and array elements.
`line_of` falls back to the nearest parent that was written down.
"""

from __future__ import annotations

from collections.abc import Mapping

Path = tuple[str | int, ...]

_BARE = set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-")


class _Scanner:
    def __init__(self, text: str) -> None:
        self.s = text
        self.i = 0
        self.line = 1
        self.lines: dict[Path, int] = {}
        self.last_index: dict[Path, int] = {}  # array-of-tables path -> its latest index

    # -- characters ---------------------------------------------------------
    def peek(self, offset: int = 0) -> str:
        j = self.i + offset
        return self.s[j] if j < len(self.s) else ""

    def advance(self, count: int = 1) -> None:
        for _ in range(count):
            if self.i < len(self.s):
                if self.s[self.i] == "\n":
                    self.line += 1
                self.i += 1

    def skip_blank(self, newlines: bool) -> None:
        """Skip spaces, tabs, comments and (when asked) newlines."""
        while self.i < len(self.s):
            c = self.s[self.i]
            if c in " \t\r" or (newlines and c == "\n"):
                self.advance()
            elif c == "#":
                while self.i < len(self.s) and self.s[self.i] != "\n":
                    self.i += 1
            else:
                return

    def note(self, path: Path, line: int | None = None) -> None:
        self.lines.setdefault(path, self.line if line is None else line)

    # -- keys and strings ---------------------------------------------------
    def string(self) -> str:
        quote = self.peek()
        if self.s.startswith(quote * 3, self.i):
            end = self.s.find(quote * 3, self.i + 3)
            end = len(self.s) if end < 0 else end
            while self.s.startswith(quote, end + 3):  # up to two quotes may close the string
                end += 1
            text = self.s[self.i + 3 : end]
            self.advance(end + 3 - self.i)
            return text
        self.advance()
        out = []
        while self.i < len(self.s) and self.s[self.i] not in (quote, "\n"):
            if quote == '"' and self.s[self.i] == "\\":
                out.append(self.s[self.i : self.i + 2])
                self.advance(2)
                continue
            out.append(self.s[self.i])
            self.advance()
        self.advance()  # the closing quote
        text = "".join(out)
        if quote == '"' and "\\" in text:
            try:
                import json

                text = json.loads(f'"{text}"')
            except ValueError:
                pass
        return text

    def key(self) -> list[str]:
        """A dotted key: bare or quoted parts joined by dots."""
        parts = []
        while True:
            self.skip_blank(newlines=False)
            c = self.peek()
            if c in ('"', "'"):
                parts.append(self.string())
            else:
                start = self.i
                while self.peek() in _BARE and self.peek():
                    self.i += 1
                if self.i == start:
                    raise ValueError("no key here")
                parts.append(self.s[start : self.i])
            self.skip_blank(newlines=False)
            if self.peek() != ".":
                return parts
            self.advance()

    def expand(self, parts: list[str]) -> Path:
        """Insert the current index after every array-of-tables prefix."""
        path: Path = ()
        for part in parts:
            path = (*path, part)
            if path in self.last_index:
                path = (*path, self.last_index[path])
        return path

    # -- values -------------------------------------------------------------
    def value(self, path: Path) -> None:
        c = self.peek()
        if c in ('"', "'"):
            self.string()
        elif c == "[":
            self.advance()
            index = 0
            while True:
                self.skip_blank(newlines=True)
                if self.peek() in ("]", ""):
                    self.advance()
                    return
                self.note((*path, index))
                self.value((*path, index))
                self.skip_blank(newlines=True)
                if self.peek() == ",":
                    self.advance()
                    index += 1
        elif c == "{":
            self.advance()
            while True:
                self.skip_blank(newlines=True)
                if self.peek() in ("}", ""):
                    self.advance()
                    return
                self.key_value(path)
                self.skip_blank(newlines=True)
                if self.peek() == ",":
                    self.advance()
        else:
            while self.peek() not in ("", ",", "]", "}", "\n", "#"):
                self.i += 1

    def key_value(self, table: Path) -> None:
        line = self.line
        parts = self.key()
        for m in range(1, len(parts) + 1):
            self.note((*table, *parts[:m]), line)
        self.skip_blank(newlines=False)
        if self.peek() != "=":
            raise ValueError("expected =")
        self.advance()
        self.skip_blank(newlines=False)
        self.value((*table, *parts))

    def document(self) -> None:
        table: Path = ()
        while True:
            self.skip_blank(newlines=True)
            if not self.peek():
                return
            line = self.line
            if self.s.startswith("[[", self.i):
                self.advance(2)
                parts = self.key()
                names = self.expand(parts[:-1]) + (parts[-1],)
                index = self.last_index.get(names, -1) + 1
                self.last_index[names] = index
                table = (*names, index)
                for m in range(1, len(table) + 1):
                    self.note(table[:m], line)
                self.advance(2)
            elif self.peek() == "[":
                self.advance()
                table = self.expand(self.key())
                for m in range(1, len(table) + 1):
                    self.note(table[:m], line)
                self.advance()
            else:
                self.key_value(table)
            while self.peek() not in ("\n", ""):  # the rest of the line: comments
                self.advance()


def key_lines(text: str) -> dict[Path, int]:
    """Every key path in `text` with the line it starts on (first definition wins).

    Never raises: on text it cannot follow it returns what it found so far.
    """
    scanner = _Scanner(text)
    try:
        scanner.document()
    except (ValueError, RecursionError, IndexError):
        pass
    return scanner.lines


def line_of(lines: Mapping[Path, int], path: Path) -> int:
    """The line of `path`, else of its nearest written parent, else line 1."""
    for m in range(len(path), 0, -1):
        if path[:m] in lines:
            return lines[path[:m]]
    return 1
