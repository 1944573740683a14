"""HTML → PDF with WeasyPrint, with no access to anything outside the document: the print
templates carry their CSS inline and charts as inline SVG, fonts come from the system
(DejaVu / Liberation through fontconfig), and every URL the document might name is refused
(no protocol is allowed, so not even ``file:`` paths are read)."""

from __future__ import annotations

from weasyprint import HTML
from weasyprint.urls import URLFetcher


def html_to_pdf(html: str) -> bytes:
    """The PDF bytes of a self-contained HTML document (A4 set by its ``@page`` rule)."""
    fetcher = URLFetcher(allowed_protocols=frozenset())
    return HTML(string=html, base_url=None, url_fetcher=fetcher).write_pdf()
