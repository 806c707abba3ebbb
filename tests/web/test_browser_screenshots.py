"""Screenshots for a person to look at: each role's home, the editor and the task page, on a
phone (390 px) and a desktop (1366 px), written to build/screenshots/<page>-<width>.png.
Each page must fit its width (no sideways scroll) and log no error in the browser console."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from .browser_office import ROLES, WIDTHS, build_office, log_in
from .chromium import BROWSER_TESTS

SHOTS = Path(__file__).parents[2] / "build" / "screenshots"
SIDEWAYS = "() => [document.documentElement.scrollWidth, window.innerWidth]"

pytestmark = BROWSER_TESTS


@pytest.mark.parametrize("width", WIDTHS)
def test_homes_editor_and_task_page_fit_and_log_no_error(
        live_server, browser, transactional_db, width: int) -> None:
    office = build_office()
    base = live_server.url
    shots = [(role, f"home-{role}", "/", None) for role in ROLES] + [
        ("penyusun", "editor", f"/versi/{office.draft.public_id}/ubah/", "#pratinjau svg"),
        ("pegawai", "task", f"/tugas/{office.task.public_id}/", None)]
    context = browser.new_context(viewport={"width": width, "height": 900})
    page = context.new_page()
    errors: list[str] = []
    page.on("console", lambda m: errors.append(f"{page.url}: console {m.type}: {m.text}")
            if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(f"{page.url}: {e}"))
    SHOTS.mkdir(parents=True, exist_ok=True)
    sessions: dict[str, Any] = {}
    problems = []
    for role, name, path, wait_for in shots:
        if role not in sessions:
            sessions[role] = log_in(context, base, office.usernames[role])
        context.clear_cookies()
        context.add_cookies(sessions[role])
        response = page.goto(f"{base}{path}")
        assert response is not None and response.status == 200, (name, response)
        if wait_for:
            page.wait_for_selector(wait_for)
        page.wait_for_load_state("networkidle")
        page.screenshot(path=str(SHOTS / f"{name}-{width}.png"), full_page=True)
        scroll, viewport = page.evaluate(SIDEWAYS)
        if scroll > viewport:
            problems.append(f"{name} at {width} px scrolls sideways: {scroll} px wide")
    context.close()
    assert problems + errors == []
