"""Jinja filters and globals: formatting, labels, the current request's helpers."""

from __future__ import annotations

from datetime import datetime

from flask import Flask, request
from flask_babel import get_locale

from collab import labels, reference
from collab.core import i18n
from collab.models import Attachment, Program, utcnow
from collab.reports import formatting
from collab.workflow.needs import TURN as need_turn
from collab.workflow.programs import TURN as program_turn_table


def days_since(value: datetime | None, zone: str | None = None) -> int:
    """Calendar days from ``value`` (aware, UTC) to today, both dates read in ``zone`` (default:
    the viewer's), ≥ 0: a change at 23.00 WIB yesterday is 1 day old at 08.00 WIB today, and
    one at 00.30 WIB today is 0 days old ("hari ini") although it is the previous day in UTC."""
    if value is None:
        return 0
    return max(0, (i18n.local_today(zone) - i18n.local_date(value, zone)).days)


def turn_side(need) -> str | None:
    """``"pemda"`` or ``"bkn"``: whose turn it is on ``need`` (None once closed). For a
    program, its turn outside ``proposed`` (a proposal's depends on its sign-offs: None)."""
    if isinstance(need, Program):
        turn = program_turn_table.get(need.status)
        return None if turn == "signoff" else turn
    return need_turn.get(need.status)


def is_overdue(need) -> bool:
    """True for a submitted need past its first-response SLA."""
    return need.status == "submitted" and need.sla_due_at is not None and need.sla_due_at < utcnow()


def sla_clock(item, side: str | None = None):
    """The running SLA clock of a need or program now (:func:`collab.sla.clock`), or None.
    ``side``: for a proposal, whose sign-off is missing when the page already knows it."""
    from collab import sla  # imported here: collab.sla imports the services, which import us

    return sla.clock(item, utcnow(), side)


def sla_label(clock) -> str:
    """``Menunggu BKN · 3 hari kerja`` for a clock (:func:`collab.sla.clock_label`)."""
    from collab import sla

    return sla.clock_label(clock)


def dev_type(type_id: int | None) -> str:
    """``Bimbingan Teknis (klasikal)`` for a SIASN development type id."""
    item = reference.development_types().get(str(type_id))
    return labels.development_type(item) if item else "—"


def url_with(**changes) -> str:
    """The current path with query parameters replaced (None removes one); keeps filters.
    Built from the path, so no query key can clash with URL building."""
    from urllib.parse import urlencode

    args = request.args.to_dict(flat=False)
    for key, value in changes.items():
        if value is None:
            args.pop(key, None)
        else:
            args[key] = [str(value)]
    return request.path + ("?" + urlencode(args, doseq=True) if args else "")


EXPORT_IGNORED_ARGS = frozenset({"page", "per_page", "lang"})


def export_url(endpoint: str, **values) -> str:
    """A download URL (``url_for(endpoint, **values)``) carrying the current request's list
    filters, without paging or language."""
    from urllib.parse import urlencode

    from flask import url_for

    args = {k: v for k, v in request.args.lists() if k not in EXPORT_IGNORED_ARGS}
    query = urlencode(args, doseq=True)
    return url_for(endpoint, **values) + ("?" + query if query else "")


def lang_url(lang: str) -> str:
    """The language switcher's link: this page with ``?lang=``. A page answering a POST (a
    form shown again with errors, a 409) has no GET of its own, so the link goes back to the
    page the form was on (the same-site referrer), else to the home page."""
    from urllib.parse import parse_qsl, urlencode, urlsplit

    from flask import url_for

    if request.method in ("GET", "HEAD"):
        return url_with(lang=lang)
    ref = urlsplit(request.referrer or "")
    if ref.netloc == request.host and ref.path.startswith("/"):
        query = [(k, v) for k, v in parse_qsl(ref.query) if k != "lang"] + [("lang", lang)]
        return ref.path + "?" + urlencode(query)
    return url_for("core.index", lang=lang)


def _notification_count() -> int:
    """Unread notifications of the signed-in user (0 when signed out)."""
    from flask_login import current_user

    from collab.notifications.services import unread_count

    if current_user and current_user.is_authenticated:
        return unread_count(current_user)
    return 0


def register_template_helpers(app: Flask) -> None:
    """Install filters (``date``, ``datetime``, ``rupiah``, ``number``, ``percent``,
    ``measure``, ``filesize``) and globals (``fmt``: the report formats of
    :mod:`collab.reports.formatting`, so a figure reads the same on a page and in a report)."""
    app.jinja_env.filters.update(
        date=i18n.format_date,
        datetime=i18n.format_datetime,
        rupiah=i18n.format_rupiah,
        number=i18n.format_number,
        days=i18n.format_days,
        timespan=i18n.format_timespan,
        sla_label=sla_label,
        filesize=i18n.format_filesize,
        percent=i18n.format_percent,
        measure=i18n.format_measure,
    )
    app.jinja_env.globals.update(
        labels=labels,
        fmt=formatting,
        days_since=days_since,
        turn_side=turn_side,
        dev_type=dev_type,
        date_range=i18n.date_range,
        is_overdue=is_overdue,
        sla_clock=sla_clock,
        url_with=url_with,
        lang_url=lang_url,
        export_url=export_url,
        now_utc=utcnow,
        zone_abbr=i18n.zone_abbr,
        current_locale=lambda: str(get_locale() or "id"),
        notification_count=_notification_count,
        max_file_bytes=Attachment.MAX_BYTES,  # for the file inputs' check before upload
    )
