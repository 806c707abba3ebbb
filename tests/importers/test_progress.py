"""Page-by-page progress of a long read: what the CLI's page bar is fed."""

from __future__ import annotations

from alur.importers.progress import each_page, page_done, reporting


def test_pages_are_reported_as_each_one_is_done_skipped_ones_included():
    seen: list[tuple[int, int]] = []
    read: list[str] = []
    with reporting(lambda done, total: seen.append((done, total))):
        for page in each_page(["a", "b", "c"], 3):
            if page == "b":
                continue  # a page that failed still counts as gone through
            read.append(page)
            assert seen[-1:] == ([] if page == "a" else [(2, 3)])
    assert read == ["a", "c"] and seen == [(1, 3), (2, 3), (3, 3)]


def test_an_unknown_total_counts_the_pages_seen_and_nobody_listening_costs_nothing():
    seen: list[tuple[int, int]] = []
    with reporting(lambda done, total: seen.append((done, total))):
        list(each_page(iter("xy")))
    assert seen == [(1, 1), (2, 2)]
    assert list(each_page(["p"], 1)) == ["p"]  # no listener: just the pages
    page_done(1, 1)


def test_a_failing_listener_never_stops_the_read():
    def broken(_done: int, _total: int) -> None:
        raise ValueError("terminal closed")

    with reporting(broken):
        assert list(each_page(["a", "b"], 2)) == ["a", "b"]


def test_a_read_in_a_child_process_reports_its_pages_to_the_parent():
    """The web import reads in a limited child; its pages still reach the job's progress."""
    from pathlib import Path

    from alur.importers.isolated import read_isolated

    pdf = Path(__file__).parent / "fixtures" / "pdf" / "layanan-kepegawaian.long.pdf"
    seen: list[tuple[int, int]] = []
    result = read_isolated(pdf, on_page=lambda done, total: seen.append((done, total)))
    assert result.sops
    done, total = seen[-1]
    assert total > 1 and done == total  # the last page, always reported at the end
    assert seen == sorted(set(seen)) and all(t == total for _, t in seen)
    assert read_isolated(pdf).sops == result.sops  # nobody listening: the same read
