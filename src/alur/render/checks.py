"""Invariants every layout must satisfy, checked by code (tests run them on every example and
on generated SOPs). Each problem is a sentence naming the page and steps involved."""

from __future__ import annotations

from itertools import combinations

from alur.sop import flow
from alur.sop.model import Sop

from .geometry import Layout, Page, Point, Rect, RowBox, Shape, TextBox, overlap_length

TOL = 0.6


def _seg_crosses(rect: Rect, a: Point, b: Point) -> bool:
    """True when the segment passes through the rectangle's interior."""
    inner = rect.inset(TOL)
    x0, x1 = sorted((a[0], b[0]))
    y0, y1 = sorted((a[1], b[1]))
    return x0 < inner.right and inner.x < x1 and y0 < inner.bottom and inner.y < y1


def _text_extent(box: TextBox) -> Rect:
    used = box.line_height * len(box.lines)
    return Rect(box.rect.x, box.rect.y, box.rect.w, min(used, box.rect.h))


def check_page(page: Page, result: Layout) -> list[str]:
    problems: list[str] = []
    where = f"halaman {page.number}"
    content = result.setup.content.inset(-TOL)
    texts = [_text_extent(c.text) for r in page.rows for c in r.cells if c.text and
             any(c.text.lines)] + [_text_extent(c.text) for c in page.header if c.text]
    for arrow in page.arrows:
        for a, b in arrow.segments():
            if abs(a[0] - b[0]) > 0.01 and abs(a[1] - b[1]) > 0.01:
                problems.append(f"{where}: panah {arrow.source}→{arrow.target} miring")
            for point in (a, b):
                if not content.contains(Rect(point[0], point[1], 0, 0)):
                    problems.append(f"{where}: panah {arrow.source}→{arrow.target} keluar "
                                    "halaman")
            for shape in page.shapes:
                if shape.crossed_by(a, b) and not (
                        arrow.kind == "joint" and shape.step == arrow.source):
                    problems.append(f"{where}: panah {arrow.source}→{arrow.target} menembus "
                                    f"simbol langkah {shape.step}")
            for text in texts:
                if _seg_crosses(text, a, b):
                    problems.append(f"{where}: panah {arrow.source}→{arrow.target} menembus "
                                    "teks")
        if arrow.label_box is not None:
            if not content.contains(arrow.label_box):
                problems.append(f"{where}: label {arrow.label} keluar halaman")
            for shape in page.shapes:
                if shape.overlaps(arrow.label_box, TOL):
                    problems.append(f"{where}: label {arrow.label} menimpa simbol langkah "
                                    f"{shape.step}")
    segments = [(i, seg) for i, arrow in enumerate(page.arrows) for seg in arrow.segments()]
    for (i, seg_a), (j, seg_b) in combinations(segments, 2):
        if i != j and overlap_length(seg_a, seg_b) > 1.0:
            first, second = page.arrows[i], page.arrows[j]
            problems.append(f"{where}: panah {first.source}→{first.target} dan "
                            f"{second.source}→{second.target} bertumpuk")
    for shape in page.shapes:
        if not content.contains(shape.rect):
            problems.append(f"{where}: simbol langkah {shape.step} keluar halaman")
    for one, other in combinations(page.shapes, 2):
        if one.rect.intersects(other.rect):
            problems.append(f"{where}: simbol langkah {one.step} dan {other.step} bertumpuk")
    for connector in page.connectors:
        if not content.contains(connector.rect):
            problems.append(f"{where}: penghubung {connector.letter} keluar halaman")
    return problems


def check_layout(sop: Sop, result: Layout) -> list[str]:
    """Every invariant of issue 3's layout, for one SOP."""
    problems: list[str] = []
    columns = {c.actor_id: c for c in result.columns if c.role == "actor"}
    rows = {r.step: (page, r) for page in result.pages for r in page.rows}
    shapes: dict[int, list[tuple[Page, Shape]]] = {}
    for page in result.pages:
        problems.extend(check_page(page, result))
        for shape in page.shapes:
            shapes.setdefault(shape.step, []).append((page, shape))
    for step in sop.steps:
        if step.number not in rows:
            problems.append(f"langkah {step.number} tidak digambar")
            continue
        page, row = rows[step.number]
        placed = shapes.get(step.number, [])
        if not placed:
            problems.append(f"langkah {step.number} tanpa simbol")
        for shape_page, shape in placed:
            column = columns.get(shape.actor_id)
            if shape_page is not page or column is None or not (
                    column.x <= shape.rect.cx <= column.x + column.width and
                    row.rect.y <= shape.rect.y and shape.rect.bottom <= row.rect.bottom):
                problems.append(f"simbol langkah {step.number} tidak di kolom/barisnya")
        known = {a.id for a in sop.actors}
        wanted = [a for a in step.actors if a in known]
        if wanted and sorted(s.actor_id for _, s in placed) != sorted(set(wanted)):
            problems.append(f"langkah {step.number}: simbol tidak di semua kolom pelaksananya")
    for page in result.pages:
        if page.rows and page.rows[-1].rect.bottom > result.setup.content.bottom + TOL:
            problems.append(f"halaman {page.number}: baris melewati batas halaman")
    _check_edges(sop, result, rows, problems)
    return problems


def _check_edges(sop: Sop, result: Layout, rows: dict[int, tuple[Page, RowBox]],
                 problems: list[str]) -> None:
    arrows = {(a.source, a.target): page for page in result.pages for a in page.arrows
              if a.kind != "joint"}
    outs = {(c.source, c.target, c.letter): page.number for page in result.pages
            for c in page.connectors if c.direction == "out"}
    ins = {(c.source, c.target, c.letter): page.number for page in result.pages
           for c in page.connectors if c.direction == "in"}
    if set(outs) != set(ins):
        problems.append(f"penghubung tanpa pasangan: {sorted(set(outs) ^ set(ins))}")
    letters = [key[2] for key in outs]
    if len(letters) != len(set(letters)):
        problems.append("huruf penghubung dipakai dua kali")
    for edge in flow.edges(sop):
        if edge.target is None or edge.target not in rows or edge.source not in rows:
            continue
        if (edge.source, edge.target) not in arrows:
            problems.append(f"tidak ada panah {edge.source}→{edge.target}")
        source_page, target_page = rows[edge.source][0], rows[edge.target][0]
        if source_page is not target_page:
            pairs = [k for k in outs if k[0] == edge.source and k[1] == edge.target]
            if not pairs or outs[pairs[0]] != source_page.number or \
                    ins.get(pairs[0]) != target_page.number:
                problems.append(f"panah {edge.source}→{edge.target} lintas halaman tanpa "
                                "pasangan penghubung")
