import pytest

from alur.importers.actors import infer_actor, normalise
from alur.importers.identity import parse_approver, parse_date, split_by_hints
from alur.sop import Actor

ACTORS = [Actor(id="kepala-badan", name="Kepala Badan"), Actor(id="kasubbag", name="Kasubbag"),
          Actor(id="pns", name="PNS"), Actor(id="pengadm-umum", name="Pengadm. Umum")]


@pytest.mark.parametrize(("text", "iso"), [
    ("April 2024", "2024-04"), (": 3   Oktober 2019", "2019-10-03"), ("Maret 2021", "2021-03"),
    ("2019-10-03", "2019-10-03"), ("03/10/2019", "2019-10-03"), ("31 Februari 2020", None),
    ("2021", None), ("-", None), ("sesuai kebutuhan", None), ("1 Agt 2022", "2022-08"[:7] + "-01"),
])
def test_parse_date(text, iso):
    assert parse_date(text) == iso


def test_parse_approver_double_space_layout():
    approver = parse_approver("KEPALA DINAS SOSIAL, PEMBERDAYAAN MASYARAKAT DAN DESA  "
                              "PADLILLAH, S.Pd.I., M.H. NIP. 197701022006041004")
    assert approver.title == "KEPALA DINAS SOSIAL, PEMBERDAYAAN MASYARAKAT DAN DESA"
    assert approver.name == "PADLILLAH, S.Pd.I., M.H."
    assert approver.nip == "197701022006041004"


def test_parse_approver_spaced_nip():
    approver = parse_approver(" <p>Drs. H. Tarmin, M.Si. 19631223 198603 1 006</p>")
    assert (approver.name, approver.nip) == ("Drs. H. Tarmin, M.Si.", "196312231986031006")


def test_split_by_truncated_hints():
    full = "Peraturan Perundang-undangan Alat tulis kantor Komputer, laptop Lembar disposisi"
    assert split_by_hints(full, "2. Alat tuli 3. Komput 4. Lembar") == [
        "Peraturan Perundang-undangan", "Alat tulis kantor", "Komputer, laptop",
        "Lembar disposisi"]
    assert split_by_hints(full, "2. Zebra") is None


def test_normalise_expands_abbreviations():
    assert normalise("Ka. Subag") == normalise("Kepala Sub Bagian") == "kepala sub bagian"


@pytest.mark.parametrize(("lines", "actor_id"), [
    (["PNS Mengisi Form SKP"], "pns"),
    (["Penandatanganan dokumen oleh Kepala Badan kemudian diteruskan"], "kepala-badan"),
    (["Penandatanganan dokumen oleh Kepala Banda kemudian diteruskan"], "kepala-badan"),
    (["Pengadm. Umum memberi nomor agenda"], "pengadm-umum"),
    # Positions named as the object or recipient are not the actor.
    (["Menugaskan Kasubbag untuk mengumpulkan bahan"], None),
    (["Mengundang Kepala Badan untuk rapat"], None),
    (["Diajukan ke Kasubbag untuk diparaf"], None),
    (["PNS"], None),
])
def test_infer_actor_only_from_evidence(lines, actor_id):
    evidence, _ = infer_actor(lines, ACTORS)
    assert (evidence.actor_id if evidence else None) == actor_id


def test_conflicting_evidence_is_not_guessed():
    evidence, reason = infer_actor(["PNS menyerahkan berkas yang diperiksa oleh Kasubbag"],
                                   ACTORS)
    assert evidence is None and "beberapa pelaksana" in reason
