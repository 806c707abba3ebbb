"""Website and viewer text around a copied document (page counters, download buttons, cookie
notices, 'you may also like' lists): blanked before the copy is read, and remembered so one
finding can list it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .cells import fold
from .pdftext_identity import _field_split
from .pdftext_words import _header_start

# Lines a website or viewer adds: (pattern, also dropped when alone near a cookie notice).
_BOILERPLATE = re.compile(
    r"^(\d{1,4}\s*/\s*\d{1,4}|(halaman|hal\.?|page)\s*\d+(\s*(dari|of|/)\s*\d+)?|"
    r"(download|unduh)(\s+(pdf|sekarang|now|file|dokumen|document))?(\s*\(\d+\))?|"
    r"print|cetak|share|bagikan|save|simpan|embed|report|laporkan|upload|unggah|"
    r"log ?in|sign ?in|sign ?up|daftar|masuk|next|previous|sebelumnya|berikutnya|"
    r"zoom ?in|zoom ?out|full ?screen|layar penuh|open in app|buka di aplikasi|"
    r"(https?://|www\.)\S+|\S+\.(com|co\.id|id|org|net|tips|pub)|"
    r"(dipindai dengan|scanned (with|by)) camscanner|"
    r"(\d+\s+)?(views?|dilihat|pages?|halaman)|advertisement|iklan)$", re.IGNORECASE)


# An off-page connector's letter (a pentagon's "A") standing alone on its line.
_CONNECTOR = re.compile(r"^[A-Z]$")


_COOKIE = re.compile(r"\b(cookies?|kuki)\b", re.IGNORECASE)


_COOKIE_BUTTON = re.compile(
    r"^(accept( all)?|terima( semua)?|setuju|saya setuju|tolak|reject( all)?|ok|got it|"
    r"mengerti|tutup|close|pengaturan|settings|kebijakan privasi|privacy policy)$",
    re.IGNORECASE)


_RELATED = re.compile(
    r"^(you may also like|you might also like|anda mungkin juga (suka|menyukai)|"
    r"dokumen terkait|related documents?|recommended( for you)?|rekomendasi|lihat juga|"
    r"more from this (user|author)|dokumen serupa|similar documents?)\b", re.IGNORECASE)


# `_RELATED`, `_BOILERPLATE` and `_CONNECTOR` in one pattern, tried in that order, so a line
# of the document (nearly every line) costs one match instead of three.
_LINE_KIND = re.compile(rf"(?P<related>{_RELATED.pattern})|{_BOILERPLATE.pattern}|"
                        rf"(?-i:{_CONNECTOR.pattern})", re.IGNORECASE)


def _may_name_cookies(text: str) -> bool:
    """False when `_COOKIE` cannot match: it is asked of every line, and these substring tests
    are many times cheaper than the search. Exact: 'cookie' and 'kuki' hold 'coo' or 'kuk',
    and no letter but ASCII 'k' and the Kelvin sign (which lowers to it) matches 'c', 'o',
    'k' or 'u' when case is ignored."""
    low = text.lower()
    return "coo" in low or "kuk" in low


@dataclass
class _Source:
    """The copy's lines (index 0 = line 1), with website text blanked and remembered."""

    lines: list[str]
    dropped: list[tuple[int, str]] = field(default_factory=list)
    blanked: set[int] = field(default_factory=set)

    def blank(self, index: int) -> None:
        self.dropped.append((index + 1, self.lines[index].strip()))
        self.lines[index] = ""
        self.blanked.add(index)


def _strip_boilerplate(lines: list[str]) -> _Source:
    """Blank the lines a website or viewer put around the document."""
    source = _Source(list(lines))
    cookie_near = -10
    related = False
    for index, line in enumerate(source.lines):
        text = fold(line)
        if not text:
            continue
        if related:
            if _header_start(text) or _field_split(text):
                related = False
            else:
                source.blank(index)
                continue
        kind = _LINE_KIND.match(text)
        if kind is not None and kind.group("related") is not None:
            related = True
            source.blank(index)
        elif len(text) < 400 and _may_name_cookies(text) and _COOKIE.search(text):
            cookie_near = index
            source.blank(index)
        elif kind is not None or (index - cookie_near <= 3 and _COOKIE_BUTTON.match(text)):
            source.blank(index)             # website text or a connector's letter
    return source
