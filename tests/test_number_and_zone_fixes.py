"""Regression tests for numbers read across UI languages (break-it round 7, corrected): a
number shown in one language and posted in the other is read the same or refused, never read
as another number; whole-number fields refuse a decimal mark; decimals are never silently
rounded; exponents and underscores are refused; too-large numbers say so. Sessions: a
corrected venue zone keeps their wall-clock times; one ending at midnight after the last
planned day is within the plan."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
import sqlalchemy as sa

from collab.extensions import db
from collab.models import (
    AuditEvent,
    IndicatorMeasurement,
    Need,
    Participant,
    Program,
)
from tests.test_attendance import GridTab, delivery  # noqa: F401 - fixture
from tests.test_dates_zones import _session, _sessions
from tests.test_evaluation import delivered  # noqa: F401 - fixture
from tests.test_needs_views import form as need_form
from tests.test_program_views import program_form, version_of

HX = {"HX-Request": "true"}
WHOLE = "Harus berupa bilangan bulat."
PLACES = "Paling banyak 2 angka di belakang koma."


def _field_error(html: str, field: str) -> str:
    m = re.search(rf'<div class="field-error" id="{field}-err">([^<]*)</div>', html)
    return m.group(1) if m else ""


def _input_value(html: str, name: str) -> str | None:
    m = re.search(rf'<input[^>]*name="{re.escape(name)}"[^>]*value="([^"]*)"', html)
    return m.group(1) if m else None


def _max_id(app, model) -> int | None:
    with app.app_context():
        return db.session.scalar(sa.select(sa.func.max(model.id)))


def _need(app, need_id) -> Need:
    with app.app_context():
        need = db.session.get(Need, need_id)
        db.session.expunge(need)
        return need


def _new_need(client, app, world, **over) -> int:
    """File a need in Indonesian with ``over`` replacing form fields; returns its id."""
    resp = client.post("/needs/new?lang=id", data=need_form(world, **over))
    assert resp.status_code == 302, resp.status_code
    return _max_id(app, Need)


@pytest.fixture
def officer(world, client, login):
    login(client, world.officer_ptk)
    return client


def _need_edit_data(client, need_id: int, lang: str) -> dict[str, str]:
    """The need edit form (rendered in ``lang``) as a browser posts it untouched."""
    from html.parser import HTMLParser

    html = client.get(f"/needs/{need_id}/edit?lang={lang}").get_data(as_text=True)
    start = html.rfind("<form", 0, html.find('name="indicator_baseline"'))
    html = html[start : html.find("</form>", start)]

    class Controls(HTMLParser):
        def __init__(self):
            super().__init__()
            self.out: dict[str, str] = {}
            self.select = self.textarea = self.first_option = None

        def handle_starttag(self, tag, attrs):
            a = dict(attrs)
            if tag == "input" and a.get("name"):
                kind = a.get("type", "text")
                if kind in ("checkbox", "radio"):
                    if "checked" in a:
                        self.out.setdefault(a["name"], a.get("value", "on"))
                elif kind not in ("submit", "button", "file"):
                    self.out[a["name"]] = a.get("value", "")
            elif tag == "select":
                self.select, self.first_option = a.get("name"), None
            elif tag == "option" and self.select:
                if self.first_option is None:
                    self.first_option = a.get("value", "")
                if "selected" in a:
                    self.out[self.select] = a.get("value", "")
            elif tag == "textarea":
                self.textarea = a.get("name")
                self.out[self.textarea] = ""

        def handle_endtag(self, tag):
            if tag == "select" and self.select:
                self.out.setdefault(self.select, self.first_option or "")
                self.select = None
            if tag == "textarea":
                self.textarea = None

        def handle_data(self, data):
            if self.textarea:
                self.out[self.textarea] += data

    parser = Controls()
    parser.feed(html)
    return parser.out


# --- 1. a number shown in one language, posted in the other ----------------------------------


@pytest.mark.parametrize(("shown_in", "posted_in"), [("en", "id"), ("id", "en")])
def test_decimal_1250_is_shown_ungrouped_and_kept_when_posted_in_the_other_language(
    officer, world, app, shown_in, posted_in
):
    """Baseline 1250 is shown "1250" in both languages (no grouping), so the untouched form
    posted after switching language keeps 1250 — never 1.25."""
    nid = _new_need(officer, app, world, indicator_baseline="1250", indicator_target="2000")
    data = _need_edit_data(officer, nid, shown_in)
    assert data["indicator_baseline"] == "1250"
    assert data["indicator_target"] == "2000"
    officer.get(f"/dashboard?lang={posted_in}")  # the other tab
    resp = officer.post(f"/needs/{nid}/edit", data=data)
    assert resp.status_code == 302, _field_error(resp.get_data(as_text=True), "indicator_baseline")
    need = _need(app, nid)
    assert (need.indicator_baseline, need.indicator_target) == (1250, 2000)


@pytest.mark.parametrize(
    ("shown_in", "posted_in", "shown"), [("en", "id", "12.5"), ("id", "en", "12,5")]
)
def test_decimal_fraction_posted_in_the_other_language_is_refused_at_the_field(
    officer, world, app, shown_in, posted_in, shown
):
    """12.5 is shown with the locale's decimal mark only; posted in the other language it is a
    422 at the field (typed text kept), and the stored value stays 12.5."""
    nid = _new_need(officer, app, world, indicator_baseline="12,5")
    data = _need_edit_data(officer, nid, shown_in)
    assert data["indicator_baseline"] == shown
    officer.get(f"/dashboard?lang={posted_in}")
    resp = officer.post(f"/needs/{nid}/edit", data=data)
    assert resp.status_code == 422
    html = resp.get_data(as_text=True)
    assert _field_error(html, "indicator_baseline")
    assert _input_value(html, "indicator_baseline") == shown
    assert _need(app, nid).indicator_baseline == Decimal("12.5")


@pytest.mark.parametrize(
    ("value", "lang", "shown"),
    [
        (Decimal("1250.00"), "id", "1250"),
        (Decimal("1250.00"), "en", "1250"),
        (Decimal("1234567.25"), "id", "1234567,25"),
        (Decimal("1234567.25"), "en", "1234567.25"),
        (Decimal("-0.00"), "id", "0"),
        (Decimal("-3.10"), "en", "-3.1"),
    ],
)
def test_format_number_input_uses_no_grouping(app, value, lang, shown):
    from collab.core.i18n import format_number_input

    with app.test_request_context(f"/?lang={lang}"):
        assert format_number_input(value) == shown


@pytest.mark.parametrize(("shown_in", "posted_in"), [("id", "en"), ("en", "id")])
def test_grouped_budget_posted_in_the_other_language_is_refused_not_misread(
    world, client, login, app, shown_in, posted_in
):
    """Whole rupiah are shown grouped (1.250.000 / 1,250,000); posted in the other language
    the group symbol is that language's decimal mark, so the amount is refused, not read."""
    need_id = world.need("in_review").id
    login(client, world.designer)
    resp = client.post(
        "/programs/new?lang=id",
        data=program_form([need_id], {world.ptk.id: 20}, **{"budget-0-amount": "1.250.000"}),
    )
    assert resp.status_code == 302
    pid = _max_id(app, Program)
    edit = client.get(f"/programs/{pid}/edit?lang={shown_in}").get_data(as_text=True)
    shown = _input_value(edit, "budget-0-amount")
    assert shown == ("1.250.000" if shown_in == "id" else "1,250,000")
    client.get(f"/dashboard?lang={posted_in}")
    data = program_form(
        [need_id], {world.ptk.id: 20}, **{"budget-0-amount": shown}, **version_of(app, pid)
    )
    resp = client.post(f"/programs/{pid}/edit", data=data)
    assert resp.status_code == 422
    html = resp.get_data(as_text=True)
    expected = WHOLE if posted_in == "id" else "Must be a whole number."
    assert _field_error(html, "budget-0-amount") == expected
    assert _input_value(html, "budget-0-amount") == shown
    with app.app_context():
        assert [b.amount for b in db.session.get(Program, pid).budget_lines] == [1_250_000]


# --- 2. whole-number fields refuse the decimal mark -------------------------------------------


@pytest.mark.parametrize(
    ("lang", "typed"),
    [("id", "1,000"), ("id", "250,000"), ("id", "12,0"), ("en", "1.000"), ("en", "250.000")],
)
def test_whole_number_field_refuses_the_decimal_mark(world, client, login, app, lang, typed):
    """'1,000' typed in Indonesian (or '1.000' in English) is neither one nor one thousand:
    422 at the budget field, 'Harus berupa bilangan bulat.', typed text kept."""
    need = world.need("in_review")
    login(client, world.designer)
    before = _max_id(app, Program)
    resp = client.post(
        f"/programs/new?lang={lang}",
        data=program_form([need.id], {world.ptk.id: 20}, **{"budget-0-amount": typed}),
    )
    assert resp.status_code == 422
    html = resp.get_data(as_text=True)
    expected = WHOLE if lang == "id" else "Must be a whole number."
    assert _field_error(html, "budget-0-amount") == expected
    assert _input_value(html, "budget-0-amount") == typed
    assert _max_id(app, Program) == before


@pytest.mark.parametrize(
    ("field", "lang", "typed"),
    [
        ("quotas-0-quota", "id", "20,0"),
        ("modules-0-jp", "en", "8.0"),
        ("min_attendance_pct", "id", "80,5"),
    ],
)
def test_other_whole_number_fields_refuse_the_decimal_mark(
    world, client, login, app, field, lang, typed
):
    need = world.need("in_review")
    login(client, world.designer)
    resp = client.post(
        f"/programs/new?lang={lang}",
        data=program_form([need.id], {world.ptk.id: 20}, **{field: typed}),
    )
    assert resp.status_code == 422
    assert _field_error(resp.get_data(as_text=True), field)


@pytest.mark.parametrize(("lang", "typed"), [("id", "1,000"), ("en", "1.000")])
def test_asn_affected_refuses_the_decimal_mark(officer, world, app, lang, typed):
    before = _max_id(app, Need)
    resp = officer.post(f"/needs/new?lang={lang}", data=need_form(world, asn_affected=typed))
    assert resp.status_code == 422
    html = resp.get_data(as_text=True)
    assert _field_error(html, "asn_affected")
    assert _input_value(html, "asn_affected") == typed
    assert _max_id(app, Need) == before


@pytest.mark.parametrize(
    ("lang", "typed", "stored"),
    [
        ("id", "1.250.000", 1_250_000),
        ("en", "1,250,000", 1_250_000),
        ("id", "1 250 000", 1_250_000),
    ],
)
def test_whole_number_field_still_reads_the_locale_grouping(
    world, client, login, app, lang, typed, stored
):
    need = world.need("in_review")
    login(client, world.designer)
    resp = client.post(
        f"/programs/new?lang={lang}",
        data=program_form([need.id], {world.ptk.id: 20}, **{"budget-0-amount": typed}),
    )
    assert resp.status_code == 302
    with app.app_context():
        assert [b.amount for b in db.session.get(Program, _max_id(app, Program)).budget_lines] == [
            stored
        ]


# --- 3. and 4. decimals are never rounded; the bound holds on the stored value ---------------


@pytest.mark.parametrize(
    ("lang", "typed"), [("id", "12,345"), ("id", "0,001"), ("en", "12.345"), ("en", "0.001")]
)
@pytest.mark.parametrize("field", ["indicator_baseline", "indicator_target"])
def test_indicator_with_more_decimals_than_stored_is_refused(
    officer, world, app, lang, typed, field
):
    """NUMERIC(14, 2): a third decimal is refused at the field (typed text kept), never
    rounded."""
    before = _max_id(app, Need)
    resp = officer.post(f"/needs/new?lang={lang}", data=need_form(world, **{field: typed}))
    assert resp.status_code == 422
    html = resp.get_data(as_text=True)
    expected = PLACES if lang == "id" else "At most 2 decimal places."
    assert _field_error(html, field) == expected
    assert _input_value(html, field) == typed
    assert _max_id(app, Need) == before


@pytest.mark.parametrize(("lang", "typed"), [("id", "12,50"), ("en", "12.5"), ("id", "-3")])
def test_indicator_with_at_most_two_decimals_is_stored_exactly(officer, world, app, lang, typed):
    resp = officer.post(f"/needs/new?lang={lang}", data=need_form(world, indicator_baseline=typed))
    assert resp.status_code == 302
    expected = Decimal(typed.replace(",", "."))
    assert _need(app, _max_id(app, Need)).indicator_baseline == expected


@pytest.mark.parametrize(
    ("lang", "typed"), [("id", "999.999.999.999,999"), ("en", "999,999,999,999.995")]
)
def test_indicator_just_below_the_bound_that_would_round_over_it_is_refused(
    officer, world, app, lang, typed
):
    """Below 10^12 as typed but 10^12 once rounded: refused at the field (a third decimal),
    never a numeric overflow (500) on PostgreSQL."""
    resp = officer.post(f"/needs/new?lang={lang}", data=need_form(world, indicator_target=typed))
    assert resp.status_code == 422
    assert _field_error(resp.get_data(as_text=True), "indicator_target")


def test_indicator_at_the_largest_storable_value_round_trips(officer, world, app):
    """999 999 999 999,99 is the largest NUMERIC(14, 2): stored exactly (PostgreSQL too);
    10^12 itself is too large."""
    nid = _new_need(officer, app, world, indicator_target="999.999.999.999,99")
    assert _need(app, nid).indicator_target == Decimal("999999999999.99")
    assert _need_edit_data(officer, nid, "id")["indicator_target"] == "999999999999,99"
    resp = officer.post(
        "/needs/new?lang=id", data=need_form(world, indicator_target="1.000.000.000.000")
    )
    assert resp.status_code == 422
    assert _field_error(resp.get_data(as_text=True), "indicator_target") == "Angka terlalu besar."


def test_negative_zero_is_shown_as_zero(officer, world, app):
    nid = _new_need(officer, app, world, indicator_baseline="-0")
    for lang in ("id", "en"):
        assert _need_edit_data(officer, nid, lang)["indicator_baseline"] == "0", lang


def test_l4_measured_value_refuses_a_third_decimal_and_stores_two(
    delivered,  # noqa: F811
    app,
    login,
    monkeypatch,
):
    from collab.evaluation import services

    monkeypatch.setattr(services, "utcnow", lambda: datetime(2027, 7, 1, 3, tzinfo=UTC))
    c = app.test_client()
    login(c, delivered.officer_ptk)
    url = f"/programs/{delivered.p1}/evaluation/indicators"
    data = {"need_id": delivered.n2.id, "value": "61,555", "measured_on": "2027-06-30"}
    bad = c.post(url, data=data, headers=HX)
    assert bad.status_code == 422
    html = bad.get_data(as_text=True)
    assert PLACES in html and 'value="61,555"' in html
    for typed in ("6e1", "61_5"):
        assert c.post(url, data={**data, "value": typed}, headers=HX).status_code == 422, typed
    with app.app_context():
        assert db.session.scalars(sa.select(IndicatorMeasurement)).first() is None
    assert c.post(url, data={**data, "value": "61,55"}, headers=HX).status_code == 200
    with app.app_context():
        m = db.session.scalars(sa.select(IndicatorMeasurement)).one()
        assert m.value == Decimal("61.55")


# --- 5. only digits, the locale's symbols, spaces and a leading sign -------------------------


@pytest.mark.parametrize("typed", ["1e5", "1E6", "1_000_000", "0x10", "1.000e3", "Rp1.000"])
def test_budget_in_scientific_or_python_notation_is_refused(world, client, login, app, typed):
    need = world.need("in_review")
    login(client, world.designer)
    before = _max_id(app, Program)
    resp = client.post(
        "/programs/new",
        data=program_form([need.id], {world.ptk.id: 20}, **{"budget-0-amount": typed}),
    )
    assert resp.status_code == 422
    assert _field_error(resp.get_data(as_text=True), "budget-0-amount") == WHOLE
    assert _max_id(app, Program) == before


@pytest.mark.parametrize("typed", ["1e3", "1_250", "12,5e1", "--5", "1 2"])
def test_indicator_in_other_notations_is_refused(officer, world, app, typed):
    resp = officer.post("/needs/new", data=need_form(world, indicator_baseline=typed))
    assert resp.status_code == 422
    assert _field_error(resp.get_data(as_text=True), "indicator_baseline") == "Harus berupa angka."


@pytest.mark.parametrize(
    ("typed", "stored"),
    [("\u0661\u0662", Decimal(12)), ("\u2212 5", Decimal(-5)), ("1\u00a0250,5", Decimal("1250.5"))],
)
def test_unicode_digits_minus_sign_and_no_break_space_groups_are_read(
    officer, world, app, typed, stored
):
    nid = _new_need(officer, app, world, indicator_baseline=typed)
    assert _need(app, nid).indicator_baseline == stored


@pytest.mark.parametrize("typed", ["1_00", "1e2", "5.0e1", "0x1"])
def test_score_field_refuses_underscores_and_exponents(delivery, app, client, login, typed):  # noqa: F811
    w = delivery
    login(client, w.designer)
    pid = w.ptk_ids[0]
    tab = GridTab(client, w.p1)
    resp = tab.set_scores(pid, typed, "")
    assert resp.status_code == 422
    assert WHOLE in resp.get_data(as_text=True)
    with app.app_context():
        assert db.session.get(Participant, pid).pre_score is None
    resp = tab.set_scores(pid, "100", "")
    assert resp.status_code == 200
    with app.app_context():
        assert db.session.get(Participant, pid).pre_score == 100


# --- 6. too large says too large ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("lang", "typed", "message"),
    [
        ("id", "20.000.000.000.000", "Anggaran paling besar Rp10.000.000.000.000."),
        ("en", "20,000,000,000,000", "Budget cannot exceed IDR 10,000,000,000,000."),
        ("id", "-5", "Anggaran tidak boleh negatif."),
    ],
)
def test_budget_out_of_range_names_the_bound_it_broke(
    world, client, login, app, lang, typed, message
):
    need = world.need("in_review")
    login(client, world.designer)
    resp = client.post(
        f"/programs/new?lang={lang}",
        data=program_form([need.id], {world.ptk.id: 20}, **{"budget-0-amount": typed}),
    )
    assert resp.status_code == 422
    assert _field_error(resp.get_data(as_text=True), "budget-0-amount") == message


@pytest.mark.parametrize(
    ("lang", "typed", "message"),
    [
        ("id", "2.000.000", "Jumlah ASN paling banyak 1.000.000."),
        ("en", "2,000,000", "Number of ASN must be at most 1,000,000."),
        ("id", "0", "Jumlah ASN minimal 1."),
    ],
)
def test_asn_affected_out_of_range_names_the_bound_it_broke(
    officer, world, app, lang, typed, message
):
    resp = officer.post(f"/needs/new?lang={lang}", data=need_form(world, asn_affected=typed))
    assert resp.status_code == 422
    assert _field_error(resp.get_data(as_text=True), "asn_affected") == message


# --- 7. and 8. sessions: venue zone and plan days -------------------------------------------


def _edit_with_zone(client, app, pid, zone):
    """Post the program's edit form with venue zone ``zone`` (amounts ungrouped: any UI)."""
    with app.app_context():
        p = db.session.get(Program, pid)
        need_ids = [n.id for n in p.needs]
        quotas = {q.org_id: q.quota for q in p.quotas}
    data = program_form(
        need_ids,
        quotas,
        timezone=zone,
        **{"budget-0-amount": "45000000"},
        **version_of(app, pid),
    )
    return client.post(f"/programs/{pid}/edit", data=data)


def test_changing_the_venue_zone_keeps_the_sessions_wall_clock_times(pworld, client, login, app):
    """Sessions typed 08.00–16.00 WIB stay 08.00–16.00 once the zone is corrected to WIT
    (re-read in the new zone, same transaction, audited), and the flash says so."""
    w = pworld
    login(client, w.designer)
    assert client.post(f"/programs/{w.p1}/sessions", data=_session()).status_code == 302
    assert (
        client.post(
            f"/programs/{w.p1}/sessions",
            data=_session(starts_at="2027-03-02T13:00", ends_at="2027-03-02T15:15", jp="3"),
        ).status_code
        == 302
    )
    resp = _edit_with_zone(client, app, w.p1, "Asia/Jayapura")
    assert resp.status_code == 302
    assert _sessions(app, w.p1) == [
        (datetime(2027, 2, 28, 23, 0, tzinfo=UTC), datetime(2027, 3, 1, 7, 0, tzinfo=UTC)),
        (datetime(2027, 3, 2, 4, 0, tzinfo=UTC), datetime(2027, 3, 2, 6, 15, tzinfo=UTC)),
    ]
    html = client.get(f"/programs/{w.p1}").get_data(as_text=True)
    assert "1 Maret 2027 08.00–16.00 WIT" in html
    assert "2 Maret 2027 13.00–15.15 WIT" in html
    assert "jam lokal 2 sesi tetap sama" in html
    with app.app_context():
        ev = db.session.scalars(
            sa.select(AuditEvent).where(
                AuditEvent.entity_type == "program",
                AuditEvent.entity_id == w.p1,
                AuditEvent.action == "rezone_sessions",
            )
        ).one()
        assert ev.actor_id == w.designer.id
        assert ev.data["from"] == "Asia/Pontianak" and ev.data["to"] == "Asia/Jayapura"
        assert len(ev.data["session_ids"]) == 2


def test_flash_of_a_zone_change_in_english(pworld, client, login, app):
    w = pworld
    login(client, w.designer)
    assert client.post(f"/programs/{w.p1}/sessions", data=_session()).status_code == 302
    client.get("/dashboard?lang=en")
    assert _edit_with_zone(client, app, w.p1, "Asia/Makassar").status_code == 302
    html = client.get(f"/programs/{w.p1}").get_data(as_text=True)
    assert "1 March 2027 08:00–16:00 WITA" in html
    assert "the local times of 1 session stay the same" in html


def test_editing_without_a_zone_change_leaves_sessions_alone(pworld, client, login, app):
    w = pworld
    login(client, w.designer)
    assert client.post(f"/programs/{w.p1}/sessions", data=_session()).status_code == 302
    before = _sessions(app, w.p1)
    assert _edit_with_zone(client, app, w.p1, "Asia/Pontianak").status_code == 302
    assert _sessions(app, w.p1) == before
    with app.app_context():
        assert not db.session.scalars(
            sa.select(AuditEvent).where(AuditEvent.action == "rezone_sessions")
        ).first()


def test_refused_edit_with_a_zone_change_moves_no_session(pworld, client, login, app):
    """The zone change and the sessions are one transaction: a refused edit changes neither."""
    w = pworld
    login(client, w.designer)
    assert client.post(f"/programs/{w.p1}/sessions", data=_session()).status_code == 302
    before = _sessions(app, w.p1)
    with app.app_context():
        p = db.session.get(Program, w.p1)
        quotas = {q.org_id: q.quota for q in p.quotas}
    data = program_form([], quotas, timezone="Asia/Jayapura", **version_of(app, w.p1))
    assert client.post(f"/programs/{w.p1}/edit", data=data).status_code == 422
    assert _sessions(app, w.p1) == before
    with app.app_context():
        assert db.session.get(Program, w.p1).timezone == "Asia/Pontianak"


# --- 8. a session ending at midnight after the last planned day -------------------------------


def test_session_ending_at_midnight_after_the_last_planned_day_is_within_the_plan(
    pworld, client, login, app
):
    """Planned 1–5 March 2027: 5 March 20.00–24.00 (posted as 00:00 on 6 March) is accepted;
    one minute later, or starting on 6 March, is not."""
    login(client, pworld.designer)
    with app.app_context():
        p = db.session.get(Program, pworld.p1)
        assert (p.planned_start, p.planned_end) == (date(2027, 3, 1), date(2027, 3, 5))
    url = f"/programs/{pworld.p1}/sessions"
    late = client.post(
        url, data=_session(starts_at="2027-03-05T20:00", ends_at="2027-03-06T00:01", jp="4")
    )
    assert late.status_code == 422
    assert "rencana pelaksanaan" in _field_error(late.get_data(as_text=True), "starts_at")
    after = client.post(
        url, data=_session(starts_at="2027-03-06T00:00", ends_at="2027-03-06T04:00", jp="4")
    )
    assert after.status_code == 422
    resp = client.post(
        url, data=_session(starts_at="2027-03-05T20:00", ends_at="2027-03-06T00:00", jp="4")
    )
    assert resp.status_code == 302, _field_error(resp.get_data(as_text=True), "starts_at")
    assert _sessions(app, pworld.p1) == [
        (datetime(2027, 3, 5, 13, 0, tzinfo=UTC), datetime(2027, 3, 5, 17, 0, tzinfo=UTC))
    ]
