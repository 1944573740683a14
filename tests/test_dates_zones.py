"""Dates and time zones (issue 7): A06 through real HTTP posts, times stored in UTC and shown in
the viewer's zone (WIB/WITA/WIT) in ``id`` and ``en``, inputs read in the right zone, and
"today" / day boundaries / default years computed in the viewer's zone, not the server's.

The two awkward instants used throughout:

- 2026-03-17 17:30 UTC = **18 March 2026 00.30 WIB** (the previous day in UTC);
- the same instant is 18 March 2026 02.30 WIT for a user of a Pemda in Jayapura.
"""

from __future__ import annotations

import io
import re
from datetime import UTC, date, datetime

import pytest
import sqlalchemy as sa
from openpyxl import load_workbook

from collab.core import i18n
from collab.extensions import db
from collab.models import Comment, Need, Program, ProgramSession, User
from tests.test_attendance import delivery  # noqa: F401 - fixture
from tests.test_evaluation import delivered  # noqa: F401 - fixture
from tests.test_needs_views import form as need_form
from tests.test_program_views import program_form

HALF_PAST_MIDNIGHT_WIB = datetime(2026, 3, 17, 17, 30, tzinfo=UTC)
"""00.30 WIB on 18 March 2026 (UTC+7), 02.30 WIT (UTC+9)."""

ZONE_WIT = "Asia/Jayapura"


def freeze(monkeypatch, when: datetime) -> None:
    """Make "now" ``when`` for :func:`collab.core.i18n.local_today` (form defaults, "today",
    days since a change)."""
    monkeypatch.setattr(i18n, "utcnow", lambda: when)


@pytest.fixture
def jayapura(world, make_org, make_user, make_need):
    """A WIT Pemda (Kota Jayapura, Asia/Jayapura) with its health office, an officer and an
    approver, and a need of theirs taken by the world's designer (in review)."""
    w = world
    w.jpr = make_org("Pemerintah Kota Jayapura", "pemda", region_code="91.71", timezone=ZONE_WIT)
    w.dinkes_jpr = make_org("Dinas Kesehatan Kota Jayapura", "opd", parent=w.jpr, timezone=ZONE_WIT)
    w.officer_jpr = make_user("officer@jpr.test", "pemda_officer", w.dinkes_jpr, "Yosef Officer")
    w.approver_jpr = make_user("approver@jpr.test", "pemda_approver", w.jpr, "Maria BKPSDM")
    w.n_jpr = make_need(
        w.officer_jpr,
        "in_review",
        designer=w.designer,
        approver=w.approver_jpr,
        title="Perawat Puskesmas Jayapura belum terlatih skrining PTM",
    )
    return w


def _new_need_id(app) -> int:
    with app.app_context():
        return db.session.scalar(sa.select(sa.func.max(Need.id)))


def _field_error(html: str, field: str) -> str:
    m = re.search(rf'<div class="field-error" id="{field}-err">([^<]*)</div>', html)
    return m.group(1) if m else ""


# --- A06 — dates: browser date inputs vs Indonesian display ---------------------------------------


def test_a06_need_needed_by_iso_is_stored_and_shown_per_locale(world, client, login, app):
    login(client, world.officer_ptk)
    resp = client.post("/needs/new", data=need_form(world, needed_by="2026-03-18"))
    assert resp.status_code == 302
    need_id = _new_need_id(app)
    with app.app_context():
        assert db.session.get(Need, need_id).needed_by == date(2026, 3, 18)
    assert "18 Maret 2026" in client.get(f"/needs/{need_id}?lang=id").get_data(as_text=True)
    assert "18 March 2026" in client.get(f"/needs/{need_id}?lang=en").get_data(as_text=True)
    for lang in ("id", "en"):
        edit = client.get(f"/needs/{need_id}/edit?lang={lang}").get_data(as_text=True)
        assert re.search(r'<input[^>]*name="needed_by"[^>]*value="2026-03-18"', edit), lang


def test_a06_need_typed_date_is_read_day_first(world, client, login, app):
    login(client, world.officer_ptk)
    resp = client.post("/needs/new", data=need_form(world, needed_by="03/04/2026"))
    assert resp.status_code == 302
    with app.app_context():
        assert db.session.get(Need, _new_need_id(app)).needed_by == date(2026, 4, 3)  # 3 April


@pytest.mark.parametrize("bad", ["2026-02-30", "2026-13-01", "18 Maret 2026", "04/31/2026"])
def test_a06_need_impossible_date_is_422_on_that_field(world, client, login, app, bad):
    login(client, world.officer_ptk)
    with app.app_context():
        before = db.session.scalar(sa.select(sa.func.count(Need.id)))
    resp = client.post("/needs/new", data=need_form(world, needed_by=bad))
    html = resp.get_data(as_text=True)
    assert resp.status_code == 422
    assert _field_error(html, "needed_by") == "Tanggal tidak valid."
    assert f'value="{bad}"' in html  # what was typed is kept for correction
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count(Need.id))) == before


def _designer_with_need(world, client, login):
    need = world.need("in_review")
    login(client, world.designer)
    return need


def _program_id(app) -> int:
    with app.app_context():
        return db.session.scalar(sa.select(sa.func.max(Program.id)))


def test_a06_program_planned_dates(world, client, login, app):
    need = _designer_with_need(world, client, login)
    quotas = {world.ptk.id: 20}
    resp = client.post(
        "/programs/new",
        data=program_form([need.id], quotas, planned_start="01/03/2027", planned_end="2027-03-05"),
    )
    assert resp.status_code == 302
    pid = _program_id(app)
    with app.app_context():
        p = db.session.get(Program, pid)
        assert (p.planned_start, p.planned_end) == (date(2027, 3, 1), date(2027, 3, 5))
    html = client.get(f"/programs/{pid}?lang=id").get_data(as_text=True)
    assert "1 Maret 2027 – 5 Maret 2027" in html
    html = client.get(f"/programs/{pid}?lang=en").get_data(as_text=True)
    assert "1 March 2027 – 5 March 2027" in html
    edit = client.get(f"/programs/{pid}/edit?lang=id").get_data(as_text=True)
    assert re.search(r'<input[^>]*name="planned_start"[^>]*value="2027-03-01"', edit)
    assert re.search(r'<input[^>]*name="planned_end"[^>]*value="2027-03-05"', edit)


@pytest.mark.parametrize(
    ("start", "end", "field", "message"),
    [
        ("2027-03-05", "2027-03-01", "planned_end", "Tanggal selesai tidak boleh sebelum"),
        ("2027-02-30", "2027-03-05", "planned_start", "Tanggal tidak valid."),
        ("2027-03-01", "2027-02-29", "planned_end", "Tanggal tidak valid."),
    ],
)
def test_a06_program_bad_planned_dates_are_422(
    world, client, login, app, start, end, field, message
):
    need = _designer_with_need(world, client, login)
    data = program_form([need.id], {world.ptk.id: 20}, planned_start=start, planned_end=end)
    resp = client.post("/programs/new", data=data)
    assert resp.status_code == 422
    assert _field_error(resp.get_data(as_text=True), field).startswith(message)
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count(Program.id))) == 0


def _session(**over):
    """The add-session form's fields (venue-local date-times), with ``over`` replaced."""
    data = {
        "starts_at": "2027-03-01T08:00",
        "ends_at": "2027-03-01T16:00",
        "location": "Aula BKPSDM",
        "topic": "Konsep RME",
        "jp": "8",
    }
    data.update(over)
    return data


def _sessions(app, pid):
    """The program's sessions as (start, end) in UTC, earliest first."""
    with app.app_context():
        return [
            (s.starts_at, s.ends_at)
            for s in db.session.scalars(
                sa.select(ProgramSession)
                .where(ProgramSession.program_id == pid)
                .order_by(ProgramSession.starts_at)
            )
        ]


def test_a06_session_times_are_read_in_the_venue_zone(pworld, client, login, app):
    login(client, pworld.designer)
    pid = pworld.p1  # venue in Asia/Pontianak (WIB)
    page = client.get(f"/programs/{pid}").get_data(as_text=True)
    assert re.search(r'<label[^>]*for="starts_at"[^>]*>Mulai \(WIB\)</label>', page)
    assert re.search(r'<label[^>]*for="ends_at"[^>]*>Selesai \(WIB\)</label>', page)
    assert client.post(f"/programs/{pid}/sessions", data=_session()).status_code == 302
    # typed by hand: day first (1 March), never 3 January
    typed = _session(starts_at="02/03/2027 08:00", ends_at="02/03/2027 12.00", jp="4")
    assert client.post(f"/programs/{pid}/sessions", data=typed).status_code == 302
    assert _sessions(app, pid) == [
        (datetime(2027, 3, 1, 1, 0, tzinfo=UTC), datetime(2027, 3, 1, 9, 0, tzinfo=UTC)),
        (datetime(2027, 3, 2, 1, 0, tzinfo=UTC), datetime(2027, 3, 2, 5, 0, tzinfo=UTC)),
    ]
    html = client.get(f"/programs/{pid}?lang=id").get_data(as_text=True)
    assert "1 Maret 2027 08.00–16.00 WIB" in html
    html = client.get(f"/programs/{pid}?lang=en").get_data(as_text=True)
    assert "1 March 2027 08:00–16:00 WIB" in html
    assert re.search(r'<label[^>]*for="starts_at"[^>]*>Start \(WIB\)</label>', html)


@pytest.mark.parametrize(
    ("over", "field", "message"),
    [
        (
            {"ends_at": "2027-03-01T07:00"},
            "ends_at",
            "Waktu selesai harus setelah waktu mulai.",
        ),
        ({"ends_at": "2027-02-28T16:00"}, "ends_at", "Waktu selesai harus setelah waktu mulai."),
        ({"starts_at": "2027-02-30T08:00"}, "starts_at", "Tanggal dan jam tidak valid."),
        ({"starts_at": "03/13/2027 08:00"}, "starts_at", "Tanggal dan jam tidak valid."),
    ],
)
def test_a06_session_bad_times_are_422(pworld, client, login, app, over, field, message):
    login(client, pworld.designer)
    resp = client.post(f"/programs/{pworld.p1}/sessions", data=_session(**over))
    assert resp.status_code == 422
    assert _field_error(resp.get_data(as_text=True), field) == message
    assert _sessions(app, pworld.p1) == []


# --- display in the viewer's zone: 00.30 WIB, and a WIT Pemda -------------------------------------


def _comment_at(app, user_ref, need_id, when: datetime) -> None:
    from collab.comments.services import add_comment

    with app.app_context():
        comment = add_comment(
            db.session.get(User, user_ref.id), db.session.get(Need, need_id), "Catatan"
        )
        comment.created_at = when
        db.session.commit()
        comment_id = comment.id
    with app.app_context():  # read back: stored as UTC, the same instant on SQLite and PostgreSQL
        stored = db.session.scalar(sa.select(Comment.created_at).where(Comment.id == comment_id))
        assert stored == when and stored.utcoffset().total_seconds() == 0


def test_half_past_midnight_wib_shows_on_the_local_day(world, client, login, app):
    _comment_at(app, world.officer_ptk, world.n1.id, HALF_PAST_MIDNIGHT_WIB)
    login(client, world.officer_ptk)
    html = client.get(f"/needs/{world.n1.id}?lang=id").get_data(as_text=True)
    assert "18 Maret 2026 00.30 WIB" in html and "17 Maret 2026" not in html
    html = client.get(f"/needs/{world.n1.id}?lang=en").get_data(as_text=True)
    assert "18 March 2026 00:30 WIB" in html and "17 March 2026" not in html


def test_wit_pemda_user_sees_wit_and_bkn_sees_wib(jayapura, client, login, app, make_client):
    w = jayapura
    _comment_at(app, w.officer_jpr, w.n_jpr.id, HALF_PAST_MIDNIGHT_WIB)
    login(client, w.officer_jpr)
    html = client.get(f"/needs/{w.n_jpr.id}?lang=id").get_data(as_text=True)
    assert "18 Maret 2026 02.30 WIT" in html
    html = client.get(f"/needs/{w.n_jpr.id}?lang=en").get_data(as_text=True)
    assert "18 March 2026 02:30 WIT" in html
    bkn = make_client()
    login(bkn, w.designer)  # Kantor Regional, Asia/Jakarta
    assert "18 Maret 2026 00.30 WIB" in bkn.get(f"/needs/{w.n_jpr.id}").get_data(as_text=True)


def test_user_zone_overrides_the_organisation_zone(world, client, login, app):
    with app.app_context():
        db.session.get(User, world.officer_ptk.id).timezone = "Asia/Makassar"
        db.session.commit()
    _comment_at(app, world.officer_ptk, world.n1.id, HALF_PAST_MIDNIGHT_WIB)
    login(client, world.officer_ptk)
    assert "18 Maret 2026 01.30 WITA" in client.get(f"/needs/{world.n1.id}").get_data(as_text=True)


def test_wit_program_sessions_read_and_shown_in_wit(jayapura, client, login, app):
    w = jayapura
    login(client, w.designer)
    data = program_form([w.n_jpr.id], {w.jpr.id: 10}, timezone=ZONE_WIT)
    assert client.post("/programs/new", data=data).status_code == 302
    pid = _program_id(app)
    page = client.get(f"/programs/{pid}").get_data(as_text=True)
    assert re.search(r'<label[^>]*for="starts_at"[^>]*>Mulai \(WIT\)</label>', page)
    assert "waktu WIT" in page
    resp = client.post(f"/programs/{pid}/sessions", data=_session(starts_at="2027-03-01T08:00"))
    assert resp.status_code == 302
    # 08.00 WIT on 1 March is 23.00 UTC on 28 February
    assert _sessions(app, pid)[0][0] == datetime(2027, 2, 28, 23, 0, tzinfo=UTC)
    html = client.get(f"/programs/{pid}").get_data(as_text=True)
    assert "1 Maret 2027 08.00–16.00 WIT" in html


# --- defaults and "today" in the viewer's zone ----------------------------------------------------


def _input_value(html: str, name: str) -> str:
    m = re.search(rf'<input[^>]*name="{name}"[^>]*value="([^"]*)"', html)
    return m.group(1) if m else ""


def test_default_fiscal_year_follows_the_viewers_new_year(
    jayapura, client, login, app, monkeypatch, make_client
):
    w = jayapura
    # 31 December 2026 15.30 UTC: already 1 January 2027 00.30 in WIT, still 22.30 in WIB
    freeze(monkeypatch, datetime(2026, 12, 31, 15, 30, tzinfo=UTC))
    login(client, w.officer_jpr)
    assert _input_value(client.get("/needs/new").get_data(as_text=True), "fiscal_year") == "2028"
    wib = make_client()
    login(wib, w.officer_ptk)
    assert _input_value(wib.get("/needs/new").get_data(as_text=True), "fiscal_year") == "2027"
    # 17.30 UTC: 00.30 WIB on 1 January 2027 — the next fiscal year is 2028 in WIB too
    freeze(monkeypatch, datetime(2026, 12, 31, 17, 30, tzinfo=UTC))
    assert _input_value(wib.get("/needs/new").get_data(as_text=True), "fiscal_year") == "2028"
    designer = make_client()
    login(designer, w.designer)
    html = designer.get("/programs/new").get_data(as_text=True)
    assert _input_value(html, "fiscal_year") == "2028"


def _selected_zone(html: str) -> str:
    select = re.search(r'<select[^>]*name="timezone".*?</select>', html, re.S).group(0)
    return re.search(r'<option selected value="([^"]+)"', select).group(1)


def test_new_program_venue_zone_defaults_to_the_partner_pemda_zone(jayapura, client, login):
    w = jayapura
    login(client, w.designer)
    assert _selected_zone(client.get("/programs/new").get_data(as_text=True)) == "Asia/Jakarta"
    html = client.get(f"/programs/new?need={w.n_jpr.id}").get_data(as_text=True)
    assert _selected_zone(html) == ZONE_WIT


def test_days_since_a_change_counts_local_calendar_days(world, client, login, app, monkeypatch):
    from collab.core.templating import days_since

    # now: 18 March 2026 08.00 WIB (01.00 UTC)
    freeze(monkeypatch, datetime(2026, 3, 18, 1, 0, tzinfo=UTC))
    with app.test_request_context():
        yesterday_late = datetime(2026, 3, 17, 16, 0, tzinfo=UTC)  # 23.00 WIB on 17 March
        assert days_since(yesterday_late, "Asia/Jakarta") == 1  # only 9 hours, but yesterday
        assert days_since(HALF_PAST_MIDNIGHT_WIB, "Asia/Jakarta") == 0  # today in WIB
        assert days_since(HALF_PAST_MIDNIGHT_WIB, "UTC") == 1
    with app.app_context():
        need = db.session.get(Need, world.n1.id)
        need.status_changed_at = datetime(2026, 3, 17, 16, 0, tzinfo=UTC)
        db.session.commit()
    login(client, world.officer_ptk)
    html = client.get("/needs/").get_data(as_text=True)
    assert "Menunggu Pemda · 1 hari" in html and "Menunggu Pemda · hari ini" not in html


def test_indicator_date_today_is_judged_in_the_recorders_zone(
    delivered,  # noqa: F811
    app,
    login,
    monkeypatch,
):
    from collab.evaluation import services as evaluation_services

    # 30 June 2027 15.30 UTC: 1 July 00.30 in WIT, still 30 June 22.30 in WIB (the venue's)
    now = datetime(2027, 6, 30, 15, 30, tzinfo=UTC)
    monkeypatch.setattr(evaluation_services, "utcnow", lambda: now)
    url = f"/programs/{delivered.p1}/evaluation/indicators"
    data = {"need_id": delivered.n2.id, "value": "61,5", "measured_on": "2027-07-01"}
    headers = {"HX-Request": "true"}
    c = app.test_client()
    login(c, delivered.officer_ptk)  # WIB: 1 July is tomorrow
    resp = c.post(url, data=data, headers=headers)
    assert resp.status_code == 422 and "masa depan" in resp.get_data(as_text=True)
    with app.app_context():
        db.session.get(User, delivered.officer_ptk.id).timezone = ZONE_WIT
        db.session.commit()
    assert c.post(url, data=data, headers=headers).status_code == 200  # WIT: 1 July is today
    typed = {**data, "measured_on": "30/06/2027"}  # day first
    assert c.post(url, data=typed, headers=headers).status_code == 200


# --- exports name the zone of their date-time columns ---------------------------------------------


def test_score_template_session_columns_name_the_zone(delivery, client, login, app):  # noqa: F811
    login(client, delivery.designer)
    url = f"/programs/{delivery.p1}/scores/template.csv"
    head = client.get(url + "?lang=id").get_data().decode("utf-8-sig").splitlines()[0]
    assert head.split(";")[4:] == [
        "Sesi 1 (1 Maret 2027 08.00 WIB)",
        "Sesi 2 (2 Maret 2027 08.00 WIB)",
    ]
    head = client.get(url + "?lang=en").get_data().decode("utf-8-sig").splitlines()[0]
    assert head.split(";")[4] == "Session 1 (1 March 2027 08:00 WIB)"
    resp = client.get(f"/programs/{delivery.p1}/scores/template.xlsx?lang=id")
    ws = load_workbook(io.BytesIO(resp.get_data())).worksheets[0]
    assert ws["E1"].value == "Sesi 1 (1 Maret 2027 08.00 WIB)"
