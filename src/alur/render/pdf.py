"""PDF through WeasyPrint from the HTML document; fonts come from the machine (DejaVu Sans on
Debian) and are embedded in the file."""

from __future__ import annotations

import logging

from alur.sop.model import Sop

from .geometry import Layout
from .html import Footer, to_html

# WeasyPrint logs every CSS property it ignores; our stylesheet is known, keep them quiet.
logging.getLogger("weasyprint").setLevel(logging.ERROR)
logging.getLogger("fontTools").setLevel(logging.ERROR)


def html_to_pdf(document: str) -> bytes:
    from weasyprint import HTML  # imported late: it is slow to import and only PDF needs it

    pdf: bytes = HTML(string=document, base_url=None).write_pdf()
    return pdf


def to_pdf(sop: Sop, result: Layout, *, verification: Footer | None = None) -> bytes:
    """The official document; with `verification`, every page's footer shows where to check
    that it is genuine (html.Verification) or says that it is not signed (html.Unsigned)."""
    return html_to_pdf(to_html(sop, result, verification=verification))
