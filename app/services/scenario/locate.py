"""Finding the line of a value in ``post.toml``, so problems point at the line to edit.

``tomllib`` gives values without positions; this scans the text once and remembers, for
each table header and each ``key =`` line, the path it belongs to (``offices[3].name``).
"""

from __future__ import annotations

import re

_ARRAY_HEADER = re.compile(r"^\s*\[\[\s*([A-Za-z0-9_.\-]+)\s*\]\]")
_TABLE_HEADER = re.compile(r"^\s*\[\s*([A-Za-z0-9_.\-]+)\s*\]")
_KEY = re.compile(r"^\s*([A-Za-z0-9_\-]+)\s*=")

Path = tuple[str | int, ...]


class TomlLocator:
    def __init__(self, text: str) -> None:
        self._lines: dict[Path, int] = {}
        counters: dict[Path, int] = {}
        context: Path = ()
        for number, line in enumerate(text.splitlines(), start=1):
            array = _ARRAY_HEADER.match(line)
            table = None if array else _TABLE_HEADER.match(line)
            if array or table:
                names = (array or table).group(1).split(".")  # type: ignore[union-attr]
                context = self._resolve(names[:-1], context)
                if array:
                    key = context + (names[-1],)
                    index = counters.get(key, -1) + 1
                    counters[key] = index
                    # The array itself is where its first entry starts.
                    self._lines.setdefault(key, number)
                    context = key + (index,)
                else:
                    context = context + (names[-1],)
                self._lines.setdefault(context, number)
                continue
            key_match = _KEY.match(line)
            if key_match:
                self._lines.setdefault(context + (key_match.group(1),), number)

    def _resolve(self, parents: list[str], context: Path) -> Path:
        """A dotted header like ``offices.hours`` nests under the latest ``offices`` entry."""
        path: Path = ()
        for name in parents:
            path = path + (name,)
            # Follow the array index of the entry currently open under that name.
            if len(context) > len(path) and context[: len(path)] == path and isinstance(context[len(path)], int):
                path = path + (context[len(path)],)
        return path

    def line(self, *path: str | int) -> int | None:
        """The line of ``path`` or, failing that, of its nearest enclosing table."""
        for length in range(len(path), 0, -1):
            found = self._lines.get(tuple(path[:length]))
            if found is not None:
                return found
        return None

    def where(self, *path: str | int) -> str:
        number = self.line(*path)
        return f"line {number}" if number else ""
