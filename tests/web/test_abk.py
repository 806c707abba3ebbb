"""The unit's workload analysis (ABK): workload, staff needed, EJ and grade per position from
the SOPs' time standards and yearly volumes, against the people who hold each position —
every figure computed by hand for a small unit.

The unit has two SOPs whose actors link to the same two positions (Staf, Kasi):

  SOP A  1 Pemohon (applicant)  10 menit   — left out
         2 Staf                 30 menit
         3 Staf + Kasi (joint)  1 jam       — counts in full for both
         4 Kasi                 1-2 jam     — a range: 120 (upper) or 60 (lower)
  SOP B  1 Staf                 15 menit
         2 Kasi                 45 menit

With A = 250 and B = 200 a year and JKE 1.250 jam (75.000 menit):
  Staf  250 × (30 + 60) + 200 × 15        = 25.500 menit = 425 jam; needed 0,34
  Kasi  250 × (60 + 120) + 200 × 45       = 54.000 menit = 900 jam; needed 0,72 (upper end)
        250 × (60 + 60) + 200 × 45        = 39.000 menit = 650 jam; needed 0,52 (lower end)
One Staf and one Kasi (definitif), and a Plt Kasi: EJ Staf 0,34 → E; Kasi 0,72 → C (upper),
0,52 → D (lower); with acting officials counted Kasi has 2 people: 0,36 → E.
"""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from alur.sop import from_data
from alur.web.abk import services
from alur.web.abk.models import Volume
from alur.web.api.models import ApiToken
from alur.web.cases.models import Case
from alur.web.org.models import Assignment, Person

from .cases_helpers import (
    _cases_environment,  # noqa: F401  (autouse)
    add_approved,
    make_person,
    position_of,
)

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()


def document(sop_id: str, name: str, steps: list[dict], applicant: bool = False):
    actors = [{"id": "staf", "name": "Staf"}, {"id": "kasi", "name": "Kasi"}]
    if applicant:
        actors.insert(0, {"id": "pemohon", "name": "Pemohon", "applicant": True})
    result = from_data({"format": "alur-sop/1", "id": sop_id, "name": name, "actors": actors,
                        "steps": steps})
    assert result.sop is not None, result.findings
    return result.sop


@pytest.fixture
def unit_sops(units, user_factory):
    author = user_factory("penulis")
    a = add_approved(document("uji-a", "SOP A", [
        {"number": 1, "activity": "Ajukan", "actors": ["pemohon"], "time": "10 menit"},
        {"number": 2, "activity": "Periksa", "actors": ["staf"], "time": "30 menit",
         "outputs": ["Berkas"]},
        {"number": 3, "activity": "Rapat", "actors": ["staf", "kasi"], "time": "1 jam"},
        {"number": 4, "activity": "Tandatangani", "actors": ["kasi"], "time": "1-2 jam",
         "outputs": ["Surat"]}], applicant=True), units["dinsos"], author)
    b = add_approved(document("uji-b", "=SUM(A1:A9)", [
        {"number": 1, "activity": "Catat", "actors": ["staf"], "time": "15 menit"},
        {"number": 2, "activity": "Setujui", "actors": ["kasi"], "time": "45 menit"}]),
        units["dinsos"], author)
    staf, kasi = position_of(a, "staf"), position_of(a, "kasi")
    assert position_of(b, "staf") == staf and position_of(b, "kasi") == kasi
    make_person(user_factory, "pak-staf", units["dinsos"], positions=[staf])
    make_person(user_factory, "bu-kasi", units["dinsos"], positions=[kasi])
    make_person(user_factory, "plt-kasi", units["dinsos"], positions=[kasi], kind="plt")
    # Someone who held the position before: not counted today.
    make_person(user_factory, "mantan", units["dinsos"], positions=[staf],
                start=TODAY - dt.timedelta(days=900), end=TODAY - dt.timedelta(days=400))
    return {"a": a, "b": b, "staf": staf, "kasi": kasi}


def entered(version, volume: int, year: int = TODAY.year) -> Volume:
    return Volume.objects.create(sop=version.sop, year=year, source=Volume.Source.ENTERED,
                                 volume=volume)


def rows(abk: services.Abk) -> dict[str, services.PositionLine]:
    return {p.name: p for p in abk.positions}


def test_hand_computed_workload_staff_needed_ej_and_grade(units, unit_sops):
    entered(unit_sops["a"], 250)
    entered(unit_sops["b"], 200)
    abk = services.unit_abk(units["dinsos"], services.Params(TODAY.year))
    found = rows(abk)
    assert set(found) == {"Staf", "Kasi"}  # the applicant is no position
    staf, kasi = found["Staf"], found["Kasi"]
    assert staf.minutes_per_year == 25_500
    assert staf.staff_needed == pytest.approx(0.34)
    assert (staf.people, staf.grade) == (1, "E")
    assert staf.ej == pytest.approx(0.34)
    assert kasi.minutes_per_year == 54_000
    assert kasi.row is not None and kasi.row.minutes is not None
    assert (kasi.row.minutes.min, kasi.row.minutes.max) == (39_000, 54_000)
    assert kasi.staff_needed == pytest.approx(0.72)
    assert (kasi.people, kasi.grade) == (1, "C")  # the Plt is not counted by default
    assert [p.name for p in abk.positions] == ["Kasi", "Staf"]  # heaviest first
    # One line per step the position performs, the joint step in both.
    assert [(s.sop.name, s.number, s.load_minutes) for s in kasi.steps] == [
        ("SOP A", 3, 15_000), ("SOP A", 4, 30_000), ("=SUM(A1:A9)", 2, 9_000)]
    assert [s.number for s in staf.steps] == [2, 3, 1]


def test_the_lower_end_of_a_range_and_another_jke(units, unit_sops):
    entered(unit_sops["a"], 250)
    entered(unit_sops["b"], 200)
    kasi = rows(services.unit_abk(units["dinsos"],
                                  services.Params(TODAY.year, upper=False)))["Kasi"]
    assert kasi.minutes_per_year == 39_000
    assert kasi.staff_needed == pytest.approx(0.52)
    assert kasi.grade == "D"
    kasi = rows(services.unit_abk(units["dinsos"],
                                  services.Params(TODAY.year, jke_hours=1200)))["Kasi"]
    assert kasi.staff_needed == pytest.approx(54_000 / 72_000)  # 0,75
    assert kasi.grade == "C"


def test_acting_holders_are_counted_when_the_agency_chooses(units, unit_sops, settings):
    entered(unit_sops["a"], 250)
    entered(unit_sops["b"], 200)
    settings.ALUR_ABK_COUNT_ACTING = True
    abk = services.unit_abk(units["dinsos"], services.Params(TODAY.year))
    kasi = rows(abk)["Kasi"]
    assert abk.acting_counted
    assert (kasi.people, kasi.ej, kasi.grade) == (2, pytest.approx(0.36), "E")


def test_definitions_alone_without_volumes_give_unknown_not_zero(units, unit_sops, client,
                                                                 user_factory):
    abk = services.unit_abk(units["dinsos"], services.Params(TODAY.year))
    assert len(abk.missing_volumes) == 2
    for line in abk.positions:
        assert (line.minutes_per_year, line.staff_needed, line.ej, line.grade) == \
            (None, None, None, None)
        assert len(line.without_volume) == 2
    client.force_login(user_factory("penilai", "evaluator", units["dinsos"]))
    page = client.get(reverse("abk:unit", args=[units["dinsos"].pk])).content.decode()
    assert "tidak diketahui" in page
    assert "isi volume" in page.lower()
    assert "hanya mencakup pekerjaan yang tertulis dalam SOP" in page
    assert "belum diverifikasi dari teks peraturannya" in page  # the grade bands
    assert "ALUR_ABK_COUNT_ACTING" in page


def test_a_volume_counted_from_the_last_twelve_months_of_cases(units, unit_sops):
    b = unit_sops["b"]
    person = Person.objects.get(name="Pak-Staf")
    now = timezone.now()
    for days in (1, 100, 300, 400):  # the last one is older than a year
        Case.objects.create(title="uji", version=b, sop=b.sop, unit=b.sop.unit,
                            initiator=person, started_at=now - dt.timedelta(days=days))
    Volume.objects.create(sop=b.sop, year=TODAY.year, source=Volume.Source.COUNTED)
    abk = services.unit_abk(units["dinsos"], services.Params(TODAY.year))
    line = next(s for s in abk.sops if s.sop == b.sop)
    assert (line.counted, line.volume, line.chosen) == (3, 3, "counted")
    assert rows(abk)["Staf"].minutes_per_year == 3 * 15
    # SOP A never ran: no volume, and nothing proposed.
    a_line = next(s for s in abk.sops if s.sop == unit_sops["a"].sop)
    assert (a_line.counted, a_line.volume) == (0, None)


def test_cases_propose_a_volume_until_someone_chooses(units, unit_sops):
    b = unit_sops["b"]
    Case.objects.create(title="uji", version=b, sop=b.sop, unit=b.sop.unit,
                        initiator=Person.objects.get(name="Pak-Staf"), started_at=timezone.now())
    line = next(s for s in services.sop_lines(units["dinsos"], TODAY.year) if s.sop == b.sop)
    assert (line.volume, line.proposed) == (1, True)


@pytest.fixture
def evaluator(client, units, user_factory):
    client.force_login(user_factory("penilai", "evaluator", units["dinsos"]))
    return client


def test_invalid_jke_is_told_next_to_its_field_and_the_default_used(units, unit_sops, evaluator):
    url = reverse("abk:unit", args=[units["dinsos"].pk])
    for wrong, message in (("0", "lebih dari 0 jam"), ("banyak", "Tulis jumlah jam"),
                           ("1.250", "tanpa pemisah ribuan")):
        response = evaluator.get(url, {"jke": wrong})
        assert response.status_code == 200
        page = response.content.decode()
        assert 'id="id_jke_error"' in page and message in page, wrong
        assert "nilai bawaan" in page
        assert "1.250 jam" in page  # the figures use the default JKE
    response = evaluator.get(url, {"tahun": "dua ribu"})
    assert 'id="id_tahun_error"' in response.content.decode()
    # The download with a wrong JKE goes back to the page that says what is wrong.
    response = evaluator.get(reverse("abk:xlsx", args=[units["dinsos"].pk]), {"jke": "0"})
    assert response.status_code == 302 and "jke=0" in response["Location"]


def test_volumes_are_entered_and_wrong_ones_told_next_to_the_field(units, unit_sops, evaluator):
    url = reverse("abk:unit", args=[units["dinsos"].pk])
    a, b = unit_sops["a"].sop, unit_sops["b"].sop
    for wrong, message in (("-3", "tidak boleh negatif"), ("1,5", "bilangan bulat"),
                           ("", "Isi volume setahun")):
        response = evaluator.post(url, {f"sumber-{a.pk}": "entered", f"volume-{a.pk}": wrong})
        assert response.status_code == 400
        page = response.content.decode()
        assert f'id="id_volume-{a.pk}_error"' in page and message in page, wrong
    assert not Volume.objects.exists()
    response = evaluator.post(url + "?jke=1200", {
        f"sumber-{a.pk}": "entered", f"volume-{a.pk}": "250",
        f"sumber-{b.pk}": "entered", f"volume-{b.pk}": " 200 "})
    assert response.status_code == 302 and "jke=1200" in response["Location"]
    saved = {v.sop_id: v for v in Volume.objects.all()}
    assert (saved[a.pk].volume, saved[b.pk].volume) == (250, 200)
    assert saved[a.pk].entered_by is not None
    page = evaluator.get(response["Location"]).content.decode()
    assert "900 jam" in page  # the Kasi's workload
    assert "0,75" in page      # 54.000 / 72.000 with JKE 1.200
    # Choosing "not filled in" forgets the volume again.
    evaluator.post(url, {f"sumber-{a.pk}": "", f"sumber-{b.pk}": "entered",
                         f"volume-{b.pk}": "200"})
    assert list(Volume.objects.values_list("sop_id", flat=True)) == [b.pk]


def test_a_reader_who_may_not_enter_volumes_is_refused(units, unit_sops, client, user_factory):
    client.force_login(user_factory("pegawai-biasa", "pegawai", units["dinsos"]))
    url = reverse("abk:unit", args=[units["dinsos"].pk])
    assert client.get(url).status_code == 404
    assert client.post(url, {}).status_code == 404


def test_the_xlsx_has_the_abk_columns_numbers_as_numbers_and_text_as_text(units, unit_sops,
                                                                          evaluator):
    entered(unit_sops["a"], 250)
    entered(unit_sops["b"], 200)
    response = evaluator.get(reverse("abk:xlsx", args=[units["dinsos"].pk]), {"jke": "1250"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(io.BytesIO(response.content)).active
    cells = [[c.value for c in row] for row in sheet.iter_rows()]
    heading = next(i for i, row in enumerate(cells) if row[0] == "No")
    assert cells[heading][:11] == [
        "No", "Jabatan", "Uraian kegiatan (SOP, langkah)", "Satuan hasil", "Volume",
        "Norma waktu", "Beban kerja", "Kebutuhan pegawai", "Pegawai yang ada", "EJ",
        "Predikat"]
    top = " ".join(str(row[0]) for row in cells[:heading] if row[0])
    assert units["dinsos"].name in top and str(TODAY.year) in top and "1.250" in top
    body = cells[heading + 1:]
    # Kasi first: its three steps, then the subtotal.
    assert [r[2] for r in body[:3]] == ["SOP A, langkah 3: Rapat",
                                        "SOP A, langkah 4: Tandatangani",
                                        "=SUM(A1:A9), langkah 2: Setujui"]
    assert body[1][3:8] == ["Surat", 250, 120, 500, pytest.approx(0.4)]
    subtotal = body[3]
    assert subtotal[0] == 1 and subtotal[1] == "Kasi"
    assert subtotal[6:11] == [900, pytest.approx(0.72), 1, pytest.approx(0.72), "C"]
    # A name that looks like a formula stays text.
    formula_like = sheet.cell(heading + 1 + 3, 3)
    assert formula_like.value.startswith("=SUM") and formula_like.data_type == "s"
    assert sheet.cell(heading + 2, 6).number_format == "#,##0"


def test_the_xlsx_says_unknown_rather_than_zero(units, unit_sops, evaluator):
    sheet = load_workbook(io.BytesIO(evaluator.get(
        reverse("abk:xlsx", args=[units["dinsos"].pk])).content)).active
    values = [c.value for row in sheet.iter_rows() for c in row]
    assert "tidak diketahui" in values
    assert 0 not in values


def test_the_api_gives_the_same_figures(units, unit_sops, user_factory, client):
    entered(unit_sops["a"], 250)
    entered(unit_sops["b"], 200)
    user = user_factory("penilai", "evaluator", units["dinsos"])
    headers = {"HTTP_AUTHORIZATION": f"Bearer {ApiToken.issue(user, 'uji')[1]}"}
    url = f"/api/reports/units/{units['dinsos'].pk}/abk"
    body = client.get(url, {"ujung": "bawah"}, **headers).json()
    kasi = next(p for p in body["positions"] if p["name"] == "Kasi")
    assert (kasi["minutes_per_year"], kasi["staff_needed"], kasi["people"], kasi["grade"]) == \
        (39_000, 0.52, 1, "D")
    assert kasi["minutes_per_year_range"] == {"min": 39_000, "max": 54_000}
    assert body["range_end"] == "min" and body["jke_hours"] == 1250
    assert {s["name"]: s["volume"] for s in body["sops"]} == {"SOP A": 250, "=SUM(A1:A9)": 200}
    assert "belum diverifikasi" in body["grade_bands_note"]
    assert client.get(url, {"jke": "0"}, **headers).status_code == 422
    assert client.get(url, {"jke": "banyak"}, **headers).status_code == 422
    outsider = user_factory("luar")
    assert client.get(url, HTTP_AUTHORIZATION=f"Bearer {ApiToken.issue(outsider, 'x')[1]}"
                      ).status_code == 404


def test_a_position_nobody_holds_has_no_ej(units, unit_sops):
    entered(unit_sops["a"], 250)
    Assignment.objects.filter(position=unit_sops["staf"]).delete()
    staf = rows(services.unit_abk(units["dinsos"], services.Params(TODAY.year)))["Staf"]
    assert (staf.people, staf.ej, staf.grade) == (0, None, None)
    assert staf.minutes_per_year == 250 * 90
