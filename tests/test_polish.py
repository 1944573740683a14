"""What a newcomer noticed reading every page in both languages: the same figure formatted the
same way on the program page and in its report, no Indonesian left in English text, status
words that agree, British spelling, amounts and counts that do not wrap, and small slips.

Read-only checks share one copy of the demo data (``demo``); each reads the rendered text in
Indonesian and in English.
"""

from __future__ import annotations

import os
import re

import pytest
import sqlalchemy as sa
from test_i18n_pages import _visible_text

from collab import create_app
from collab.extensions import db as _db

PASSWORD = "demo-sinergi-2026"
DESIGNER = "perancang@bkn.sinergi.test"
BKN_APPROVER = "pejabat@bkn.sinergi.test"
OFFICER = "dinkes@pontianak.sinergi.test"
PEMDA_APPROVER = "bkpsdm@pontianak.sinergi.test"
ADMIN = "admin@sinergi.test"
LANGS = ("id", "en")


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    """The demo data on a database of this module's own (read-only tests share it)."""
    tmp = tmp_path_factory.mktemp("polish")
    url = os.environ.get("TEST_DATABASE_URL") or f"sqlite:///{tmp / 'demo.db'}"
    config = {
        "TESTING": True,
        "SQLALCHEMY_DATABASE_URI": url,
        "SECRET_KEY": "test-secret",
        "SERVER_NAME": None,
        "UPLOAD_FOLDER": str(tmp / "uploads"),
        "WTF_CSRF_ENABLED": False,
    }
    schema = None
    if url.startswith("postgresql"):
        # PostgreSQL: one database for the whole run, whose tables other tests' ``app``
        # fixtures drop and create; this module's copy lives in a schema of its own.
        import sqlalchemy as sa

        schema = "polish_demo"
        engine = sa.create_engine(url)
        with engine.begin() as conn:
            conn.execute(sa.text(f"DROP SCHEMA IF EXISTS {schema} CASCADE"))
            conn.execute(sa.text(f"CREATE SCHEMA {schema}"))
        engine.dispose()
        config["SQLALCHEMY_ENGINE_OPTIONS"] = {
            "connect_args": {"options": f"-c search_path={schema}"}
        }
    app = create_app(config, config_name="testing")
    from collab.seed import seed_demo

    with app.app_context():
        _db.drop_all()
        _db.create_all()
        seed_demo()
        _db.session.commit()
    yield app
    with app.app_context():
        _db.session.remove()
        _db.drop_all()
        _db.engine.dispose()
    if schema:
        engine = sa.create_engine(url)
        with engine.begin() as conn:
            conn.execute(sa.text(f"DROP SCHEMA IF EXISTS {schema} CASCADE"))
        engine.dispose()


def _client(app, email):
    client = app.test_client()
    resp = client.post("/login", data={"email": email, "password": PASSWORD})
    assert resp.status_code == 302
    return client


def _get(client, url, lang) -> str:
    sep = "&" if "?" in url else "?"
    resp = client.get(f"{url}{sep}lang={lang}")
    assert resp.status_code == 200, (url, resp.status_code)
    return resp.get_data(as_text=True)


def _part(html: str, start: str, end: str = "</section>") -> str:
    """The HTML from the first ``start`` to the next ``end``."""
    assert start in html, start
    return html.split(start, 1)[1].split(end, 1)[0]


def _text(html: str) -> str:
    return _visible_text(html).strip()


def _program_id(app, status="evaluated", with_indicator=True) -> int:
    from collab.models import IndicatorMeasurement, Program

    with app.app_context():
        query = sa.select(Program.id).where(Program.status == status).order_by(Program.id)
        if with_indicator:
            query = query.where(
                Program.id.in_(sa.select(IndicatorMeasurement.program_id).distinct())
            )
        return _db.session.scalar(query)


# --- 1. the same figure reads the same on the program page and in its report ----------------


@pytest.mark.parametrize("lang", LANGS)
def test_program_page_and_report_format_scores_alike(demo, lang):
    program_id = _program_id(demo)
    client = _client(demo, DESIGNER)
    page = _get(client, f"/programs/{program_id}", lang)
    report = _get(client, f"/programs/{program_id}/report", lang)
    for panel_id, report_id in (("mean-pre", "pre-mean"), ("mean-post", "post-mean")):
        shown = _text(_part(page, f'data-testid="{panel_id}">', "<"))
        assert shown == _text(_part(report, f'id="{report_id}">', "<"))
        assert re.fullmatch(r"\d+[.,]\d", shown), shown  # one decimal, as the report
    gain = _text(_part(page, 'data-testid="mean-gain">', "<"))
    assert gain == _text(_part(report, 'id="gain">', "<"))
    assert re.fullmatch(r"\d[.,]\d\d", gain), gain
    mark = "," if lang == "id" else "."
    assert mark in gain
    # L1: every aspect's mean, "4,0 / 5" in both places (never "4" or "4,67")
    panel_l1 = [
        _text(cell)
        for cell in re.findall(r'<tr data-aspect="\w+"><td>.*?</td><td[^>]*>(.*?)</td>', page)
    ]
    report_l1 = _part(report, 'id="report-l1"')
    assert panel_l1
    for value in panel_l1:
        assert re.fullmatch(rf"\d\{mark}\d / 5", value), value
        assert value in _text(report_l1)


@pytest.mark.parametrize("lang", LANGS)
def test_indicator_values_in_percent_read_as_percentages(demo, lang):
    program_id = _program_id(demo)
    client = _client(demo, DESIGNER)
    panel = _text(_part(_get(client, f"/programs/{program_id}", lang), 'id="indicator-results"'))
    report = _text(_part(_get(client, f"/programs/{program_id}/report", lang), 'id="report-l4"'))
    for text in (panel, report):
        assert "%" in text
        assert not re.search(r"\d %", text), text  # no space before the percent sign
        assert "— %" not in text
    decimal = "91,6%" if lang == "id" else "91.6%"
    assert decimal in panel and decimal in report


def test_measure_filter(app):
    from decimal import Decimal

    from collab.core.i18n import format_measure

    with app.test_request_context("/?lang=id"):
        assert format_measure(Decimal("84.67"), "%") == "84,67%"
        assert format_measure(Decimal("64.00"), "%") == "64%"
        assert format_measure(None, "%") == "—"
        assert format_measure(Decimal("3.5"), "indeks") == "3,5 indeks"
        assert format_measure(12, None) == "12"
    with app.test_request_context("/?lang=en"):
        assert format_measure(Decimal("84.67"), "%") == "84.67%"
        assert format_measure(Decimal("1250"), "hari") == "1,250 hari"


# --- 2. no Indonesian left in English text ---------------------------------------------------


def _nav(html: str) -> str:
    return _text(_part(html, '<nav class="navbar', "</nav>"))


@pytest.mark.parametrize(
    ("lang", "programs", "jp", "heading", "affair"),
    [
        ("id", "Program", "JP ASN", "Program Pengembangan Kompetensi", "Urusan"),
        (
            "en",
            "Programs",
            "JP ledger",
            "Competency Development Programs",
            "Government affair (urusan)",
        ),
    ],
)
def test_program_list_navigation_and_labels(demo, lang, programs, jp, heading, affair):
    html = _get(_client(demo, DESIGNER), "/programs/", lang)
    nav = _nav(html)
    assert f" {programs} " in f" {nav} " and f" {jp} " in f" {nav} "
    assert f'<h1 class="h3 m-0">{heading}</h1>' in html
    assert f'for="p-urusan">{affair}</label>' in html
    if lang == "en":
        assert "ASN JP" not in nav and not re.search(r"\bProgram\b", nav)


@pytest.mark.parametrize("lang", LANGS)
def test_program_page_english_leftovers(demo, lang):
    program_id = _program_id(demo)
    html = _get(_client(demo, DESIGNER), f"/programs/{program_id}", lang)
    text = _text(html)
    crumbs = _text(_part(html, '<ol class="breadcrumb small">', "</ol>"))
    if lang == "en":
        assert "(Hadir)" not in text and "Pass: present at no less than" in text
        assert "Action plan (RTL) progress" in text and "RTL progress" not in text
        assert re.search(r"\((classroom|non-classroom)\)", text)
        assert "klasikal" not in text
        assert crumbs.startswith("Programs")
    else:
        assert "Lulus: kehadiran (Hadir) minimal" in text and "Kemajuan RTL" in text
        assert re.search(r"\((klasikal|nonklasikal)\)", text)
        assert crumbs.startswith("Program ")


def test_development_type_choices_translate_only_the_form(app):
    from collab import labels, reference

    item = reference.development_types()["3"]
    with app.test_request_context("/?lang=en"):
        assert labels.development_type(item) == f"{item['name']} (classroom)"
    with app.test_request_context("/?lang=id"):
        assert labels.development_type(item) == f"{item['name']} (klasikal)"


# --- 3. status words that agree -------------------------------------------------------------


def _program_by_status(app, status) -> int:
    return _program_id(app, status, with_indicator=False)


@pytest.mark.parametrize(
    ("lang", "requested", "order"),
    [("id", "Revisi diminta", "Minta revisi"), ("en", "Changes requested", "Request changes")],
)
def test_recorded_sign_off_decisions_read_as_results(demo, lang, requested, order):
    client = _client(demo, DESIGNER)
    html = _get(client, f"/programs/{_program_by_status(demo, 'changes_requested')}", lang)
    table = _text(_part(html, 'id="sign-off-panel"'))
    assert requested in table and order not in table
    approved = {"id": "Disetujui", "en": "Approved"}[lang]
    assert approved in table


def test_program_rejection_uses_one_english_word(demo):
    client = _client(demo, DESIGNER)
    declined = _text(
        _part(
            _get(client, f"/programs/{_program_by_status(demo, 'rejected')}", "en"),
            'id="sign-off-panel"',
        )
    )
    assert "Declined" in declined
    notes = _text(_get(client, "/notifications", "en"))
    assert "declined the program" in notes
    assert "reject" not in notes.lower()
    with demo.test_request_context("/?lang=en"):
        from flask_babel import gettext

        assert gettext("Program sudah ditolak.") == "Program declined."
        assert "reject" not in gettext("Keputusan persetujuan (setuju, minta revisi, tolak)")


# --- 4. British spelling throughout the English catalogue ------------------------------------

AMERICAN = re.compile(
    r"\b(organiz|normaliz|authoriz|recogniz|finaliz|prioritiz|summariz|standardiz|"
    r"categoriz|minimiz|maximiz|optimiz|analyz|behavior|color|center\b|canceled|enroll\b|enrolls)",
    re.IGNORECASE,
)


def test_english_catalogue_spells_british():
    from babel.messages.pofile import read_po
    from test_i18n_pages import ROOT

    with open(ROOT / "collab/translations/en/LC_MESSAGES/messages.po", "rb") as fh:
        catalog = read_po(fh, locale="en")
    american = []
    for msg in catalog:
        if not msg.id:
            continue
        for text in msg.string if isinstance(msg.string, tuple) else (msg.string,):
            american += [text] if AMERICAN.search(text) else []
    assert not american, american


def test_pages_spell_organisation_the_same_way(demo):
    profile = _text(_get(_client(demo, DESIGNER), "/account", "en"))
    assert "Organisation" in profile and "Follow my organisation" in profile
    admin = _text(_get(_client(demo, ADMIN), "/dashboard", "en"))
    assert "Manage organisations" in admin
    program = _get(_client(demo, DESIGNER), f"/programs/{_program_id(demo)}", "en")
    assert "Mean normalised gain" in _text(program)
    for text in (profile, admin, _text(program)):
        assert not AMERICAN.search(text), AMERICAN.search(text)


# --- 5. layout: amounts and counts on one line, one size in the tree, no-JS row hidden -------


@pytest.mark.parametrize("lang", LANGS)
def test_budget_amounts_do_not_wrap(demo, lang):
    html = _get(
        _client(demo, DESIGNER), f"/programs/{_program_by_status(demo, 'in_delivery')}", lang
    )
    currency = "Rp" if lang == "id" else "IDR "
    cells = re.findall(r'<td class="([^"]*)">(' + re.escape(currency) + r"[\d.,]+)</td>", html)
    assert cells, "no budget line shown"
    assert all("text-nowrap" in cls.split() for cls, _amount in cells), cells
    assert re.search(
        r'<span class="text-nowrap">' + re.escape(currency) + r"[\d.,]+</span></h3>", html
    )


def test_admin_tree_keeps_one_font_size_at_every_level(demo):
    from test_i18n_pages import ROOT

    html = _get(_client(demo, ADMIN), "/admin/", "en")
    tree = html.split('<h2 class="h5 m-0">', 1)[1].split("</section>", 1)[0]
    lists = re.findall(r"<ul( class=\"[^\"]*\")?>", tree)
    assert len(lists) >= 3  # BKN → its offices, Pemda → their OPD: nested lists
    assert all(cls == ' class="org-tree"' for cls in lists), lists
    # the size is set once in rem (root-relative): nesting cannot compound it like .small (em)
    css = (ROOT / "static/css/app.css").read_text()
    assert re.search(r"\.org-tree\s*\{\s*font-size:\s*\.875rem;\s*\}", css)


def test_attendance_fallback_row_only_without_javascript(demo):
    from test_i18n_pages import ROOT

    html = _get(
        _client(demo, DESIGNER), f"/programs/{_program_by_status(demo, 'in_delivery')}", "en"
    )
    row = re.search(r'<tfoot>\s*<tr class="nojs-only">.*?Without JavaScript', html, re.S)
    assert row, "the save-per-session row is not marked no-JavaScript-only"
    assert re.search(
        r"<noscript><link rel=\"stylesheet\" href=\"/static/css/nojs\.css[^\"]*\"></noscript>", html
    )
    assert "<script>" not in html  # no inline script (CSP)
    assert re.search(
        r"\.nojs-only\s*\{\s*display:\s*none;", (ROOT / "static/css/app.css").read_text()
    )
    assert "display: revert" in (ROOT / "static/css/nojs.css").read_text()


def test_dashboard_status_counts_stay_with_their_badge(demo):
    html = _get(_client(demo, OFFICER), "/dashboard", "id")
    links = re.findall(r'<a class="([^"]*)" href="/needs/\?status=info_requested">', html)
    assert links and all("text-nowrap" in cls.split() for cls in links), links


# --- 6. small slips --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("lang", "label"), [("id", "Kehadiran minimal"), ("en", "Minimum attendance")]
)
def test_revision_shows_percent_once(demo, lang, label):
    from collab.models import ProgramRevision

    with demo.app_context():
        rev = _db.session.scalar(sa.select(ProgramRevision).order_by(ProgramRevision.id))
        url = f"/programs/{rev.program_id}/revisions/{rev.number}"
    html = _get(_client(demo, DESIGNER), url, lang)
    row = _text(_part(html, '<tr data-field="min_attendance_pct">', "</tr>"))
    assert row.startswith(label + " ") and "(%)" not in row
    assert re.search(r"\d%", row)


@pytest.mark.parametrize(("lang", "label"), [("id", "Peserta"), ("en", "Participant")])
def test_single_participant_choices_are_labelled_singular(demo, lang, label):
    program_id = _program_by_status(demo, "delivered")
    for email in ("bkpsdm@kuburaya.sinergi.test", DESIGNER):  # L3 form / L1 entry form
        html = _get(_client(demo, email), f"/programs/{program_id}", lang)
        labels = re.findall(r'<label class="form-label" for="participant_id">([^<]*)<', html)
        assert labels and set(labels) == {label}, (email, labels)


@pytest.mark.parametrize(
    ("lang", "link"), [("id", "Ke halaman pertama"), ("en", "Go to the first page")]
)
@pytest.mark.parametrize("url", ["/programs/", "/needs/", "/jp/", "/notifications"])
def test_page_past_the_end_links_back_instead_of_page_n_of_m(demo, lang, link, url):
    html = _get(_client(demo, DESIGNER), f"{url}?page=999", lang)
    text = _text(html)
    assert "999" not in text
    first = re.search(r'<a class="page-link" href="([^"]*)" data-testid="first-page">', html)
    assert first and "page=" not in first.group(1) and link in text
    assert {"id": "Tidak ada data", "en": "No data"}[lang] in text


def test_page_within_range_still_says_page_n_of_m(demo):
    html = _get(_client(demo, DESIGNER), "/programs/?page=2&per_page=10", "en")
    assert "Page 2 of 3" in _text(html) and "first-page" not in html


def test_siasn_and_template_csv_carry_one_charset(demo):
    client = _client(demo, DESIGNER)
    program_id = _program_id(demo)
    urls = [
        f"/programs/{program_id}/siasn.csv",
        f"/programs/{program_id}/participants/template.csv",
        f"/programs/{_program_by_status(demo, 'in_delivery')}/scores/template.csv",
    ]
    for url in urls:
        resp = client.get(url)
        assert resp.status_code == 200, url
        assert resp.headers["Content-Type"] == "text/csv; charset=utf-8", url


@pytest.mark.parametrize("lang", LANGS)
def test_pascapelatihan_spelt_one_way(demo, lang):
    program_id = _program_id(demo)
    client = _client(demo, DESIGNER)
    page = _text(_get(client, f"/programs/{program_id}", lang))
    report = _text(_get(client, f"/programs/{program_id}/report", lang))
    if lang == "id":
        assert "pascapelatihan" in page and "pascapelatihan" in report
    assert "pasca-pelatihan" not in page + report
    from test_i18n_pages import ROOT

    with open(ROOT / "collab/translations/messages.pot", encoding="utf-8") as fh:
        assert "pasca-pelatihan" not in fh.read()


def test_profile_language_help_reads_naturally(demo):
    text = _text(_get(_client(demo, DESIGNER), "/account", "en"))
    assert "Used for the pages you see and the e-mails sent to you." in text
    assert "The language of pages and of the e-mails" not in text
