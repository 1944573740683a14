"""HTML → PDF with WeasyPrint, with no access to anything outside the document: the print
templates carry their CSS inline and charts as inline SVG, fonts come from the system
(DejaVu / Liberation through fontconfig), and every URL the document might name is refused
(no protocol is allowed, so not even ``file:`` paths are read).

WeasyPrint is imported on first use: it loads Pango when imported, so a machine without it
(see ``.ci/install-pdf-deps``) still runs the app and fails only on a PDF download."""

from __future__ import annotations


def html_to_pdf(html: str) -> bytes:
    """The PDF bytes of a self-contained HTML document (A4 set by its ``@page`` rule)."""
    from weasyprint import HTML
    from weasyprint.urls import URLFetcher

    fetcher = URLFetcher(allowed_protocols=frozenset())
    return HTML(string=html, base_url=None, url_fetcher=fetcher).write_pdf()
