"""Language, time zone and formatting for display (Indonesian first, English second).

Language: ``?lang=`` (remembered in the session) → the user's profile → the browser's
``Accept-Language`` → ``id``. Times are stored in UTC and shown in the viewer's zone with its
Indonesian abbreviation (WIB/WITA/WIT); money is whole rupiah (``Rp1.250.000`` / ``IDR 1,250,000``).
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from functools import lru_cache
from zoneinfo import ZoneInfo

from babel.dates import format_date as babel_format_date
from babel.dates import format_datetime as babel_format_datetime
from babel.numbers import format_decimal
from flask import current_app, request, session
from flask_babel import get_locale, ngettext
from flask_babel import gettext as _
from flask_login import current_user

from collab.models.base import utcnow
from collab.reference import TIMEZONES


def remember_requested_language() -> None:
    """``before_request`` hook: a supported ``?lang=`` is kept in the session for the rest of
    the visit (it survives signing in), even on a request that renders nothing."""
    lang = request.args.get("lang")
    if lang in current_app.config["LANGUAGES"]:
        session["lang"] = lang


def select_locale() -> str:
    """Flask-Babel locale selector (see module docstring)."""
    supported = current_app.config["LANGUAGES"]
    if request:
        lang = request.args.get("lang")
        if lang in supported:
            session["lang"] = lang
            return lang
        if session.get("lang") in supported:
            return session["lang"]
        if current_user and current_user.is_authenticated and current_user.locale in supported:
            return current_user.locale
        best = request.accept_languages.best_match(supported)
        if best:
            return best
    return current_app.config["BABEL_DEFAULT_LOCALE"]


def select_timezone() -> str:
    """Flask-Babel time-zone selector: the user's zone, else their organisation's, else WIB."""
    if request and current_user and current_user.is_authenticated:
        return current_user.zone
    return current_app.config["BABEL_DEFAULT_TIMEZONE"]


def local_date(value: datetime, zone: str | None = None) -> date:
    """The calendar date of ``value`` (an aware datetime, normally UTC from the database) in
    ``zone`` (IANA name; default: the viewer's zone, :func:`select_timezone`). 00:30 WIB on
    18 March is 17:30 UTC on 17 March: its local date is 18 March."""
    return value.astimezone(ZoneInfo(zone or select_timezone())).date()


def local_today(zone: str | None = None, now: datetime | None = None) -> date:
    """Today's date in ``zone`` (IANA name; default: the viewer's zone, else the app's default
    zone outside a request) at ``now`` (aware; default: the current UTC time). Use it, never
    ``date.today()`` (the server's own zone), for "today", default years and day boundaries."""
    return local_date(now or utcnow(), zone)


def _locale() -> str:
    return str(get_locale() or "id")


# Babel's formatting is pure but costs a pattern application per call, and lists show the same
# dates and numbers on every request (the board's cards, the dashboard's deadlines): the results
# are kept per worker, keyed by the value's type as well (``1 == Decimal("1.0") == True``).
FORMAT_CACHE_SIZE = 8192


@lru_cache(maxsize=FORMAT_CACHE_SIZE)
def _cached_date(value: date, _kind: type, pattern: str, locale: str) -> str:
    return babel_format_date(value, pattern, locale=locale)


@lru_cache(maxsize=FORMAT_CACHE_SIZE)
def _cached_datetime(value: datetime, pattern: str, zone: str, locale: str) -> str:
    return babel_format_datetime(value, pattern, tzinfo=ZoneInfo(zone), locale=locale)


@lru_cache(maxsize=FORMAT_CACHE_SIZE)
def _cached_decimal(value, _kind: type, pattern: str | None, locale: str) -> str:
    return format_decimal(value, format=pattern, locale=locale)


def _decimal(value, pattern: str | None = None, locale: str | None = None) -> str:
    """``babel.numbers.format_decimal`` through the per-worker cache."""
    return _cached_decimal(value, type(value), pattern, locale or _locale())


def zone_abbr(zone: str) -> str:
    """WIB / WITA / WIT for Indonesia's zones, else the IANA name."""
    return TIMEZONES.get(zone, zone)


def format_date(value: date | datetime | None, zone: str | None = None) -> str:
    """``18 Maret 2026`` (id) / ``18 March 2026`` (en); ``—`` for None. Datetimes are first
    converted to ``zone`` (default: the viewer's)."""
    if value is None:
        return "—"
    if isinstance(value, datetime):
        value = local_date(value, zone)
    return _cached_date(value, type(value), "d MMMM y", _locale())


def format_datetime(value: datetime | None, zone: str | None = None) -> str:
    """``18 Maret 2026 09.30 WIB`` (id) / ``18 March 2026 09:30 WIB`` (en) in ``zone``
    (default: the viewer's); ``—`` for None."""
    if value is None:
        return "—"
    zone = zone or select_timezone()
    loc = _locale()
    pattern = "d MMMM y HH.mm" if loc == "id" else "d MMMM y HH:mm"
    text = _cached_datetime(value, pattern, zone, loc)
    return f"{text} {zone_abbr(zone)}"


def format_timespan(start: datetime, end: datetime, zone: str | None = None) -> str:
    """``5 April 2027 08.00–16.00 WIB``, or both full date-times when the days differ."""
    zone = zone or select_timezone()
    tz = ZoneInfo(zone)
    if start.astimezone(tz).date() != end.astimezone(tz).date():
        return f"{format_datetime(start, zone)} – {format_datetime(end, zone)}"
    loc = _locale()
    pattern = "HH.mm" if loc == "id" else "HH:mm"
    first = babel_format_datetime(start, "d MMMM y " + pattern, tzinfo=tz, locale=loc)
    last = babel_format_datetime(end, pattern, tzinfo=tz, locale=loc)
    return f"{first}–{last} {zone_abbr(zone)}"


def date_range(start: date | None, end: date | None) -> str:
    """``1 Maret 2027 – 5 Maret 2027``; one date when both are the same; ``—`` for none."""
    if start is None and end is None:
        return "—"
    if start == end or end is None:
        return format_date(start)
    return f"{format_date(start)} – {format_date(end)}"


def format_number(value: int | float | Decimal | None) -> str:
    """Locale-grouped number (``1.234,5`` in id); ``—`` for None; ``0`` for ``-0``."""
    if value is None:
        return "—"
    if value == 0:
        value = abs(value)
    return _decimal(value)


def format_number_input(value: int | Decimal, places: int = 2) -> str:
    """A number as typed into a form field: the locale's decimal mark, no grouping, at most
    ``places`` decimals, no trailing zeros (``1250``, ``12,5`` in id / ``12.5`` in en, ``0``
    for ``-0``). Without grouping, a value shown in one language and posted in the other is
    read the same (``1250``) or refused by the strict parser (``12,5`` in en), never misread
    (a shown fraction never has the three digits a group has, with ``places`` < 3)."""
    if value == 0:
        value = abs(value)
    pattern = "0." + "#" * places if places > 0 else "0"
    return _decimal(value, pattern)


def format_filesize(size: int | None) -> str:
    """A size in bytes for people, in binary units with the locale's decimal mark:
    ``812 B``, ``34,5 KB``, ``1,2 MB`` (id) / ``1.2 MB`` (en); ``—`` for None."""
    if size is None:
        return "—"
    if size < 1024:
        return f"{format_decimal(size, locale=_locale())} B"
    value, unit = size / 1024, "KB"
    if value >= 1024:
        value, unit = value / 1024, "MB"
    return f"{format_decimal(round(value, 1), format='#,##0.#', locale=_locale())} {unit}"


def format_percent(value: int | float | Decimal | None, digits: int = 1) -> str:
    """A value in percentage points (0–100) with at most ``digits`` decimals and the locale's
    decimal mark: ``85,6%`` (id) / ``85.6%`` (en); ``—`` for None."""
    if value is None:
        return "—"
    pattern = "#,##0" + ("." + "#" * digits if digits > 0 else "")
    return _decimal(round(Decimal(str(value)), digits), pattern) + "%"


def format_measure(value: int | float | Decimal | None, unit: str | None = None) -> str:
    """An indicator value in its unit: ``84,67%`` / ``84.67%`` when the unit is ``%`` (the
    percent format, up to two decimals as recorded), else ``12 hari`` / ``3,5 indeks``; a bare
    number without a unit; ``—`` (never with a unit) for None."""
    if value is None:
        return "—"
    unit = (unit or "").strip()
    if unit == "%":
        return format_percent(value, digits=2)
    return f"{format_number(value)} {unit}" if unit else format_number(value)


def format_rupiah(value: int | None) -> str:
    """Whole rupiah: ``Rp1.250.000`` (id) / ``IDR 1,250,000`` (en); ``—`` for None."""
    if value is None:
        return "—"
    if _locale() == "id":
        return "Rp" + _decimal(int(value), "#,##0", "id")
    return "IDR " + _decimal(int(value), "#,##0", "en")


def format_days(count: int) -> str:
    """``3 hari`` / ``3 days``; ``hari ini`` / ``today`` for 0."""
    if count <= 0:
        return _("hari ini")
    return ngettext("%(num)s hari", "%(num)s hari", count)
