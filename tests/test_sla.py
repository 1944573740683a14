"""Working-day SLA clocks (collab/sla.py): due times across weekends and Indonesian public
holidays, the labels every page shows, and the reminders due at a frozen ``now``.

Dates used (``holidays``, country ID): Monday 17 August 2026 is Independence Day, Tuesday
25 August 2026 the Prophet's Birthday, Monday 1 June 2026 Pancasila Day. Kota Pontianak is WIB
(UTC+7), so a deadline (23:59:59 local) is 16:59:59 UTC.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
import sqlalchemy as sa

from collab import sla
from collab.core.workdays import add_working_days, is_working_day
from collab.extensions import db
from collab.models import Need, Organization, Program, User, utcnow
from collab.needs.services import create_need, transition_need
from collab.programs.services import transition_program
from tests.conftest import need_data

WIB = ZoneInfo("Asia/Pontianak")


def wib(*args) -> datetime:
    """An aware UTC datetime from a WIB wall-clock time."""
    return datetime(*args, tzinfo=WIB).astimezone(UTC)


def due(*day) -> datetime:
    """The deadline of a WIB day: 23:59:59 local, in UTC."""
    return datetime.combine(datetime(*day).date(), time(23, 59, 59), tzinfo=WIB).astimezone(UTC)


def submit_at(app, world, when: datetime, urgency="critical", title="RME Puskesmas") -> int:
    """BKPSDM files and sends a need straight to BKN at ``when`` (starts the clock)."""
    with app.app_context():
        approver = db.session.get(User, world.approver_ptk.id)
        need = create_need(approver, need_data(world.dinkes_ptk.id, urgency=urgency, title=title))
        db.session.flush()
        transition_need(approver, need, "submit", expected_version=need.version, now=when)
        db.session.commit()
        return need.id


def need_act(app, user_ref, need_id, action, when, comment=None):
    with app.app_context():
        need = db.session.get(Need, need_id)
        transition_need(
            db.session.get(User, user_ref.id),
            need,
            action,
            expected_version=need.version,
            comment=comment,
            now=when,
        )
        db.session.commit()


def program_act(app, user_ref, program_id, action, when, comment=None):
    with app.app_context():
        program = db.session.get(Program, program_id)
        transition_program(
            db.session.get(User, user_ref.id),
            program,
            action,
            expected_version=program.version,
            expected_revision=program.current_revision,
            comment=comment,
            now=when,
        )
        db.session.commit()


def reminders_at(app, when, entity_type=None):
    with app.test_request_context():
        out = sla.due_reminders(when)
        return [
            (r.event, r.entity_type, r.entity_id, sorted(u.email for u in r.recipients), r)
            for r in out
            if entity_type is None or r.entity_type == entity_type
        ]


# --- due times --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("urgency", "expected"),
    [
        # Fri 14 Aug; Sat, Sun, Mon 17 (Independence Day) skipped: Tue 18, Wed 19
        ("critical", due(2026, 8, 19)),
        # Tue 18, Wed 19, Thu 20, Fri 21, Mon 24
        ("high", due(2026, 8, 24)),
        # … Mon 24 (5), Tue 25 is the Prophet's Birthday, Wed 26 … Tue 1 Sep (10)
        ("medium", due(2026, 9, 1)),
        # … Tue 1 Sep (10), Wed 2 … Tue 15 Sep (20)
        ("low", due(2026, 9, 15)),
    ],
)
def test_first_response_due_skips_weekend_and_public_holidays(world, app, urgency, expected):
    need_id = submit_at(app, world, wib(2026, 8, 14, 10, 0), urgency)
    with app.app_context():
        need = db.session.get(Need, need_id)
        assert need.status == "submitted"
        assert need.sla_due_at == expected
        assert expected.isoformat().endswith("T16:59:59+00:00")


def test_due_day_is_counted_in_the_pemdas_zone(world, app, make_org, make_user):
    """A WITA Pemda's deadline is 23:59:59 WITA; a Thursday 23:30 WIB is already Friday there."""
    makassar = make_org("Pemerintah Kota Makassar", "pemda", timezone="Asia/Makassar")
    approver = make_user("approver@mks.test", "pemda_approver", makassar)
    with app.app_context():
        user = db.session.get(User, approver.id)
        need = create_need(user, need_data(makassar.id, urgency="critical"))
        db.session.flush()
        # Thu 20 Aug 23:30 WIB = Fri 21 Aug 00:30 WITA: the start day is Friday there
        when = wib(2026, 8, 20, 23, 30)
        transition_need(user, need, "submit", expected_version=need.version, now=when)
        db.session.commit()
        # critical: Mon 24 (1), Tue 25 holiday, Wed 26 (2); 23:59:59 WITA = 15:59:59 UTC
        # (counted in WIB it would have been Mon 24)
        assert need.sla_due_at == datetime(2026, 8, 26, 15, 59, 59, tzinfo=UTC)


# --- the clock --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("now", "left", "overdue", "due_soon", "label"),
    [
        (wib(2026, 8, 14, 16, 0), 2, False, False, "Menunggu BKN · sisa 2 hari kerja"),
        (wib(2026, 8, 17, 9, 0), 2, False, False, "Menunggu BKN · sisa 2 hari kerja"),  # holiday
        (wib(2026, 8, 18, 9, 0), 1, False, True, "Menunggu BKN · sisa 1 hari kerja"),
        (wib(2026, 8, 19, 23, 59), 0, False, True, "Menunggu BKN · tenggat hari ini"),
        (wib(2026, 8, 20, 0, 1), -1, True, False, "Menunggu BKN · Terlambat 1 hari kerja"),
        (wib(2026, 8, 22, 12, 0), -2, True, False, "Menunggu BKN · Terlambat 2 hari kerja"),
        (wib(2026, 8, 26, 8, 0), -4, True, False, "Menunggu BKN · Terlambat 4 hari kerja"),
    ],
)
def test_need_clock_counts_working_days(world, app, now, left, overdue, due_soon, label):
    need_id = submit_at(app, world, wib(2026, 8, 14, 10, 0))
    with app.test_request_context():
        need = db.session.get(Need, need_id)
        c = sla.clock(need, now)
        assert (c.kind, c.side, c.due_at) == ("first_response", "bkn", due(2026, 8, 19))
        assert (c.working_days_left, c.overdue, c.due_soon) == (left, overdue, due_soon)
        assert c.zone == "Asia/Pontianak"
        assert sla.clock_label(c) == label


def test_first_response_stops_the_clock(world, app):
    need_id = submit_at(app, world, wib(2026, 8, 14, 10, 0))
    need_act(app, world.designer, need_id, "take", wib(2026, 8, 18, 9, 0))
    with app.app_context():
        need = db.session.get(Need, need_id)
        assert need.first_response_at == wib(2026, 8, 18, 9, 0)
        assert sla.clock(need, wib(2026, 8, 25, 9, 0)) is None


def test_sign_off_due_at_propose_and_cleared_when_decided(pworld, app):
    # Fri 29 May 2026; Mon 1 June is Pancasila Day: Tue 2 … Mon 8 June is day 5
    program_act(app, pworld.designer, pworld.p1, "propose", wib(2026, 5, 29, 10, 0))
    with app.app_context():
        program = db.session.get(Program, pworld.p1)
        assert program.signoff_due_at == due(2026, 6, 8)
        c = sla.clock(program, wib(2026, 6, 5, 9, 0))
        assert (c.kind, c.side, c.working_days_left, c.due_soon) == ("sign_off", "both", 1, True)
    program_act(app, pworld.approver_bkn, pworld.p1, "approve", wib(2026, 6, 2, 9, 0))
    program_act(app, pworld.approver_ptk, pworld.p1, "approve", wib(2026, 6, 2, 10, 0))
    with app.app_context():
        program = db.session.get(Program, pworld.p1)
        assert program.status == "proposed" and program.signoff_due_at == due(2026, 6, 8)
        assert sla.clock(program, wib(2026, 6, 3, 9, 0)).side == "pemda"  # Kubu Raya left
    program_act(app, pworld.approver_kkr, pworld.p1, "approve", wib(2026, 6, 3, 11, 0))
    with app.app_context():
        program = db.session.get(Program, pworld.p1)
        assert program.status == "approved" and program.signoff_due_at is None
        assert sla.clock(program, wib(2026, 6, 3, 12, 0)) is None


def test_changes_requested_clears_and_a_new_revision_restarts_the_clock(pworld, app):
    program_act(app, pworld.designer, pworld.p1, "propose", wib(2026, 5, 29, 10, 0))
    program_act(
        app, pworld.approver_ptk, pworld.p1, "request_changes", wib(2026, 6, 2, 9, 0), "Ubah."
    )
    with app.app_context():
        assert db.session.get(Program, pworld.p1).signoff_due_at is None
    program_act(app, pworld.designer, pworld.p1, "propose", wib(2026, 6, 3, 10, 0))
    with app.app_context():
        program = db.session.get(Program, pworld.p1)
        assert program.current_revision == 2
        assert program.signoff_due_at == due(2026, 6, 10)  # Wed 3 + 5: Thu 4 … Wed 10
    program_act(app, pworld.approver_bkn, pworld.p1, "reject", wib(2026, 6, 4, 9, 0), "Tidak.")
    with app.app_context():
        assert db.session.get(Program, pworld.p1).signoff_due_at is None


# --- what pages show --------------------------------------------------------------------------


def _set_due(app, need_id, due_at):
    with app.app_context():
        db.session.get(Need, need_id).sla_due_at = due_at
        db.session.commit()


def _working_days_ago(n: int) -> datetime:
    """A deadline ``n`` working days before today (WIB): 23:59:59 of the day before the n-th
    working day counted back from today."""
    day = utcnow().astimezone(WIB).date()
    counted = 0
    while counted < n:
        if is_working_day(day):
            counted += 1
        day -= timedelta(days=1)
    return datetime.combine(day, time(23, 59, 59), tzinfo=WIB).astimezone(UTC)


def _row(html: str, title: str) -> str:
    m = re.search(
        r"<tr[^>]*>(?:(?!</tr>).)*" + re.escape(title) + r"(?:(?!</tr>).)*</tr>", html, re.S
    )
    assert m, f"no row for {title!r}"
    return m.group(0)


@pytest.fixture
def three_needs(world, app):
    """Submitted needs due in 3 working days, due today, and 2 working days late."""
    now = utcnow()
    refs = {
        "later": world.need("submitted", title="Tenggat tiga hari kerja lagi"),
        "today": world.need("submitted", title="Tenggat hari ini"),
        "late": world.need("submitted", title="Tenggat sudah lewat"),
    }
    _set_due(app, refs["later"].id, add_working_days(now, 3, "Asia/Pontianak"))
    _set_due(
        app,
        refs["today"].id,
        datetime.combine(now.astimezone(WIB).date(), time(23, 59, 59), tzinfo=WIB).astimezone(UTC),
    )
    _set_due(app, refs["late"].id, _working_days_ago(2))
    return refs


def _assert_labels(html):
    later = _row(html, "Tenggat tiga hari kerja lagi")
    assert "Menunggu BKN · sisa 3 hari kerja" in later and 'data-sla="running"' in later
    assert re.search(r'title="Tenggat \d+ \w+ \d{4} 23\.59 WI[BT]A?"', later)
    today = _row(html, "Tenggat hari ini")
    assert "Menunggu BKN · tenggat hari ini" in today and 'data-sla="due_soon"' in today
    late = _row(html, "Tenggat sudah lewat")
    assert "Terlambat 2 hari kerja" in late
    assert re.search(r'class="badge[^"]*text-bg-danger[^"]*"[^>]*data-sla="overdue"', late)


def test_needs_list_shows_the_clock(world, app, client, login, three_needs):
    login(client, world.designer)
    html = client.get("/needs/").get_data(as_text=True)
    _assert_labels(html)
    # a need BKN has taken has no clock: whose turn and days since the last change
    taken = world.need("in_review", title="Sudah ditangani")
    html = client.get("/needs/").get_data(as_text=True)
    row = _row(html, "Sudah ditangani")
    assert "Menunggu BKN · hari ini" in row and "data-sla" not in row and taken


def test_dashboards_show_the_clock_and_list_overdue(
    world, app, client, login, make_client, three_needs
):
    login(client, world.designer)
    html = client.get("/dashboard").get_data(as_text=True)
    _assert_labels(html[html.index("Menunggu Anda") :])
    assert 'data-testid="overdue">1<' in html
    overdue = html[html.index('id="overdue-list"') : html.index("Menunggu Anda")]
    assert "Tenggat sudah lewat" in overdue and "Terlambat 2 hari kerja" in overdue
    assert "Tenggat hari ini" not in overdue
    pemda = make_client()
    login(pemda, world.approver_ptk)
    html = pemda.get("/dashboard").get_data(as_text=True)
    overdue = html[html.index('id="overdue-list"') : html.index("Menunggu Anda")]
    assert "Tenggat sudah lewat" in overdue and "Terlambat 2 hari kerja" in overdue


def test_need_detail_shows_the_clock(world, app, client, login, three_needs):
    login(client, world.officer_ptk)
    html = client.get(f"/needs/{three_needs['later'].id}").get_data(as_text=True)
    assert "Menunggu BKN · sisa 3 hari kerja" in html
    html = client.get(f"/needs/{three_needs['late'].id}").get_data(as_text=True)
    assert "Menunggu BKN · Terlambat 2 hari kerja" in html and "Lewat tenggat respons" in html


def test_proposal_clock_on_program_pages_and_overdue_sign_offs(
    pworld, app, client, login, make_client
):
    program_act(app, pworld.designer, pworld.p1, "propose", utcnow())
    program_act(app, pworld.approver_bkn, pworld.p1, "approve", utcnow())
    login(client, pworld.approver_ptk)
    html = client.get(f"/programs/{pworld.p1}").get_data(as_text=True)
    assert "Menunggu Pemda · sisa 5 hari kerja" in html
    row = _row(client.get("/programs/").get_data(as_text=True), "Pelatihan Rekam Medis")
    assert "Menunggu Pemda · sisa 5 hari kerja" in row
    with app.app_context():
        db.session.get(Program, pworld.p1).signoff_due_at = _working_days_ago(3)
        db.session.commit()
    html = client.get("/dashboard").get_data(as_text=True)
    assert 'data-testid="overdue-signoffs">1<' in html
    overdue = html[html.index('id="overdue-list"') : html.index("Menunggu Anda")]
    row = _row(overdue, "Pelatihan Rekam Medis")
    assert (
        "Menunggu Pemda · Terlambat 3 hari kerja" in row and "Pemerintah Kabupaten Kubu Raya" in row
    )
    bkn = make_client()
    login(bkn, pworld.designer)
    html = bkn.get("/dashboard").get_data(as_text=True)
    assert 'data-testid="overdue-signoffs">1<' in html
    joint = _row(html[html.index('id="joint-programs"') :], "Pelatihan Rekam Medis")
    assert 'data-turn="pemda"' in joint and "Terlambat 3 hari kerja" in joint


def test_list_pages_stay_constant_with_clocks(
    world, app, client, login, count_queries, three_needs
):
    login(client, world.designer)
    client.get("/needs/")
    for url in ("/needs/", "/dashboard"):
        with count_queries() as small:
            client.get(url)
        for i in range(6):
            ref = world.need("submitted", title=f"Tambahan {i}")
            _set_due(app, ref.id, _working_days_ago(1 + i))
        with count_queries() as large:
            html = client.get(url).get_data(as_text=True)
        assert "Terlambat 6 hari kerja" in html
        assert small.count == large.count, (url, small.count, large.count)


# --- reminders --------------------------------------------------------------------------------


def test_need_warning_one_working_day_before_then_escalation(world, app, count_queries):
    need_id = submit_at(app, world, wib(2026, 8, 14, 10, 0))  # due Wed 19 Aug
    key_due = "2026-08-19T16:59:59+00:00"
    assert reminders_at(app, wib(2026, 8, 14, 16, 0)) == []
    assert reminders_at(app, wib(2026, 8, 17, 9, 0)) == []  # holiday; 2 working days left
    designers = ["designer2@bkn.test", "designer@bkn.test"]
    for when, days in ((wib(2026, 8, 18, 8, 0), 1), (wib(2026, 8, 19, 20, 0), 0)):
        [(event, etype, eid, to, r)] = reminders_at(app, when)
        assert (event, etype, eid, to) == ("sla_warning", "need", need_id, designers)
        assert r.dedupe_key == f"sla_warning:need:{need_id}:{key_due}"
        assert r.params == {
            "title": "RME Puskesmas",
            "due_at": key_due,
            "zone": "Asia/Pontianak",
            "days": days,
            "side": "bkn",
            "kind": "first_response",
        }
    for when, days in ((wib(2026, 8, 20, 0, 1), 1), (wib(2026, 8, 21, 9, 0), 2)):
        [(event, etype, eid, to, r)] = reminders_at(app, when)
        assert (event, eid, to) == ("sla_overdue", need_id, ["approver@bkn.test"])
        assert r.dedupe_key == f"sla_overdue:need:{need_id}:{key_due}"
        assert r.params["days"] == days and r.params["side"] == "bkn"


def test_need_warning_goes_to_active_designers_of_active_units(world, app, make_org, make_user):
    upt = make_org("UPT BKN Pontianak", "bkn", parent=world.kanreg, timezone="Asia/Pontianak")
    make_user("upt@bkn.test", "bkn_designer", upt)
    submit_at(app, world, wib(2026, 8, 14, 10, 0))
    with app.app_context():
        db.session.get(User, world.designer2.id).active = False
        db.session.get(Organization, upt.id).active = False
        db.session.commit()
    [(event, _t, _i, to, _r)] = reminders_at(app, wib(2026, 8, 18, 8, 0))
    assert (event, to) == ("sla_warning", ["designer@bkn.test"])


def test_no_reminders_for_withdrawn_taken_or_declined_needs(world, app):
    a = submit_at(app, world, wib(2026, 8, 14, 10, 0), title="Ditarik")
    b = submit_at(app, world, wib(2026, 8, 14, 10, 0), title="Ditangani")
    c = submit_at(app, world, wib(2026, 8, 14, 10, 0), title="Ditolak")
    d = submit_at(app, world, wib(2026, 8, 14, 10, 0), title="Masih diajukan")
    need_act(app, world.approver_ptk, a, "withdraw", wib(2026, 8, 18, 7, 0), "Tidak jadi.")
    need_act(app, world.designer, b, "take", wib(2026, 8, 18, 7, 0))
    need_act(app, world.designer, c, "decline", wib(2026, 8, 18, 7, 0), "Ke instansi lain.")
    for when in (wib(2026, 8, 18, 8, 0), wib(2026, 8, 25, 8, 0)):
        assert [eid for _e, _t, eid, _to, _r in reminders_at(app, when)] == [d]


def test_sign_off_warning_to_unsigned_sides_then_escalation(pworld, app, count_queries):
    program_act(
        app, pworld.designer, pworld.p1, "propose", wib(2026, 5, 29, 10, 0)
    )  # due Mon 8 Jun
    key_due = "2026-06-08T16:59:59+00:00"
    assert reminders_at(app, wib(2026, 6, 4, 9, 0), "program") == []  # 2 working days left
    [(event, _t, pid, to, r)] = reminders_at(app, wib(2026, 6, 5, 9, 0), "program")
    assert (event, pid) == ("sla_warning", pworld.p1)
    assert to == ["approver@bkn.test", "approver@kkr.test", "approver@ptk.test"]
    assert r.dedupe_key == f"sla_warning:program:{pworld.p1}:{key_due}"
    assert r.params["side"] == "both" and r.params["days"] == 1 and r.params["revision"] == 1
    program_act(app, pworld.approver_bkn, pworld.p1, "approve", wib(2026, 6, 5, 10, 0))
    program_act(app, pworld.approver_kkr, pworld.p1, "approve", wib(2026, 6, 5, 11, 0))
    [(event, _t, _p, to, r)] = reminders_at(app, wib(2026, 6, 8, 9, 0), "program")
    assert (event, to, r.params["side"]) == ("sla_warning", ["approver@ptk.test"], "pemda")
    assert r.params["pending"] == ["Pemerintah Kota Pontianak"]
    assert r.dedupe_key == f"sla_warning:program:{pworld.p1}:{key_due}"  # stable
    [(event, _t, _p, to, r)] = reminders_at(app, wib(2026, 6, 9, 9, 0), "program")
    assert (event, to) == ("sla_overdue", ["approver@ptk.test", "designer@bkn.test"])
    assert r.dedupe_key == f"sla_overdue:program:{pworld.p1}:{key_due}"
    assert r.params["days"] == 1 and r.params["title"].startswith("Pelatihan Rekam Medis")
    program_act(app, pworld.approver_ptk, pworld.p1, "approve", wib(2026, 6, 9, 10, 0))
    assert reminders_at(app, wib(2026, 6, 9, 11, 0), "program") == []
    assert reminders_at(app, wib(2026, 7, 1, 9, 0), "program") == []


def test_due_reminders_take_few_statements(pworld, app, count_queries):
    program_act(app, pworld.designer, pworld.p1, "propose", wib(2026, 5, 29, 10, 0))
    for i in range(5):
        submit_at(app, pworld, wib(2026, 6, 1 + i, 10, 0), title=f"Usulan {i}")
    with app.test_request_context():
        with count_queries() as qc:
            out = sla.due_reminders(wib(2026, 6, 9, 9, 0))
    assert qc.count <= 5, qc.count
    assert {r.entity_type for r in out} == {"need", "program"}
    assert len([r for r in out if r.entity_type == "need"]) >= 5


def test_demo_data_has_an_overdue_need_and_a_sign_off_due_soon(app, db):
    from collab.seed import seed_demo

    with app.test_request_context():
        assert seed_demo() is True
        now = utcnow()
        needs = db.session.scalars(sa.select(Need).where(Need.status == "submitted")).unique()
        assert any(c and c.overdue for c in (sla.clock(n, now) for n in needs))
        proposals = db.session.scalars(sa.select(Program).where(Program.status == "proposed"))
        clocks = [sla.clock(p, now) for p in proposals.unique()]
        assert any(c and c.due_soon and c.side == "pemda" for c in clocks), clocks
        events = {(r.event, r.entity_type) for r in sla.due_reminders(now)}
        assert {("sla_overdue", "need"), ("sla_warning", "program")} <= events
        assert seed_demo() is False  # still idempotent


def test_label_counts_days_in_the_viewers_zone(world, app):
    """Due 19 Aug 23.59 WIB = 20 Aug 01.59 WIT: at 14.00 WIB on the 19th a WIB reader is due
    today, a WIT reader tomorrow (matching the due time shown to them); the deadline is the
    same instant for both."""
    need_id = submit_at(app, world, wib(2026, 8, 14, 10, 0))
    with app.test_request_context():
        c = sla.clock(db.session.get(Need, need_id), wib(2026, 8, 19, 14, 0))
        assert sla.clock_label(c, "Asia/Pontianak") == "Menunggu BKN · tenggat hari ini"
        assert sla.clock_label(c, "Asia/Jayapura") == "Menunggu BKN · sisa 1 hari kerja"
        late = sla.clock(db.session.get(Need, need_id), wib(2026, 8, 20, 9, 0))
        assert sla.clock_label(late, "Asia/Jayapura") == "Menunggu BKN · Terlambat 1 hari kerja"


def test_overdue_count_links_to_the_filtered_list_for_every_role(
    world, app, make_client, login, three_needs
):
    """The "Lihat yang terlambat" link leads to a list that shows the overdue need — also on
    the admin's dashboard, which has no overdue section to jump to."""
    for user in (world.designer, world.admin):
        client = make_client()
        login(client, user)
        html = client.get("/dashboard").get_data(as_text=True)
        link = re.search(r'href="([^"]+)">Lihat yang terlambat<', html).group(1)
        assert link == "/needs/?overdue=1"
        listed = client.get(link.replace("&amp;", "&"))
        assert listed.status_code == 200
        page = listed.get_data(as_text=True)
        assert "Tenggat sudah lewat" in page and "Tenggat tiga hari kerja lagi" not in page
