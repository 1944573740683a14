"""The SIASN-ready CSV of a program's passed participants (riwayat pengembangan kompetensi).

Format decisions:

- **UTF-8 with a byte-order mark**, lines ending CRLF: a spreadsheet then reads names with
  accents correctly; SIASN and scripts read plain UTF-8 (strip the BOM).
- **``;`` as separator**, like the participant import template: Indonesian-locale spreadsheets
  use ``,`` as the decimal mark and ``;`` as the list separator, so the columns split when the
  file is opened there; fields containing ``;`` or quotes are quoted (RFC 4180 rules).
- **NIP as its 18 plain digits**, nothing added (no apostrophe, no ``="…"`` formula: SIASN
  would import those characters). The price: a spreadsheet that *opens* the file converts the
  NIP to a number and loses its last digits (``1,96608E+17``). So the file is meant for upload
  as it is; to look at it in a spreadsheet, *import* it (Excel: Data → From Text/CSV, column
  ``nip`` as Text; LibreOffice: the import dialog, column type Text) and never save it back
  from a spreadsheet that opened it by double-click.
- dates ISO ``YYYY-MM-DD`` (first and last day of the program, program's zone); JP as an
  integer; the development type as the SIASN id of ``jenis_diklat.csv`` (1–25) with its name
  beside it for people.

Columns (fixed, machine-readable, not translated)::

    nip;nama;jenis_diklat_id;jenis_diklat;nama_diklat;jumlah_jp;tanggal_mulai;tanggal_selesai;penyelenggara;nomor_sertifikat
"""

from __future__ import annotations

import codecs
import csv
import io

from collab.models import Participant, Program
from collab.reports.certificates import certificate_facts, development_type

HEADERS = (
    "nip",
    "nama",
    "jenis_diklat_id",
    "jenis_diklat",
    "nama_diklat",
    "jumlah_jp",
    "tanggal_mulai",
    "tanggal_selesai",
    "penyelenggara",
    "nomor_sertifikat",
)


def siasn_csv(program: Program, participants: list[Participant]) -> bytes:
    """The export of ``participants`` (passed, numbered) as bytes (see module docstring)."""
    facts = certificate_facts(program)
    buf = io.StringIO()
    writer = csv.writer(buf, delimiter=";", lineterminator="\r\n")
    writer.writerow(HEADERS)
    for p in participants:
        writer.writerow(
            (
                p.nip,
                p.name,
                program.development_type_id,
                development_type(program),
                program.title,
                facts["jp"],
                facts["start"].isoformat() if facts["start"] else "",
                facts["end"].isoformat() if facts["end"] else "",
                facts["organiser"],
                p.certificate_no or "",
            )
        )
    return codecs.BOM_UTF8 + buf.getvalue().encode("utf-8")
