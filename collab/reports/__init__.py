"""Program reports (HTML and PDF), certificates (numbered PDFs), the SIASN export, and the
CSV/XLSX downloads of the lists (``exports.py``: needs, programs, participants, JP ledger).

Everything here reads a program through the viewer's visibility (``programs.queries``):
another Pemda's program is a 404 like the program page. Only delivered or evaluated programs
have a report, certificates or an export (409 otherwise).
"""
