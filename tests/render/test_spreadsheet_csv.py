"""CSV meant for spreadsheets is escaped like the XLSX writer's text cells (`csv_safe`)."""

import csv
import io
import re
from pathlib import Path

import pytest

from alur.render.spreadsheet import FORMULA_STARTS, csv_safe

SOURCE = Path(__file__).parents[2] / "src" / "alur"


@pytest.mark.parametrize("text", ["=HYPERLINK(\"http://x\",\"klik\")", "+62 812", "-1+2",
                                  "@SUM(A1)", "\t=1+1", "\r=1+1"])
def test_formula_starts_are_marked_as_text(text):
    safe = csv_safe(text)
    assert safe == "'" + text and not safe.startswith(FORMULA_STARTS)
    # Through a CSV writer and back, the cell still reads as the typed text behind the mark.
    buffer = io.StringIO()
    csv.writer(buffer).writerow([safe])
    assert next(csv.reader(io.StringIO(buffer.getvalue())))[0] == "'" + text


@pytest.mark.parametrize("text", ["Surat Keluar", "", "1 = 1", "a-b", "Rp 5.000", "'kutip"])
def test_other_text_is_left_as_typed(text):
    assert csv_safe(text) == text


def test_every_csv_the_app_serves_goes_through_csv_safe():
    """A module that answers with text/csv for spreadsheets must escape with csv_safe; an
    event-log export for programs says so with the words 'raw' in its module docstring."""
    for path in SOURCE.rglob("*.py"):
        text = path.read_text(encoding="utf-8")
        if not re.search(r"text/csv|csv\.writer|csv\.DictWriter", text):
            continue
        assert "csv_safe" in text or "raw" in text.split('"""')[1], path
