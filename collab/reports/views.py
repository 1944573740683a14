"""``/programs/<id>/report`` (HTML), ``report.pdf``, ``certificates/<participant>.pdf``,
``certificates.pdf`` and ``siasn.csv``. Visibility as the program page (another Pemda's
program → 404); only delivered or evaluated programs (409 otherwise). A Pemda user gets only
their own Pemda's certificates and export rows."""

from __future__ import annotations

import re
import unicodedata

from flask import Blueprint, Response, render_template
from flask_babel import gettext as _
from flask_login import current_user, login_required

from collab.core.i18n import format_date
from collab.errors import InvalidTransition
from collab.participants.nip import format_nip
from collab.programs.queries import get_program
from collab.reports import certificates, formatting
from collab.reports.charts import Series, bar_chart
from collab.reports.evaluation import evaluation_context
from collab.reports.pdf import html_to_pdf
from collab.reports.siasn import siasn_csv
from collab.reports.stats import ProgramReport, program_report

bp = Blueprint("reports", __name__, url_prefix="/programs/<id:program_id>")

PRE_COLOR = "#9ec5fe"
POST_COLOR = "#0d6efd"
ATTENDANCE_COLOR = "#198754"


def slug(text: str, limit: int = 60) -> str:
    """ASCII file-name part: ``Bimtek RME Puskesmas`` → ``bimtek-rme-puskesmas``."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")[:limit].strip("-") or "program"


def _download(data: bytes, name: str, mimetype: str) -> Response:
    resp = Response(data, content_type=mimetype)  # as given: mimetype= would add a charset again
    resp.headers["Content-Disposition"] = f'attachment; filename="{name}"'
    return resp


def _program(program_id: int):
    program = get_program(current_user, program_id)
    certificates.check_delivered(program)
    return program


def charts(program, report: ProgramReport) -> dict:
    """The two SVG charts: Hadir per session, mean pre vs post per Pemda and overall."""
    attendance = bar_chart(
        _("Kehadiran per sesi"),
        [_("Sesi %(n)s", n=s.number) for s in report.sessions],
        [Series(_("Hadir"), ATTENDANCE_COLOR, [s.rate for s in report.sessions])],
        1.0,
        formatting.percent,
        _("Persentase peserta yang hadir pada setiap sesi."),
    )
    groups = [(r.name, r.scores) for r in report.per_pemda] + [(_("Semua"), report.scores)]
    scores = bar_chart(
        _("Rata-rata nilai pre-test dan post-test"),
        [name for name, _s in groups],
        [
            Series(_("Pre-test"), PRE_COLOR, [s.pre_mean for _n, s in groups]),
            Series(_("Post-test"), POST_COLOR, [s.post_mean for _n, s in groups]),
        ],
        100.0,
        formatting.score,
        _("Rata-rata nilai pre-test dan post-test (0–100) per Pemda dan seluruh peserta."),
    )
    return {"attendance_chart": attendance, "scores_chart": scores}


def report_context(program) -> dict:
    """Everything the report templates need (HTML page and PDF)."""
    report = program_report(program)
    start, end = certificates.program_dates(program)
    return dict(
        program=program,
        report=report,
        start=start,
        end=end,
        organiser=certificates.organiser(program),
        partners=sorted({n.pemda.name for n in program.needs}),
        fmt=formatting,
        **charts(program, report),
        **evaluation_context(program, current_user),
    )


@bp.get("/report")
@login_required
def report(program_id: int):
    """The program report as a page."""
    program = _program(program_id)
    return render_template("reports/report.html", **report_context(program))


@bp.get("/report.pdf")
@login_required
def report_pdf(program_id: int):
    """The program report as an A4 PDF (download)."""
    program = _program(program_id)
    html = render_template("reports/report_print.html", **report_context(program))
    name = f"laporan-program-{program.id}-{slug(program.title)}.pdf"
    return _download(html_to_pdf(html), name, "application/pdf")


def _certificates_pdf(program, participants) -> bytes:
    html = render_template(
        "reports/certificates_print.html",
        program=program,
        participants=participants,
        format_nip=format_nip,
        period=_period(program),
        **certificates.certificate_facts(program),
    )
    return html_to_pdf(html)


def _period(program) -> str:
    start, end = certificates.program_dates(program)
    if start is None:
        return "—"
    if start == end or end is None:
        return format_date(start)
    return f"{format_date(start)} – {format_date(end)}"


@bp.get("/certificates/<id:participant_id>.pdf")
@login_required
def certificate(program_id: int, participant_id: int):
    """One passed participant's certificate (404 for another Pemda's, 409 if not passed)."""
    program = _program(program_id)
    participant = certificates.get_certificate_participant(current_user, program, participant_id)
    certificates.assign_certificate_numbers(current_user, program)
    program = get_program(current_user, program_id)
    participant = certificates.get_certificate_participant(current_user, program, participant_id)
    name = f"sertifikat-{participant.nip}-program-{program.id}.pdf"
    return _download(_certificates_pdf(program, [participant]), name, "application/pdf")


def _numbered_passed(program_id: int):
    """The program reloaded after numbering, and the viewer's passed participants."""
    program = _program(program_id)
    certificates.assign_certificate_numbers(current_user, program)
    program = get_program(current_user, program_id)
    return program, certificates.passed_participants(program, current_user)


@bp.get("/certificates.pdf")
@login_required
def all_certificates(program_id: int):
    """Every passed participant's certificate in one PDF (a Pemda user: their own)."""
    program, participants = _numbered_passed(program_id)
    if not participants:
        raise InvalidTransition(_("Belum ada peserta yang lulus pada program ini."))
    name = f"sertifikat-program-{program.id}-{slug(program.title)}.pdf"
    return _download(_certificates_pdf(program, participants), name, "application/pdf")


@bp.get("/siasn.csv")
@login_required
def siasn(program_id: int):
    """The SIASN export of the passed participants (a Pemda user: their own ASN)."""
    program, participants = _numbered_passed(program_id)
    name = f"siasn-program-{program.id}-{slug(program.title)}.csv"
    return _download(siasn_csv(program, participants), name, "text/csv; charset=utf-8")
