"""Every message catalog shipped in the package is complete, valid and compiled.

Covers each `.po` under `src/alur/**/locale/`: the core catalog (`alur.po`, see
docs/translation.md) and the web application's Django catalog (`django.po`) alike, so a catalog
added later is checked without touching this file. The compiled `.mo` files are committed
(the package ships them and nothing compiles at install time), so they must match their `.po`.
"""

from __future__ import annotations

import gettext
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).parents[1]
PACKAGE = ROOT / "src" / "alur"
CATALOGS = sorted(PACKAGE.glob("**/locale/*/LC_MESSAGES/*.po"))
CORE_CATALOG = PACKAGE / "locale" / "id" / "LC_MESSAGES" / "alur.po"

needs_msgfmt = pytest.mark.skipif(shutil.which("msgfmt") is None,
                                  reason="msgfmt (GNU gettext) is not installed")


def _gettext_tool(*args: str | Path) -> subprocess.CompletedProcess[str]:
    """Run a gettext tool with its own messages in English, whatever the machine's locale."""
    env = {k: v for k, v in os.environ.items() if k not in ("LANGUAGE", "LC_MESSAGES")}
    env["LC_ALL"] = "C"
    return subprocess.run([str(a) for a in args], capture_output=True, text=True, env=env,
                          check=False)


def _catalog(mo: Path) -> dict:
    with mo.open("rb") as handle:
        return gettext.GNUTranslations(handle)._catalog  # type: ignore[attr-defined]


def test_the_core_catalog_is_among_them():
    assert CORE_CATALOG in CATALOGS


@needs_msgfmt
@pytest.mark.parametrize("po", CATALOGS, ids=lambda p: str(p.relative_to(PACKAGE)))
def test_catalog_is_complete_and_valid(po: Path, tmp_path: Path):
    result = _gettext_tool("msgfmt", "--check", "--statistics", "-o", tmp_path / "x.mo", po)
    assert result.returncode == 0, result.stderr
    statistics = result.stderr.strip().splitlines()[-1]
    # "243 translated messages." — and no ", N fuzzy translations" or ", N untranslated".
    assert re.fullmatch(r"\d+ translated messages?\.", statistics), (
        f"{po.relative_to(ROOT)}: {statistics} Translate every entry and remove the fuzzy "
        "flags, then compile the catalog again (docs/translation.md).")


@needs_msgfmt
@pytest.mark.parametrize("po", CATALOGS, ids=lambda p: str(p.relative_to(PACKAGE)))
def test_committed_mo_is_the_compiled_po(po: Path, tmp_path: Path):
    mo = po.with_suffix(".mo")
    assert mo.is_file(), f"{mo.relative_to(ROOT)} is missing: compile the catalog"
    fresh = tmp_path / "fresh.mo"
    result = _gettext_tool("msgfmt", "-o", fresh, po)
    assert result.returncode == 0, result.stderr
    assert _catalog(mo) == _catalog(fresh), (
        f"{mo.relative_to(ROOT)} is stale: compile {po.name} again (docs/translation.md)")


@pytest.mark.skipif(any(shutil.which(t) is None for t in ("xgettext", "msgmerge", "msgattrib")),
                    reason="GNU gettext tools (xgettext, msgmerge, msgattrib) are not installed")
def test_core_catalog_has_every_message_of_the_source():
    """A message added to the core without a translation would reach users in English."""
    result = _gettext_tool("sh", ROOT / "tools" / "update_messages.sh", "--check")
    assert result.returncode == 0, result.stderr + result.stdout
