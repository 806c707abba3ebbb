"""The SOP book (buku SOP) of a unit, as agencies print it: a cover, the list of SOPs with
their page numbers, then every SOP (identity sheet and bagan alir), page-numbered throughout."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from html import escape

from alur.sop.model import Sop

from .geometry import Layout, PageSetup
from .html import sop_html, stylesheet
from .identity import MONTHS
from .layout import layout


def _sort_key(sop: Sop) -> tuple[str, str]:
    return (sop.number or "~", sop.name or sop.id)


def book_html(sops: list[Sop], setup: PageSetup | None = None, *, title: str = "Buku SOP",
              on_layout: Callable[[Sop], None] | None = None, today: dt.date | None = None
              ) -> str:
    """One HTML document for the whole book; `on_layout` is called per SOP (progress)."""
    setup = setup or PageSetup()
    ordered = sorted(sops, key=_sort_key)
    layouts: list[Layout] = []
    for sop in ordered:
        layouts.append(layout(sop, setup))
        if on_layout:
            on_layout(sop)
    today = today or dt.date.today()
    # The cover names the agency only when every SOP that names one names the same.
    agencies = {tuple(s.organization[:2]) for s in ordered if s.organization}
    agency = next(iter(agencies)) if len(agencies) == 1 else ()
    cover = (f'<section class="sampul"><h1>{escape(title)}</h1>'
             + "".join(f'<div class="instansi">{escape(line)}</div>' for line in agency)
             + f'<div class="keterangan">{len(ordered)} Standar Operasional Prosedur '
               f'Administrasi Pemerintahan<br>{MONTHS[today.month - 1]} {today.year}</div>'
               f"</section>")
    rows = "".join(
        f'<tr><td class="no">{i}</td><td>{escape(s.number)}</td>'
        f'<td><a href="#sop-{escape(s.id)}">{escape(s.name or s.id)}</a></td>'
        f'<td class="hal"><a class="halaman" href="#sop-{escape(s.id)}"></a></td></tr>'
        for i, s in enumerate(ordered, start=1))
    contents = (f'<section class="daftar"><h2>Daftar SOP</h2><table><thead><tr>'
                f'<th class="no">No</th><th class="nomor">Nomor SOP</th><th>Nama SOP</th>'
                f'<th class="hal">Halaman</th></tr></thead>'
                f"<tbody>{rows}</tbody></table></section>")
    body = "".join(sop_html(s, r) for s, r in zip(ordered, layouts, strict=True))
    style = stylesheet(layouts[0] if layouts else Layout("", setup, [], []))
    style += "@page :first { @bottom-right { content: none; } }"
    return (f'<!DOCTYPE html><html lang="id"><head><meta charset="utf-8">'
            f"<title>{escape(title)}</title><style>{style}</style></head><body>{cover}"
            f'{contents}<div class="isi">{body}</div></body></html>')
