"""Jinja filters and globals: formatting, labels, the current request's helpers."""

from __future__ import annotations

from datetime import datetime

from flask import Flask, request
from flask_babel import get_locale

from collab import labels, reference
from collab.core import i18n
from collab.models import utcnow
from collab.workflow.needs import TURN as need_turn


def days_since(value: datetime | None) -> int:
    """Whole days from ``value`` to now (≥ 0)."""
    if value is None:
        return 0
    return max(0, (utcnow() - value).days)


def turn_side(need) -> str | None:
    """``"pemda"`` or ``"bkn"``: whose turn it is on ``need`` (None once closed)."""
    return need_turn.get(need.status)


def is_overdue(need) -> bool:
    """True for a submitted need past its first-response SLA."""
    return need.status == "submitted" and need.sla_due_at is not None and need.sla_due_at < utcnow()


def dev_type(type_id: int | None) -> str:
    """``Bimbingan Teknis (klasikal)`` for a SIASN development type id."""
    item = reference.development_types().get(str(type_id))
    return f"{item['name']} ({item['form']})" if item else "—"


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


def register_template_helpers(app: Flask) -> None:
    """Install filters (``date``, ``datetime``, ``rupiah``, ``number``, ``filesize``) and
    globals."""
    app.jinja_env.filters.update(
        date=i18n.format_date,
        datetime=i18n.format_datetime,
        rupiah=i18n.format_rupiah,
        number=i18n.format_number,
        days=i18n.format_days,
        timespan=i18n.format_timespan,
        filesize=i18n.format_filesize,
    )
    app.jinja_env.globals.update(
        labels=labels,
        days_since=days_since,
        turn_side=turn_side,
        dev_type=dev_type,
        date_range=i18n.date_range,
        is_overdue=is_overdue,
        url_with=url_with,
        zone_abbr=i18n.zone_abbr,
        current_locale=lambda: str(get_locale() or "id"),
    )
