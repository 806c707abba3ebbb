"""Every output format by name: how to make it from an SOP and its layout, and its file
extension. The CLI and the web app choose formats from here and know nothing else."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from alur.sop.model import Sop

from .geometry import Layout


@dataclass(frozen=True)
class Format:
    name: str
    extension: str
    media_type: str
    make: Callable[[Sop, Layout], bytes | str]

    @property
    def binary(self) -> bool:
        return self.name in ("pdf", "docx", "xlsx")


def _pdf(sop: Sop, result: Layout) -> bytes:
    from .pdf import to_pdf

    return to_pdf(sop, result)


def _docx(sop: Sop, result: Layout) -> bytes:
    from .docx import to_docx

    return to_docx(sop, result)


def _xlsx(sop: Sop, result: Layout) -> bytes:
    from .xlsx import to_xlsx

    return to_xlsx(sop, result)


def _svg(sop: Sop, result: Layout) -> str:
    from .svg import layout_svg

    return layout_svg(result)


def _html(sop: Sop, result: Layout) -> str:
    from .html import to_html

    return to_html(sop, result)


def _bpmn(sop: Sop, result: Layout) -> str:
    from .bpmn import to_bpmn

    return to_bpmn(sop, result)


def _mermaid(sop: Sop, result: Layout) -> str:
    from .mermaid import to_mermaid

    return to_mermaid(sop)


FORMATS: dict[str, Format] = {f.name: f for f in (
    Format("pdf", "pdf", "application/pdf", _pdf),
    Format("docx", "docx",
           "application/vnd.openxmlformats-officedocument.wordprocessingml.document", _docx),
    Format("xlsx", "xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
           _xlsx),
    Format("svg", "svg", "image/svg+xml", _svg),
    Format("html", "html", "text/html", _html),
    Format("bpmn", "bpmn", "application/xml", _bpmn),
    Format("mermaid", "mmd", "text/plain", _mermaid),
)}
