"""The editor: form and YAML, live preview, and a failed save that keeps what was typed."""


import re
from urllib.parse import urlencode

import pytest
from django.urls import reverse

from alur.web.library.editor import form_fields
from alur.web.library.editor_forms import EditorForms

pytestmark = pytest.mark.django_db


@pytest.fixture
def author(client, user_factory, units):
    user = user_factory("penulis-dinsos", "penyusun", units["dinsos"])
    client.force_login(user)
    return client


def _form(version, **changes):
    """The editor's form for a version as the browser would post it."""
    return {**form_fields(version.document), **changes}


def _query(fields: dict):
    from django.http import QueryDict

    query = QueryDict(mutable=True)
    for key, value in fields.items():
        if isinstance(value, list):
            query.setlist(key, value)
        else:
            query[key] = value
    return query


def test_form_round_trips_the_document(library):
    version = library["draft"]
    forms = EditorForms(version.document, _query(_form(version)))
    assert forms.is_valid(), forms.errors()
    rebuilt, findings = forms.validate()
    assert findings == [] and rebuilt is not None
    assert rebuilt == version.document


def test_edit_page_and_save(author, library):
    version = library["draft"]
    url = reverse("library:edit", args=[version.public_id])
    page = author.get(url).content.decode()
    assert "Ubah draf versi 1" in page and "Menyampaikan draf surat" in page
    assert "disimpulkan" in page  # step 2's actor was inferred
    response = author.post(url, _form(version, name="SURAT KELUAR (revisi)",
                                      **{"step-0-time": "7 menit"}))
    assert response.status_code == 302
    version.refresh_from_db()
    assert version.name == "SURAT KELUAR (revisi)"
    assert version.document.step(1).time == "7 menit"


def test_joint_policy_is_edited_in_the_form(author, library):
    """How a step with several actors finishes (`joint`) is a select in the step's row."""
    version = library["draft"]
    url = reverse("library:edit", args=[version.public_id])
    assert 'name="step-' in (page := author.get(url).content.decode()) and '-joint"' in page
    author.post(url, _form(version, **{"step-0-joint": "all"}))
    version.refresh_from_db()
    assert version.document.step(1).joint == "all"
    author.post(url, _form(version, **{"step-0-joint": ""}))
    version.refresh_from_db()
    assert version.document.step(1).joint is None


def test_changing_an_inferred_actor_makes_it_decided(author, library):
    version = library["draft"]
    url = reverse("library:edit", args=[version.public_id])
    author.post(url, _form(version, **{"step-1-actors": ["pengelola"]}))
    version.refresh_from_db()
    assert version.document.step(2).actors == ["pengelola"]
    assert "actors" not in version.document.step(2).inferred


def test_failed_save_keeps_what_was_typed(author, library):
    version = library["draft"]
    url = reverse("library:edit", args=[version.public_id])
    response = author.post(url, _form(version, **{"step-0-number": "satu",
                                                  "step-3-notes": "catatan baru saya"}))
    assert response.status_code == 400
    page = response.content.decode()
    assert "Draf belum disimpan" in page and "catatan baru saya" in page
    version.refresh_from_db()
    assert version.document.step(4).notes == ""


def test_yaml_tab(author, library):
    version = library["draft"]
    url = reverse("library:edit", args=[version.public_id])
    from alur.sop import dumps_yaml

    text = dumps_yaml(version.document).replace("name: SURAT KELUAR", "name: SURAT KELUAR 2")
    assert author.post(url, {"mode": "yaml", "yaml": text}).status_code == 302
    version.refresh_from_db()
    assert version.name == "SURAT KELUAR 2"
    broken = author.post(url, {"mode": "yaml", "yaml": text + "  salah: [\n"})
    assert broken.status_code == 400
    assert "YAML tidak valid" in broken.content.decode()
    assert "salah: [" in broken.content.decode()


def test_preview_follows_the_form(author, library):
    version = library["draft"]
    url = reverse("library:preview", args=[version.public_id])
    fragment = author.post(url, _form(version)).content.decode()
    assert "<svg" in fragment and "Hasil pemeriksaan" in fragment
    changed = author.post(url, _form(version, **{"step-3-actors": []})).content.decode()
    assert "Langkah 4 tidak memiliki pelaksana" in changed
    broken = author.post(url, {"mode": "yaml", "yaml": "id: [\n"}).content.decode()
    assert "YAML tidak valid" in broken and "<svg" not in broken


def test_only_drafts_and_only_authors(client, library, user_factory, units):
    approved = library["sakip"]
    author = user_factory("penulis-kedua", "penyusun", units["dinsos"])
    client.force_login(author)
    response = client.get(reverse("library:edit", args=[approved.public_id]))
    assert response.status_code == 302  # approved: redirected with a message
    other = user_factory("orang-lain", "penyusun", units["perpus"])
    client.force_login(other)
    assert client.get(reverse("library:edit",
                              args=[library["draft"].public_id])).status_code == 403
    assert client.post(reverse("library:preview",
                               args=[library["draft"].public_id])).status_code == 403


# -- bad posts: a message next to the field, never a 500 -----------------------------------------
def _row(page: str, index: int) -> str:
    """The HTML of step row `index` of an editor page (a <tbody> of the steps grid)."""
    start = re.search(rf'<tbody class="baris[^"]*" data-key="{index}">', page).start()
    return page[start:page.index("</tbody>", start)]


@pytest.mark.parametrize("extra", ["{", "[]", '{"source": {"page": "x"}}', '{"inferred": 3}',
                                   '{"rahasia": 1}', "null", '"teks"'])
def test_a_damaged_hidden_field_is_a_message_in_its_row(author, library, extra):
    version = library["draft"]
    url = reverse("library:edit", args=[version.public_id])
    response = author.post(url, _form(version, **{"step-1-extra": extra,
                                                  "step-3-notes": "catatan saya"}))
    assert response.status_code == 400
    page = response.content.decode()
    row = _row(page, 1)
    assert "Data tersembunyi" in row and 'name="step-1-extra" value="{}"' in row
    assert "catatan saya" in _row(page, 3)  # nothing typed is lost
    version.refresh_from_db()
    assert version.document.step(4).notes == ""
    # Saved again as the page now stands, the step keeps everything but its provenance.
    again = author.post(url, _form(version, **{"step-1-extra": "{}"}))
    assert again.status_code == 302
    version.refresh_from_db()
    assert version.document.step(2).source is None and version.document.step(2).inferred == []


@pytest.mark.parametrize(("field", "value", "message"), [
    ("step-0-kind", "loncat", "pilihan yang valid"),
    ("step-0-joint", "separuh", "pilihan yang valid"),
    ("step-2-next", "-1", "nomor langkah"),
    ("step-2-on_yes", "9" * 30, "nomor langkah"),
    ("step-0-actors", ["tidak-ada"], "pilihan yang valid"),
])
def test_a_forged_value_is_a_message_next_to_its_field(author, library, field, value, message):
    version = library["draft"]
    url = reverse("library:edit", args=[version.public_id])
    response = author.post(url, _form(version, **{field: value}))
    assert response.status_code == 400
    page = response.content.decode()
    index = int(field.split("-")[1])
    assert message in _row(page, index)
    assert 'aria-invalid="true"' in _row(page, index)


@pytest.mark.parametrize("total", ["abc", "", "-1", "100000"])
def test_a_forged_form_count_is_refused(author, library, total):
    version = library["draft"]
    url = reverse("library:edit", args=[version.public_id])
    response = author.post(url, _form(version, **{"step-TOTAL_FORMS": total}))
    assert response.status_code == 400
    page = response.content.decode()
    assert "Draf belum disimpan" in page
    assert 'name="step-TOTAL_FORMS" value="6"' in page and 'data-key="5"' in page  # rows shown
    preview = author.post(reverse("library:preview", args=[version.public_id]),
                          _form(version, **{"step-TOTAL_FORMS": total}))
    assert preview.status_code == 200 and "<svg" not in preview.content.decode()


def test_a_model_message_sits_next_to_its_field(author, library):
    version = library["draft"]
    url = reverse("library:edit", args=[version.public_id])
    response = author.post(url, _form(version, **{"actor-0-id": "Bukan Slug"}))
    assert response.status_code == 400
    page = response.content.decode()
    actor_cell = page[page.index('name="actor-0-id"'):page.index('name="actor-0-name"')]
    assert "huruf kecil" in actor_cell  # the model's rule for actor ids
    assert "'actors." not in page  # no key path before the message
    assert 'id="lanjutan" checked' in page  # the hidden ID column is shown for its message
    assert 'value="Bukan Slug"' in page


@pytest.mark.parametrize(("value", "message"), [("2026-13-40", "Isikan tanggal"),
                                                ("2026-02-30", "tidak ada di kalender"),
                                                ("kemarin", "Isikan tanggal")])
def test_a_bad_date_is_a_message_next_to_its_field(author, library, value, message):
    version = library["draft"]
    url = reverse("library:edit", args=[version.public_id])
    response = author.post(url, _form(version, date_created=value))
    assert response.status_code == 400
    page = response.content.decode()
    date_field = page[page.index('id="date_created"') - 200:page.index('id="date_revised"')]
    assert "is-invalid" in date_field and "invalid-feedback" in date_field
    assert message in date_field and "dates.created" not in page
    assert f'value="{value}"' in date_field and 'type="text"' in date_field  # kept as typed
    assert "Perbaiki isian yang ditandai merah" in page


def test_dates_are_date_or_month_inputs(author, library):
    version = library["draft"]
    url = reverse("library:edit", args=[version.public_id])
    assert author.post(url, _form(version, date_created="2026-03",
                                  date_effective="2026-04-15")).status_code == 302
    version.refresh_from_db()
    assert version.document.dates.created == "2026-03"
    assert version.document.dates.effective == "2026-04-15"
    page = author.get(url).content.decode()
    created = page[page.rindex("<input", 0, page.index('id="date_created"')):]
    assert created.startswith('<input type="month"') and 'value="2026-03"' in created[:200]
    effective = page[page.rindex("<input", 0, page.index('id="date_effective"')):]
    assert effective.startswith('<input type="date"')


def test_a_step_added_in_the_page_is_saved(author, library):
    version = library["draft"]
    url = reverse("library:edit", args=[version.public_id])
    count = len(version.document.steps)
    added = {f"step-{count}-number": str(count + 1), f"step-{count}-kind": "process",
             f"step-{count}-activity": "Mengarsipkan surat", f"step-{count}-extra": "{}",
             "step-TOTAL_FORMS": str(count + 1)}
    assert author.post(url, _form(version, **added)).status_code == 302
    version.refresh_from_db()
    assert version.document.step(count + 1).activity == "Mengarsipkan surat"
    # A row the page counted but did not send is an empty step: its number is missing.
    response = author.post(url, _form(version, **{"step-TOTAL_FORMS": str(count + 2)}))
    assert response.status_code == 400


def test_the_author_decides_the_applicant(author, library):
    version = library["draft"]
    url = reverse("library:edit", args=[version.public_id])
    assert not version.document.actors[0].applicant
    assert author.post(url, _form(version, **{"actor-0-applicant": "on"})).status_code == 302
    version.refresh_from_db()
    assert version.document.actors[0].applicant
    page = author.get(url).content.decode()
    start = page.rindex("<input", 0, page.index('name="actor-0-applicant"'))
    assert "checked" in page[start:page.index(">", start)]
    fields = _form(version)
    fields.pop("actor-0-applicant")
    assert author.post(url, fields).status_code == 302
    version.refresh_from_db()
    assert not version.document.actors[0].applicant


def test_a_renamed_actor_keeps_the_ticks_of_its_steps(author, library):
    """An actor id changed in the table while steps still tick the old id: the draft saves
    with the checker's error, and the old tick stays a box (once) until the author fixes it,
    rather than vanishing on the next save."""
    version = library["draft"]
    url = reverse("library:edit", args=[version.public_id])
    old = version.document.actors[0]
    fields = _form(version, **{"actor-0-id": "pengelola-baru"})
    response = author.post(url, fields)
    assert response.status_code == 302
    version.refresh_from_db()
    assert version.document.step(1).actors == [old.id]
    page = author.get(url).content.decode()
    first = _row(page, 0)
    assert first.count(f'value="{old.id}"') == 1 and 'value="pengelola-baru"' in first
    start = first.index(f'value="{old.id}"')
    assert "checked" in first[start:first.index(">", start)]
    forged = author.post(url, _form(version, **{"step-0-actors": ["bukan-siapa-siapa"]}))
    assert forged.status_code == 400


# -- two people on one draft: the second save is refused, never overwriting ---------------------
def test_a_save_from_an_older_revision_is_refused_with_what_changed(author, library):
    from alur.web.library.editor_forms import revision_of

    version = library["draft"]
    url = reverse("library:edit", args=[version.public_id])
    page = author.get(url).content.decode()
    revision = revision_of(version.content)
    assert f'data-revisi="{revision}"' in page and f'name="revision" value="{revision}"' in page
    mine = _form(version, **{"step-3-notes": "catatan saya"})
    base = author.get(url).context["base"]
    mine["base"] = base
    # Someone else saves first: a new name and a new time for step 2.
    assert author.post(url, _form(version, name="SURAT KELUAR (rekan)",
                                  **{"step-1-time": "9 menit"})).status_code == 302
    version.refresh_from_db()
    response = author.post(url, mine)
    assert response.status_code == 409
    text = response.content.decode()
    assert "Orang lain menyimpan draf ini" in text
    assert "<li>Nama SOP</li>" in text and "<li>Langkah 2 (waktu)</li>" in text
    assert "catatan saya" in text  # what was typed stays
    version.refresh_from_db()
    assert version.name == "SURAT KELUAR (rekan)" and version.document.step(4).notes == ""
    # The page now carries the new revision: saving again is a deliberate choice.
    new = revision_of(version.content)
    assert f'name="revision" value="{new}"' in text
    assert author.post(url, {**mine, "revision": new}).status_code == 302
    version.refresh_from_db()
    assert version.document.step(4).notes == "catatan saya"


def test_a_yaml_save_from_an_older_revision_is_refused(author, library):
    from alur.sop import dumps_yaml

    version = library["draft"]
    url = reverse("library:edit", args=[version.public_id])
    old = _form(version)["revision"]
    assert author.post(url, _form(version, number="800/1")).status_code == 302
    text = dumps_yaml(version.document).replace("name: SURAT KELUAR", "name: SURAT KELUAR 2")
    response = author.post(url, {"mode": "yaml", "yaml": text, "revision": old})
    assert response.status_code == 409 and "SURAT KELUAR 2" in response.content.decode()
    assert "<li>Nomor SOP</li>" in response.content.decode()  # compared with what was posted
    version.refresh_from_db()
    assert version.name == "SURAT KELUAR"


def test_changes_are_said_per_field():
    from alur.web.library.editor_changes import changes

    before = {"name": "A", "dates": {"created": "2026-01"}, "actors": [{"id": "a", "name": "A"}],
              "steps": [{"number": 1, "activity": "x", "actors": ["a"]},
                        {"number": 2, "activity": "y"}]}
    after = {"name": "A", "dates": {"created": "2026-02"},
             "actors": [{"id": "a", "name": "Kepala"}, {"id": "b", "name": "B"}],
             "steps": [{"number": 1, "activity": "x", "actors": ["a", "b"], "time": "5 menit"},
                       {"number": 3, "activity": "z"}]}
    assert changes(before, after) == [
        "Tanggal pembuatan", "Pelaksana A diganti namanya menjadi Kepala",
        "Pelaksana B ditambahkan", "Langkah 1 (pelaksana, waktu)", "Langkah 2 dihapus",
        "Langkah 3 ditambahkan"]
    assert changes(before, before) == []


def test_an_actor_needs_only_its_title(author, library):
    """The ID column is 'advanced': a new column typed with a title only gets an id from it."""
    version = library["draft"]
    url = reverse("library:edit", args=[version.public_id])
    count = len(version.document.actors)
    fields = _form(version, **{f"actor-{count}-name": "Kepala Dinas", f"actor-{count}-id": "",
                               "actor-TOTAL_FORMS": str(count + 1),
                               "step-0-actors": ["kepala-dinas"]})
    response = author.post(url, fields)
    assert response.status_code == 302, response.content.decode()[:3000]
    version.refresh_from_db()
    assert version.document.actors[-1].id == "kepala-dinas"
    assert version.document.step(1).actors == ["kepala-dinas"]


def test_the_preview_keeps_the_last_flowchart_while_the_text_is_broken(author, library):
    version = library["draft"]
    url = reverse("library:preview", args=[version.public_id])
    good = author.post(url, _form(version)).content.decode()
    assert 'id="pratinjau-bagan"' in good and 'hx-swap-oob="true"' in good
    assert 'data-step="1"' in good  # a symbol says which step it draws
    broken = author.post(url, _form(version, **{"step-0-number": "x"})).content.decode()
    assert 'id="pratinjau-bagan"' not in broken  # the chart on the page is left as it was
    assert "versi terakhir yang bisa digambar" in broken
    yaml = author.post(url, {"mode": "yaml", "yaml": "id: [\n"}).content.decode()
    assert "YAML tidak valid" in yaml and "baris 2" not in yaml and "format.syntax" not in yaml


def test_a_decisions_own_words_are_edited_and_kept(author, library):
    """A decision's `labels` are fields of its row; saving through the grid keeps them."""
    version = library["draft"]
    index = next(i for i, s in enumerate(version.document.steps) if s.kind == "decision")
    number = version.document.steps[index].number
    url = reverse("library:edit", args=[version.public_id])
    author.post(url, _form(version, **{f"step-{index}-label_yes": "Lengkap",
                                       f"step-{index}-label_no": "Tidak lengkap"}))
    version.refresh_from_db()
    labels = version.document.step(number).labels
    assert (labels.yes, labels.no) == ("Lengkap", "Tidak lengkap")
    author.post(url, _form(version, name="SURAT KELUAR (lagi)"))  # another edit keeps them
    version.refresh_from_db()
    assert version.document.step(number).labels.no == "Tidak lengkap"
    page = author.get(url).content.decode()
    assert 'value="Tidak lengkap"' in page and "Kata pada keluaran Tidak" in page


def test_a_decisions_exit_side_is_chosen_kept_and_reported_when_it_cannot_hold(author,
                                                                              library):
    """The side a decision's exit leaves by is a field of its row (`layout`); saving keeps it
    through later edits; a side that cannot hold is said beside the preview."""
    version = library["draft"]
    index = next(i for i, s in enumerate(version.document.steps) if s.kind == "decision")
    number = version.document.steps[index].number
    url = reverse("library:edit", args=[version.public_id])
    author.post(url, _form(version, **{f"step-{index}-exit_no": "right",
                                       f"step-{index}-entry_no": "top",
                                       f"step-{index}-label_no_side": "below"}))
    version.refresh_from_db()
    assert version.document.step(number).layout.no == "right"
    assert version.document.step(number).layout.no_in == "top"
    assert version.document.step(number).layout.no_label == "below"
    author.post(url, _form(version, name="SURAT KELUAR (lagi)"))  # another edit keeps it
    version.refresh_from_db()
    assert version.document.step(number).layout.no == "right"
    assert version.document.step(number).layout.no_in == "top"
    page = author.get(url).content.decode()
    assert "Keluaran Tidak lewat sisi" in page and "Keluaran Tidak masuk ke tujuannya" in page
    preview = reverse("library:preview", args=[version.public_id])
    fine = author.post(preview, _form(version)).content.decode()
    assert "sisi yang dipilih untuk keluaran" not in fine
    blocked = author.post(preview, _form(version, **{f"step-{index}-exit_no": "bottom"}))
    assert f"Langkah {number}: sisi yang dipilih untuk keluaran" in blocked.content.decode()
    entry = author.post(preview, _form(version, **{f"step-{index}-entry_yes": "left"}))
    assert f"Langkah {number}: sisi yang dipilih untuk keluaran" in entry.content.decode()



URLENCODED = "application/x-www-form-urlencoded"


def _long_draft(library, steps: int):
    """A draft of `steps` steps in the draft's unit, each with a few words in every field."""
    from alur.sop import from_data, to_data
    from alur.web.library.services import add_sop

    data = to_data(library["draft"].document, full=True)
    actors = [a["id"] for a in data["actors"]]
    data.update(id="surat-panjang", name="SURAT KELUAR PANJANG", steps=[{
        "number": n, "activity": f"Meneliti berkas tahap {n}", "kind": "process",
        "actors": [actors[n % len(actors)]], "inputs": ["Berkas"], "time": "5 menit",
        "outputs": ["Berkas"], "notes": "-"} for n in range(1, steps + 1)])
    result = from_data(data)
    assert result.sop is not None, result.findings
    return add_sop(result.sop, library["draft"].sop.unit, library["draft"].created_by)


@pytest.mark.parametrize("steps", [60, 300])
def test_a_long_sop_is_previewed_and_saved_from_the_form(author, library, steps):
    """The editor's form carries about 17 fields a step: past Django's 1000 fields (a 60-step
    SOP) the editor's own limit applies, so the preview draws and the save saves."""
    version = _long_draft(library, steps)
    fields = _form(version, **{f"step-{steps - 1}-activity": "Mengarsipkan berkas"})
    assert sum(len(v) if isinstance(v, list) else 1 for v in fields.values()) > 1000
    body = urlencode(fields, doseq=True)  # as the browser and htmx send the form
    preview = author.post(reverse("library:preview", args=[version.public_id]), body,
                          content_type=URLENCODED)
    assert preview.status_code == 200 and b"<svg" in preview.content
    saved = author.post(reverse("library:edit", args=[version.public_id]), body,
                        content_type=URLENCODED)
    assert saved.status_code == 302
    version.refresh_from_db()
    assert version.document.step(steps).activity_text == "Mengarsipkan berkas"


def test_other_forms_keep_djangos_field_limit(author, library, settings):
    """Only the editor's endpoints read more fields, and only for someone signed in."""
    many = urlencode({f"f{i}": "x" for i in range(settings.DATA_UPLOAD_MAX_NUMBER_FIELDS + 1)})
    assert author.post(reverse("set_language"), many,
                       content_type=URLENCODED).status_code == 400
    author.logout()
    url = reverse("library:preview", args=[library["draft"].public_id])
    assert author.post(url, many, content_type=URLENCODED).status_code == 400
