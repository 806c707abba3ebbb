"""The Content-Security-Policy: every response carries it, it allows no inline script or style,
and the pages satisfy it — no template holds an inline <script>, <style>, style="" or event
handler attribute, and the pages people use, as each role, render none (the flowcharts' SVG
included: presentation attributes only). The browser test in test_security_csp_browser.py
loads them in Chromium and fails on any violation the browser reports."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.urls import reverse
from lxml import html as lxml_html

from .cases_fixtures import approved, staff

TEMPLATES = Path(__file__).parents[2] / "src" / "alur" / "web" / "templates"
STATIC = Path(__file__).parents[2] / "src" / "alur" / "web" / "static" / "alur"
EVENT_ATTRIBUTE = re.compile(r"\s(on[a-z]+|hx-on[:\w-]*)\s*=", re.IGNORECASE)


def _directives(header: str) -> dict[str, list[str]]:
    return {part.split()[0]: part.split()[1:] for part in header.split(";") if part.strip()}


@pytest.mark.django_db
def test_every_page_sends_a_policy_without_unsafe_inline(client, penyusun):
    for response in (client.get(reverse("login")), penyusun.get(reverse("library:list")),
                     penyusun.get("/api/docs")):
        header = response["Content-Security-Policy"]
        policy = _directives(header)
        assert policy["script-src"] == ["'self'"] and policy["style-src"] == ["'self'"]
        assert policy["default-src"] == ["'self'"] and policy["object-src"] == ["'none'"]
        assert policy["frame-ancestors"] == ["'none'"] and policy["base-uri"] == ["'self'"]
        assert "unsafe-inline" not in header and "unsafe-eval" not in header


def test_no_template_holds_inline_script_style_or_handlers():
    problems = []
    for template in sorted(TEMPLATES.rglob("*.html")):
        text = template.read_text(encoding="utf-8")
        name = template.relative_to(TEMPLATES)
        for match in re.finditer(r"<script\b([^>]*)>", text):
            attributes = match.group(1)
            if "src=" not in attributes and 'type="application/json"' not in attributes:
                problems.append(f"{name}: inline <script>")
        if re.search(r"<style\b", text):
            problems.append(f"{name}: <style>")
        if re.search(r"\sstyle\s*=", text):
            problems.append(f"{name}: style=\"\"")
        problems.extend(f"{name}: {m.group(1)}=" for m in EVENT_ATTRIBUTE.finditer(text))
    assert problems == []


def test_htmx_is_configured_for_the_policy():
    """htmx would insert its indicator <style> and could evaluate script from a response."""
    base = (TEMPLATES / "base.html").read_text(encoding="utf-8")
    config = re.search(r"<meta name=\"htmx-config\" content='([^']+)'>", base)
    assert config is not None
    import json

    assert json.loads(config.group(1)) == {"includeIndicatorStyles": False, "allowEval": False,
                                           "allowScriptTags": False}
    for script in STATIC.glob("*.js"):  # alur's own scripts write no style="" either
        assert "setAttribute(\"style\"" not in script.read_text(encoding="utf-8")


def _inline_problems(content: bytes) -> list[str]:
    tree = lxml_html.fromstring(content)
    problems = [f"<script> without src at line {s.sourceline}" for s in tree.iter("script")
                if not s.get("src") and s.get("type") != "application/json"]
    problems += [f"<style> at line {s.sourceline}" for s in tree.iter("style")]
    for element in tree.iter():
        if not isinstance(element.tag, str):
            continue
        for attribute in element.attrib:
            if attribute == "style" or attribute.startswith(("on", "hx-on")):
                problems.append(f"{attribute}= on <{element.tag}> at line {element.sourceline}")
    return problems


@pytest.mark.django_db
def test_pages_as_each_role_render_no_inline_script_or_style(client, user_factory, units):
    from alur.web.cases import services
    from alur.web.org.models import Person

    unit = units["dinsos"]
    version = approved("surat-ijin-cuti", unit, user_factory("penulis"))
    holders = staff(version, user_factory)
    applicant_user = user_factory("pemohon", "pegawai", unit)
    applicant = Person.objects.create(user=applicant_user, name="Budi Pemohon")
    case = services.start_case(version, applicant, title="Cuti Budi")
    task = case.tasks.get()
    author = user_factory("penyusun", "penyusun", unit)
    approver = user_factory("pengesah", "pengesah", unit)
    admin = user_factory("admin", is_staff=True, is_superuser=True)
    sop = version.sop
    common = [reverse("library:list"), f"/sop/{sop.public_id}/", reverse("org:tree"),
              reverse("cases:inbox"), reverse("cases:list"), reverse("cases:start_list"),
              reverse("cases:notifications"), reverse("password_change")]
    pages = {
        author: [*common, reverse("imports:upload")],
        approver: common,
        applicant_user: [*common, f"/kasus/{case.public_id}/", f"/tugas/{task.public_id}/"],
        holders["pengelola-kepegawaian"].user: common,
        admin: [*common, f"/kasus/{case.public_id}/", reverse("admin:index")],
    }
    for user, paths in pages.items():
        client.force_login(user)
        for path in paths:
            response = client.get(path)
            assert response.status_code == 200, (user.username, path)
            assert _inline_problems(response.content) == [], (user.username, path)
    client.logout()
    assert _inline_problems(client.get(reverse("login")).content) == []
