"""A disjoint set (union-find): items joined two at a time, then read back as groups.

Both the PDF reader (ruling segments that touch form one table) and the drawing mapper (line
pieces that meet form one arrow) join pieces pairwise and need the groups; path halving keeps
each lookup near constant, so thousands of pieces join in linear time.
"""

from __future__ import annotations


class DisjointSet:
    """Items 0 … size-1, each its own group until joined."""

    def __init__(self, size: int) -> None:
        self._parent = list(range(size))

    def find(self, item: int) -> int:
        """The representative of the item's group (path halving on the way)."""
        parent = self._parent
        while parent[item] != item:
            parent[item] = parent[parent[item]]
            item = parent[item]
        return item

    def union(self, a: int, b: int) -> None:
        self._parent[self.find(a)] = self.find(b)

    def groups(self) -> list[list[int]]:
        """Every group's items in ascending order, groups in the order of their first item."""
        found: dict[int, list[int]] = {}
        for item in range(len(self._parent)):
            found.setdefault(self.find(item), []).append(item)
        return list(found.values())
