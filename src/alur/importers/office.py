"""Word and Excel documents (and their old and OpenDocument forms) → SOPs.

Each format's reader only measures its document (`docx.measure_docx`, `xlsx.measure_xlsx`); the
drawing is interpreted once (`drawing.read_drawing`, with `picture.py` reading a flowchart
pasted as one picture) and the blocks are read like any other
source (`reader.read_blocks`). Old binary files (.doc, .xls) and OpenDocument files (.odt, .ods)
are converted by LibreOffice, when it is installed, into .docx/.xlsx first; conversion can move
drawn shapes, which the reader says.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from collections.abc import Callable
from pathlib import Path

from alur.i18n import N_
from alur.sop.codes import INFO, E, W, register
from alur.sop.findings import Finding
from alur.sop.model import Sop

from .drawing import read_drawing
from .grid import Measured, Place
from .package import PackageError
from .picture import picture_reader
from .reader import read_blocks
from .stamp import apply_stamps, take_stamps

IMPORT_OFFICE_UNREADABLE = register(
    "import.office-unreadable", E,
    "a Word or Excel file that cannot be opened: damaged, protected by a password, not what "
    "its name says, or refused as unsafe (a zip bomb, XML entities)",
    {"not-zip": N_("The file is damaged or is not a Word/Excel document (it cannot be opened "
                   "as one). Open it in Word or Excel and save it again."),
     "encrypted": N_("The document is protected with a password. Open it in Word or Excel, "
                     "remove the password (File → Info → Protect), save, and import again."),
     "bomb": N_("The file is refused: once unpacked it would be far larger than any SOP "
                "document (a suspicious archive)."),
     "entities": N_("The file is refused: its XML declares entities, which SOP documents never "
                    "need and which can be used to attack the server."),
     "missing": N_("The document is incomplete: a part it needs is missing ({detail}). Open it "
                   "in Word or Excel and save it again."),
     "xml": N_("The document is damaged: a part of it cannot be read. Open it in Word or Excel "
               "and save it again."),
     "ole": N_("The file is an old Word/Excel format in disguise or another program's file; "
               "save it as .docx or .xlsx and import again.")})
IMPORT_CONVERTER_MISSING = register(
    "import.converter-missing", E,
    "an old or OpenDocument file and no LibreOffice to convert it",
    N_("{kind} files are read after conversion by LibreOffice, which is not installed on this "
       "server. Save the file as {target} in Word, Excel or LibreOffice and import that, or ask "
       "the administrator to install LibreOffice (Debian: libreoffice-writer-nogui and "
       "libreoffice-calc-nogui)."))
IMPORT_CONVERSION_FAILED = register(
    "import.conversion-failed", E,
    "LibreOffice could not convert an old or OpenDocument file",
    N_("LibreOffice could not convert this file ({reason}). Open it and save it as {target}, "
       "then import that."))
IMPORT_CONVERTED = register(
    "import.converted", INFO,
    "an old or OpenDocument file was converted by LibreOffice before reading",
    N_("The file was converted from {kind} to {target} by LibreOffice before reading. "
       "Conversion can move drawn shapes a little: check each step's actor against the "
       "original."))
IMPORT_NO_DRAWING_MATCH = register(
    "import.shapes-unplaced", W,
    "shapes are drawn but none stands over a step table's actor columns",
    N_("The document has {count} drawn shapes, but none stands over the actor columns of a "
       "step table; the actors are read from the table's text."))

CONVERT_TIMEOUT = 90  # seconds for one LibreOffice conversion
_CONVERSIONS = {".doc": "docx", ".odt": "docx", ".rtf": "docx", ".xls": "xlsx", ".ods": "xlsx"}


def read_measured(measure: Callable[[bytes], Measured], data: bytes, *, file: str | None,
                   taken_ids: set[str] | None) -> tuple[list[Sop], list[Finding]]:
    try:
        measured = measure(data)
    except PackageError as exc:
        return [], [IMPORT_OFFICE_UNREADABLE(exc.reason if exc.reason in
                                             IMPORT_OFFICE_UNREADABLE.messages else "xml",
                                             detail=exc.detail).at(file=file)]
    stamps = take_stamps(measured)
    drawing = read_drawing(measured, file=file, pictures=picture_reader(data))
    blocks = drawing.blocks
    findings = [f.model_copy(update={"file": file}) if f.file is None else f
                for f in drawing.findings]
    sops, read = read_blocks(blocks, file=file, taken_ids=taken_ids)
    sops = [_mark_inferred(sop, drawing.inferred) for sop in sops]
    sops, stamped = apply_stamps(sops, stamps, file=file)
    findings.extend(stamped)
    drawn = sum(len(s.drawn) for s in measured.surfaces)
    placed = any(b.drawing is not None and b.drawing.symbols for b in blocks)
    if drawn and not placed and sops:
        findings.append(IMPORT_NO_DRAWING_MATCH(count=drawn).at(file=file))
    return sops, findings + read


def _mark_inferred(sop: Sop, places: list[Place]) -> Sop:
    """Steps read from rows whose drawing was found in a pasted picture: their actors, kind and
    exits came from image analysis, not from the document's own shapes, so they are inferred."""
    if not places:
        return sop
    wanted = [place.location() for place in places]
    steps = []
    for step in sop.steps:
        source = step.source
        location = {k: v for k, v in source.model_dump(exclude={"file", "line"}).items()
                    if v is not None} if source else {}
        if location and location in wanted:
            fields = ["actors", "kind"] + [name for name in ("next", "on_yes", "on_no")
                                           if getattr(step, name) is not None]
            step = step.model_copy(update={"inferred": list(dict.fromkeys(
                [*step.inferred, *fields]))})
        steps.append(step)
    return sop.model_copy(update={"steps": steps})


def read_docx(data: bytes, *, file: str | None = None,
              taken_ids: set[str] | None = None) -> tuple[list[Sop], list[Finding]]:
    from .docx import measure_docx

    return read_measured(measure_docx, data, file=file, taken_ids=taken_ids)


def read_xlsx(data: bytes, *, file: str | None = None,
              taken_ids: set[str] | None = None) -> tuple[list[Sop], list[Finding]]:
    from .xlsx import measure_xlsx

    return read_measured(lambda raw: measure_xlsx(raw, file=file), data, file=file,
                          taken_ids=taken_ids)


def converter() -> str | None:
    """LibreOffice's command, when installed."""
    return shutil.which("soffice") or shutil.which("libreoffice")


def convert(path: Path) -> tuple[bytes | None, Finding]:
    """An old or OpenDocument file converted by LibreOffice headless, in a profile of its own
    (so conversions running at once do not share a lock) and with a time limit."""
    suffix = path.suffix.lower()
    target = _CONVERSIONS[suffix]
    kind = suffix.lstrip(".").upper()
    command = converter()
    if command is None:
        return None, IMPORT_CONVERTER_MISSING(kind=kind, target=f".{target}").at(file=str(path))
    with tempfile.TemporaryDirectory(prefix="alur-lo-") as tmp:
        source = Path(tmp) / f"dokumen{suffix}"
        shutil.copyfile(path, source)
        profile = Path(tmp) / "profil"
        out = Path(tmp) / "hasil"
        try:
            completed = subprocess.run(
                [command, f"-env:UserInstallation=file://{profile}", "--headless",
                 "--norestore", "--convert-to", target, "--outdir", str(out), str(source)],
                capture_output=True, timeout=CONVERT_TIMEOUT, check=False,
                env={**os.environ, "HOME": tmp})
        except subprocess.TimeoutExpired:
            return None, IMPORT_CONVERSION_FAILED(reason=f"> {CONVERT_TIMEOUT} s",
                                                  target=f".{target}").at(file=str(path))
        except OSError as exc:
            return None, IMPORT_CONVERSION_FAILED(reason=exc.strerror or "OSError",
                                                  target=f".{target}").at(file=str(path))
        result = out / f"dokumen.{target}"
        if completed.returncode != 0 or not result.exists():
            reason = (completed.stderr or completed.stdout or b"").decode(
                "utf-8", "replace").strip().splitlines()
            return None, IMPORT_CONVERSION_FAILED(
                reason=reason[-1][:200] if reason else f"exit {completed.returncode}",
                target=f".{target}").at(file=str(path))
        return result.read_bytes(), IMPORT_CONVERTED(kind=kind, target=f".{target}").at(
            file=str(path))


def read_converted(path: Path, *, taken_ids: set[str] | None = None
                   ) -> tuple[list[Sop], list[Finding]]:
    data, note = convert(path)
    if data is None:
        return [], [note]
    read = read_docx if _CONVERSIONS[path.suffix.lower()] == "docx" else read_xlsx
    sops, findings = read(data, file=str(path), taken_ids=taken_ids)
    return sops, [note, *findings]


CONVERTED_SUFFIXES = frozenset(_CONVERSIONS)
__all__ = ["CONVERTED_SUFFIXES", "read_converted", "read_docx", "read_xlsx"]
