"""Opening Office files (.docx, .xlsx: zip packages of XML) without trusting them.

A hostile upload can be a zip bomb (a few kB that inflate to gigabytes), an archive of a million
entries, or XML whose entities expand without end ("billion laughs"). Every package is checked
here before any library parses it: the entry count, the declared sizes, the compression ratio,
and each XML part is read with a parser that resolves no entities, loads nothing from the
network and refuses a DOCTYPE with entity declarations. Reading stops at the limits; nothing
is inflated past them.
"""

from __future__ import annotations

import io
import re
import zipfile
from dataclasses import dataclass

from lxml import etree

MAX_ENTRIES = 5_000
MAX_TOTAL_BYTES = 200 * 1024 * 1024   # all parts inflated
MAX_PART_BYTES = 100 * 1024 * 1024    # one part inflated
MAX_RATIO = 200                        # inflated / compressed, for parts over 1 MB
_ENTITY_DECLARATION = re.compile(rb"<!ENTITY", re.IGNORECASE)


class PackageError(Exception):
    """The package cannot be read safely; `reason` says why, in a word the readers translate:
    'not-zip', 'encrypted', 'bomb', 'entities', 'missing' or 'xml'."""

    def __init__(self, reason: str, detail: str = "") -> None:
        super().__init__(f"{reason}: {detail}" if detail else reason)
        self.reason = reason
        self.detail = detail


_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False,
                          remove_blank_text=False, load_dtd=False)


def parse_xml(data: bytes) -> etree._Element:
    """An XML part as a tree, refusing entity declarations (the only way XML expands)."""
    if _ENTITY_DECLARATION.search(data[:65536]) or (b"<!DOCTYPE" in data[:4096]
                                                    and b"<!ENTITY" in data):
        raise PackageError("entities")
    try:
        return etree.fromstring(data, parser=_PARSER)
    except etree.XMLSyntaxError as exc:
        raise PackageError("xml", str(exc)) from None


@dataclass
class Package:
    """The parts of a checked zip package, read on demand and each at most once."""

    archive: zipfile.ZipFile

    def names(self) -> list[str]:
        return self.archive.namelist()

    def has(self, name: str) -> bool:
        try:
            self.archive.getinfo(name)
        except KeyError:
            return False
        return True

    def read(self, name: str) -> bytes:
        try:
            info = self.archive.getinfo(name)
        except KeyError:
            raise PackageError("missing", name) from None
        with self.archive.open(info) as part:
            data = part.read(MAX_PART_BYTES + 1)
        if len(data) > MAX_PART_BYTES:
            raise PackageError("bomb", name)
        return data

    def xml(self, name: str) -> etree._Element:
        return parse_xml(self.read(name))


def open_package(data: bytes) -> Package:
    """Check a zip package's directory before anything is inflated."""
    if data[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1":
        # An OLE container: an old .doc/.xls, or an Office file protected with a password
        # (which Office stores encrypted inside OLE, not as a zip).
        raise PackageError("encrypted" if b"E\x00n\x00c\x00r\x00y\x00p\x00t\x00e\x00d"
                           in data[:65536] or b"EncryptionInfo" in data else "ole")
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, ValueError, OSError) as exc:
        raise PackageError("not-zip", str(exc)) from None
    infos = archive.infolist()
    if len(infos) > MAX_ENTRIES:
        raise PackageError("bomb", f"{len(infos)} entries")
    total = 0
    for info in infos:
        if info.flag_bits & 0x1:
            raise PackageError("encrypted", info.filename)
        total += info.file_size
        if info.file_size > MAX_PART_BYTES or total > MAX_TOTAL_BYTES:
            raise PackageError("bomb", info.filename)
        if info.file_size > 1024 * 1024 and info.compress_size and \
                info.file_size / info.compress_size > MAX_RATIO:
            raise PackageError("bomb", info.filename)
    return Package(archive)
