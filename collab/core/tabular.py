"""Reading an uploaded spreadsheet (XLSX or CSV) into a table of rows, within bounds.

Shared by the imports (participants, scores and attendance): :func:`read_table` returns the
first sheet's rows — header first — as lists of cells (:func:`cell`: text, or a number as the
spreadsheet gave it, so that a NIP read as a number can be told apart). The caller maps the
header and checks the rows.

CSV is UTF-8 with or without a byte-order mark, separated by ``;`` (what a spreadsheet in the
Indonesian locale writes) or ``,``. A file over ``max_bytes`` is :class:`FileTooLarge` (413),
checked before reading; an XLSX (a zip) whose parts unpack beyond ``max_unpacked`` is refused
before parsing; a sheet spanning more than ``max_sheet_rows`` rows is refused rather than read
in part, so no row is ever dropped silently; only the first ``max_columns`` columns are read.
Every other refusal is a :class:`ValidationFailed` under ``file``.
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


def refuse(message: str) -> ValidationFailed:
    """A refusal of the whole file (its message also under ``file``)."""
    return ValidationFailed(message, {"file": [message]})


def cell(value) -> object:
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


def is_blank(values) -> bool:
    """True for a row of empty cells only."""
    return all(v == "" or (isinstance(v, str) and not v.strip()) for v in values)


def _size(stream: IO[bytes]) -> int:
    stream.seek(0, os.SEEK_END)
    size = stream.tell()
    stream.seek(0)
    return size


def _too_many(max_rows: int) -> ValidationFailed:
    return refuse(_("Paling banyak %(n)s baris peserta sekali impor.", n=max_rows))


def _read_csv(data: bytes, max_sheet_rows: int, max_rows: int, max_columns: int) -> list[list]:
    if data.startswith(codecs.BOM_UTF8):
        data = data[len(codecs.BOM_UTF8) :]
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        raise refuse(
            _("Berkas CSV harus berenkode UTF-8. Simpan ulang sebagai \u201cCSV UTF-8\u201d.")
        ) from None
    first = text.split("\n", 1)[0]
    delimiter = ";" if first.count(";") >= first.count(",") and ";" in first else ","
    table: list[list] = []
    try:
        for raw in csv.reader(io.StringIO(text, newline=""), delimiter=delimiter):
            if len(table) > max_sheet_rows:
                raise _too_many(max_rows)
            table.append(raw[:max_columns])
    except csv.Error:
        raise refuse(_("Berkas CSV tidak dapat dibaca.")) from None
    return table


def _read_xlsx(
    stream: IO[bytes], max_unpacked: int, max_sheet_rows: int, max_rows: int, max_columns: int
) -> list[list]:
    from openpyxl import load_workbook

    unreadable = refuse(_("Berkas XLSX tidak dapat dibaca."))
    try:
        with zipfile.ZipFile(stream) as archive:
            unpacked = sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, OSError, ValueError):
        raise unreadable from None
    if unpacked > max_unpacked:
        raise refuse(_("Isi berkas XLSX terlalu besar; simpan hanya lembar daftar peserta."))
    stream.seek(0)
    try:
        wb = load_workbook(stream, read_only=True, data_only=True)
    except Exception:  # noqa: BLE001 - any malformed part of the file is the user's file, not ours
        raise unreadable from None
    try:
        ws = wb.worksheets[0] if wb.worksheets else None
        if ws is None:
            raise refuse(_("Berkas kosong: baris judul kolom tidak ditemukan."))
        rows = ws.iter_rows(values_only=True, max_col=max_columns, max_row=max_sheet_rows + 1)
        try:
            table = [list(r) for r in rows]
        except Exception:  # noqa: BLE001 - malformed sheet XML surfaces while reading rows
            raise unreadable from None
        if len(table) > max_sheet_rows:
            raise _too_many(max_rows)
        return table
    finally:
        wb.close()


def read_table(
    filename: str,
    stream: IO[bytes],
    *,
    max_bytes: int,
    max_rows: int,
    max_columns: int,
    max_unpacked: int,
    max_sheet_rows: int,
) -> list[list]:
    """The rows of an uploaded ``.xlsx`` (first sheet) or ``.csv``, header first, each cell as
    :func:`cell` gives it. Raises :class:`FileTooLarge` over ``max_bytes`` and
    :class:`ValidationFailed` for an empty file, another type, an unreadable file or a sheet
    too long (``max_rows`` is the limit the message names)."""
    size = _size(stream)
    if size > max_bytes:
        raise FileTooLarge(_("Berkas impor terlalu besar (maks. 2 MB)."))
    if size == 0:
        raise refuse(_("Berkas kosong."))
    ext = os.path.splitext(filename or "")[1].lower()
    head = stream.read(4)
    stream.seek(0)
    if ext == ".xlsx" and head.startswith(b"PK"):
        table = _read_xlsx(stream, max_unpacked, max_sheet_rows, max_rows, max_columns)
    elif ext == ".csv" and not head.startswith(b"PK"):
        table = _read_csv(stream.read(), max_sheet_rows, max_rows, max_columns)
    else:
        raise refuse(_("Unggah berkas XLSX atau CSV (gunakan templat)."))
    return [[cell(v) for v in row] for row in table]
