"""Write docs/findings.md from the finding-code registry (alur.sop.codes).

The reference lists every code alur can report, with its severity and what it means. It is
generated so that it cannot drift from the code: a code exists only by being registered, and
tests/test_docs.py fails when the committed file differs from what this script writes.

    .venv/bin/python tools/findings_doc.py           rewrite docs/findings.md
    .venv/bin/python tools/findings_doc.py --check   exit 1 when docs/findings.md is out of date

Every module that registers codes must be imported first: the loader, the checker and every
module under `alur.importers` (importers added later register their codes in their own module,
so they are found by walking the package rather than by a list kept here).
"""

from __future__ import annotations

import argparse
import importlib
import pkgutil
import sys
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType

from alur.sop.codes import REGISTRY, Code

ROOT = Path(__file__).resolve().parents[1]
DOC = ROOT / "docs" / "findings.md"

INTRO = """\
# Findings reference

Every problem alur finds in a document is a *finding*: a severity, a code, a message in
Indonesian and a location (file, line, SOP, step). `alur check` exits 1 when any finding is an
error; warnings and info never fail a command. Codes are stable; messages may be reworded.

<!-- Generated from the code registry (alur.sop.codes, alur.importers) by
tools/findings_doc.py: edit the registrations, then run the script. -->
"""

# (heading, the prefixes of its codes), in the order the reference shows them.
GROUPS: list[tuple[str, tuple[str, ...]]] = [
    ("Reading an SOP file (`format.*`)", ("format",)),
    ("Checking an SOP (`alur check`, the editor, after every import)",
     ("identity", "actor", "steps", "step", "decision", "flow")),
    ("Importing documents (`import.*`)", ("import",)),
    ("Storing in the library (`library.*`, the web application)", ("library",)),
]
OTHER_GROUP = "Other codes"


def registering_modules() -> Iterator[ModuleType]:
    """Every module that registers codes, in a fixed order: the core's, the importers' shared
    ones, then every other module of the importers by name. (The package itself is left out:
    it only holds codes imported from alur.importers.codes.)"""
    for name in ("alur.sop.codes", "alur.sop.fileformat", "alur.sop.check",
                 "alur.importers.codes"):
        yield importlib.import_module(name)
    importers = importlib.import_module("alur.importers")
    for info in pkgutil.walk_packages(importers.__path__, "alur.importers."):
        yield importlib.import_module(info.name)


def registered_codes() -> list[Code]:
    """All registered codes in a stable order: by module as above, then as each module
    defines them; a code no module holds as an attribute comes last, in registration order."""
    ordered: dict[str, Code] = {}
    for module in registering_modules():
        for value in vars(module).values():
            if isinstance(value, Code) and REGISTRY.get(value.code) is value:
                ordered.setdefault(value.code, value)
    for code, entry in REGISTRY.items():
        ordered.setdefault(code, entry)
    return list(ordered.values())


def _cell(text: str) -> str:
    return text.replace("|", "\\|")


def _table(codes: list[Code]) -> list[str]:
    """One row per meaning: neighbouring codes with the same severity and meaning share it."""
    rows: list[tuple[list[str], str, str]] = []
    for entry in codes:
        severity = str(entry.severity.value)
        if rows and rows[-1][1] == severity and rows[-1][2] == entry.meaning:
            rows[-1][0].append(entry.code)
        else:
            rows.append(([entry.code], severity, entry.meaning))
    lines = ["| code | severity | meaning |", "|---|---|---|"]
    lines += [f"| {', '.join(names)} | {severity} | {_cell(meaning)} |"
              for names, severity, meaning in rows]
    return lines


def render() -> str:
    """The whole reference as Markdown."""
    codes = registered_codes()
    sections: list[tuple[str, list[Code]]] = [(heading, []) for heading, _ in GROUPS]
    other: list[Code] = []
    for entry in codes:
        prefix = entry.code.split(".", 1)[0]
        index = next((i for i, (_, prefixes) in enumerate(GROUPS) if prefix in prefixes), None)
        (other if index is None else sections[index][1]).append(entry)
    if other:
        sections.append((OTHER_GROUP, other))
    parts = [INTRO]
    for heading, members in sections:
        if members:
            parts.append("\n".join([f"## {heading}", *_table(members)]) + "\n")
    return "\n".join(parts)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true",
                        help="change nothing; exit 1 when docs/findings.md is out of date")
    args = parser.parse_args(argv)
    text = render()
    current = DOC.read_text(encoding="utf-8") if DOC.exists() else None
    if args.check:
        if current != text:
            print(f"{DOC.relative_to(ROOT)} is out of date: run tools/findings_doc.py",
                  file=sys.stderr)
            return 1
        return 0
    if current != text:
        DOC.write_text(text, encoding="utf-8")
        print(f"wrote {DOC.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
