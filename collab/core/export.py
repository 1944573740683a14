"""Tables as downloads: CSV (streamed) and XLSX, written the same way for every list.

A :class:`Table` is a file name, typed :class:`Column` s and an iterable of rows (tuples of
Python values, produced lazily, e.g. from a query read in batches). The writers turn it into:

- **CSV** (:func:`csv_response`): UTF-8 with a byte-order mark, ``;``-separated, lines ending
  CRLF — the conventions of the SIASN export and the import templates, so a spreadsheet in the
  Indonesian locale opens it in columns. Streamed: the rows are read and written while the
  response is sent (``stream_with_context``), so memory does not grow with the number of
  rows. Integers and rupiah as plain digits (``1250000``), decimals with the viewer's decimal
  mark and no grouping (``62,5`` in Indonesian, ``62.5`` in English), dates ISO
  (``2027-03-01``), date-times ``2027-03-01 08:30`` in the table's zone (the header names it),
  NIP as its plain digits. A text cell starting with ``=``, ``+``, ``-`` or ``@`` is prefixed
  with ``'`` so that a spreadsheet never runs it as a formula.
- **XLSX** (:func:`xlsx_response`): openpyxl's write-only mode, typed cells — numbers as
  numbers (rupiah with grouping ``#,##0``), dates and date-times as spreadsheet dates with a
  date number format (date-times converted to the table's zone, then stored without zone),
  NIP and other codes as text (``@``) so they are never turned into ``1,96608E+17``; a text
  cell is always text, never a formula.

Values: ``None`` is an empty cell; ``bool`` is *Ya*/*Tidak* in the viewer's language; lazy
strings (labels) are rendered in the viewer's language.
"""

from __future__ import annotations

import codecs
import csv
import io
import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

from babel.numbers import get_decimal_symbol
from flask import Response, stream_with_context
from flask_babel import get_locale
from flask_babel import gettext as _

from collab.core.i18n import zone_abbr

TEXT, CODE, INT, MONEY, DECIMAL, DATE, DATETIME = (
    "text",
    "code",
    "int",
    "money",
    "decimal",
    "date",
    "datetime",
)
"""Column kinds. ``code``: text that looks like a number and must stay text (NIP, urusan)."""

CSV_MIME = "text/csv; charset=utf-8"
XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
FORMATS = ("csv", "xlsx")

_NUMBER_FORMATS = {
    CODE: "@",
    INT: "0",
    MONEY: "#,##0",
    DATE: "yyyy-mm-dd",
    DATETIME: "yyyy-mm-dd hh:mm",
}
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_CSV_CHUNK_ROWS = 200


@dataclass(frozen=True)
class Column:
    """A header (already in the viewer's language) and a kind (:data:`TEXT`, :data:`CODE`,
    :data:`INT`, :data:`MONEY`, :data:`DECIMAL`, :data:`DATE`, :data:`DATETIME`); ``width``
    in characters for the XLSX."""

    header: str
    kind: str = TEXT
    width: int | None = None


@dataclass
class Table:
    """What to write. ``name``: the file name without extension (ASCII); ``title``: the XLSX
    sheet name; ``zone``: the IANA zone date-times are shown in (aware UTC values are
    converted to it); ``rows``: an iterable of sequences, one value per column, read once."""

    name: str
    title: str
    columns: list[Column]
    rows: Iterable[Sequence]
    zone: str = "Asia/Jakarta"


def zoned_header(label: str, zone: str) -> str:
    """A date-time column's header naming its zone: ``Diperbarui (WIB)``."""
    return f"{label} ({zone_abbr(zone)})"


def _local(value: datetime, zone: ZoneInfo) -> datetime:
    """``value`` (aware UTC; naive read as UTC) in ``zone``, without tzinfo."""
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return value.astimezone(zone).replace(tzinfo=None)


def _yes_no(value: bool) -> str:
    return _("Ya") if value else _("Tidak")


def _csv_value(value, kind: str, zone: ZoneInfo, decimal_mark: str) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return _yes_no(value)
    if isinstance(value, datetime):
        return _local(value, zone).strftime("%Y-%m-%d %H:%M")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, int):
        return str(value)
    if isinstance(value, Decimal | float):
        text = format(Decimal(str(value)).normalize(), "f")
        return text.replace(".", decimal_mark)
    text = str(value)
    if kind == TEXT and text.startswith(_FORMULA_START):
        return "'" + text
    return text


def csv_lines(table: Table) -> Iterator[bytes]:
    """The CSV file in chunks of encoded lines, the first starting with the byte-order mark."""
    zone = ZoneInfo(table.zone)
    decimal_mark = get_decimal_symbol(str(get_locale() or "id"))
    kinds = [c.kind for c in table.columns]
    buf = io.StringIO()
    writer = csv.writer(buf, delimiter=";", lineterminator="\r\n")
    writer.writerow([c.header for c in table.columns])
    yield codecs.BOM_UTF8 + buf.getvalue().encode("utf-8")
    buf.seek(0)
    buf.truncate()
    for n, row in enumerate(table.rows, start=1):
        writer.writerow(
            [_csv_value(v, k, zone, decimal_mark) for v, k in zip(row, kinds, strict=True)]
        )
        if n % _CSV_CHUNK_ROWS == 0:
            yield buf.getvalue().encode("utf-8")
            buf.seek(0)
            buf.truncate()
    if buf.tell():
        yield buf.getvalue().encode("utf-8")


def _attachment(resp: Response, filename: str) -> Response:
    resp.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    return resp


def csv_response(table: Table) -> Response:
    """The table as a streamed ``<name>.csv`` download (see module docstring)."""
    resp = Response(stream_with_context(csv_lines(table)), content_type=CSV_MIME)
    return _attachment(resp, f"{table.name}.csv")


_NOT_XML = re.compile("[^\t\n\r\u0020-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
"""Characters XML 1.0 cannot hold (C0 controls, lone surrogates, U+FFFE/U+FFFF): a workbook
holding one is unreadable, so they are dropped from XLSX text."""


def _sheet_title(title: str) -> str:
    for ch in "[]:*?/\\":
        title = title.replace(ch, " ")
    return title[:31] or "Data"


def xlsx_bytes(table: Table) -> bytes:
    """The table as an XLSX workbook of one sheet, header row bold and frozen (see module
    docstring)."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    zone = ZoneInfo(table.zone)
    wb = Workbook(write_only=True)
    ws = wb.create_sheet(_sheet_title(table.title))
    ws.freeze_panes = "A2"
    for i, col in enumerate(table.columns, start=1):
        width = col.width or max(10, min(40, len(col.header) + 2))
        ws.column_dimensions[get_column_letter(i)].width = width
    bold = Font(bold=True)
    header = []
    for col in table.columns:
        cell = WriteOnlyCell(ws, value=col.header)
        cell.font = bold
        header.append(cell)
    ws.append(header)
    for row in table.rows:
        cells = []
        for value, col in zip(row, table.columns, strict=True):
            if isinstance(value, bool):
                value = _yes_no(value)
            elif isinstance(value, datetime):
                value = _local(value, zone)
            elif value is not None and not isinstance(value, int | float | Decimal | date):
                value = str(value)
            if isinstance(value, str):
                value = _NOT_XML.sub("", value)
            cell = WriteOnlyCell(ws, value=value)
            if isinstance(value, str):
                cell.data_type = "s"  # text stays text: never a formula
            fmt = _NUMBER_FORMATS.get(col.kind)
            if fmt and value is not None:
                cell.number_format = fmt
            cells.append(cell)
        ws.append(cells)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def xlsx_response(table: Table) -> Response:
    """The table as a ``<name>.xlsx`` download."""
    return _attachment(Response(xlsx_bytes(table), mimetype=XLSX_MIME), f"{table.name}.xlsx")


def download(table: Table, fmt: str) -> Response:
    """The table as ``fmt`` (``"csv"`` or ``"xlsx"``; anything else is a ``ValueError``)."""
    if fmt == "csv":
        return csv_response(table)
    if fmt == "xlsx":
        return xlsx_response(table)
    raise ValueError(fmt)
