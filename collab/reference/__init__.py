"""Reference data copied from official code lists (see the CSV files beside this module).

Sources: urusan codes (Permendagri 90/2019 codification), the 12 health SPM service types for
kabupaten/kota, managerial and socio-cultural competencies (PermenPANRB 38/2017), provinces
(Kepmendagri 300.2.2-2138/2025) and Kalimantan Barat's kabupaten/kota, SIASN development types
and PNS ranks. Loaded once per process; every function returns plain tuples/dicts.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import cache
from pathlib import Path

_HERE = Path(__file__).parent


def _rows(name: str) -> list[dict[str, str]]:
    with open(_HERE / name, encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


@dataclass(frozen=True)
class Urusan:
    """A government affair: ``code`` like ``1.02``, ``name``, ``group`` (basic services are
    ``wajib_pelayanan_dasar``)."""

    code: str
    name: str
    group: str


@cache
def urusan() -> dict[str, Urusan]:
    """Urusan by code, in file order."""
    return {r["code"]: Urusan(r["code"], r["name"], r["group"]) for r in _rows("urusan.csv")}


@cache
def spm_health_services() -> dict[int, str]:
    """The 12 health SPM service types for kabupaten/kota, by number 1–12."""
    return {int(r["no"]): r["service"] for r in _rows("spm_kesehatan_kabkota.csv")}


@cache
def competencies() -> dict[str, tuple[str, str]]:
    """Managerial and socio-cultural competencies: code → (type, name)."""
    return {r["code"]: (r["type"], r["name"]) for r in _rows("kompetensi.csv")}


@cache
def provinces() -> list[dict[str, str]]:
    """The 38 provinces: ``code``, ``name``, ``timezone`` (IANA)."""
    return _rows("provinces.csv")


@cache
def regions_kalbar() -> list[dict[str, str]]:
    """Kalimantan Barat and its 14 kabupaten/kota: ``code``, ``name``, ``level``, ``parent``,
    ``timezone``."""
    return _rows("regions_kalbar.csv")


@cache
def region_names() -> dict[str, str]:
    """Kemendagri region code → name, for the provinces and Kalimantan Barat's regions."""
    out = {r["code"]: r["name"] for r in provinces()}
    out.update({r["code"]: r["name"] for r in regions_kalbar()})
    return out


@cache
def development_types() -> dict[str, dict[str, str]]:
    """SIASN development types by id (text "1"–"25"): ``{"name": ..., "form": klasikal|
    nonklasikal}``."""
    return {r["id"]: {"name": r["name"], "form": r["form"]} for r in _rows("jenis_diklat.csv")}


TIMEZONES = {
    "Asia/Jakarta": "WIB",
    "Asia/Pontianak": "WIB",
    "Asia/Makassar": "WITA",
    "Asia/Jayapura": "WIT",
}
"""Indonesia's three zones and their abbreviations (WIB UTC+7, WITA UTC+8, WIT UTC+9)."""
