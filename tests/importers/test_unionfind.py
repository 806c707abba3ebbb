"""The one union-find shared by the PDF ruling and the drawing mapper."""

from __future__ import annotations

from alur.importers.unionfind import DisjointSet


def test_groups_follow_joins_in_order_of_first_item():
    joined = DisjointSet(7)
    joined.union(5, 1)
    joined.union(3, 5)
    joined.union(6, 4)
    assert joined.groups() == [[0], [1, 3, 5], [2], [4, 6]]
    assert joined.find(3) == joined.find(1) != joined.find(4)


def test_long_chain_joins_in_linear_time():
    size = 200_000
    joined = DisjointSet(size)
    for i in range(size - 1):
        joined.union(i, i + 1)
    assert joined.groups() == [list(range(size))]


def test_nothing_joined_is_every_item_alone():
    assert DisjointSet(3).groups() == [[0], [1], [2]]
    assert DisjointSet(0).groups() == []
