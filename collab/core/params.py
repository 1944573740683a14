"""Reading numbers from URLs and query strings without ever failing with a 500."""

from __future__ import annotations

from werkzeug.routing import IntegerConverter

MAX_DB_INT = 2**31 - 1
"""Largest id / integer the database columns hold (PostgreSQL INTEGER)."""

NO_VERSION = -1
"""Stands in for a missing or unreadable ``version`` in a posted form: no row has it, so a
form posted without the version the user loaded is refused as stale (409), never applied
over newer data."""


class IdConverter(IntegerConverter):
    """``<id:name>``: a positive integer that fits an INTEGER column; anything longer is a
    plain 404 instead of a database overflow."""

    regex = r"\d{1,9}"


def int_param(value: str | None, default: int | None = None) -> int | None:
    """``value`` as an int within the database's INTEGER range, else ``default``."""
    try:
        number = int((value or "").strip())
    except ValueError:
        return default
    if abs(number) > MAX_DB_INT:
        return default
    return number
