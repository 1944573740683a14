"""``/reports``: the cross-program report page (*Laporan*). Filters in the URL
(``?fiscal_year=2026&pemda=4``); an htmx request for ``#insights-body`` gets only the charts
and tables. Every signed-in role may open it and sees what its visibility allows (an admin
sees what BKN sees)."""

from __future__ import annotations

from flask import Blueprint, render_template
from flask_login import current_user, login_required

from collab.extensions import htmx
from collab.insights import queries
from collab.insights.charts import build_charts, urusan_name
from collab.needs.queries import list_pemda_choices
from collab.needs.views import _int_arg
from collab.reports.formatting import percent

bp = Blueprint("insights", __name__, url_prefix="/reports")


def parse_filters() -> queries.InsightFilters:
    """Filters from the query string; an impossible year or a non-number is ignored."""
    year = _int_arg("fiscal_year")
    return queries.InsightFilters(
        fiscal_year=year if year and 2000 <= year <= 2100 else None,
        pemda=_int_arg("pemda"),
    )


@bp.get("/")
@login_required
def index():
    """The report page (htmx: the ``#insights-body`` partial)."""
    data = queries.insights(current_user, parse_filters())
    ctx = dict(data=data, urusan_name=urusan_name, fmt_percent=percent, **build_charts(data))
    if htmx and htmx.target == "insights-body":
        return render_template("insights/_body.html", **ctx)
    ctx.update(
        years=queries.filter_years(current_user),
        pemda_choices=list_pemda_choices(current_user),
    )
    return render_template("insights/index.html", **ctx)
