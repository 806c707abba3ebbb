"""The comparison page in a browser, for a person to look at: build/screenshots/changes-1366.png
and changes-390.png. The page must fit its width (the flowcharts pan inside their boxes), stack
the two flowcharts on a phone and log no error in the console."""

from __future__ import annotations

from pathlib import Path

import pytest

from .browser_office import PASSWORD, log_in
from .chromium import BROWSER_TESTS

SHOTS = Path(__file__).parents[2] / "build" / "screenshots"
SIDEWAYS = "() => [document.documentElement.scrollWidth, window.innerWidth]"

pytestmark = BROWSER_TESTS


def _two_versions():
    """Surat Keluar approved, and a second version: a step inserted at 3 (the decision's Ya
    now leads to it), the signing step reworded with a longer time, an actor renamed, a legal
    basis added."""
    from django.contrib.auth import get_user_model

    from alur.web.demo import unit_chain
    from alur.web.library.services import new_draft
    from alur.web.org.models import Membership

    from .cases_fixtures import approved

    unit = unit_chain(["PEMERINTAH KABUPATEN BANGKA TENGAH", "SEKRETARIAT DAERAH"])
    user = get_user_model().objects.create_user(username="pembaca", password=PASSWORD)
    Membership.objects.create(user=user, unit=unit, role="penyusun")
    first = approved("surat-keluar", unit, user)
    second = new_draft(first, user)
    document = second.document
    steps = list(document.steps)
    check = steps[2].model_copy(update={
        "number": 3, "activity": "Memeriksa kelengkapan lampiran surat", "actors": ["kasubag"],
        "time": "5 menit", "inputs": ["Surat", "Lampiran"], "outputs": ["Surat"],
        "comment": "", "inferred": []})
    steps[1] = steps[1].model_copy(update={"on_yes": 3})
    steps[3] = steps[3].model_copy(update={
        "activity": "Penandatanganan surat keluar oleh Kabag atau pejabat yang ditunjuk",
        "time": "15 menit"})
    steps = [*steps[:2], check, *steps[2:]]
    steps = [s.model_copy(update={"number": n}) for n, s in enumerate(steps, 1)]
    actors = [a.model_copy(update={"name": "Petugas Caraka"}) if a.id == "ptgs-caraka" else a
              for a in document.actors]
    second.set_document(document.model_copy(update={
        "steps": steps, "actors": actors,
        "legal_basis": [*document.legal_basis, "Permendagri Nomor 1 Tahun 2023 tentang "
                        "Tata Naskah Dinas di Lingkungan Pemerintah Daerah"]}))
    second.save()
    return second


@pytest.mark.parametrize("width", [1366, 390])
def test_changes_page_fits_and_logs_no_error(live_server, browser, transactional_db,
                                            width: int) -> None:
    second = _two_versions()
    context = browser.new_context(viewport={"width": width, "height": 900})
    context.add_cookies(log_in(context, live_server.url, "pembaca"))
    page = context.new_page()
    errors: list[str] = []
    page.on("console", lambda m: errors.append(f"console {m.type}: {m.text}")
            if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    response = page.goto(f"{live_server.url}/versi/{second.public_id}/perubahan/")
    assert response is not None and response.status == 200
    page.wait_for_load_state("networkidle")
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"changes-{width}.png"), full_page=True)
    scroll, viewport = page.evaluate(SIDEWAYS)
    assert scroll <= viewport, f"scrolls sideways: {scroll} px wide"
    boxes = page.locator(".bagan-banding > div").all()
    first, second_box = boxes[0].bounding_box(), boxes[1].bounding_box()
    assert first is not None and second_box is not None
    if width < 992:  # stacked
        assert second_box["y"] > first["y"] + first["height"] - 1
    else:  # side by side
        assert abs(second_box["y"] - first["y"]) < 1 and second_box["x"] > first["x"]
    # The technical diff is there, closed.
    assert page.locator("details.teknis").get_attribute("open") is None
    assert page.locator(".symbol.beda-added").count() >= 1
    context.close()
    assert errors == []
