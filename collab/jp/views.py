"""``/jp``: the JP ledger (JP earned per ASN and calendar year, flagged below the target)."""

from __future__ import annotations

from flask import Blueprint, current_app, render_template, request
from flask_login import current_user, login_required

from collab.core.export import download
from collab.core.forms import clean_text
from collab.core.i18n import local_today
from collab.extensions import htmx
from collab.jp import queries
from collab.needs.queries import list_pemda_choices
from collab.needs.views import _int_arg, parse_page
from collab.reports.exports import ledger_table

bp = Blueprint("jp", __name__, url_prefix="/jp")


ALL_YEARS = "all"
"""``?year=all``: every year (without ``year`` the ledger shows the current year)."""


def parse_filters() -> queries.LedgerFilters:
    """Ledger filters from the query string; bad values are ignored. The year defaults to the
    current year in the viewer's zone (this year's progress toward the yearly JP);
    ``?year=all`` lists every year."""
    args = request.args
    year = _int_arg("year")
    if args.get("year") == ALL_YEARS:
        year = None
    elif not (year and 1900 <= year <= 2200):
        year = local_today().year
    return queries.LedgerFilters(
        year=year,
        pemda=_int_arg("pemda"),
        unit=clean_text(args.get("unit") or "").strip()[:200] or None,
        q=clean_text(args.get("q") or "").strip()[:200] or None,
        below=args.get("below") == "1",
    )


@bp.get("/")
@login_required
def index():
    """The ledger; htmx requests get the ``#jp-list`` partial."""
    filters = parse_filters()
    page, per_page = parse_page()
    target = current_app.config["JP_YEARLY_TARGET"]
    ctx = dict(
        result=queries.ledger(current_user, filters, page, per_page, target),
        filters=filters,
        target=target,
        format_nip=queries.format_nip,
    )
    if htmx and htmx.target == "jp-list":
        return render_template("jp/_list.html", **ctx)
    # the years with rows, and always the current year (the default) and the one shown
    years = {*queries.ledger_years(current_user), local_today().year, filters.year} - {None}
    ctx.update(
        years=sorted(years, reverse=True),
        all_years=ALL_YEARS,
        pemda_choices=list_pemda_choices(current_user),
    )
    return render_template("jp/index.html", **ctx)


@bp.get("/export.<any(csv, xlsx):fmt>")
@login_required
def export(fmt: str):
    """The ledger with its current filters as a CSV or XLSX download."""
    target = current_app.config["JP_YEARLY_TARGET"]
    return download(ledger_table(current_user, parse_filters(), target), fmt)
