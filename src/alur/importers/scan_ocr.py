"""OCR words of a scanned page by Tesseract, and how they are regrouped into lines and cell
paragraphs.

Tesseract (`--oem 1`, LSTM; `--psm 11`, sparse text: a table's cells are scattered blocks, not
one column of prose) reads the page once. Sparse text skips lone characters, so a narrow,
mostly empty column (the step numbers) is read again as one block (`--psm 6`).

**Why pytesseract and not ocrmypdf:** the reader needs each word's box and confidence to place
it in the grid and to say which values were guessed; pytesseract's `image_to_data` gives
exactly that from the Tesseract CLI, with no other dependency. ocrmypdf would add a text layer
to the PDF (pulling in Ghostscript, a PDF/A pipeline and many packages) only for the PDF reader
to take the words out again, and it cannot help with images, nor measure shapes.
"""

from __future__ import annotations

import difflib
import html
import os
import re
import shutil
from dataclasses import dataclass
from statistics import median
from typing import Any

from alur.i18n import N_
from alur.sop.codes import Message, W, register

from .exit_words import branch_of
from .grid import Box
from .scan_tables import Table, locate

IMPORT_SCAN_NO_INDONESIAN = register(
    "import.scan-no-indonesian", W,
    "Tesseract is installed without its Indonesian language data; scans are read as English",
    N_("The OCR program on this server has no Indonesian language data, so the scan is read "
       "with {languages} only and Indonesian words are misread more often. Ask the "
       "administrator to install it (Debian/Ubuntu: apt-get install tesseract-ocr-ind)."))
LANGUAGES = "ind+eng"
OCR_CONFIG = "--oem 1 --psm 11"
OCR_TIMEOUT = 120         # seconds per page
LOW_CONFIDENCE = 60.0     # percent: words below are reported


def tesseract_command() -> str | None:
    """The Tesseract executable pytesseract will run, when installed."""
    try:
        import pytesseract
    except ImportError:
        return None
    configured = pytesseract.pytesseract.tesseract_cmd
    return shutil.which(configured) or shutil.which("tesseract")


@dataclass
class Word:
    text: str
    box: Box          # pixels
    confidence: float

    @property
    def centre(self) -> tuple[float, float]:
        return self.box.centre


def languages() -> tuple[str, Message | None]:
    """`LANGUAGES` as far as Tesseract has their data, and a finding when Indonesian is
    missing (a server with only `tesseract-ocr` installed)."""
    import pytesseract

    try:
        installed = set(pytesseract.get_languages())
    except (OSError, RuntimeError):
        return LANGUAGES, None
    wanted = LANGUAGES.split("+")
    present = [lang for lang in wanted if lang in installed]
    if "ind" in present or not installed:
        return "+".join(present) or LANGUAGES, None
    fallback = "+".join(present) or sorted(installed - {"osd"} or installed)[0]
    return fallback, IMPORT_SCAN_NO_INDONESIAN(languages=fallback)


def ocr(image: Any, languages: str, config: str = OCR_CONFIG) -> list[Word]:
    import pytesseract

    # Tesseract's OpenMP threads fight over small machines' cores: one thread is more than
    # twice as fast on two cores (measured: 4 s instead of 10 s a page).
    os.environ.setdefault("OMP_THREAD_LIMIT", "1")
    data = pytesseract.image_to_data(image, lang=languages, config=config,
                                     output_type=pytesseract.Output.DICT, timeout=OCR_TIMEOUT)
    words = []
    for text, left, top, width, height, conf in zip(data["text"], data["left"], data["top"],
                                                    data["width"], data["height"], data["conf"],
                                                    strict=False):
        text = (text or "").strip()
        confidence = float(conf)
        if not text or confidence < 0:
            continue
        if (confidence < 30 and not re.search(r"[0-9A-Za-z]{2}", text)) or (
                confidence < LOW_CONFIDENCE and not re.search(r"[0-9A-Za-z]", text)):
            continue  # a speck or a stroke read as punctuation
        words.append(Word(text, Box.of(left, top, width, height), confidence))
    return words


def narrow_columns(clean: Any, tables: list[Table], words: list[Word], dpi: float,
                    languages: str) -> list[Word]:
    """A second look at narrow columns left mostly empty (the step numbers): sparse-text OCR
    skips a lone digit, so each such column is read again as one block (`--psm 6`)."""
    found: list[Word] = []
    replaced: set[tuple[int, int]] = set()
    for table in tables:
        replaced.clear()
        filled = {table.cell_of.get(loc, loc) for w in words
                  if (loc := locate(table, w.centre)) is not None}
        for c in range(len(table.xs) - 1):
            if table.xs[c + 1] - table.xs[c] > dpi * 0.6:
                continue
            body = [r for r in range(1, len(table.ys) - 1) if table.cell_of.get((r, c)) == (r, c)]
            empty = [r for r in body if (r, c) not in filled]
            if len(empty) < 2 or len(empty) * 2 < len(body):
                continue
            x0, x1 = table.xs[c] + 4, table.xs[c + 1] - 3
            y0, y1 = table.ys[body[0]] + 3, table.ys[body[-1] + 1] - 3
            for word in ocr(clean[y0:y1, x0:x1], languages, "--oem 1 --psm 6"):
                word.box = word.box.shifted(x0, y0)
                located = locate(table, word.centre)
                if located is not None and located[0] in body:
                    found.append(word)
                    replaced.add((located[0], c))
        # The second reading replaces the first's unsure words in the cells it read.
        words[:] = [w for w in words if (loc := locate(table, w.centre)) is None
                    or table.cell_of.get(loc, loc) not in replaced]
    return found


def text_lines(words: list[Word]) -> list[list[Word]]:
    """Words grouped into lines (their vertical centres within half a word height), top down,
    each left to right."""
    lines: list[list[Word]] = []
    for word in sorted(words, key=lambda w: (w.centre[1], w.box.x0)):
        for line in lines:
            last = line[-1]
            if abs(last.centre[1] - word.centre[1]) <= max(last.box.h, word.box.h) * 0.5:
                line.append(word)
                break
        else:
            lines.append([word])
    for line in lines:
        line.sort(key=lambda w: w.box.x0)
    lines.sort(key=lambda line: min(w.box.y0 for w in line))
    return lines


_ITEM_START = re.compile(r"^([-–•*·]|\d{1,2}[.)]|[a-z][.)])(\s|$)")


def paragraphs(lines: list[list[Word]]) -> list[str]:
    """Lines rejoined where only the width broke them; a bullet or number, or a gap taller
    than half a line, starts a new paragraph."""
    paragraphs: list[str] = []
    previous: list[Word] | None = None
    for line in lines:
        text = " ".join(w.text for w in line)
        height = median(w.box.h for w in line)
        starts = previous is None or bool(_ITEM_START.match(text)) or (
            min(w.box.y0 for w in line) - max(w.box.y1 for w in previous) > height * 0.8)
        if starts:
            paragraphs.append(text)
        else:
            paragraphs[-1] += " " + text
        previous = line
    return paragraphs


def raw_html(paragraphs: list[str]) -> str:
    if len(paragraphs) == 1:
        return html.escape(paragraphs[0], quote=False)
    return "".join(f"<p>{html.escape(p, quote=False)}</p>" for p in paragraphs)


# The words written on a decision's exits, as OCR most often garbles them by one letter.
_EXIT_WORDS = ("Ya", "Tidak", "Lengkap", "Tidak lengkap", "Setuju", "Tidak setuju", "Benar",
               "Salah", "Sesuai", "Tidak sesuai", "Ditolak", "Revisi")


def exit_word(text: str) -> str:
    """A label over the flowchart one letter off an exit word ("Tidal") is that word; it is
    reported among the page's unsure words anyway when OCR was unsure of it."""
    if branch_of(text) is not None or len(text) < 4:
        return text
    close = difflib.get_close_matches(text.strip(" .:"), _EXIT_WORDS, n=1, cutoff=0.8)
    return close[0] if close else text


def turned(grey: Any) -> Any | None:
    """The page turned upright when Tesseract's orientation detection is sure it lies on its
    side or upside down (a landscape SOP scanned as a portrait sheet), else None."""
    import cv2
    import pytesseract

    try:
        found = pytesseract.image_to_osd(grey, output_type=pytesseract.Output.DICT,
                                         timeout=OCR_TIMEOUT)
    except (RuntimeError, OSError):
        return None  # too little text to tell (a picture), or no orientation data
    turns = {90: cv2.ROTATE_90_CLOCKWISE, 180: cv2.ROTATE_180,
             270: cv2.ROTATE_90_COUNTERCLOCKWISE}
    if found.get("rotate") not in turns or float(found.get("orientation_conf", 0)) < 2.0:
        return None
    return cv2.rotate(grey, turns[found["rotate"]])
