"""Accessibility of every main page, as every role, on a phone (390 px) and a desktop (1366 px):
axe-core (tests/web/vendor, never served by the app) runs the WCAG 2.0/2.1 A and AA rules in
Debian's Chromium, and no page may have a serious or critical violation.

One pass does all the work, to stay fast: the office is built once, each account logs in once
(its session cookie is put back when its turn comes), one browser context per width visits
every page. The tests then each read one role at one width, so a failure names the role, the
width, and for each violation the page, the rule, the element and what axe says is wrong.
axe is added to each context as an init script (each page gets it before its own scripts, with
no round trip per page: twice as fast as page.add_script_tag). The contexts bypass the
Content-Security-Policy, for the tests only, so that nothing the policy forbids keeps axe from
working; test_security_csp_browser.py checks the policy itself. Lesser findings (moderate,
minor) are written to build/accessibility.txt for a person to read."""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path
from typing import Any

import pytest

from .browser_office import ROLES, WIDTHS, Page, build_office, flush_database, log_in, pages_for
from .chromium import ARGS, BROWSER_TESTS, CHROMIUM

AXE = Path(__file__).parent / "vendor" / "axe.min.js"
REPORT = Path(__file__).parents[2] / "build" / "accessibility.txt"
TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
FAILING = {"serious", "critical"}
RUN_AXE = """async (tags) => {
  const result = await axe.run(document, {runOnly: {type: "tag", values: tags},
                                          resultTypes: ["violations"]});
  return result.violations.map(v => ({
    id: v.id, impact: v.impact, help: v.help,
    nodes: v.nodes.map(n => ({target: n.target.join(" "),
                              summary: (n.failureSummary || "").replace(/\\s+/g, " ")}))}));
}"""

# BROWSER_TESTS's skip only: the module fixture below manages its own database rows.
pytestmark = [BROWSER_TESTS[1]]

Found = dict[tuple[str, int], list[str]]


def _axe(page: Any) -> list[dict[str, Any]]:
    violations: list[dict[str, Any]] = page.evaluate(RUN_AXE, TAGS)
    return violations


def _visit(page: Any, base: str, visited: Page) -> str | None:
    """Open a page; a reason it could not be checked, or None."""
    response = page.goto(f"{base}{visited.path}")
    if response is None or response.status != 200:
        return f"HTTP {response and response.status}"
    if visited.wait_for:
        page.wait_for_selector(visited.wait_for)
    if visited.settle:
        page.wait_for_load_state("networkidle")
    return None


def _record(found: Found, lesser: list[str], key: tuple[str, int], page_name: str,
            violations: list[dict[str, Any]]) -> None:
    for v in violations:
        for node in v["nodes"]:
            line = (f"{page_name}: [{v['impact']}] {v['id']} at {node['target']} — {v['help']}."
                    f" {node['summary']}")
            if v["impact"] in FAILING:
                found[key].append(line)
            else:
                lesser.append(f"{key[0]} at {key[1]} px, {line}")


def _scan(base: str, office: Any) -> tuple[Found, list[str]]:
    from playwright.sync_api import sync_playwright

    found: Found = defaultdict(list)
    lesser: list[str] = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        first = browser.new_context()
        sessions = {role: log_in(first, base, office.usernames[role]) for role in ROLES}
        first.close()
        for width in WIDTHS:
            context = browser.new_context(viewport={"width": width, "height": 900},
                                          bypass_csp=True)
            context.add_init_script(path=str(AXE))
            page = context.new_page()
            problem = _visit(page, base, Page("login", "/masuk/"))
            _record(found, lesser, ("anonymous", width), "login",
                    [] if problem else _axe(page))
            for role in ROLES:
                context.clear_cookies()
                context.add_cookies(sessions[role])
                for visited in pages_for(role, office):
                    problem = _visit(page, base, visited)
                    if problem:
                        found[role, width].append(f"{visited.name} ({visited.path}): {problem}")
                        continue
                    _record(found, lesser, (role, width), f"{visited.name} ({visited.path})",
                            _axe(page))
            context.close()
        browser.close()
    return found, lesser


@pytest.fixture(scope="module")
def violations(live_server, django_db_setup, django_db_blocker) -> Found:
    """Every page as every role at both widths, checked once for the module."""
    with django_db_blocker.unblock():
        try:
            found, lesser = _scan(live_server.url, build_office())
        finally:
            flush_database()
    REPORT.parent.mkdir(exist_ok=True)
    REPORT.write_text("\n".join(lesser) + "\n", encoding="utf-8")
    return found


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("role", ("anonymous", *ROLES))
def test_no_serious_or_critical_violation(violations: Found, role: str, width: int) -> None:
    found = violations.get((role, width), [])
    assert not found, (f"{len(found)} serious or critical accessibility problem(s) for "
                       f"{role} at {width} px:\n" + "\n".join(found))
