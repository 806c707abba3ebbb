"""Bahasa Indonesia by default, English on request: the pages, the language form and the web
catalog (English msgids, Indonesian translations in src/alur/web/locale/id)."""

import ast
import gettext
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.urls import reverse
from django.utils import translation

from alur.web.library.models import SopVersion

pytestmark = pytest.mark.django_db

WEB = Path(settings.BASE_DIR)
PO = WEB / "locale" / "id" / "LC_MESSAGES" / "django.po"
MO = PO.with_suffix(".mo")
# Not scanned: the static files, served as they are and never translated.
NOT_SCANNED = ["static/*"]

# (page, something it says in Indonesian, the same in English)
PAGES = {
    "library": ("Pustaka SOP", "SOP library"),
    "login": ("Masuk ke alur", "Log in to alur"),
    "sop": ("Riwayat versi", "Version history"),
    "editor": ("Ubah draf versi 1", "Edit draft version 1"),
}


@pytest.fixture
def pages(client, library, units, user_factory):
    """The URL of each page of PAGES; the client is logged in as an author of the draft."""
    urls = {
        "login": reverse("login"),
        "library": reverse("library:list"),
        "sop": reverse("library:detail", args=[library["sakip"].sop.public_id]),
        "editor": reverse("library:edit", args=[library["draft"].public_id]),
    }
    client.force_login(user_factory("penyusun-dinsos", "penyusun", units["dinsos"]))
    return urls


def choose(client, language: str) -> None:
    """What the language form at the foot of every page does."""
    response = client.post(reverse("set_language"), {"language": language, "next": "/"})
    assert response.status_code == 302 and response["Location"] == "/"


def page(client, url: str, **headers) -> str:
    response = client.get(url, **headers)
    assert response.status_code == 200, url
    return response.content.decode()


def test_indonesian_by_default_even_for_english_browsers(client, pages):
    for name, url in pages.items():
        indonesian, english = PAGES[name]
        for headers in ({}, {"HTTP_ACCEPT_LANGUAGE": "en"},
                        {"HTTP_ACCEPT_LANGUAGE": "en-US,en;q=0.9"}):
            html = page(client, url, **headers)
            assert '<html lang="id">' in html and indonesian in html, (name, headers)
            assert english not in html, (name, headers)
    response = client.get(pages["library"], HTTP_ACCEPT_LANGUAGE="en")
    assert response["Content-Language"] == "id"
    assert "Accept-Language" not in response.get("Vary", "")


def test_english_after_choosing_it_and_back(client, pages):
    choose(client, "en")
    assert client.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"
    for name, url in pages.items():
        indonesian, english = PAGES[name]
        html = page(client, url, HTTP_ACCEPT_LANGUAGE="id")
        assert '<html lang="en">' in html and english in html, name
        assert indonesian not in html, name
    # Model labels and messages follow the choice too.
    assert ">Approved<" in page(client, pages["sop"])
    assert client.get(pages["library"])["Content-Language"] == "en"
    choose(client, "id")
    html = page(client, pages["library"])
    assert '<html lang="id">' in html and "Pustaka SOP" in html


def test_anonymous_visitors_can_choose_too(client):
    choose(client, "en")
    html = page(client, reverse("login"))
    assert "Log in to alur" in html and "Masuk ke alur" not in html


def test_an_unoffered_language_keeps_indonesian(client, pages):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "fr"  # Django has French; alur does not
    assert "Pustaka SOP" in page(client, pages["library"])
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en-gb"  # a variant of an offered one
    assert "SOP library" in page(client, pages["library"])


def test_the_language_form_is_on_every_page(client, pages):
    for url in pages.values():
        html = page(client, url)
        form = re.search(r'<form method="post" action="/i18n/setlang/" class="bahasa">(.*?)</form>',
                         html, re.S)
        assert form, url
        body = form.group(1)
        assert 'name="csrfmiddlewaretoken"' in body
        assert '<label for="bahasa">Bahasa</label>' in body
        assert re.search(r'<select id="bahasa" name="language"[ >]', body)
        assert '<option value="id" lang="id" selected>Bahasa Indonesia</option>' in body
        assert '<option value="en" lang="en">English</option>' in body
        assert f'name="next" value="{url}"' in body
        assert re.search(r'<button type="submit"[^>]*>Ganti bahasa</button>', body)


def test_english_is_the_msgid_and_indonesian_the_translation():
    with translation.override("en"):
        assert str(SopVersion.Status.DRAFT.label) == "Draft"
    with translation.override("id"):
        assert str(SopVersion.Status.DRAFT.label) == "Draf"
    assert settings.LANGUAGE_CODE == "id"


# --- the catalog -------------------------------------------------------------------------------


def read_po(path: Path) -> list[dict]:
    """The entries of a .po file: msgctxt, msgid, msgid_plural, msgstr (list), flags."""
    entries, entry, key = [], None, None

    def finish():
        if entry is not None:
            entries.append(entry)

    for line in [*path.read_text(encoding="utf-8").splitlines(), ""]:
        if not line.strip():
            finish()
            entry, key = None, None
            continue
        if entry is None:
            entry = {"msgctxt": None, "msgid": None, "msgid_plural": None, "msgstr": [],
                     "flags": set(), "obsolete": False}
        if line.startswith("#~"):
            entry["obsolete"] = True
            continue
        if line.startswith("#,"):
            entry["flags"] |= {f.strip() for f in line[2:].split(",")}
            continue
        if line.startswith("#"):
            continue
        match = re.match(r'(msgctxt|msgid_plural|msgid|msgstr(?:\[\d+\])?) (".*")$', line)
        if match:
            key, value = match.group(1), ast.literal_eval(match.group(2))
            if key.startswith("msgstr"):
                entry["msgstr"].append(value)
            else:
                entry[key] = value
        else:  # a continuation line
            value = ast.literal_eval(line)
            if key.startswith("msgstr"):
                entry["msgstr"][-1] += value
            else:
                entry[key] += value
    return entries


def catalog_entries() -> list[dict]:
    return [e for e in read_po(PO) if e["msgid"] and not e["obsolete"]]


def test_catalog_has_no_untranslated_or_fuzzy_entries():
    entries = catalog_entries()
    assert len(entries) > 250
    assert [e["msgid"] for e in entries if "fuzzy" in e["flags"]] == []
    assert [e["msgid"] for e in entries if not all(e["msgstr"])] == []
    assert [e["msgid"] for e in read_po(PO) if e["obsolete"]] == []
    header = read_po(PO)[0]
    assert header["msgid"] == "" and "fuzzy" not in header["flags"]
    assert "Language: id\n" in header["msgstr"][0]
    assert "Plural-Forms: nplurals=1; plural=0;\n" in header["msgstr"][0]


def test_translations_keep_every_placeholder():
    placeholder = re.compile(r"%\(\w+\)[sd]")
    for entry in catalog_entries():
        for source in filter(None, [entry["msgid"], entry["msgid_plural"]]):
            for text in entry["msgstr"]:
                assert sorted(placeholder.findall(source)) == sorted(placeholder.findall(text)), \
                    entry["msgid"]


def test_committed_mo_is_the_po():
    """The .mo Django reads says what the .po says, entry for entry."""
    with MO.open("rb") as handle:
        compiled = gettext.GNUTranslations(handle)._catalog
    expected = {}
    for entry in catalog_entries():
        key = entry["msgid"] if entry["msgctxt"] is None else \
            f"{entry['msgctxt']}\x04{entry['msgid']}"
        if entry["msgid_plural"] is None:
            expected[key] = entry["msgstr"][0]
        else:
            for index, text in enumerate(entry["msgstr"]):
                expected[(key, index)] = text
    compiled = {k: v for k, v in compiled.items() if k != ""}
    assert compiled == expected


@pytest.mark.skipif(shutil.which("msgfmt") is None, reason="GNU gettext (msgfmt) not installed")
def test_committed_mo_matches_a_fresh_compile(tmp_path):
    fresh = tmp_path / "django.mo"
    checked = subprocess.run(["msgfmt", "--check", "--statistics", "-o", str(fresh), str(PO)],
                             capture_output=True, text=True, check=True)
    assert "untranslated" not in checked.stderr and "fuzzy" not in checked.stderr
    with fresh.open("rb") as a, MO.open("rb") as b:
        assert gettext.GNUTranslations(a)._catalog == gettext.GNUTranslations(b)._catalog


@pytest.mark.skipif(shutil.which("xgettext") is None, reason="GNU gettext (xgettext) not installed")
def test_catalog_has_every_string_of_the_code(tmp_path, settings, monkeypatch):
    """makemessages finds nothing that the committed catalog lacks (or no longer needs). It runs
    on a copy of the sources, so the committed catalog is never touched."""
    copy = tmp_path / "web"
    shutil.copytree(WEB, copy, ignore=shutil.ignore_patterns("locale", "__pycache__", "static"))
    (copy / "locale").mkdir()
    settings.LOCALE_PATHS = [copy / "locale"]
    monkeypatch.chdir(copy)
    call_command("makemessages", locale=["id"], ignore_patterns=NOT_SCANNED, no_obsolete=True,
                 verbosity=0)
    fresh = {(e["msgctxt"], e["msgid"]) for e in read_po(copy / "locale" / "id" / "LC_MESSAGES"
                                                         / "django.po") if e["msgid"]}
    committed = {(e["msgctxt"], e["msgid"]) for e in catalog_entries()}
    assert sorted(fresh - committed, key=str) == []
    assert sorted(committed - fresh, key=str) == []
