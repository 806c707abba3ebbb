"""The Keterkaitan graph: `calls`, `related` and SOP names in notes, matched by id or by
normalised name; names that match no SOP are broken links; the three drawings."""

from __future__ import annotations

import xml.etree.ElementTree as ET

from alur import i18n
from alur.analysis import link_graph, normalise_name, to_mermaid, to_svg, to_text

from .conftest import make_sop, step


def library():
    alpha = make_sop("alpha", [
        step(1, "10 menit", notes="Lanjutan SOP Penanganan Surat Masuk"),
        step(2, "10 menit", calls="bravo"),
        step(3, "10 menit", calls="hilang"),
        step(4, "10 menit", notes="Dibaca seperti SOP pengajuan lain: lengkap → 5"),
    ], name="Alpha", related=["SOP Penerbitan SK Tim.", "SOP Bravo", "SOP Alpha",
                              "Kepala Dinas"])
    bravo = make_sop("bravo", [step(1, "5 menit", notes="Lihat SOP Perjanjian Kinerja (PK).")],
                     name="BRAVO")
    masuk = make_sop("surat-masuk", [step(1, "5 menit")], name="SURAT MASUK")
    kinerja = make_sop("perjanjian-kinerja", [step(1, "5 menit")], name="PERJANJIAN KINERJA")
    lonely = make_sop("sendiri", [step(1, "5 menit")], name="Sendiri")
    return [alpha, bravo, masuk, kinerja, lonely]


def test_names_are_normalised():
    assert normalise_name("SOP Penerbitan SK Tim.") == "penerbitan sk tim"
    assert normalise_name("PERJANJIAN KINERJA (PK)") == "perjanjian kinerja"


def test_links_by_id_and_by_name_and_broken_links():
    graph = link_graph(library())
    links = {(link.source, link.target): link.kinds for link in graph.links}
    assert links == {
        ("alpha", "surat-masuk"): ("notes",),    # "Penanganan Surat Masuk" names SURAT MASUK
        ("alpha", "bravo"): ("calls", "related"),
        ("bravo", "perjanjian-kinerja"): ("notes",),
    }
    broken = {(b.source, b.text): b.kinds for b in graph.broken}
    assert broken == {
        ("alpha", "hilang"): ("calls",),
        ("alpha", "SOP Penerbitan SK Tim"): ("related",),
        ("alpha", "Kepala Dinas"): ("related",),
    }
    # "SOP Alpha" in its own list is no link; "seperti SOP pengajuan lain" is a comparison.
    assert graph.linked() == ["alpha", "bravo", "surat-masuk", "perjanjian-kinerja"]
    calls = next(link for link in graph.links if link.target == "bravo")
    assert [(r.kind, r.step) for r in calls.references] == [("calls", 2), ("related", None)]


def test_a_process_noun_is_dropped_on_one_side_only():
    renja = make_sop("penyusunan-renja", [step(1, "5 menit")], name="Penyusunan Renja")
    other = make_sop("lain", [step(1, "5 menit")], related=["SOP Penetapan Renja", "Renja"])
    graph = link_graph([renja, other])
    assert [(link.source, link.target) for link in graph.links] == [("lain", "penyusunan-renja")]
    assert [b.text for b in graph.broken] == ["SOP Penetapan Renja"]


def test_a_name_matching_several_sops_is_broken_with_its_candidates():
    one = make_sop("masuk-a", [step(1, "5 menit")], name="Surat Masuk")
    two = make_sop("masuk-b", [step(1, "5 menit")], name="Pengarsipan Surat Masuk")
    three = make_sop("masuk-c", [step(1, "5 menit")], name="Penanganan Surat Masuk")
    source = make_sop("x", [step(1, "5 menit")], related=["Penerimaan Surat Masuk"])
    graph = link_graph([one, two, three, source])
    # "Penerimaan Surat Masuk" → "surat masuk" (one side stripped) matches masuk-a only.
    assert [(link.source, link.target) for link in graph.links] == [("x", "masuk-a")]
    source = make_sop("x", [step(1, "5 menit")], related=["Surat Masuk"])
    graph = link_graph([two, three, source])
    (broken,) = graph.broken
    assert broken.candidates == ("masuk-b", "masuk-c")


def test_text_map():
    text = to_text(link_graph(library()))
    assert text.startswith("Peta keterkaitan: 5 SOP, 3 tautan, 3 tautan putus; "
                           "1 SOP tanpa keterkaitan.")
    assert "alpha — Alpha" in text
    assert "  → bravo — BRAVO (dipanggil di langkah 2; Keterkaitan)" in text
    assert "  ✗ hilang — tidak cocok dengan SOP mana pun (dipanggil di langkah 3)" in text
    assert "  ← disebut oleh: alpha" in text
    with i18n.override("en"):
        assert "matches no SOP" in to_text(link_graph(library()))


def test_mermaid_map():
    text = to_mermaid(link_graph(library()))
    assert text.startswith("flowchart TB\n")
    assert '["Alpha<br/><small>alpha</small>"]' in text
    assert ':::broken' in text and "classDef broken" in text
    assert text.count("-.->") == 3
    assert text.count("-->|") == 3


def test_svg_map_is_well_formed_and_draws_every_part():
    svg = to_svg(link_graph(library()))
    root = ET.fromstring(svg)
    ns = "{http://www.w3.org/2000/svg}"
    boxes = root.findall(f".//{ns}g")
    assert len(boxes) == 4 + 3  # four linked SOPs, three broken names
    assert len([g for g in boxes if "broken" in g.get("class", "")]) == 3
    assert len(root.findall(f"./{ns}path")) == 6  # one arrow per link and broken link
    texts = "".join(t.text or "" for t in root.iter(f"{ns}text"))
    assert "Sendiri" not in texts  # an SOP without links is counted, not drawn
    assert "tidak ditemukan" in texts


def test_svg_of_a_library_without_links():
    svg = to_svg(link_graph([make_sop("a", [step(1, "5 menit")])]))
    assert "1 SOP tanpa keterkaitan" in ET.fromstring(svg).find(
        "{http://www.w3.org/2000/svg}text").text
