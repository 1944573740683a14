"""NIP and NI PPPK: pure validation and display (no database, no request needed).

Both numbers are 18 digits and are kept as text, never as a number (a spreadsheet turns
``196608011988031001`` into ``1,96608E+17`` and loses the last digits). The structure follows
BKN's NIP layout as summarised in ``reference/README.md`` (rules "NIP (PNS/CPNS)" and
"NI PPPK"):

========  ===============================  ==========================================
digits    NIP (PNS/CPNS)                   NI PPPK
========  ===============================  ==========================================
1–8       birth date ``YYYYMMDD``          birth date ``YYYYMMDD``
9–12      TMT CPNS year                    year of first PPPK appointment
13–14     TMT CPNS month ``01``–``12``     ``2`` then the contract number ``1``–``9``
15        sex: 1 male, 2 female            sex: 1 male, 2 female
16–18     sequence, not ``000``            sequence, not ``000``
========  ===============================  ==========================================

Digit 13 of a TMT month is ``0`` or ``1`` and that of an NI PPPK is ``2``, so the kind can be
told from the number itself (:func:`detect_kind`). Every failure raises :class:`NipError`
with one message naming the digits at fault.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from flask_babel import gettext as _

from collab.models.participant import AsnKind

NIP_LENGTH = 18
"""Digits of a NIP or NI PPPK (reference/README.md)."""

_SCIENTIFIC = re.compile(r"^[+-]?\d+(?:[.,]\d*)?[eE][+-]?\d+$")  # 1.97E+17, 1,96608E+17
_DECIMAL_TAIL = re.compile(r"^\d{12,}[.,]\d+$")  # 196608011988031001.0
_GROUPED = re.compile(r"^\d{1,3}(?:([.,\u00a0\u202f'])\d{3})(?:\1\d{3})+$")  # 196.608.011…
_SPACES = re.compile(r"\s+")


class NipError(ValueError):
    """An invalid NIP / NI PPPK; ``message`` says which rule failed (Indonesian, translated)."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class NipInfo:
    """A valid number and what it says: ``nip`` (18 digits), ``kind``, ``birth_date``,
    ``appointed`` (TMT CPNS ``(year, month)`` or the PPPK ``(year, None)``), ``sex``
    (``1`` male, ``2`` female), ``contract`` (NI PPPK only) and ``sequence``."""

    nip: str
    kind: AsnKind
    birth_date: date
    appointed: tuple[int, int | None]
    sex: int
    sequence: str
    contract: int | None = None

    @property
    def display(self) -> str:
        """The number grouped for reading: ``19660801 198803 1 001``."""
        return format_nip(self.nip)


def normalize(raw: object) -> str:
    """``raw`` as text without any whitespace (spaces, tabs, non-breaking spaces) and without
    the leading apostrophe a spreadsheet uses to mark text (``'1966…``)."""
    text = "" if raw is None else str(raw)
    text = _SPACES.sub("", text.replace("\u00a0", "").replace("\u202f", ""))
    return text[1:] if text.startswith("'") else text


def looks_spreadsheet_damaged(raw: object) -> bool:
    """True when ``raw`` looks like a NIP a spreadsheet read as a number: scientific notation
    (``1.97E+17``, ``1,96608E+17``), a decimal tail (``196608011988031001.0``), or digits with
    thousands separators (``196.608.011.988.031.001``), or a float from a cell."""
    if isinstance(raw, float):
        return True
    text = normalize(raw)
    return bool(_SCIENTIFIC.match(text) or _DECIMAL_TAIL.match(text) or _GROUPED.match(text))


def spreadsheet_message() -> str:
    """The explanation for a NIP damaged by a spreadsheet (translated)."""
    return _(
        "NIP terbaca sebagai angka oleh aplikasi lembar kerja; format kolom NIP sebagai Teks "
        "lalu ketik ulang."
    )


def format_nip(nip: str) -> str:
    """Group an 18-digit NIP or NI PPPK as BKN prints it: ``19660801 198803 1 001``
    (birth date, TMT/appointment, sex, sequence). Anything else is returned unchanged."""
    if len(nip) != NIP_LENGTH or not nip.isdigit():
        return nip
    return f"{nip[:8]} {nip[8:14]} {nip[14]} {nip[15:]}"


def detect_kind(nip: str) -> AsnKind | None:
    """PPPK when digit 13 is ``2`` (a TMT month begins with 0 or 1), PNS when digits 13–14
    could be a month (``0x``/``1x``), None for anything else (reference/README.md)."""
    if len(nip) < 14:
        return None
    if nip[12] == "2":
        return AsnKind.PPPK
    if nip[12] in "01":
        return AsnKind.PNS
    return None


def _birth_date(nip: str) -> date:
    try:
        return date(int(nip[:4]), int(nip[4:6]), int(nip[6:8]))
    except ValueError:
        raise NipError(
            _(
                "Digit 1–8 (tanggal lahir, TTTTBBHH) “%(value)s” bukan tanggal yang valid.",
                value=nip[:8],
            )
        ) from None


def _sex_and_sequence(nip: str) -> tuple[int, str]:
    if nip[14] not in "12":
        raise NipError(
            _(
                "Digit 15 (jenis kelamin) harus 1 (laki-laki) atau 2 (perempuan), bukan %(d)s.",
                d=nip[14],
            )
        )
    if nip[15:] == "000":
        raise NipError(
            _(
                "Digit 16–18 (nomor urut) tidak boleh 000. Bila NIP disalin dari lembar kerja, "
                "tiga angka terakhirnya mungkin hilang karena terbaca sebagai angka."
            )
        )
    return int(nip[14]), nip[15:]


def _validate_pns(nip: str, born: date) -> NipInfo:
    year, month = int(nip[8:12]), int(nip[12:14])
    if not 1 <= month <= 12:
        raise NipError(
            _(
                "Digit 13–14 (bulan TMT CPNS) harus 01–12, bukan %(value)s.",
                value=nip[12:14],
            )
        )
    if (year, month) <= (born.year, born.month):
        raise NipError(
            _(
                "Digit 9–14 (TMT CPNS %(tmt)s) harus setelah tanggal lahir (%(born)s).",
                tmt=nip[8:12] + "-" + nip[12:14],
                born=born.isoformat(),
            )
        )
    sex, seq = _sex_and_sequence(nip)
    return NipInfo(nip, AsnKind.PNS, born, (year, month), sex, seq)


def _validate_pppk(nip: str, born: date, today: date) -> NipInfo:
    year = int(nip[8:12])
    if year <= born.year or year > today.year + 1:
        raise NipError(
            _(
                "Digit 9–12 (tahun pengangkatan PPPK) %(value)s tidak valid: harus setelah "
                "tahun lahir dan tidak lewat dari tahun depan.",
                value=nip[8:12],
            )
        )
    if nip[12] != "2":
        raise NipError(_("Digit 13 NI PPPK harus 2, bukan %(d)s.", d=nip[12]))
    if nip[13] == "0":
        raise NipError(_("Digit 14 NI PPPK (nomor kontrak) harus 1–9, bukan 0."))
    sex, seq = _sex_and_sequence(nip)
    return NipInfo(nip, AsnKind.PPPK, born, (year, None), sex, seq, contract=int(nip[13]))


def validate_nip(
    raw: object, kind: AsnKind | str | None = None, *, today: date | None = None
) -> NipInfo:
    """Check ``raw`` as a NIP (PNS/CPNS) or NI PPPK and return what it says.

    Spaces are ignored. ``kind`` forces the rules of one kind; without it the kind is told
    from digits 13–14 (:func:`detect_kind`). ``today`` bounds a PPPK's appointment year (at
    most next year; callers pass the date in the user's zone, the default ``date.today()``
    is the server's). Raises :class:`NipError` with one specific message: a spreadsheet-damaged
    value (:func:`looks_spreadsheet_damaged`), not 18 digits, a birth date that is not a real
    date, a TMT month outside 01–12 or not after the birth date, a sex digit other than 1/2,
    sequence 000; for NI PPPK an appointment year that is not after the birth year, digit 13
    not 2, contract number 0. Rules: reference/README.md (BKN NIP structure)."""
    if isinstance(raw, bool):
        raw = ""
    if isinstance(raw, int | float) or looks_spreadsheet_damaged(raw):
        raise NipError(spreadsheet_message())
    nip = normalize(raw)
    if not nip:
        raise NipError(_("NIP wajib diisi."))
    bad = next((ch for ch in nip if not ("0" <= ch <= "9")), None)
    if bad is not None:
        raise NipError(_("NIP hanya boleh berisi angka; ditemukan “%(ch)s”.", ch=bad))
    if len(nip) != NIP_LENGTH:
        raise NipError(
            _("NIP harus %(n)s digit angka; yang diisi %(got)s digit.", n=NIP_LENGTH, got=len(nip))
        )
    kind = AsnKind(kind) if kind else detect_kind(nip)
    born = _birth_date(nip)
    if kind is None:
        raise NipError(
            _(
                "Digit 13–14 (%(value)s) bukan bulan TMT CPNS (01–12) dan bukan pola NI PPPK "
                "(2 lalu nomor kontrak 1–9).",
                value=nip[12:14],
            )
        )
    if kind == AsnKind.PPPK:
        return _validate_pppk(nip, born, today or date.today())
    return _validate_pns(nip, born)
