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
import os
import zipfile
from datetime import date, datetime
from typing import IO

from flask_babel import gettext as _

from collab.attachments.services import FileTooLarge
from collab.errors import ValidationFailed
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


def _refuse(message: str) -> ValidationFailed:
    return ValidationFailed(message, {"file": [message]})


def _size(stream: IO[bytes]) -> int:
    stream.seek(0, os.SEEK_END)
    size = stream.tell()
    stream.seek(0)
    return size


def _cell(value) -> object:
    """A cell as text, except numbers (a NIP read as a number must be told apart)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, int | float):
        return value
    if isinstance(value, datetime | date):
        return value.isoformat()
    return str(value)


def _rows_from_table(table) -> list[tuple[int, ParticipantData]]:
    """``table``: iterable of row tuples, the first the header."""
    it = iter(table)
    header = next(it, None)
    if header is None:
        raise _refuse(_("Berkas kosong: baris judul kolom tidak ditemukan."))
    names = {label.lower(): key for key, label in FIELD_LABELS.items()}
    index: dict[str, int] = {}
    for i, title in enumerate(header):
        key = names.get(" ".join(str(title or "").split()).lower())
        if key and key not in index:
            index[key] = i
    missing = [FIELD_LABELS[c] for c in REQUIRED if c not in index]
    if missing:
        raise _refuse(
            _(
                "Kolom wajib tidak ditemukan di baris judul: %(cols)s. Gunakan templat.",
                cols=", ".join(missing),
            )
        )
    out = []
    for number, raw in enumerate(it, start=2):
        values = {key: _cell(raw[i]) if i < len(raw) else "" for key, i in index.items()}
        if all(v == "" or (isinstance(v, str) and not v.strip()) for v in values.values()):
            continue
        if len(out) >= MAX_ROWS:
            raise _refuse(_("Paling banyak %(n)s baris peserta sekali impor.", n=MAX_ROWS))
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


def _read_csv(data: bytes) -> list[tuple[int, ParticipantData]]:
    if data.startswith(codecs.BOM_UTF8):
        data = data[len(codecs.BOM_UTF8) :]
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        raise _refuse(
            _("Berkas CSV harus berenkode UTF-8. Simpan ulang sebagai \u201cCSV UTF-8\u201d.")
        ) from None
    first = text.split("\n", 1)[0]
    delimiter = ";" if first.count(";") >= first.count(",") and ";" in first else ","
    try:
        return _rows_from_table(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))
    except csv.Error:
        raise _refuse(_("Berkas CSV tidak dapat dibaca.")) from None


MAX_UNPACKED_BYTES = 25 * 1024 * 1024
"""An XLSX is a zip: its unpacked parts may not exceed this (a small file cannot expand into
minutes of parsing)."""

MAX_COLUMNS = 30
"""Columns read from each row (the template has five)."""

MAX_SHEET_ROWS = 10 * MAX_ROWS
"""Rows (blank ones included) a sheet may span; a sheet reaching further is refused rather
than read in part, so no row is ever dropped silently."""


def _read_xlsx(stream: IO[bytes]) -> list[tuple[int, ParticipantData]]:
    from openpyxl import load_workbook

    unreadable = _refuse(_("Berkas XLSX tidak dapat dibaca."))
    try:
        with zipfile.ZipFile(stream) as archive:
            unpacked = sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, OSError, ValueError):
        raise unreadable from None
    if unpacked > MAX_UNPACKED_BYTES:
        raise _refuse(_("Isi berkas XLSX terlalu besar; simpan hanya lembar daftar peserta."))
    stream.seek(0)
    try:
        wb = load_workbook(stream, read_only=True, data_only=True)
    except Exception:  # noqa: BLE001 - any malformed part of the file is the user's file, not ours
        raise unreadable from None
    try:
        ws = wb.worksheets[0] if wb.worksheets else None
        if ws is None:
            raise _refuse(_("Berkas kosong: baris judul kolom tidak ditemukan."))
        rows = ws.iter_rows(values_only=True, max_col=MAX_COLUMNS, max_row=MAX_SHEET_ROWS + 1)
        try:
            table = list(rows)
        except Exception:  # noqa: BLE001 - malformed sheet XML surfaces while reading rows
            raise unreadable from None
        if len(table) > MAX_SHEET_ROWS:
            raise _refuse(_("Paling banyak %(n)s baris peserta sekali impor.", n=MAX_ROWS))
        return _rows_from_table(table)
    finally:
        wb.close()


def read_upload(filename: str, stream: IO[bytes]) -> list[tuple[int, ParticipantData]]:
    """The rows of an uploaded ``.xlsx`` or ``.csv`` as ``(row number, data)``. Raises
    :class:`FileTooLarge` (413) over :data:`MAX_BYTES`, :class:`ValidationFailed` (under
    ``file``) for another type, an unreadable file or missing columns."""
    size = _size(stream)
    if size > MAX_BYTES:
        raise FileTooLarge(_("Berkas impor terlalu besar (maks. 2 MB)."))
    if size == 0:
        raise _refuse(_("Berkas kosong."))
    ext = os.path.splitext(filename or "")[1].lower()
    head = stream.read(4)
    stream.seek(0)
    if ext == ".xlsx" and head.startswith(b"PK"):
        return _read_xlsx(stream)
    if ext == ".csv" and not head.startswith(b"PK"):
        return _read_csv(stream.read())
    raise _refuse(_("Unggah berkas XLSX atau CSV (gunakan templat)."))


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
