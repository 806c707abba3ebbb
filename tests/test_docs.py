"""The findings reference lists every code the program can emit."""

import re
from pathlib import Path

ROOT = Path(__file__).parents[1]


def test_every_finding_code_is_documented():
    source = "".join(p.read_text(encoding="utf-8") for p in (ROOT / "src").rglob("*.py"))
    codes = set(re.findall(r'"((?:import|identity|actor|steps?|decision|flow|format)\.[a-z-]+)"',
                           source))
    codes |= {f"identity.{k.replace('_', '-')}" for k in
              ("legal_basis", "qualifications", "related", "equipment", "warnings", "records")}
    documented = (ROOT / "docs" / "findings.md").read_text(encoding="utf-8")
    missing = sorted(c for c in codes if c not in documented)
    assert missing == []
