"""Reading a participant list from XLSX or CSV, and the blank templates to fill in.

Columns (header row, any order, case and surrounding spaces ignored): ``NIP``, ``Nama``,
``Jabatan``, ``Unit Kerja`` and the optional ``Golongan``. CSV is UTF-8 with or without a
byte-order mark, separated by ``;`` (what a spreadsheet in the Indonesian locale writes) or
``,``. The file is at most :data:`MAX_BYTES` (like attachments, checked before reading) and
:data:`MAX_ROWS` rows. Blank rows are skipped; row numbers are the spreadsheet's (the header
is row 1). Rows are *not* checked here — :func:`collab.participants.services.nominate_many`
does that, all or none.
"""

from __future__ import annotations

import codecs
import csv
import io
from typing import IO

from flask_babel import gettext as _

from collab.core import tabular
from collab.core.tabular import is_blank, refuse
from collab.participants.services import FIELD_LABELS, ParticipantData

MAX_BYTES = 2 * 1024 * 1024
"""Largest import file (2 MB)."""

MAX_ROWS = 2000
"""Most data rows read from one file."""

COLUMNS = ("nip", "name", "jabatan", "unit", "golongan")
REQUIRED = ("nip", "name", "jabatan", "unit")
HEADERS = [FIELD_LABELS[c] for c in COLUMNS]
"""The header row of the template: NIP, Nama, Jabatan, Unit Kerja, Golongan."""

EXAMPLE = ["196608011988031001", "Siti Aminah", "Perekam Medis", "Puskesmas Kampung Bali", "III/b"]
"""An example row, shown on the template's second sheet (never in the data sheet)."""

XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _rows_from_table(table) -> list[tuple[int, ParticipantData]]:
    """``table``: iterable of row lists (cells as :func:`collab.core.tabular.cell` gives
    them), the first the header."""
    it = iter(table)
    header = next(it, None)
    if header is None:
        raise refuse(_("Berkas kosong: baris judul kolom tidak ditemukan."))
    names = {label.lower(): key for key, label in FIELD_LABELS.items()}
    index: dict[str, int] = {}
    for i, title in enumerate(header):
        key = names.get(" ".join(str(title or "").split()).lower())
        if key and key not in index:
            index[key] = i
    missing = [FIELD_LABELS[c] for c in REQUIRED if c not in index]
    if missing:
        raise refuse(
            _(
                "Kolom wajib tidak ditemukan di baris judul: %(cols)s. Gunakan templat.",
                cols=", ".join(missing),
            )
        )
    out = []
    for number, raw in enumerate(it, start=2):
        values = {key: raw[i] if i < len(raw) else "" for key, i in index.items()}
        if is_blank(values.values()):
            continue
        if len(out) >= MAX_ROWS:
            raise refuse(_("Paling banyak %(n)s baris peserta sekali impor.", n=MAX_ROWS))
        out.append(
            (
                number,
                ParticipantData(
                    nip=values.get("nip", ""),
                    name=str(values.get("name", "")),
                    jabatan=str(values.get("jabatan", "")),
                    unit=str(values.get("unit", "")),
                    golongan=str(values.get("golongan", "")) or None,
                ),
            )
        )
    return out


MAX_UNPACKED_BYTES = 25 * 1024 * 1024
"""An XLSX is a zip: its unpacked parts may not exceed this (a small file cannot expand into
minutes of parsing)."""

MAX_COLUMNS = 30
"""Columns read from each row (the template has five)."""

MAX_SHEET_ROWS = 10 * MAX_ROWS
"""Rows (blank ones included) a sheet may span; a sheet reaching further is refused rather
than read in part, so no row is ever dropped silently."""


def read_table(filename: str, stream: IO[bytes]) -> list[list]:
    """An uploaded ``.xlsx``/``.csv`` as rows, header first, within this module's bounds (read
    at call time) — :func:`collab.core.tabular.read_table`."""
    return tabular.read_table(
        filename,
        stream,
        max_bytes=MAX_BYTES,
        max_rows=MAX_ROWS,
        max_columns=MAX_COLUMNS,
        max_unpacked=MAX_UNPACKED_BYTES,
        max_sheet_rows=MAX_SHEET_ROWS,
    )


def read_upload(filename: str, stream: IO[bytes]) -> list[tuple[int, ParticipantData]]:
    """The rows of an uploaded ``.xlsx`` or ``.csv`` as ``(row number, data)``. Raises
    :class:`FileTooLarge` (413) over :data:`MAX_BYTES`, :class:`ValidationFailed` (under
    ``file``) for another type, an unreadable file or missing columns."""
    return _rows_from_table(read_table(filename, stream))


# --- templates --------------------------------------------------------------------------------


def template_xlsx() -> bytes:
    """A workbook whose first sheet has the header row and a NIP column formatted as text
    (``@``, so that a typed NIP stays 18 digits); a second sheet explains the columns with an
    example (only the first sheet is imported)."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    wb = Workbook()
    ws = wb.active
    ws.title = "Peserta"
    ws.append(HEADERS)
    for cell in ws[1]:
        cell.font = Font(bold=True)
    for row in range(1, 1001):
        ws.cell(row=row, column=1).number_format = "@"
    ws.column_dimensions["A"].width = 24
    for col in "BCD":
        ws.column_dimensions[col].width = 32
    ws.column_dimensions["E"].width = 12
    ws.freeze_panes = "A2"
    help_ws = wb.create_sheet(_("Petunjuk"))
    for line in (
        [_("Isi lembar pertama, satu baris per peserta, mulai baris 2.")],
        [_("Kolom NIP berformat Teks: ketik 18 digit NIP atau NI PPPK tanpa tanda baca.")],
        [_("Golongan boleh kosong; PNS I/a–IV/e, PPPK I–XVII.")],
        [_("Contoh:")],
        HEADERS,
        EXAMPLE,
    ):
        help_ws.append(line)
    for row in help_ws.iter_rows():
        for cell in row:
            cell.number_format = "@"
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def template_csv() -> bytes:
    """The header row, ``;``-separated, UTF-8 with a byte-order mark (so that a spreadsheet
    opens it as UTF-8)."""
    buf = io.StringIO()
    writer = csv.writer(buf, delimiter=";", lineterminator="\r\n")
    writer.writerow(HEADERS)
    return codecs.BOM_UTF8 + buf.getvalue().encode("utf-8")
