"""The official SOP document as HTML: the identity sheet (identitas SOP) as a table in the
Permenpan RB 35/2012 arrangement, the narrative sections, then the bagan alir pages drawn as
inline SVG from the layout. Print CSS makes the same HTML the source of the PDF.

All text from the SOP is escaped: imported documents may contain markup.
"""

from __future__ import annotations

from dataclasses import dataclass
from html import escape

from alur.sop.model import Sop

from .geometry import MM, Layout
from .identity import PAIRS, identity_rows, section_letter
from .svg import TextRun, page_body, page_texts
from .text import FONT_STACK


def _lines(values: list[str]) -> str:
    return "<br>".join(escape(v) for v in values)


def _list(values: list[str]) -> str:
    if not values:
        return '<span class="kosong">—</span>'
    if len(values) == 1:
        return escape(values[0])
    return "<ol>" + "".join(f"<li>{escape(v)}</li>" for v in values) + "</ol>"


def identity_sheet(sop: Sop) -> str:
    rows = dict(identity_rows(sop))
    heading = "".join(f"<div>{escape(line)}</div>" for line in sop.organization) or \
        '<div class="kosong">(instansi belum diisi)</div>'
    approver = sop.approved_by
    approved = (f'<div class="jabatan">{escape(approver.title)}</div>'
                f'<div class="ttd"></div>'
                f'<div class="nama">{escape(approver.name)}</div>'
                + (f'<div>NIP. {escape(approver.nip)}</div>' if approver.nip else ""))
    top = []
    for index, label in enumerate(("Nomor SOP", "Tanggal Pembuatan", "Tanggal Revisi",
                                   "Tanggal Efektif", "Disahkan oleh", "Nama SOP")):
        value = approved if label == "Disahkan oleh" else _lines(rows[label])
        first = (f'<td class="kop" rowspan="6"><div class="logo"></div>{heading}</td>'
                 if index == 0 else "")
        extra = ' class="nama-sop"' if label == "Nama SOP" else ""
        top.append(f"<tr>{first}<th>{label}</th><td{extra}>{value}</td></tr>")
    pairs = []
    for left, right in PAIRS:
        pairs.append(f"<tr><th>{left}</th><th>{right}</th></tr>")
        pairs.append(f"<tr><td>{_list(rows[left])}</td><td>{_list(rows[right])}</td></tr>")
    return (f'<table class="identitas"><colgroup><col class="kop"><col class="label">'
            f'<col class="isi"></colgroup>{"".join(top)}</table>'
            f'<table class="pasangan"><colgroup><col><col></colgroup>{"".join(pairs)}</table>')


def sections(sop: Sop) -> str:
    parts = []
    for index, section in enumerate(sop.sections):
        paragraphs = "".join(f"<p>{escape(p)}</p>" for p in section.text.split("\n") if p)
        title = f"{section_letter(index)}. {section.title}"
        parts.append(f"<section class=\"uraian\"><h3>{escape(title)}</h3>"
                     f"{paragraphs}</section>")
    return "".join(parts)


# Where DejaVu Sans puts the baseline in a line box as high as the font size: the top of an
# HTML run is this share of its size above the baseline the SVG would use.
_BASELINE = 0.846


def _html_run(run: TextRun, origin_x: float, origin_y: float) -> str:
    top = run.baseline - origin_y - _BASELINE * run.size
    style = f"left:{run.left - origin_x:.2f}pt;top:{top:.2f}pt;font-size:{run.size:.2f}pt"
    if run.bold:
        style += ";font-weight:bold"
    if run.italic:
        style += ";font-style:italic"
    return f'<span style="{style}">{escape(run.text)}</span>'


def flow_pages(result: Layout) -> str:
    """Each layout page as an SVG filling the printed page's content area. Its text is drawn
    as HTML over the SVG at the same places (`svg.TextRun`), so the PDF keeps real spaces."""
    setup = result.setup
    area = setup.content
    view = f"{area.x:.2f} {area.y:.2f} {area.w:.2f} {area.h:.2f}"
    pages = []
    for page in result.pages:
        texts = "".join(_html_run(run, area.x, area.y) for run in page_texts(page))
        pages.append(
            f'<section class="bagan"><div class="lembar" style="width:{area.w / MM:.2f}mm;'
            f'height:{area.h / MM:.2f}mm"><svg xmlns="http://www.w3.org/2000/svg" '
            f'width="{area.w / MM:.2f}mm" height="{area.h / MM:.2f}mm" viewBox="{view}">'
            f'{page_body(page, result, text=False)}</svg>'
            f'<div class="teks">{texts}</div></div></section>')
    return "".join(pages)


def stylesheet(result: Layout, *, numbered: bool = True) -> str:
    setup = result.setup
    footer = ("@bottom-right { content: 'Halaman ' counter(page); font-size: 7pt; "
              "color: #555; }") if numbered else ""
    return f"""
@page {{ size: {setup.css_size}; margin: {setup.margin / MM:.1f}mm; {footer} }}
html {{ font-family: {FONT_STACK}; font-size: 8.5pt; color: #1a1a1a; }}
body {{ margin: 0; }}
h1, h2, h3 {{ margin: 0 0 4pt; }}
table {{ border-collapse: collapse; width: 100%; table-layout: fixed; }}
th, td {{ border: 0.75pt solid #1a1a1a; padding: 3pt 5pt; vertical-align: top; text-align: left; }}
th {{ background: #eef1f4; font-weight: bold; }}
table.identitas col.kop {{ width: 42%; }}
table.identitas col.label {{ width: 16%; }}
table.identitas col.isi {{ width: 42%; }}
table.identitas td.kop {{ text-align: center; vertical-align: middle;
  font-weight: bold; font-size: 10pt; text-transform: uppercase; }}
table.identitas td.kop .logo {{ height: 48pt; }}
table.identitas td.nama-sop {{ font-weight: bold; font-size: 10pt; }}
table.identitas .ttd {{ height: 36pt; }}
table.identitas .nama {{ font-weight: bold; text-decoration: underline; }}
table.pasangan {{ margin-top: -0.75pt; table-layout: fixed; }}
ol {{ margin: 0; padding-left: 14pt; }}
.kosong {{ color: #888; }}
section.uraian {{ margin-top: 10pt; }}
section.uraian p {{ margin: 0 0 3pt; white-space: pre-wrap; }}
section.bagan {{ break-before: page; }}
section.bagan svg {{ display: block; }}
section.bagan .lembar {{ position: relative; }}
section.bagan .teks span {{ position: absolute; white-space: pre; line-height: 1;
  font-kerning: none; font-variant-ligatures: none;
  color: #1a1a1a; }}
.sop {{ break-before: page; }}
body > .sop:first-child {{ break-before: auto; }}
.sampul {{ text-align: center; padding-top: 60mm; }}
.sampul h1 {{ font-size: 22pt; margin-bottom: 10pt; }}
.sampul .instansi {{ font-size: 12pt; font-weight: bold; text-transform: uppercase; }}
.sampul .keterangan {{ margin-top: 24pt; color: #444; }}
.daftar {{ break-before: page; }}
.daftar h2 {{ font-size: 13pt; margin-bottom: 8pt; }}
.daftar .hal {{ text-align: right; width: 10%; }}
.daftar .no {{ width: 5%; text-align: right; }}
.daftar .nomor {{ width: 25%; }}
.daftar a {{ color: inherit; text-decoration: none; }}
.daftar a.halaman::after {{ content: target-counter(attr(href), page); }}
"""


def sop_html(sop: Sop, result: Layout) -> str:
    """The body of one SOP: identity sheet, sections, bagan alir."""
    return (f'<article class="sop" id="sop-{escape(sop.id)}">'
            f'{identity_sheet(sop)}{sections(sop)}{flow_pages(result)}</article>')


@dataclass(frozen=True)
class Verification:
    """Where a reader checks that a printed or downloaded document is genuine, shown in the
    footer of every page: a picture (the QR code, an SVG document, drawn by the caller), the
    words `label`, the address and the short code, and an optional `note` (e.g. that the seal
    is a demo). The web's signing app fills it; the renderer only places it."""

    qr_svg: str
    url: str
    code: str
    label: str = "Verifikasi keaslian dokumen"
    note: str = ""


@dataclass(frozen=True)
class Unsigned:
    """The footer of an approved document that carries no electronic signature (none was
    configured, or signing failed): plain words that say so on every page, so a print or a
    download of it is not taken for the signed official copy. The web chooses when; the
    renderer only places it where a `Verification` would be."""

    text: str = "Dokumen ini belum ditandatangani secara elektronik."


# What an issued document's footer says about its authenticity.
Footer = Verification | Unsigned


# The page margin is 10 mm (geometry.PageSetup): the block fits in the bottom margin box.
_VERIFICATION_CSS = """
@page { @bottom-left { content: element(verifikasi); vertical-align: middle; width: 70%; } }
.verifikasi { position: running(verifikasi); display: flex; align-items: center; gap: 2mm;
  font-size: 6pt; line-height: 1.15; color: #333; white-space: nowrap; }
.verifikasi img { width: 9mm; height: 9mm; display: block; }
.verifikasi .kode { font-weight: bold; letter-spacing: 0.5pt; }
.verifikasi.tanpa-tte { font-size: 7pt; font-weight: bold; }
.verifikasi + .sop { break-before: auto; }
"""


def verification_html(block: Footer) -> str:
    from base64 import b64encode

    if isinstance(block, Unsigned):
        return f'<div class="verifikasi tanpa-tte"><div>{escape(block.text)}</div></div>'
    picture = b64encode(block.qr_svg.encode()).decode()
    note = f"<div>{escape(block.note)}</div>" if block.note else ""
    return (f'<div class="verifikasi"><img alt="QR" src="data:image/svg+xml;base64,{picture}">'
            f'<div><div>{escape(block.label)}: <span class="kode">{escape(block.code)}</span>'
            f'</div><div>{escape(block.url)}</div>{note}</div></div>')


def to_html(sop: Sop, result: Layout, *, verification: Footer | None = None) -> str:
    """A complete, self-contained HTML document (no external resources); with `verification`,
    every page's footer carries it: where to check the signed document (`Verification`), or
    that the document is not signed (`Unsigned`)."""
    title = escape(sop.name or sop.id)
    extra_css = _VERIFICATION_CSS if verification else ""
    block = verification_html(verification) if verification else ""
    return (f'<!DOCTYPE html><html lang="id"><head><meta charset="utf-8">'
            f"<title>{title}</title><style>{stylesheet(result)}{extra_css}</style></head>"
            f"<body>{block}{sop_html(sop, result)}</body></html>")
