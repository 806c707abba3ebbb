"""What changed between two SOP versions, for people (library/changes.py): hand-made pairs of
documents and what a reader must be told about each."""

from __future__ import annotations

from typing import Any

from alur.sop import Sop
from alur.web.library.changes import Exit, Segment, compare, word_diff

ACTORS = [{"id": "staf", "name": "Staf"}, {"id": "kasubag", "name": "Kasubag"},
          {"id": "kabag", "name": "Kabag"}]
TEXTS = ["Menerima surat masuk dari pengirim", "Mencatat surat dalam buku agenda",
         "Meneliti kelengkapan berkas surat", "Menyerahkan surat kepada Kabag untuk disposisi",
         "Mengarsipkan surat yang sudah selesai"]


def sop(texts: list[str] | None = None, **identity: Any) -> Sop:
    """A linear SOP of the given activities, 10 minutes each; each of TEXTS keeps its actor
    wherever it is, any other activity is the Staf's."""
    texts = TEXTS if texts is None else texts
    steps = [{"number": n, "activity": text, "actors": [_actor(text)],
              "time": "10 menit", "outputs": ["Surat"]}
             for n, text in enumerate(texts, start=1)]
    return Sop.model_validate({"id": "surat-masuk", "name": "SURAT MASUK", "actors": ACTORS,
                               "steps": steps, **identity})


def _actor(text: str) -> str:
    return ACTORS[(TEXTS.index(text) + 1) % 3]["id"] if text in TEXTS else "staf"


def test_no_change():
    changes = compare(sop(), sop())
    assert changes.empty and changes.identity == [] and changes.actors == []
    assert {s.state for s in changes.steps} == {"same"}
    assert changes.marks("old") == {} and changes.marks("new") == {}


def test_insertion_renumbers_without_editing():
    before = sop()
    after = sop([*TEXTS[:2], "Memberi stempel tanggal terima", *TEXTS[2:]])
    changes = compare(before, after)
    assert changes.added == 1 and changes.removed == changes.moved == changes.edited == 0
    [added] = changes.shown_steps
    assert added.state == "added" and added.new_number == 3
    # Steps 3-5 are now 4-6: renumbered, not edited and not moved.
    assert [(s.old_number, s.new_number) for s in changes.renumbered] == [(3, 4), (4, 5),
                                                                          (5, 6)]
    assert changes.marks("new") == {3: "added"} and changes.marks("old") == {}


def test_removal():
    changes = compare(sop(), sop([*TEXTS[:1], *TEXTS[2:]]))
    [removed] = changes.shown_steps
    assert removed.state == "removed" and removed.old_number == 2 and removed.new is None
    assert changes.marks("old") == {2: "removed"}
    # Listed where it was: after step 1.
    assert [s.state for s in changes.steps][:2] == ["same", "removed"]


def test_moved_step():
    # "Mengarsipkan" moves from 5 to 2; the others keep their order.
    after = sop([TEXTS[0], TEXTS[4], TEXTS[1], TEXTS[2], TEXTS[3]])
    changes = compare(sop(), after)
    assert changes.moved == 1 and changes.added == changes.removed == 0
    [moved] = changes.shown_steps
    assert (moved.old_number, moved.new_number, moved.state) == (5, 2, "moved")
    assert changes.marks("old") == {5: "moved"} and changes.marks("new") == {2: "moved"}


def test_word_edits_are_marked():
    before = sop()
    steps = list(before.steps)
    steps[1] = steps[1].model_copy(
        update={"activity": "Mencatat surat masuk dalam buku agenda elektronik"})
    changes = compare(before, before.model_copy(update={"steps": steps}))
    [edited] = changes.shown_steps
    assert edited.state == "edited" and edited.old_number == edited.new_number == 2
    assert edited.words == [Segment("same", "Mencatat surat"), Segment("ins", "masuk"),
                            Segment("same", "dalam buku agenda"), Segment("ins", "elektronik")]
    assert edited.details == [] and changes.marks("new") == {2: "edited"}


def test_word_diff():
    assert word_diff("Meneliti  berkas", "Meneliti berkas") == [Segment("same",
                                                                        "Meneliti berkas")]
    assert word_diff("a b c", "a x c") == [Segment("same", "a"), Segment("del", "b"),
                                          Segment("ins", "x"), Segment("same", "c")]
    assert word_diff("", "baru") == [Segment("ins", "baru")]


def test_edited_and_renumbered_step_matched_by_content():
    # A step inserted at 1 and the old step 3 (now 4) reworded: it is matched, not added.
    after = sop(["Membuka loket", TEXTS[0], TEXTS[1],
                 "Meneliti kelengkapan berkas surat masuk", *TEXTS[3:]])
    changes = compare(sop(), after)
    assert (changes.added, changes.removed, changes.edited) == (1, 0, 1)
    edited = next(s for s in changes.steps if s.state == "edited")
    assert (edited.old_number, edited.new_number) == (3, 4)
    assert [s for s in edited.words if s.op != "same"] == [Segment("ins", "masuk")]


def test_actor_changes_and_step_actors():
    before = sop()
    actors = [{"id": "staf", "name": "Staf Umum"}, {"id": "kasubag", "name": "Kasubag"},
              {"id": "sekretaris", "name": "Sekretaris"}]
    after = before.model_copy(update={"actors": [Sop.model_validate(
        {"id": "x", "actors": [a]}).actors[0] for a in actors]})
    steps = [s.model_copy(update={"actors": ["sekretaris"]}) if s.actors == ["kabag"] else s
             for s in after.steps]
    after = after.model_copy(update={"steps": steps})
    changes = compare(before, after)
    assert [(a.state, a.old, a.new) for a in changes.actors] == [
        ("renamed", "Staf", "Staf Umum"), ("removed", "Kabag", ""), ("added", "", "Sekretaris")]
    # A renamed actor changes no step; a step given to another actor does.
    edited = [s for s in changes.steps if s.state == "edited"]
    assert [s.new_number for s in edited] == [2, 5]
    [part] = edited[0].details
    assert (part.key, part.old, part.new) == ("actors", ("Kabag",), ("Sekretaris",))


def test_actor_id_changed_but_same_name_is_no_change():
    before = sop()
    actors = [a.model_copy(update={"id": "kabag-umum"}) if a.id == "kabag" else a
              for a in before.actors]
    steps = [s.model_copy(update={"actors": ["kabag-umum"]}) if s.actors == ["kabag"] else s
             for s in before.steps]
    changes = compare(before, before.model_copy(update={"actors": actors, "steps": steps}))
    assert changes.empty


def test_time_kind_and_output_change():
    before = sop()
    steps = list(before.steps)
    steps[2] = steps[2].model_copy(update={"time": "1 jam", "outputs": ["Berkas lengkap"]})
    changes = compare(before, before.model_copy(update={"steps": steps}))
    [edited] = changes.shown_steps
    assert not edited.text_changed
    assert [(d.key, d.old, d.new) for d in edited.details] == [
        ("time", ("10 menit",), ("1 jam",)), ("outputs", ("Surat",), ("Berkas lengkap",))]


def test_exits_compared_by_the_step_they_lead_to():
    def with_decision(texts: list[str], yes: int, no: int) -> Sop:
        document = sop(texts)
        steps = list(document.steps)
        steps[2] = steps[2].model_copy(update={"kind": "decision", "on_yes": yes, "on_no": no})
        return document.model_copy(update={"steps": steps})

    before = with_decision(TEXTS, 4, 1)
    # A step inserted at 2: the decision (now 4) still says Ya → Menyerahkan (now 5) and
    # Tidak → Menerima (1): no change to its exits.
    inserted = with_decision([TEXTS[0], "Memberi stempel", *TEXTS[1:]], 1, 1)
    steps = list(inserted.steps)
    steps[2], steps[3] = inserted.steps[2].model_copy(update={"kind": "process", "on_yes": None,
                                                              "on_no": None}), \
        inserted.steps[3].model_copy(update={"kind": "decision", "on_yes": 5, "on_no": 1})
    changes = compare(before, inserted.model_copy(update={"steps": steps}))
    assert changes.added == 1 and changes.edited == 0
    # Tidak now goes to step 2 instead of step 1.
    after = with_decision(TEXTS, 4, 2)
    [edited] = compare(before, after).shown_steps
    [part] = edited.details
    assert (part.key, part.old, part.new) == ("on_no", Exit(1, now=1), Exit(2))


def test_identity_changes():
    before = sop(number="800/01/2024", legal_basis=["UU 30/2014"],
                 dates={"effective": "2024-01-02"})
    after = sop(name="SURAT MASUK DINAS", number="800/01/2024",
                legal_basis=["UU 30/2014", "Permenpan RB 35/2012"],
                dates={"effective": "2025-03-01"}, warnings=["Surat rahasia tidak dibuka"])
    changes = compare(before, after)
    assert [(c.key, c.old, c.new) for c in changes.identity] == [
        ("name", ("SURAT MASUK",), ("SURAT MASUK DINAS",)),
        ("dates.effective", ("2024-01-02",), ("2025-03-01",)),
        ("legal_basis", ("UU 30/2014",), ("UU 30/2014", "Permenpan RB 35/2012")),
        ("warnings", (), ("Surat rahasia tidak dibuka",))]
    legal = changes.identity[2]
    assert legal.listed and legal.added == ["Permenpan RB 35/2012"] and legal.removed == []
    assert str(changes.identity[0].label) == "Nama SOP"
    assert changes.identity[0].words == [Segment("same", "SURAT MASUK"), Segment("ins", "DINAS")]
    assert changes.steps and all(s.state == "same" for s in changes.steps)


def test_moved_and_reworded_step():
    before = sop()
    steps = [before.steps[0], before.steps[4].model_copy(
        update={"activity": "Mengarsipkan surat yang sudah selesai diproses"}),
        *before.steps[1:4]]
    after = before.model_copy(update={"steps": [s.model_copy(update={"number": n})
                                                for n, s in enumerate(steps, 1)]})
    changes = compare(before, after)
    [moved] = changes.shown_steps
    assert (moved.state, moved.edited, moved.old_number, moved.new_number) == \
        ("moved", True, 5, 2)
    assert [s for s in moved.words if s.op != "same"] == [Segment("ins", "diproses")]
    assert changes.moved == changes.edited == 1 and changes.added == changes.removed == 0


def test_a_rewritten_long_sop_is_compared_quickly():
    many = [f"Kegiatan {n} memeriksa berkas jenis {n % 13} dan surat {n % 11}"
            for n in range(1, 401)]
    rewritten = [f"Pekerjaan lain {n} menulis laporan {n % 17}" for n in range(1, 401)]
    changes = compare(sop(many), sop(rewritten))
    assert (changes.added, changes.removed, changes.edited) == (400, 400, 0)
    same = compare(sop(many), sop(list(reversed(many))))
    assert same.added == same.removed == same.edited == 0 and same.moved == 399
