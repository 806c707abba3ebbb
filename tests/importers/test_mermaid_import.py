"""Mermaid flowcharts read back into SOPs: alur's own export exactly (with its `%% alur:`
comment lines), the drawing alone without them, swimlanes drawn by hand, and bad input as
findings."""

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from alur.importers.mermaid import exit_side, label_text, parse, read_mermaid
from alur.render.mermaid import to_mermaid
from alur.sop import Actor, Sop, Step, load
from alur.sop.findings import Severity

from ..render.strategies import sops
from .conftest import FIXTURES

LIBRARY = sorted((Path(__file__).parents[2] / "examples" / "library").glob("*.yaml"))
MERMAID = FIXTURES / "mermaid"


def without_data(text: str) -> str:
    return "\n".join(line for line in text.split("\n") if "%% alur:" not in line)


def drawn(sop: Sop) -> list[tuple]:
    """What a diagram says about each step: number, text, lane's actor name, kind, exits."""
    names = {a.id: a.name for a in sop.actors}
    return [(s.number, " ".join(s.activity_text.split()), [names[a] for a in s.actors[:1]],
             s.kind, s.on_yes, s.on_no, s.next, s.labels) for s in sop.steps]


def drawn_in_export(sop: Sop) -> list[tuple]:
    """The same for an SOP as alur draws it: a joint step stands in its first actor's lane,
    a start/end row without an actor in the lane the table draws it in."""
    from alur.render.layout import shape_actors

    names = {a.id: a.name for a in sop.actors}
    rows = []
    for step in sop.steps:
        lane = shape_actors(sop, step)[:1]
        following = sop.steps[sop.steps.index(step) + 1].number \
            if step is not sop.steps[-1] else None
        rows.append((step.number, " ".join(step.activity_text.split()),
                     [names[a] for a in lane], step.kind, step.on_yes, step.on_no,
                     None if step.next == following else step.next, step.labels))
    return rows


def one(text: str, **kwargs) -> tuple[Sop, list]:
    found, findings = read_mermaid(text, **kwargs)
    assert len(found) == 1, findings
    return found[0], findings


# -- alur's own export ------------------------------------------------------------------------
@pytest.mark.parametrize("path", LIBRARY, ids=lambda p: p.stem)
def test_every_example_comes_back_exactly(path):
    sop = load(path).sop
    back, findings = one(to_mermaid(sop))
    assert findings == []
    assert back == sop  # identity, actors, every field of every step
    assert back.model_dump() == sop.model_dump()


@pytest.mark.parametrize("path", LIBRARY, ids=lambda p: p.stem)
def test_every_example_drawing_alone_gives_steps_actors_kinds_and_exits(path):
    sop = load(path).sop
    back, findings = one(without_data(to_mermaid(sop)), file=f"{path.stem}.mmd")
    assert [f for f in findings if f.severity is not Severity.INFO] == []
    assert [a.name for a in back.actors] == [a.name for a in sop.actors]
    assert drawn(back) == drawn_in_export(sop)
    # The drawing alone has no title (the checker says so): a neutral id, never the file's name.
    assert back.name == "" and back.id == "sop-tanpa-nama"
    assert back.steps[0].source.file == f"{path.stem}.mmd"


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(sops(max_steps=25, max_actors=5))
def test_generated_sops_come_back(sop):
    text = to_mermaid(sop)
    back, findings = one(text)
    assert findings == []
    assert back == sop
    alone, findings = one(without_data(text))
    assert [f.code for f in findings if f.severity is not Severity.INFO] == []
    assert [a.name for a in alone.actors] == [a.name for a in sop.actors]
    assert drawn(alone) == drawn_in_export(sop)


def test_decision_words_come_back_from_the_arrows():
    sop = Sop(id="uji", actors=[Actor(id="staf", name="Staf")], steps=[
        Step(number=1, activity="Mengajukan", actors=["staf"]),
        Step(number=2, activity="Memeriksa", actors=["staf"], kind="decision", on_yes=3,
             on_no=1, labels={"yes": "Lengkap", "no": "Tidak lengkap"}),
        Step(number=3, activity="Mengarsipkan", actors=["staf"]),
    ])
    back, _ = one(without_data(to_mermaid(sop)))
    assert back.step(2).labels.yes == "Lengkap" and back.step(2).labels.no == "Tidak lengkap"
    assert (back.step(2).on_yes, back.step(2).on_no) == (3, 1)


def test_an_edited_label_wins_over_the_stale_comment():
    sop = load(LIBRARY[0]).sop
    text = to_mermaid(sop)
    first = sop.steps[0]
    old = text.split("\n")[2].split('"')[1]  # the first lane's first node label
    assert old.startswith(first.activity_lines[0][:10])
    edited = text.replace(old, "Menyusun rencana kerja", 1)
    back, _ = one(edited)
    assert back.steps[0].activity == "Menyusun rencana kerja"
    assert back.steps[0].time == first.time  # the rest of the comment still applies


def test_broken_comment_data_is_reported_and_the_drawing_read():
    text = to_mermaid(load(LIBRARY[1]).sop)
    lines = text.split("\n")
    index = next(i for i, line in enumerate(lines) if '"node": "s2"' in line)
    lines[index] = lines[index][:40]  # JSON cut in the middle
    lines.append('    %% alur: {"node": "s99", "step": {"number": 99}}')
    back, findings = one("\n".join(lines))
    assert [(f.code, f.line) for f in findings] == [
        ("import.mermaid-data", index + 1), ("import.mermaid-data", len(lines))]
    assert back.step(2) is not None and back.step(2).time is None


# -- drawn by hand ----------------------------------------------------------------------------
def test_hand_drawn_swimlanes_with_both_label_syntaxes():
    text = (MERMAID / "cuti-swimlane.mmd").read_text()
    sop, findings = one(text, file="wiki/cuti-swimlane.mmd")
    assert findings == []
    assert sop.id == "pelayanan-permohonan-cuti-pegawai"  # from the front matter's title
    assert sop.name == "Pelayanan Permohonan Cuti Pegawai"
    assert [(a.id, a.name) for a in sop.actors] == [
        ("pegawai-pemohon", "Pegawai (Pemohon)"),
        ("pengelola-kepegawaian", "Pengelola Kepegawaian"), ("kabag", "Kabag")]
    rows = [(s.number, s.activity, s.actors, s.kind, s.on_yes, s.on_no, s.next)
            for s in sop.steps]
    assert rows == [
        (1, "Mulai", ["pegawai-pemohon"], "start", None, None, None),
        (2, "Mengisi formulir permohonan cuti", ["pegawai-pemohon"], "process", None, None,
         None),
        (3, "Memeriksa kelengkapan berkas", ["pengelola-kepegawaian"], "decision", 4, 2, None),
        (4, "Menyiapkan konsep surat izin cuti", ["pengelola-kepegawaian"], "process", None,
         None, None),
        (5, 'Memeriksa dan menandatangani "konsep"', ["kabag"], "decision", 6, 4, None),
        (6, "Mencatat dan mengirim surat", ["pengelola-kepegawaian"], "process", None, None,
         None),
        (7, "Menerima surat izin cuti", ["pegawai-pemohon"], "process", None, None, None),
        (8, "Selesai", [], "end", None, None, None),
    ]
    assert sop.step(3).labels.yes == "Lengkap" and sop.step(3).labels.no == "Tidak lengkap"
    assert sop.step(5).labels.yes == "Setuju" and sop.step(5).labels.no == "Tolak"
    assert sop.step(3).source.file == "cuti-swimlane.mmd" and sop.step(3).source.line == 11


def test_hand_drawn_nodes_first_lanes_after_with_connectors_and_old_syntax():
    sop, findings = one((MERMAID / "disposisi-surat-masuk.mmd").read_text(),
                        file="disposisi-surat-masuk.mmd")
    assert findings == []
    assert sop.id == "sop-tanpa-nama"  # no title: never named after the file
    assert [a.name for a in sop.actors] == ["Pengadministrasi Umum", "Sekretaris",
                                            "Kepala Dinas", "Kepala Bidang"]
    names = {a.id: a.name for a in sop.actors}
    rows = [(s.number, s.activity, [names[a] for a in s.actors], s.kind, s.on_yes, s.on_no,
             s.next) for s in sop.steps]
    assert rows == [
        (1, "Mulai", ["Pengadministrasi Umum"], "start", None, None, None),
        (2, "Menerima dan mencatat surat masuk di buku agenda", ["Pengadministrasi Umum"],
         "process", None, None, None),
        (3, "Meneruskan surat ke Sekretaris", ["Pengadministrasi Umum"], "process", None,
         None, None),
        # "TIDAK" leads through the connector pair ((A)) … ((A)) to step 6.
        (4, "Surat perlu disposisi Kepala?", ["Sekretaris"], "decision", 5, 6, None),
        (5, "Memberi disposisi", ["Kepala Dinas"], "process", None, None, None),
        (6, "Menindaklanjuti surat sesuai disposisi", ["Kepala Bidang"], "process", None,
         None, None),
        (7, "Mengarsipkan surat", ["Pengadministrasi Umum"], "process", None, None, None),
        (8, "Selesai", ["Pengadministrasi Umum"], "end", None, None, None),
    ]
    assert sop.step(4).labels.yes == "" and sop.step(4).labels.no == ""  # YA/TIDAK are plain


def test_flow_order_puts_the_yes_path_first_and_the_end_last():
    text = """flowchart TD
    subgraph S[Staf]
      a[Menyusun draf] --> b{Disetujui?}
      r[Merevisi draf]
      z([Selesai])
    end
    subgraph K[Kepala]
      b
      t[Menandatangani]
    end
    b -->|Tidak| r
    r --> b
    b -->|Ya| t
    t --> z
"""
    sop, findings = one(text)
    assert [(s.number, s.activity, s.kind) for s in sop.steps] == [
        (1, "Menyusun draf", "process"), (2, "Disetujui?", "decision"),
        (3, "Menandatangani", "process"), (4, "Merevisi draf", "process"),
        (5, "Selesai", "end")]
    assert (sop.step(2).on_yes, sop.step(2).on_no) == (3, 4)
    assert sop.step(3).next == 5 and sop.step(4).next == 2
    # `b` is drawn in Staf's lane and listed again in Kepala's: both say so, the first wins.
    (several,) = [f for f in findings if f.code == "import.mermaid-several-lanes"]
    assert "Staf" in several.message and "Kepala" in several.message
    assert sop.step(2).actors == ["staf"]


def test_a_node_drawn_in_one_lane_and_only_named_in_anothers_arrow_is_the_first_lanes():
    text = """flowchart TD
    subgraph S[Staf]
      a[Mengetik surat] --> b
    end
    subgraph K[Kabag]
      b[Menandatangani surat]:::penting
    end
"""
    sop, findings = one(text, file="ttd.mmd")
    assert findings == []
    assert [s.actors for s in sop.steps] == [["staf"], ["kabag"]]
    assert [s.source.line for s in sop.steps] == [3, 6]  # where each is drawn


def test_named_shapes_ampersands_and_semicolons():
    text = """flowchart LR
    subgraph A[Admin]
      m@{ shape: stadium, label: "Mulai" }; p@{ shape: rect, label: "Menerima berkas" }
      q@{ shape: diamond, label: "Berkas sah?" }
    end
    subgraph B[Bendahara]
      x[Membayar] & y[Mencatat]
    end
    m --> p --> q
    q -->|Sah| x
    q -->|Tidak sah| p
    x --> y
"""
    sop, findings = one(text)
    assert [(s.activity, s.kind) for s in sop.steps] == [
        ("Mulai", "start"), ("Menerima berkas", "process"), ("Berkas sah?", "decision"),
        ("Membayar", "process"), ("Mencatat", "process")]
    assert sop.step(3).labels.yes == "Sah" and sop.step(3).labels.no == "Tidak sah"
    assert findings == []


def test_two_labelled_exits_from_a_box_are_a_decision():
    text = """flowchart TD
    subgraph L[Loket]
      a[Memeriksa berkas] -->|Ya| b[Mencatat]
      a -->|Tidak| c[Mengembalikan berkas]
      b & c --> z([Selesai])
    end
"""
    sop, findings = one(text)
    assert [(s.activity, s.kind, s.on_yes, s.on_no, s.next) for s in sop.steps] == [
        ("Memeriksa berkas", "decision", 2, 3, None), ("Mencatat", "process", None, None, 4),
        ("Mengembalikan berkas", "process", None, None, None), ("Selesai", "end", None, None,
                                                                 None)]
    assert [f.code for f in findings] == ["import.mermaid-read-as-decision"]


@pytest.mark.parametrize(("label", "side"), [
    ("Ya", "yes"), ("YA", "yes"), ("Lengkap", "yes"), ("Setuju", "yes"), ("Sesuai", "yes"),
    ("Tidak", "no"), ("Tidak lengkap", "no"), ("Tolak", "no"), ("Ditolak", "no"),
    ("Belum sesuai", "no"), ("Revisi", "no"), ("Perlu dicek", None), (None, None)])
def test_exit_words(label, side):
    assert exit_side(label) == side


def test_labels_lose_markup_and_entities():
    assert label_text('"Cek #quot;nilai#quot; #lt;5#gt; #amp; #35;1"') == 'Cek "nilai" <5> & #1'
    assert label_text("Mengisi<br>formulir<br/>cuti") == "Mengisi formulir cuti"
    assert label_text('"`**Kepala** Bagian *Umum*`"') == "Kepala Bagian Umum"
    assert label_text('"2 * 3 = 6"') == "2 * 3 = 6"  # not a markdown string: kept


def test_comment_style_and_click_lines_are_ignored():
    diagram = parse("""flowchart TD
    a[x] --> b[y]
    click a callback "tip"
    classDef hijau fill:#0f0
    class a hijau
    style b fill:#f9f
    linkStyle 0 stroke:#f00
    a:::hijau
""")
    assert diagram.problems == []
    assert list(diagram.nodes) == ["a", "b"] and len(diagram.edges) == 1


# -- bad input --------------------------------------------------------------------------------
@pytest.mark.parametrize("text", [
    "", "SOP Surat Masuk\n1. Menerima surat", "sequenceDiagram\n  A->>B: Halo",
    "<html><body><table><tr><td>1</td></tr></table></body></html>"])
def test_not_mermaid_is_one_error(text):
    found, findings = read_mermaid(text, file="x.mmd")
    assert found == []
    assert [(f.code, f.severity, f.file) for f in findings] == [
        ("import.mermaid-not-flowchart", Severity.ERROR, "x.mmd")]


def test_two_ends_drawn_by_hand_both_end():
    sop, findings = one("flowchart TD\n a[Memeriksa] -->|Ya| b[Mencatat]\n"
                        " a -->|Tidak| c[Mengembalikan]\n")
    assert [s.kind for s in sop.steps] == ["decision", "end", "process"]
    assert [(f.code, f.step) for f in findings if f.code == "import.mermaid-dead-end"] == [
        ("import.mermaid-dead-end", 2)]


def test_node_in_no_lane_edge_to_unknown_node_and_one_exit_decision():
    text = """flowchart TD
    subgraph S[Staf]
      a[Menerima surat] --> b{Lengkap?}
    end
    b -->|Ya| c[Mengarsipkan]
    a --> hantu
    this is not mermaid at all
"""
    sop, findings = one(text)
    found = [(f.code, f.line, f.step) for f in findings]
    assert ("import.mermaid-unreadable", 7, None) in found
    assert ("import.mermaid-unknown-node", 6, None) in found
    assert ("import.mermaid-decision-exits", 3, 2) in found
    # Both dead ends come last in flow order (c, then the unknown node): c is drawn outside
    # every lane and is not the last step, so the procedure ends at it.
    assert [s.activity for s in sop.steps] == ["Menerima surat", "Lengkap?", "Mengarsipkan",
                                               "hantu"]
    assert ("import.mermaid-no-lane", 5, 3) in found
    assert ("import.mermaid-dead-end", 5, 3) in found
    assert ("import.mermaid-no-lane", 6, 4) in found
    assert ("import.mermaid-several-exits", 6, 1) in found
    assert all(f.sop == sop.id for f in findings)
    assert "'this is not mermaid at all'" in next(
        f.message for f in findings if f.code == "import.mermaid-unreadable")
    assert sop.step(2).on_yes == 3 and sop.step(2).on_no is None


def test_stray_end_and_unclosed_subgraph():
    sop, findings = one("flowchart TD\nend\nsubgraph Staf\n a[Satu] --> b[Dua]\n")
    assert [(f.code, f.line) for f in findings] == [("import.mermaid-unreadable", 2),
                                                   ("import.mermaid-unreadable", 3)]
    assert [a.name for a in sop.actors] == ["Staf"]


def test_no_lanes_is_said_once():
    sop, findings = one("graph TD\n a[Satu] --> b[Dua] --> c[Tiga]")
    assert [f.code for f in findings] == ["import.mermaid-no-lanes"]
    assert [s.actors for s in sop.steps] == [[], [], []]


def test_header_only_has_no_steps():
    found, findings = read_mermaid("flowchart TD\n  %% kosong\n")
    assert found == [] and [f.code for f in findings] == ["import.mermaid-no-steps"]


def test_ids_stay_unique_across_a_library():
    taken: set[str] = set()
    text = to_mermaid(load(LIBRARY[0]).sop)
    first, _ = one(text, taken_ids=taken)
    second, _ = one(text, taken_ids=taken)
    assert (first.id, second.id) == (LIBRARY[0].stem, f"{LIBRARY[0].stem}-2")


@settings(max_examples=150, deadline=None)
@given(st.data())
def test_damaged_diagrams_give_findings_never_exceptions(data):
    base = to_mermaid(load(data.draw(st.sampled_from(LIBRARY))).sop).split("\n")
    lines = list(base)
    for _ in range(data.draw(st.integers(1, 6))):
        index = data.draw(st.integers(0, len(lines) - 1))
        action = data.draw(st.sampled_from(["drop", "cut", "noise", "duplicate"]))
        if action == "drop" and len(lines) > 1:
            del lines[index]
        elif action == "cut":
            lines[index] = lines[index][:data.draw(st.integers(0, len(lines[index])))]
        elif action == "noise":
            lines[index] += data.draw(st.text(alphabet='[](){}|"-.>=&;:#%@ abc', max_size=8))
        else:
            lines.insert(index, lines[index])
    found, findings = read_mermaid("\n".join(lines))
    assert len(found) <= 1
    assert all(f.message and f.code.startswith("import.mermaid-") for f in findings)
    for sop in found:
        Sop.model_validate(sop.model_dump())


@settings(max_examples=100, deadline=None)
@given(st.text(max_size=300))
def test_any_text_after_a_header_never_raises(text):
    read_mermaid("flowchart TD\n" + text)


TEXTS = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=30)


@settings(max_examples=150, deadline=None, suppress_health_check=list(HealthCheck))
@given(st.lists(TEXTS, min_size=1, max_size=4),
       st.lists(st.one_of(TEXTS, st.lists(TEXTS, max_size=3)), min_size=1, max_size=6),
       st.data())
def test_any_text_in_any_field_comes_back_exactly(names, activities, data):
    """Quotes, `|`, `;`, `#`, newlines, empty text, words that sound like Ya or Selesai: the
    drawing may fold or escape them, the comment lines give them back exactly."""
    actors = [Actor(id=f"a{i}", name=name or "x") for i, name in enumerate(names)]
    count = len(activities)
    steps = []
    for number, activity in enumerate(activities, start=1):
        kind = data.draw(st.sampled_from(["process", "decision", "start", "end"]))
        fields = {"number": number, "activity": activity, "kind": kind,
                  "actors": data.draw(st.lists(st.sampled_from([a.id for a in actors]),
                                               max_size=2, unique=True)),
                  "notes": data.draw(TEXTS), "time": data.draw(TEXTS) or None}
        if kind == "decision":
            fields |= {"on_yes": data.draw(st.integers(1, count)),
                       "on_no": data.draw(st.integers(1, count)),
                       "labels": {"yes": " ".join(data.draw(TEXTS).split()),
                                  "no": " ".join(data.draw(TEXTS).split())}}
        steps.append(Step(**fields))
    sop = Sop(id="acak", name=data.draw(TEXTS), actors=actors, steps=steps)
    back, findings = one(to_mermaid(sop))
    assert findings == []
    assert back == sop
