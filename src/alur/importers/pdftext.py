"""Text copied out of a PDF (a browser's viewer, a PDF reader, `pdftotext`): the step table
without tab separators, rebuilt into `Block`s so the ordinary reader reads it unchanged.

Such a copy keeps the words but not the grid. The header is split over lines ("Pelaksana Mutu
Baku" / "No Kegiatan Keterangan" / actor names and "Kelengkapan Waktu Output"), each row's cells
are joined by single spaces and wrap onto the following lines, and website text surrounds the
document. What stays reliable is used, in this order:

- the step numbers: a line starting with the number that follows the previous step's starts a
  row (a number standing alone, or only with the time, sits in the middle of its row, as PDFs
  that centre it vertically give);
- the time standard (`10 menit`, `1-2 hari`): it stands between Kelengkapan and Output, so it
  anchors the row; the activity/inputs and outputs/notes splits beside it are guessed from the
  words (inputs repeat as outputs, lines start new cells, notes name other SOPs);
- with `pdftotext -layout`, the columns' positions under the header, which split cells exactly;
- a table dumped column by column (every Mutu Baku value after the last step) is matched back
  to the steps by count and order.

Website text (page counters, "Download", cookie notices, "you may also like" lists) is left out
with one finding listing it; whatever else cannot be placed is reported with its line.

What a copy without positions cannot give back: a row whose cells were interleaved line by
line (pdfplumber, some viewers: line 2 holds the second line of every cell) keeps its number
and time, but its words are split between cells as if they came cell by cell; where such rows
also centre their number, the lines between two numbers are divided by a guess, and a finding
says so. Actor marks are mostly lost, so the reader infers actors from the text.
Everything here is one pass over the lines (windows of bounded size), so a huge paste does not
hang the importer.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import lru_cache

from alur.i18n import N_
from alur.sop.codes import INFO, Message, Np_, W, register
from alur.sop.duration import _UNIT_SPELLINGS, is_duration
from alur.sop.findings import Finding
from alur.sop.model import Sop

from .blocks import Block
from .caps import IMPORT_CAP_SOPS
from .cells import fold
from .identity import FIELD_LABELS, LIST_LABELS, find_nip, looks_like_agency, looks_like_person
from .narrative import section_heading
from .notes import short

PDFCOPY_READ = register(
    "import.pdfcopy-read", INFO,
    "a text copied from a PDF: the step table was rebuilt without column separators",
    {"": Np_("The text was copied from a PDF without column separators: {count} step was "
             "rebuilt from its number and its time standard; the split between activity and "
             "Kelengkapan, and between Output and Keterangan, is read from the words.",
             "The text was copied from a PDF without column separators: {count} steps were "
             "rebuilt from their numbers and time standards; the split between activity and "
             "Kelengkapan, and between Output and Keterangan, is read from the words."),
     "layout": Np_("The text was copied from a PDF with its layout kept: {count} step was "
                   "rebuilt from the positions of the columns under the header.",
                   "The text was copied from a PDF with its layout kept: {count} steps were "
                   "rebuilt from the positions of the columns under the header.")})
PDFCOPY_BOILERPLATE = register(
    "import.pdfcopy-boilerplate", INFO,
    "website or viewer text around the copied document (page counters, download buttons, "
    "cookie notices, lists of other documents, repeated table headers) was left out",
    Np_("{count} line that is not part of the SOP was left out: {texts}.",
        "{count} lines that are not part of the SOP were left out: {texts}."))
PDFCOPY_NO_TIME = register(
    "import.pdfcopy-no-time", W,
    "a row of a copied table without a time standard: its cells cannot be told apart",
    N_("Step {number}: no time standard was found in the row, so its cells cannot be told "
       "apart; all its text is kept as the activity: '{text}'."))
PDFCOPY_COLUMN_DUMP = register(
    "import.pdfcopy-column-dump", INFO,
    "the Mutu Baku values stand after the last step, one column after the other; matched to "
    "the steps by order",
    {"": Np_("The Kelengkapan, Waktu and Output values stand after the last step, one column "
             "after the other; they were matched to the {count} step in order.",
             "The Kelengkapan, Waktu and Output values stand after the last step, one column "
             "after the other; they were matched to the {count} steps in order."),
     "rows": Np_("The Kelengkapan, Waktu and Output values stand after the last step, row by "
                 "row; they were matched to the {count} step in order.",
                 "The Kelengkapan, Waktu and Output values stand after the last step, row by "
                 "row; they were matched to the {count} steps in order.")})
PDFCOPY_DUMP_MISMATCH = register(
    "import.pdfcopy-dump-mismatch", W,
    "values after the last step that could not be matched to the steps by count",
    N_("After the last step stand {found} values of the column {column} for {count} steps; "
       "they cannot be matched by order and were not placed: {texts}."))
PDFCOPY_ROWS_GUESSED = register(
    "import.pdfcopy-rows-guessed", W,
    "step numbers stand in the middle of their rows; where rows begin was guessed",
    N_("Step {number}: its number stands in the middle of the row; the lines between it and "
       "the previous step were divided between the two by a guess. Check the activity and "
       "the Mutu Baku of both steps."))
PDFCOPY_UNPLACED = register(
    "import.pdfcopy-unplaced", W,
    "text inside a copied step table that belongs to no step",
    N_("Text in the step table before the first step could not be placed: '{text}'."))
PDFCOPY_MARKS = register(
    "import.pdfcopy-marks", INFO,
    "flowchart marks survived in the copy but without their column",
    N_("Step {number}: the marks '{marks}' survived in the copy, but not the column they stood "
       "in; they were left out and the actor is read from the text."))

_LABEL_ROLE = [
    ("number", re.compile(r"^(no\.?|nomor( urut)?)$")),
    ("activity", re.compile(r"^(uraian )?(kegiatan|aktivitas|prosedur)$")),
    ("inputs", re.compile(r"^(persyaratan ?/ ?)?(kelengkapan|persyaratan|input)$")),
    ("time", re.compile(r"^(waktu|durasi)$")),
    ("outputs", re.compile(r"^(output|keluaran|hasil)$")),
    ("notes", re.compile(r"^(keterangan|ket\.?)$")),
]
_GROUPS = re.compile(r"^(pelaksana|mutu ?baku|mutu baku ?/ ?standar|standar mutu)$")
_ORDER = ["number", "activity", "inputs", "time", "outputs", "notes"]
_WORD_RE = re.compile(r"\S+")
_FRAGMENT = re.compile(r"\S+(?: \S+)*")  # text runs separated by two spaces or more
_STEP_LINE = re.compile(r"^\s*(\d{1,3})(?:[.)]|(?=\s)|$)\s*(.*)$")
_MARK_GLYPHS = set("□▭☐■▯◇◆♢⬦⬥○⬭▢◊") | {"\\Diamond", "\\diamond", "\\square"}
_TIME_START = re.compile(r"^(\d|±|\+/-|paling$|maks|maksimal$|kurang$|sekitar$|selama$)",
                         re.IGNORECASE)
_NOTE_CUE = re.compile(r"^(sop|lanjut\w*|lihat|catatan|mengacu|sesuai|apabila|jika|bila|ke)$",
                       re.IGNORECASE)
_VERB = re.compile(r"^(me[mnr]?|meng|meny|ber|mem)[a-z]{3,}$")
_MARKERS = {"mulai", "selesai"}
# Words a sentence does not end with: a cell never ends on them.
_FUNCTION_WORDS = {"untuk", "dan", "ke", "dari", "di", "yang", "dengan", "kepada", "oleh",
                   "atau", "serta", "pada", "dalam", "bagi", "guna", "melalui", "sebagai"}
_SIGNED = re.compile(r"^(disahkan|ditetapkan)\s+(oleh|di)\b|^(kepala|sekretaris)\b.*,$",
                     re.IGNORECASE)
_SOP_HEADING = re.compile(r"^SOP\s+[A-Z][A-Z0-9 ,.&/()-]{3,}$")
# Position words that open an actor's name in a header; the words after them continue it.
_HEAD_WORDS = {
    "kepala", "ka", "ka.", "kadis", "kaban", "kabag", "kabid", "kasubag", "kasubbag", "kasubid",
    "kasubbid", "kasi", "kasie", "sekretaris", "sekdis", "sekban", "sekda", "staf", "staff",
    "pengelola", "pengadm", "pengadm.", "pengadministrasi", "ptgs", "ptgs.", "petugas", "tim",
    "pns", "pegawai", "pemohon", "bupati", "walikota", "wali", "gubernur", "camat", "lurah",
    "bendahara", "operator", "admin", "pejabat", "jfu", "jft", "analis", "verifikator",
    "inspektur", "direktur", "menteri", "asisten", "pptk", "ppk", "pimpinan", "atasan",
    "masyarakat", "pengguna", "pelaksana", "pengadministrasian", "sekertaris", "kadin",
    "kasubid.", "kabid.", "kabag.", "kasubag.", "subbag", "bagian", "bidang", "seksi", "unit",
}
_JOINERS = {"&", "/", "dan", "+", ","}

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


# -- lines -----------------------------------------------------------------------------------
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
        if _RELATED.match(text):
            related = True
            source.blank(index)
        elif _COOKIE.search(text) and len(text) < 400:
            cookie_near = index
            source.blank(index)
        elif _BOILERPLATE.match(text) or _CONNECTOR.match(text) or (index - cookie_near <= 3 and
                                          _COOKIE_BUTTON.match(text)):
            source.blank(index)
    return source


def _words(text: str) -> list[str]:
    return fold(text).lower().split()


@lru_cache(maxsize=8192)
def _label_role(text: str) -> str | None:
    norm = fold(text).lower().rstrip(":").strip()
    return next((role for role, pattern in _LABEL_ROLE if pattern.match(norm)), None)


def _header_start(text: str) -> bool:
    """'No Kegiatan …' (number and activity labels), or the 'Pelaksana … Mutu Baku' group line."""
    words = _words(text)
    if len(words) > 14 or not words:
        return False
    roles = {_label_role(w) for w in words}
    if words[0].rstrip(".") in ("no", "nomor") and "activity" in roles:
        return True
    joined = " ".join(words)
    return "pelaksana" in words and "mutu baku" in joined


def _split_number_label(lines: list[str], index: int) -> bool:
    """'No' alone on its line with 'Kegiatan' opening one of the next two lines."""
    if fold(lines[index]).lower().rstrip(".") not in ("no", "nomor"):
        return False
    following = [fold(t) for t in lines[index + 1:index + 3] if fold(t)]
    return any(_label_role(t.split()[0]) == "activity" or _label_role(t) == "activity"
               for t in following)


def _only_groups(text: str) -> bool:
    norm = fold(text).lower()
    return bool(norm) and bool(re.fullmatch(r"(pelaksana|mutu baku)( (pelaksana|mutu baku))?",
                                            norm))


def _is_label_line(text: str) -> bool:
    """A header line: only column labels, group labels and capitalised names."""
    words = fold(text).split()
    if not words or len(words) > 14 or is_duration(text):
        return False
    for word in words:
        low = word.lower()
        if _label_role(low) or _GROUPS.match(low) or low in ("mutu", "baku") or \
                low in _JOINERS:
            continue
        if not (word[0].isupper() or word[0] in "(&/"):
            return False
    return True


# -- the header --------------------------------------------------------------------------------
@dataclass
class _Column:
    role: str          # number, activity, actor, inputs, time, outputs, notes
    name: str
    start: int
    end: int

    @property
    def centre(self) -> float:
        return (self.start + self.end) / 2


@dataclass
class _Header:
    first: int          # index of its first line
    last: int           # index of its last line
    actors: list[str]
    columns: list[_Column] = field(default_factory=list)  # layout copies only
    vocabulary: set[str] = field(default_factory=set)
    roles: set[str] = field(default_factory=set)  # the column labels the header shows

    @property
    def layout(self) -> bool:
        return bool(self.columns)


def _find_header(lines: list[str], start: int) -> _Header | None:
    """The next step-table header from `start`: its lines and actor names."""
    for index in range(start, len(lines)):
        text = lines[index]
        if not text.strip() or "\t" in text or not (_header_start(text) or
                                                     _split_number_label(lines, index)):
            continue
        if index > start and _only_groups(lines[index - 1]):
            index -= 1  # 'Pelaksana' (or 'Mutu Baku') alone above the labels
        last = index
        seen_standard = False
        for probe in range(index, min(index + 8, len(lines))):
            line = lines[probe]
            if not line.strip():
                continue
            if probe > index and (_STEP_LINE.match(line) and not _is_label_line(line)):
                break
            if not _is_label_line(line):
                break
            roles = {_label_role(w) for w in _words(line)}
            if seen_standard and not roles - {None} and (len(line.split()) > 4 or
                                                        line.rstrip().endswith(".")):
                break  # the first row of a table whose number stands lower
            if roles & {"inputs", "time", "outputs"}:
                seen_standard = True
            last = probe
        if not seen_standard:
            continue
        zone = lines[index:last + 1]
        layout = any(re.search(r"\S {3,}\S", line) for line in zone)
        header = _Header(index, last, [])
        header.vocabulary = {w for line in zone for w in _words(line)}
        header.roles = {r for w in header.vocabulary if (r := _label_role(w))}
        if layout:
            header.columns = _layout_columns(zone)
            header.actors = [c.name for c in header.columns if c.role == "actor"]
        else:
            header.actors = _plain_actors(zone)
        return header
    return None


def _fragments(line: str) -> Iterator[tuple[int, int, str]]:
    for match in _FRAGMENT.finditer(line):
        yield match.start(), match.end(), match.group()


def _layout_columns(zone: list[str]) -> list[_Column]:
    """Columns from a header whose labels keep their positions (`pdftotext -layout`)."""
    roles: list[_Column] = []
    actors: list[_Column] = []
    for line in zone:
        for start, end, text in _fragments(line):
            norm = fold(text).lower()
            if _GROUPS.match(norm):
                continue
            role = _label_role(text)
            if role:
                roles.append(_Column(role, text, start, end))
                continue
            words = [(m.start() + start, m.end() + start, m.group())
                     for m in _WORD_RE.finditer(text)]
            if all(_label_role(w) or _GROUPS.match(w.lower()) for _, _, w in words):
                roles.extend(_Column(r, w, s, e) for s, e, w in words
                             if (r := _label_role(w)))
                continue
            for actor in actors:
                if start < actor.end and actor.start < end:
                    actor.name = f"{actor.name} {fold(text)}"
                    actor.start, actor.end = min(start, actor.start), max(end, actor.end)
                    break
            else:
                actors.append(_Column("actor", fold(text), start, end))
    seen: set[str] = set()
    columns = []
    for column in roles:
        if column.role not in seen:
            seen.add(column.role)
            columns.append(column)
    activity = next((c.centre for c in columns if c.role == "activity"), 0)
    standard = min((c.centre for c in columns if c.role in ("inputs", "time", "outputs")),
                   default=10**6)
    columns.extend(a for a in actors if activity < a.centre < standard)
    return sorted(columns, key=lambda c: c.centre)


def _plain_actors(zone: list[str]) -> list[str]:
    """Actor names from header lines joined by single spaces: the words that are no label,
    split where a position word ('Kepala', 'Kasubag', 'Tim' …) opens a new name. A name cut
    short ('Pengadm.') takes the leftover words of a later line ('Umum') in order."""
    names: list[list[str]] = []
    tails: list[list[str]] = []
    after_standard = False
    for line in zone:
        words = fold(line).split()
        line_names: list[list[str]] = []
        for word in _skip_labels(words):
            low = word.lower().split("/")[0]
            if not line_names or ((low.rstrip(".") in _HEAD_WORDS or low in _HEAD_WORDS) and \
                    line_names[-1][-1].lower() not in _JOINERS and \
                    not line_names[-1][-1].endswith("/")):
                line_names.append([word])
            else:
                line_names[-1].append(word)
        roles = {_label_role(w) for w in words}
        if after_standard and line_names:
            tails.extend(line_names)
        else:
            names.extend(line_names)
        after_standard = after_standard or bool(roles & {"inputs", "time", "outputs"})
    cut = [n for n in names if n[-1].endswith(".")]
    loose = [[w] for t in tails for w in t]
    if len(loose) == len(cut):
        tails = loose  # 'Umum Caraka' under 'Pengadm.' and 'Ptgs.': one word each
    for name, tail in zip(cut, tails, strict=False):
        name.extend(tail)
    extra = tails[len(cut):]
    return [" ".join(n) for n in names + extra]


def _skip_labels(words: list[str]) -> Iterator[str]:
    index = 0
    while index < len(words):
        low = words[index].lower()
        pair = f"{low} {words[index + 1].lower()}" if index + 1 < len(words) else ""
        if pair and (_GROUPS.match(pair) or _label_role(pair)):
            index += 2
            continue
        if _label_role(low) or _GROUPS.match(low):
            index += 1
            continue
        yield words[index]
        index += 1


# -- rows --------------------------------------------------------------------------------------
@dataclass
class _Row:
    number: int
    start: int                 # index of the row's first line
    number_line: int
    lines: list[int] = field(default_factory=list)
    cells: dict[str, str] = field(default_factory=dict)
    actor_cells: list[str] = field(default_factory=list)
    marks: list[str] = field(default_factory=list)
    centred: bool = False

    def block(self, actor_count: int) -> Block:
        actors = (self.actor_cells + [""] * actor_count)[:actor_count]
        cells = (str(self.number), self.cells.get("activity", ""), *actors,
                 self.cells.get("inputs", ""), self.cells.get("time", ""),
                 self.cells.get("outputs", ""), self.cells.get("notes", ""))
        return Block(self.start + 1, cells)


def _step_number(line: str, expected: int | None) -> tuple[int, str] | None:
    """(number, rest) when the line opens the step that follows the previous one."""
    match = _STEP_LINE.match(line)
    if not match:
        return None
    number, rest = int(match.group(1)), match.group(2).strip()
    if expected is None:
        ok = number in (0, 1, 2)
    else:
        ok = number == expected or (expected < number <= expected + 3 and bool(rest) and
                                    rest[0].isupper() and len(rest.split()) >= 2)
    if not ok:
        return None
    # '3 Jam Format …' is a time standard wrapped to the start of a line, not step 3.
    found = _find_time(fold(line).split()[:6], 0)
    if found is not None and found[0] == 0:
        return None
    return number, rest


def _table_end(text: str) -> bool:
    """A line that cannot be part of the table: what follows it (sections, signature, the
    next SOP)."""
    return bool(section_heading(text) or _SIGNED.match(text) or _SOP_HEADING.match(text)
                or _field_split(text) or _list_split(text) or _header_start(text))


# A time standard ends with its unit ('10 menit', '2 hari kerja', '1 bln.'): only spans that
# end on such a word are handed to the duration parser, which is slow next to this test.
_UNITS_ALT = "|".join(sorted(_UNIT_SPELLINGS, key=len, reverse=True))
_UNIT_END = re.compile(rf"(?:{_UNITS_ALT}|kerja)\W*$", re.IGNORECASE)
_PUNCTUATION = re.compile(r"\W+")


@lru_cache(maxsize=8192)
def _is_time(text: str) -> bool:
    """`is_duration`, remembered: a copy asks about the same few spans ('10 menit', '1 hari')
    again on every line that could open, continue or end a row."""
    return is_duration(text)


def _find_time(words: list[str], start: int = 1) -> tuple[int, int] | None:
    """(index, length) of the first time standard among the words, from `start`."""
    ends: list[bool] | None = None
    for index in range(start, len(words)):
        if not _TIME_START.match(words[index]):
            continue
        if ends is None:
            ends = [bool(_UNIT_END.search(w)) and not _PUNCTUATION.fullmatch(w) for w in words]
        for length in range(min(5, len(words) - index), 0, -1):
            # '5 menit -' reads as a duration, but the dash is the next cell's: a span never
            # ends on punctuation alone.
            if ends[index + length - 1] and _is_time(" ".join(words[index:index + length])):
                return index, length
    return None


_NOT_WORD = re.compile(r"[^\w ]+")


def _norm(words: list[str]) -> str:
    return _NOT_WORD.sub("", " ".join(words).lower()).strip()


def _normed(words: list[str]) -> list[str]:
    """Each word as `_norm` leaves it, so the norm of any run is a join of these (the
    scoring below tries every split and would otherwise normalise the same words again)."""
    return [_NOT_WORD.sub("", w.lower()) for w in words]


def _join_norm(normed: list[str]) -> str:
    return " ".join(normed).strip()


def _split_before_time(words: list[str], starts: set[int], after: list[str],
                       previous_output: str, known: set[str]) -> int:
    """Where Kelengkapan begins in the words before the time (len(words): no inputs).
    `known`: Kelengkapan and Output values other rows of the table have."""
    best, best_score = len(words), -1.0 if not words or not words[-1].endswith(".") else 0.5
    low = max(1, len(words) - 40)
    normed = _normed(words[low:])
    normed_after = _normed(after[:len(words) - low])
    for split in range(low, len(words)):
        inputs = words[split:]
        first = inputs[0]
        score = 0.0
        if inputs == ["-"] or inputs == ["–"]:
            score += 6
        norm = _join_norm(normed[split - low:])
        if norm and norm == _join_norm(normed_after[:len(inputs)]):
            score += 10
        if norm and norm == previous_output:
            score += 8
        if norm and norm in known:
            score += 4
        if split in starts:
            score += 2.5
        before = words[split - 1]
        if before.endswith((".", ";", ":")) and len(before) > 4:
            score += 3
        elif split not in starts and norm not in known:
            score -= 1  # mid-line, no full stop, no value seen elsewhere: weak
        if before in ("-", "–", "•") or before.lower() in _FUNCTION_WORDS:
            score -= 4
        if first[0].isupper():
            score += 1.5
        elif first[0].isalpha():
            score -= 5  # a cell does not start in lower case
        if _VERB.match(first.lower()):
            score -= 2
        if split == 1:
            score -= 2
        score -= 0.3 * max(0, len(inputs) - 8)
        if score > best_score:
            best, best_score = split, score
    return best


def _split_after_time(words: list[str], starts: set[int], inputs: list[str]) -> int:
    """How many of the words after the time are the Output (the rest is Keterangan)."""
    if not words:
        return 0
    best, best_score = len(words), 0.0
    for split in range(max(1, len(words) - 40), len(words)):
        notes = words[split:]
        score = -1.0
        if notes in (["-"], ["–"]):
            score += 6
        if _NOTE_CUE.match(notes[0]) and notes[0][0].isupper():
            score += 3 if notes[0].lower() in ("sop", "lanjutan", "lihat", "catatan") else 1
            if split in starts:
                score += 2
        if inputs and split == len(inputs) and _norm(words[:split]) == _norm(inputs):
            score += 3
        if notes[0][0].islower():
            score -= 3
        if score > best_score:
            best, best_score = split, score
    return best


class _PlainRows:
    """Rows of a copy joined by single spaces: cells split at the time standard.

    Read twice: the second pass knows the Kelengkapan and Output values the other rows gave
    in the first ('Data LKj' is an input in four rows), which settles splits that words alone
    leave open."""

    def __init__(self, roles: set[str], known: dict[int, set[str]] | None = None) -> None:
        self.roles = roles
        self.known = known
        self.outputs_seen = False  # set after a first pass that found any Output
        self.previous_output = ""  # the row above's Output, often this row's Kelengkapan

    def fill_all(self, rows: list[_Row], lines: list[str]) -> None:
        for row in rows:
            row.cells = {}
            self.fill(row, [(i, lines[i]) for i in row.lines])

    def fill(self, row: _Row, texts: list[tuple[int, str]]) -> None:
        words: list[str] = []
        starts: set[int] = set()
        for index, text in texts:
            if index == row.number_line:
                text = _STEP_LINE.sub(r"\2", text, count=1)
            line_words = fold(text).split()
            if line_words:
                starts.add(len(words))
                words.extend(line_words)
        kept = [w for w in words if w not in _MARK_GLYPHS]
        if len(kept) != len(words):
            row.marks = [w for w in words if w in _MARK_GLYPHS]
            starts = _reindex(words, starts)
            words = kept
        found = _find_time(words, 0 if row.centred else 1)
        if found is None:
            row.cells["activity"] = " ".join(words)
            return
        at, length = found
        before, after = words[:at], words[at + length:]
        if "inputs" not in self.roles or (self.known is not None and not self.outputs_seen
                                          and not after):
            split = len(before)  # no Kelengkapan column, or no row with any Mutu Baku text
        else:
            split = _split_before_time(before, starts, after, self.previous_output,
                                       (self.known or {}).get(row.number_line, set()))
        after_starts = {s - at - length for s in starts if s > at}
        out = _split_after_time(after, after_starts, before[split:])
        row.cells.update(activity=" ".join(before[:split]), inputs=" ".join(before[split:]),
                         time=" ".join(words[at:at + length]), outputs=" ".join(after[:out]),
                         notes=" ".join(after[out:]))
        self.previous_output = _norm(after[:out])


def _values_elsewhere(rows: list[_Row]) -> dict[int, set[str]]:
    """For each row (by its number line), the Kelengkapan and Output values of the others."""
    counts: dict[str, int] = {}
    own: dict[int, set[str]] = {}
    for row in rows:
        values = {v for key in ("inputs", "outputs")
                  if (v := _norm(row.cells.get(key, "").split()))}
        own[row.number_line] = values
        for value in values:
            counts[value] = counts.get(value, 0) + 1
    return {line: {v for v, n in counts.items() if n > (v in values)}
            for line, values in own.items()}


def _reindex(words: list[str], starts: set[int]) -> set[int]:
    result: set[int] = set()
    kept = 0
    for index, word in enumerate(words):
        if word in _MARK_GLYPHS:
            continue
        if index in starts or (index - 1 in starts and words[index - 1] in _MARK_GLYPHS):
            result.add(kept)
        kept += 1
    return result


class _LayoutRows:
    """Rows of a `pdftotext -layout` copy: each text run goes to the column under whose
    header label it stands."""

    def __init__(self, header: _Header) -> None:
        self.columns = header.columns
        self.time = next((c for c in self.columns if c.role == "time"), None)

    def zone(self, column: _Column) -> tuple[float, float]:
        index = self.columns.index(column)
        left = (self.columns[index - 1].centre + column.centre) / 2 if index else -1
        right = (self.columns[index + 1].centre + column.centre) / 2 \
            if index + 1 < len(self.columns) else 10**6
        return left, right

    def pieces(self, line: str) -> list[tuple[str, str]]:
        """(role or 'actor:N', text) for each run of the line."""
        placed: list[tuple[str, str]] = []
        for start, end, text in self._split(line):
            centre = (start + end) / 2
            column = min(self.columns, key=lambda c: abs(c.centre - centre))
            role = column.role
            if role == "number" and not text.rstrip(".").isdigit():
                role = "activity"
            if role == "actor":
                role = f"actor:{[c for c in self.columns if c.role == 'actor'].index(column)}"
            placed.append((role, text))
        return placed

    def _split(self, line: str) -> Iterator[tuple[int, int, str]]:
        for start, end, text in _fragments(line):
            words = [(m.start() + start, m.end() + start, m.group())
                     for m in _WORD_RE.finditer(text)]
            number = _STEP_LINE.match(text)
            if start < 4 and number and number.group(2) and len(words) > 1:
                yield words[0][0], words[0][1], words[0][2]
                words = words[1:]
                start = words[0][0]
            if self.time is not None and len(words) > 1:
                left, right = self.zone(self.time)
                if start < right and end > left:
                    found = _find_time([w for _, _, w in words], 0)
                    if found is not None:
                        at, length = found
                        for group in (words[:at], words[at:at + length], words[at + length:]):
                            if group:
                                yield group[0][0], group[-1][1], " ".join(w for *_, w in group)
                        continue
            yield start, end, " ".join(w for *_, w in words) if words else text

    def fill(self, row: _Row, texts: list[tuple[int, str]], actor_count: int) -> None:
        parts: dict[str, list[str]] = {}
        for _, text in texts:
            for role, piece in self.pieces(text):
                if role == "number":
                    continue
                parts.setdefault(role, []).append(piece)
        for role in ("activity", "inputs", "time", "outputs", "notes"):
            row.cells[role] = " ".join(parts.get(role, []))
        row.actor_cells = [" ".join(parts.get(f"actor:{i}", [])) for i in range(actor_count)]

    def number_in(self, line: str, expected: int | None) -> int | None:
        for role, text in self.pieces(line):
            if role == "number":
                found = _step_number(text, expected)
                return found[0] if found else None
        return None

    def fresh(self, above_lines: list[str], line: str) -> bool:
        """The line opens a cell of Kelengkapan, Output or Keterangan the lines above lack
        (the line above, and the one above it when that holds only the centred number)."""
        above = {role for text in above_lines if text.strip()
                 for role, _ in self.pieces(text)}
        return any(role in ("inputs", "outputs", "notes") and role not in above
                   for role, _ in self.pieces(line))


# -- the table ---------------------------------------------------------------------------------
@dataclass
class _Table:
    header: _Header
    rows: list[_Row]
    end: int                       # index after its last line
    markers: list[tuple[int, str]] = field(default_factory=list)
    # (message, line, step): findings made while reading it, located when they are issued
    findings: list[tuple[Message, int | None, int | None]] = field(default_factory=list)


def _read_table(source: _Source, header: _Header, after: int | None = None) -> _Table:
    """The rows under `header`; `after` is the last step of a table this one continues
    (the header repeated on the next page)."""
    lines = source.lines
    layout = _LayoutRows(header) if header.layout else None
    index = header.last + 1
    rows: list[_Row] = []
    expected: int | None = None
    blank_run = 0
    end = len(lines)
    loose: list[int] = []          # lines between the header and the first number
    markers: list[tuple[int, str]] = []
    timed: dict[int, bool] = {}
    for index in range(header.last + 1, len(lines)):
        text = lines[index]
        if index in source.blanked:
            continue
        if not text.strip():
            blank_run += 1
            if rows and _row_done(rows[-1], lines, blank_run, layout is not None, timed):
                end = index
                break
            continue
        blank_run = 0
        if _table_end(fold(text)) and not (rows and _step_number(text, expected)):
            end = index
            break
        if "\t" in text:
            end = index
            break
        words = _words(text)
        if rows and words and all(w in header.vocabulary for w in words) and \
                _is_label_line(text) and any(_label_role(w) or _GROUPS.match(w) for w in words):
            source.blank(index)            # the header repeated on a new page
            continue
        if rows and fold(text).lower().strip(" .") in _MARKERS:
            markers.append((index, fold(text)))  # 'SELESAI' on its own: an end marker row
            continue
        wanted = after + 1 if expected is None and after is not None and \
            _step_number(text, after + 1) else expected
        number = layout.number_in(text, wanted) if layout else \
            (found[0] if (found := _step_number(text, wanted)) else None)
        if number is not None:
            rest = "" if layout else (_step_number(text, wanted) or (0, ""))[1]
            centred = not rest or bool(layout) or is_duration(rest)
            row = _Row(number, index, index, centred=centred and not layout)
            rows.append(row)
            expected = number + 1
            row.lines.append(index)
            continue
        if rows:
            rows[-1].lines.append(index)
        else:
            loose.append(index)
    _assign_starts(rows, loose, lines, layout)
    table = _Table(header, rows, end, markers=markers)
    placed = {i for r in rows for i in r.lines}
    for index in loose:
        if index not in placed:
            table.findings.append((PDFCOPY_UNPLACED(text=short(lines[index])), index + 1, None))
    return table


def _row_done(row: _Row, lines: list[str], blank_run: int, layout: bool,
              timed: dict[int, bool]) -> bool:
    """A blank line ends the table after a row that has its time. `timed` remembers which
    lines hold a time, so a row broken by many blank lines is not read again at each."""
    if layout:
        return blank_run >= 3
    for i in row.lines:
        if i not in timed:
            timed[i] = _find_time(fold(lines[i]).split(), 0) is not None
        if timed[i]:
            return True
    return False


def _assign_starts(rows: list[_Row], loose: list[int], lines: list[str],
                   layout: _LayoutRows | None) -> None:
    """Move lines that stand above a centred number into its row."""
    if not rows:
        return
    pending = list(loose)
    for position, row in enumerate(rows):
        previous = rows[position - 1] if position else None
        if previous is not None:
            after = [i for i in previous.lines if i > previous.number_line]
            if layout is not None:
                cut = next((i for i in after if layout.fresh(
                    [lines[i - 1]] + ([lines[i - 2]] if i - 1 == previous.number_line and
                                      lines[i - 1].strip() else []), lines[i])), None)
                pending = [i for i in after if cut is not None and i >= cut]
            elif row.centred:
                pending = after[(len(after) + 1) // 2:]
            else:
                pending = []
            moved = set(pending)
            previous.lines = [i for i in previous.lines if i not in moved]
        elif layout is None and not row.centred:
            continue
        if pending:
            row.lines = sorted(set(pending) | set(row.lines))
            row.start = min(row.start, pending[0])


# -- dumps ---------------------------------------------------------------------------------------
def _merge_wrapped(values: list[tuple[int, str]]) -> list[tuple[int, str]]:
    """A value wrapped onto lines that start in lower case, joined back (once, at the end:
    joining line by line would copy a long value again for each line)."""
    merged: list[tuple[int, list[str]]] = []
    for line, text in values:
        if merged and text[:1].islower():
            merged[-1][1].append(text)
        else:
            merged.append((line, [text]))
    return [(line, " ".join(parts)) for line, parts in merged]


def _column_dump(table: _Table, lines: list[str]) -> None:
    """Mutu Baku values printed after the last step, matched back to the steps by order."""
    rows = table.rows
    if len(rows) < 2:
        return
    timed = [r for r in rows[:-1] if _find_time(fold(" ".join(lines[i] for i in r.lines))
                                                .split(), 0)]
    last = rows[-1]
    tail = [(i, fold(lines[i])) for i in last.lines if i != last.number_line and
            fold(lines[i])]
    durations = [k for k, (_, text) in enumerate(tail) if is_duration(text)]
    if timed or len(durations) < 2:
        return
    count = len(rows)
    labels = {k: role for k, (_, text) in enumerate(tail) if (role := _label_role(text))}
    values: dict[str, list[tuple[int, str]]] = {}
    if labels:
        marks = sorted(labels)
        keep = tail[:marks[0]]
        for position, mark in enumerate(marks):
            stop = marks[position + 1] if position + 1 < len(marks) else len(tail)
            values[labels[mark]] = _merge_wrapped(tail[mark + 1:stop])
        variant = ""
    elif durations == list(range(durations[0], durations[0] + len(durations))):
        first, stop = durations[0], durations[-1] + 1
        before = tail[:first]
        inputs = before[-count:] if len(before) >= count else []
        keep = before[:len(before) - len(inputs)] if inputs else before
        values = {"inputs": inputs, "time": tail[first:stop],
                  "outputs": _merge_wrapped(tail[stop:])}
        if len(values["outputs"]) > count:
            values["notes"] = values["outputs"][count:]
            values["outputs"] = values["outputs"][:count]
        variant = ""
    else:
        variant = "rows"
        keep = tail[:max(0, durations[0] - 1)]
        values = {"inputs": [], "time": [], "outputs": []}
        bounds = [*durations, len(tail)]
        if durations[0] >= 1:
            values["inputs"].append(tail[durations[0] - 1])
        for position, at in enumerate(durations):
            values["time"].append(tail[at])
            gap = tail[at + 1:bounds[position + 1]]
            if position + 1 < len(durations):
                gap = gap[:-1] if gap else gap
                if bounds[position + 1] - at > 1:
                    values["inputs"].append(tail[bounds[position + 1] - 1])
            values["outputs"].append((gap[0][0], " ".join(t for _, t in gap)) if gap
                                     else (at, ""))
    head = _STEP_LINE.sub(r"\2", lines[last.number_line], count=1)
    last.cells = {"activity": " ".join(t for t in [fold(head), *(t for _, t in keep)] if t)}
    placed = False
    for role, found in values.items():
        if not found:
            continue
        if len(found) != count:
            table.findings.append((PDFCOPY_DUMP_MISMATCH(
                found=len(found), column=_COLUMN_NAMES[role], count=count,
                texts="; ".join(short(t, 60) for _, t in found[:8])), found[0][0] + 1, None))
            continue
        placed = True
        for row, (_, text) in zip(rows, found, strict=True):
            row.cells[role] = text
    for row in rows:
        row.cells["dumped"] = "1"
    if placed:
        table.findings.append((PDFCOPY_COLUMN_DUMP(variant, count=count),
                               tail[durations[0]][0] + 1, None))


_COLUMN_NAMES = {"inputs": "Kelengkapan", "time": "Waktu", "outputs": "Output",
                 "notes": "Keterangan"}


# -- identity lines ----------------------------------------------------------------------------
def _field_split(text: str) -> tuple[str, str] | None:
    """'Nomor SOP 060/712/…' or 'NOMOR SOP : …' → (label, value)."""
    if not any(k in text[:40].lower() for k in ("sop", "tanggal", "disahkan")):
        return None
    words = text.split()
    for size in (3, 2, 1):
        if len(words) < size:
            continue
        head = " ".join(words[:size])
        label, colon, value = head.partition(":")
        norm = fold(label).lower().rstrip(" :.")
        if any(p.match(norm) for p, _ in FIELD_LABELS):
            rest = " ".join(words[size:])
            value = (value + " " + rest).strip() if colon else rest
            return label.strip(), value.lstrip(": ").strip()
    return None


def _list_split(text: str) -> tuple[str, str] | None:
    """Two list labels on one line ('Dasar Hukum Kualifikasi Pelaksana')."""
    low = text.lower()
    if not any(k in low for k in _LIST_KEYS) or len(low) > 120:
        return None
    words = fold(text).rstrip(":").split()
    if len(words) > 8:
        return None
    for cut in range(1, len(words)):
        left, right = " ".join(words[:cut]), " ".join(words[cut:])
        if _is_list_label(left) and _is_list_label(right):
            return left.rstrip(" :"), right.rstrip(" :")
    return None


_LIST_KEYS = ("hukum", "kualifikasi", "keterkaitan", "peralatan", "perlengkapan",
              "peringatan", "pencatatan")


def _is_list_label(text: str) -> bool:
    norm = fold(text).lower().rstrip(" :")
    return any(p.match(norm) for p, _ in LIST_LABELS)


def _text_blocks(lines: list[str], first: int, stop: int) -> list[Block]:
    """Lines outside tables: identity fields as label | value rows, two list labels on one
    line as a row with their contents below split in two; the rest as lines."""
    blocks: list[Block] = []
    index = first
    in_list = False
    overrides: dict[int, str] = {}   # lines whose right part an approver took
    while index < stop:
        line_number = index + 1
        text = fold(overrides.get(index, lines[index]))
        index += 1
        if not text:
            continue
        found = _field_split(text)
        if found:
            label, value = found
            if fold(label).lower().startswith("disahkan"):
                raw = lines[index - 1]
                gap = re.search(r"\S {3,}(?=\S)", raw)
                value_at = gap.end() if gap and value else None
                value, index, taken = _approver(lines, index, stop, value, value_at)
                overrides.update(taken)
            blocks.append(Block(line_number, (label, value)))
            continue
        pair = _list_split(text)
        if pair:
            blocks.append(Block(line_number, pair))
            content: list[tuple[int, str]] = []
            while index < stop and not (_list_split(fold(lines[index])) or
                                        _field_split(fold(lines[index])) or
                                        _is_list_label(fold(lines[index]).split(":")[0]) or
                                        _header_start(fold(lines[index]))):
                if fold(lines[index]):
                    content.append((index, lines[index]))
                index += 1
            if content:
                left, right = _split_pair(content)
                blocks.append(Block(content[0][0] + 1, (left, right)))
            continue
        label = _is_list_label(text.split(":")[0])
        if not label and in_list and blocks and not blocks[-1].is_row and \
                _LIST_ITEM.match(blocks[-1].cells[0]) and not _LIST_ITEM.match(text):
            # A numbered item wrapped onto the next line of the copy.
            blocks[-1] = Block(blocks[-1].line, (f"{blocks[-1].cells[0]} {text}",))
            continue
        in_list = label or (in_list and bool(_LIST_ITEM.match(text)))
        if label or in_list:
            # 'Dasar Hukum : 1. … 2. …' — a list run together on one line: one line an item
            blocks.extend(Block(line_number, (piece,)) for piece in _numbered_pieces(text))
        else:
            blocks.append(Block(line_number, (text,)))
    return _agency_first(blocks)


def _numbered_pieces(text: str) -> list[str]:
    """The text cut before each item of a numbered run (1. 2. 3. …) it holds."""
    cuts: list[int] = []
    expected: int | None = None
    for match in _ITEM.finditer(text):
        number = int(match.group(1))
        if number == expected or (expected is None and (number == 1 or match.start(1) == 0)):
            cuts.append(match.start(1))
            expected = number + 1
    if len(cuts) < 2:
        return [text]
    bounds = [0, *cuts, len(text)]
    return [p for a, b in itertools.pairwise(bounds) if (p := text[a:b].strip())]


def _agency_first(blocks: list[Block]) -> list[Block]:
    """The agency heading printed beside the identity fields (left of them in the PDF) comes
    out after the first fields in a copy; the reader takes it only before them."""
    fields = [i for i, b in enumerate(blocks) if b.is_row and b.cells[0] and
              _field_split(b.cells[0])]
    if not fields:
        return blocks
    first = fields[0]
    lists = [i for i, b in enumerate(blocks) if i > first and (b.is_row or _is_list_label(
        b.cells[0].split(":")[0]))]
    stop = next((i for i in lists if i not in fields), len(blocks))
    moved = [i for i in range(first, stop) if not blocks[i].is_row and
             looks_like_agency(blocks[i].cells[0]) and blocks[i].cells[0].isupper()]
    if not moved:
        return blocks
    chosen = set(moved)
    rest = [b for i, b in enumerate(blocks) if i not in chosen]
    return rest[:first] + [blocks[i] for i in moved] + rest[first:]


def _approver(lines: list[str], index: int, stop: int, value: str,
              value_at: int | None) -> tuple[str, int, dict[int, str]]:
    """'Disahkan oleh' continues on the lines below with the position, name and NIP. With
    the layout kept (`value_at`: where its value starts), only the text under the value is
    the approver's; the text left of it (the agency heading beside the sheet) stays."""
    parts = [value] if value else []
    left: dict[int, str] = {}
    probe = index
    while probe < stop and probe - index < 6:
        raw = lines[probe]
        if _field_split(fold(raw)) or _list_split(fold(raw)):
            break
        if value_at is not None and raw.strip():
            right = raw[max(0, value_at - 2):]
            if not right.strip() or raw[:max(0, value_at - 2)].rstrip() != \
                    raw[:max(0, value_at - 2)].rstrip().rstrip():
                probe += 1
                continue
            left[probe] = raw[:max(0, value_at - 2)]
            raw = right
        text = fold(raw)
        if not text or _field_split(text) or _list_split(text) or _is_list_label(
                text.split(":")[0]):
            left.pop(probe, None)
            break
        parts.append(text)
        probe += 1
    taken = parts[1:] if value else parts
    if any(find_nip(p)[0] or looks_like_person(p) for p in taken):
        return "  ".join(parts), (index if value_at is not None else probe), left
    return value, index, {}


_LIST_ITEM = re.compile(r"^(\d{1,2}[.)]|[-•])\s")
_ITEM = re.compile(r"(?:^|\s)(\d{1,2})[.)]\s")


def _split_pair(content: list[tuple[int, str]]) -> tuple[str, str]:
    """The contents under two list labels: split by position (layout), by the numbering
    starting again at 1, or by a dash standing for an empty list."""
    gaps = [m.start() for _, line in content for m in re.finditer(r" {3,}", line.rstrip())]
    if gaps:
        cut = max(gaps) + 3
        left = [line[:cut] for _, line in content]
        right = [line[cut:] for _, line in content]
        return _as_list(left), _as_list(right)
    text = " ".join(fold(line) for _, line in content)
    starts = [m for m in _ITEM.finditer(text) if m.group(1) == "1"]
    if len(starts) >= 2:
        cut = starts[1].start()
        return _as_list([text[:cut]]), _as_list([text[cut:]])
    dashes = text.split()
    if len(dashes) == 2 and all(d in ("-", "–", "—") for d in dashes):
        return "-", "-"
    return _as_list([text]), ""


def _as_list(parts: list[str]) -> str:
    text = " ".join(fold(p) for p in parts).strip()
    if text in ("—", "–"):
        return "-"
    items = [i.strip() for i in re.split(r"(?:^|\s)\d{1,2}[.)]\s", text) if i.strip()]
    if len(items) > 1:
        return "<ol>" + "".join(f"<li>{i}</li>" for i in items) + "</ol>"
    return text


# -- the document --------------------------------------------------------------------------------
def looks_like_pdf_copy(text: str) -> bool:
    """True for a copy whose step table has no tab separators and whose header stands on its
    own lines: a tab-separated extract (or HTML) is read as it always was."""
    lines = text.splitlines()
    header = _find_header(lines, 0)
    if header is None:
        return False
    stop = min(len(lines), header.last + 40)
    return not any("\t" in lines[i] for i in range(header.first, stop))


def pdf_copy_blocks(text: str, *, max_tables: int | None = None
                    ) -> tuple[list[Block], list[Finding]]:
    """The copy as blocks the reader understands, and findings about rebuilding it. With
    `max_tables`, reading stops before the table that would start one more SOP than that
    (a table continued on the next page counts with its first page), with a finding."""
    source = _strip_boilerplate(text.splitlines())
    lines = source.lines
    blocks: list[Block] = []
    findings: list[Finding] = []
    position = 0
    total_rows = 0
    fresh_tables = 0
    layout_seen = False
    previous_last: int | None = None
    while position < len(lines):
        header = _find_header(lines, position)
        if header is None:
            break
        blocks.extend(_text_blocks(lines, position, header.first))
        table = _read_table(source, header, previous_last)
        continued = previous_last is not None and bool(table.rows) and \
            table.rows[0].number == previous_last + 1
        fresh_tables += not continued
        if max_tables is not None and fresh_tables > max_tables:
            findings.append(IMPORT_CAP_SOPS(limit=max_tables, line=header.first + 1)
                            .at(line=header.first + 1))
            position = len(lines)
            break
        layout = _LayoutRows(header) if header.layout else None
        if layout is not None:
            for row in table.rows:
                layout.fill(row, [(i, lines[i]) for i in row.lines], len(header.actors))
        else:
            _PlainRows(header.roles).fill_all(table.rows, lines)
            second = _PlainRows(header.roles, _values_elsewhere(table.rows))
            second.outputs_seen = any(row.cells.get("outputs") for row in table.rows)
            second.fill_all(table.rows, lines)
            _column_dump(table, lines)
        cells = ["No", "Kegiatan", *header.actors, "Kelengkapan", "Waktu", "Output",
                 "Keterangan"]
        blocks.append(Block(header.first + 1, tuple(cells)))
        table_blocks = [row.block(len(header.actors)) for row in table.rows]
        table_blocks += [Block(i + 1, ("", word, *[""] * (len(cells) - 2)))
                         for i, word in table.markers]
        blocks.extend(sorted(table_blocks, key=lambda b: b.line))
        for row in table.rows:
            _row_findings(row, findings)
        for message, line, step in table.findings:
            findings.append(message.at(line=line, step=step))
        if any(r.centred for r in table.rows[1:]):
            guessed = [r for r in table.rows[1:] if r.centred]
            for row in guessed[:5]:
                findings.append(PDFCOPY_ROWS_GUESSED(number=row.number).at(
                    line=row.number_line + 1, step=row.number))
        total_rows += len(table.rows)
        layout_seen = layout_seen or header.layout
        position = max(table.end, header.last + 1)
        previous_last = table.rows[-1].number if table.rows else None
    blocks.extend(_text_blocks(lines, position, len(lines)))
    if total_rows:
        findings.insert(0, PDFCOPY_READ("layout" if layout_seen else "", count=total_rows)
                        .at(line=None))
    if source.dropped:
        shown = list(dict.fromkeys(short(t, 40) for _, t in source.dropped))
        texts = "; ".join(f"'{t}'" for t in shown[:12]) + (" …" if len(shown) > 12 else "")
        findings.insert(0, PDFCOPY_BOILERPLATE(count=len(source.dropped), texts=texts)
                        .at(line=source.dropped[0][0]))
    return blocks, findings


def _row_findings(row: _Row, findings: list[Finding]) -> None:
    if not row.cells.get("time") and not row.cells.get("dumped") and \
            fold(row.cells.get("activity", "")).lower().strip(". ") not in _MARKERS:
        findings.append(PDFCOPY_NO_TIME(number=row.number, text=short(
            row.cells.get("activity", ""))).at(line=row.start + 1, step=row.number))
    if row.marks:
        findings.append(PDFCOPY_MARKS(number=row.number, marks=" ".join(row.marks)).at(
            line=row.start + 1, step=row.number))
    row.cells.pop("dumped", None)


def read_pdf_copy(text: str, *, file: str | None = None, taken_ids: set[str] | None = None,
                  max_sops: int | None = None, max_steps: int | None = None
                  ) -> tuple[list[Sop], list[Finding]]:
    """The SOPs in a PDF copy: its blocks read by the ordinary reader, this module's findings
    first. `max_sops`/`max_steps` are the importers' caps (see `read_blocks`)."""
    from .reader import read_blocks

    blocks, findings = pdf_copy_blocks(text, max_tables=max_sops)
    findings = [f.model_copy(update={"file": file}) for f in findings]
    sops, read_findings = read_blocks(blocks, file=file, taken_ids=taken_ids,
                                      max_sops=max_sops, max_steps=max_steps)
    if any(f.code == IMPORT_CAP_SOPS.code for f in read_findings):
        # The reader stopped at the same SOP (or one before it): its finding says where.
        findings = [f for f in findings if f.code != IMPORT_CAP_SOPS.code]
    return sops, findings + read_findings
