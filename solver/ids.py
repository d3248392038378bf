"""Indexing a problem's entities by id, refusing duplicates: shared by every engine's problem."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import TypeVar

Item = TypeVar("Item")


def unique_index(items: Iterable[Item], kind: str, key: Callable[[Item], str]) -> dict[str, Item]:
    """``items`` by ``key``; two items with one id are an input error naming the kind and id."""
    result: dict[str, Item] = {}
    for item in items:
        name = key(item)
        if name in result:
            raise ValueError(f"two {kind} entries share the id {name!r}")
        result[name] = item
    return result


class Groups:
    """Disjoint groups of ids (union-find): what decomposition and alignment join together."""

    def __init__(self, ids: Iterable[str]) -> None:
        self._parent = {name: name for name in ids}

    def find(self, name: str) -> str:
        parent = self._parent
        while parent[name] != name:
            parent[name] = parent[parent[name]]
            name = parent[name]
        return name

    def join(self, names: Iterable[str]) -> None:
        roots = [self.find(name) for name in names]
        for root in roots[1:]:
            self._parent[root] = roots[0]

    def groups(self) -> list[set[str]]:
        """Every group, in the order of its first member."""
        found: dict[str, set[str]] = {}
        for name in self._parent:
            found.setdefault(self.find(name), set()).add(name)
        return list(found.values())
