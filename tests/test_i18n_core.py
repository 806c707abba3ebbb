"""The core's messages: Bahasa Indonesia by default, English when asked, the web's language in
the web application (alur.i18n)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from click.testing import CliRunner
from django.utils import translation as django_translation

from alur import i18n
from alur.cli.main import main
from alur.sop import Actor, Severity, Sop, Step, check, loads
from alur.sop.findings import SEVERITY_LABELS

ROOT = Path(__file__).parents[1]


def missing_actor_sop() -> Sop:
    return Sop(id="surat", name="Surat", actors=[Actor(id="tu", name="Tata Usaha")],
               steps=[Step(number=1, activity="Mencatat surat", actors=["tu"]),
                      Step(number=2, activity="Mengarsipkan surat")])


def message(code: str, sop: Sop | None = None) -> str:
    (finding,) = [f for f in check(sop or missing_actor_sop()) if f.code == code]
    return finding.message


@pytest.fixture(autouse=True)
def _no_language_from_the_environment(monkeypatch):
    monkeypatch.delenv(i18n.ENV_VAR, raising=False)


def test_default_is_indonesian():
    assert i18n.get_language() == "id"
    assert message("step.actor-missing") == "Langkah 2 tidak memiliki pelaksana."


def test_override_english_and_back():
    with i18n.override("en"):
        assert i18n.get_language() == "en"
        assert message("step.actor-missing") == "Step 2 has no actor."
        with i18n.override("id"):
            assert message("step.actor-missing") == "Langkah 2 tidak memiliki pelaksana."
        assert message("step.actor-missing") == "Step 2 has no actor."
    assert message("step.actor-missing") == "Langkah 2 tidak memiliki pelaksana."


def test_activate_and_deactivate():
    try:
        i18n.activate("en")
        assert message("step.actor-missing") == "Step 2 has no actor."
    finally:
        i18n.deactivate()
    assert i18n.get_language() == "id"


def test_language_codes_are_normalised_and_unknown_ones_ignored():
    for code, expected in (("en-us", "en"), ("EN_gb", "en"), ("id-ID", "id"), ("fr", "id"),
                           ("", "id")):
        with i18n.override(code):
            assert i18n.get_language() == expected, code


def test_placeholders_are_filled_in_both_languages():
    steps = [Step(number=1, activity="a", actors=["tu"], next=9)]
    sop = missing_actor_sop().model_copy(update={"steps": steps})
    assert message("step.ref-unknown", sop) == \
        "Langkah 1: langkah berikutnya menunjuk langkah 9 yang tidak ada."
    with i18n.override("en"):
        assert message("step.ref-unknown", sop) == \
            "Step 1: the next step points to step 9, which does not exist."


def test_plural_forms():
    assert i18n.ngettext("{count} error", "{count} errors", 1) == "{count} galat"
    assert i18n.ngettext("{count} error", "{count} errors", 2) == "{count} galat"
    with i18n.override("en"):
        assert i18n.ngettext("{count} error", "{count} errors", 1) == "{count} error"
        assert i18n.ngettext("{count} error", "{count} errors", 2) == "{count} errors"


def test_loader_messages_and_model_errors_are_translated():
    text = "format: alur-sop/1\nid: Surat Masuk\ntiem: 5\n"
    default = {f.code: f.message for f in loads(text).findings}
    assert default["format.unknown-key"] == "Kunci tidak dikenal 'tiem' (salah ketik?)."
    assert "id SOP harus huruf kecil" in default["format.invalid"]
    with i18n.override("en"):
        english = {f.code: f.message for f in loads(text).findings}
    assert english["format.unknown-key"] == "Unknown key 'tiem' (a typo?)."
    assert "an SOP id must be lowercase letters" in english["format.invalid"]


def test_severity_label_follows_the_language_but_the_keys_stay():
    assert Severity.ERROR.label == "galat"
    with i18n.override("en"):
        assert Severity.ERROR.label == "error"
        assert SEVERITY_LABELS[Severity.ERROR] == "galat"  # the web's keys do not move


def test_finding_location_is_translated():
    finding = next(f for f in check(missing_actor_sop()) if f.code == "step.actor-missing")
    assert finding.located() == "[surat] langkah 2"
    with i18n.override("en"):
        assert finding.located() == "[surat] step 2"


def test_override_does_not_leak_into_another_thread():
    seen: list[str] = []
    with i18n.override("en"):
        thread = threading.Thread(target=lambda: seen.append(i18n.get_language()))
        thread.start()
        thread.join()
    assert seen == ["id"]


def test_environment_variable_when_django_has_no_language(monkeypatch):
    monkeypatch.setenv(i18n.ENV_VAR, "en")
    # Django without an active language (management commands, deactivate_all) decides nothing.
    with django_translation.override(None):
        assert django_translation.get_language() is None
        assert message("step.actor-missing") == "Step 2 has no actor."


def test_django_active_language_is_followed():
    """The web application shows findings in the language of the person reading the page."""
    assert "django.utils.translation" in sys.modules
    with django_translation.override("en"):
        assert i18n.get_language() == "en"
        assert message("step.actor-missing") == "Step 2 has no actor."
        with i18n.override("id"):  # an explicit override still wins
            assert message("step.actor-missing") == "Langkah 2 tidak memiliki pelaksana."
    with django_translation.override("id"):
        assert message("step.actor-missing") == "Langkah 2 tidak memiliki pelaksana."


def test_django_language_beats_the_environment(monkeypatch):
    monkeypatch.setenv(i18n.ENV_VAR, "en")
    with django_translation.override("id"):
        assert message("step.actor-missing") == "Langkah 2 tidak memiliki pelaksana."


_SCRIPT = """
import json, sys
from alur.sop import Actor, Sop, Step, check
from alur.importers import read_text
sop = Sop(id="s", actors=[Actor(id="a", name="A")], steps=[Step(number=1, activity="x")])
(finding,) = [f for f in check(sop) if f.code == "step.actor-missing"]
(none,) = read_text("rapat hari senin").findings[-1:]
print(json.dumps({"message": finding.message, "import": none.message,
                  "django": "django" in sys.modules}))
"""


@pytest.mark.parametrize(("language", "expected", "imported"), [
    (None, "Langkah 1 tidak memiliki pelaksana.", "Tidak ada SOP yang ditemukan di dokumen ini."),
    ("en", "Step 1 has no actor.", "No SOP was found in this document."),
    ("fr", "Langkah 1 tidak memiliki pelaksana.", "Tidak ada SOP yang ditemukan di dokumen ini."),
])
def test_environment_variable_without_django(language, expected, imported):
    """The core runs without Django (checker, importers): ALUR_LANGUAGE decides, else Indonesian."""
    env = {k: v for k, v in os.environ.items()
           if k not in ("DJANGO_SETTINGS_MODULE", i18n.ENV_VAR)}
    if language:
        env[i18n.ENV_VAR] = language
    result = subprocess.run([sys.executable, "-c", _SCRIPT], capture_output=True, text=True,
                            env=env, cwd=ROOT, check=True)
    assert json.loads(result.stdout) == {"message": expected, "import": imported,
                                         "django": False}


def test_cli_messages_and_help_follow_the_language(tmp_path):
    runner = CliRunner()
    missing = str(tmp_path / "tidak-ada.yaml")
    assert "Periksa berkas SOP" in runner.invoke(main, ["check", "--help"]).output
    assert "tidak ditemukan" in runner.invoke(main, ["check", missing]).output
    with i18n.override("en"):
        help_text = runner.invoke(main, ["check", "--help"]).output
        assert "Check SOP files against the rules" in help_text
        assert "FILE..." in help_text and "Show only errors." in help_text
        assert "not found" in runner.invoke(main, ["check", missing]).output
        good = tmp_path / "surat.yaml"
        good.write_text("format: alur-sop/1\nid: surat\nname: Surat\n", encoding="utf-8")
        output = runner.invoke(main, ["check", str(good)]).output
        assert "The SOP has no procedure steps." in output
        assert "1 file checked; 2 errors," in output
