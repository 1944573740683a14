"""Attendance grid (htmx cells, session columns, "Semua hadir"), who may record it, the start
and complete guards, completion (attendance and pass-mark boundaries, JP), the scores grid,
and the versions every grid save carries (a stale or missing one is 409, nothing saved)."""

from __future__ import annotations

import re
from datetime import UTC, datetime

import pytest
import sqlalchemy as sa

from collab.attendance.services import compute_completion
from collab.errors import ValidationFailed
from collab.extensions import db
from collab.models import Attendance, AuditEvent, Participant, Program, User
from collab.programs.services import SessionData, add_session
from tests.conftest import attend_all, enrol
from tests.test_program_views import post_action
from tests.test_programs import act

AFTER = datetime(2030, 1, 1, tzinfo=UTC)
"""A moment after every session used here."""


def add_sessions(app, world, program_id, days, hour=8, hours=2, jp=2):
    """Sessions on ``days`` (local dates (y, m, d) in the program's zone); returns their ids."""
    ids = []
    with app.app_context():
        designer = db.session.get(User, world.designer.id)
        for y, m, d in days:
            p = db.session.get(Program, program_id)
            s = add_session(
                designer,
                p,
                SessionData(
                    datetime(y, m, d, hour, 0),
                    datetime(y, m, d, hour + hours, 0),
                    "Aula",
                    f"Sesi {d}",
                    jp,
                ),
            )
            db.session.commit()
            ids.append(s.id)
    return ids


def approve_all(app, w, pid):
    act(app, w.designer, pid, "propose")
    for who in (w.approver_bkn, w.approver_ptk, w.approver_kkr):
        act(app, who, pid, "approve")


def to_delivery(app, w, pid, days=((2027, 3, 1), (2027, 3, 2)), ptk=2, kkr=1):
    """Propose, approve, add sessions, schedule, enrol, start: the program is in delivery.
    Returns (session ids, Pontianak participant ids, Kubu Raya participant ids)."""
    approve_all(app, w, pid)
    sessions = add_sessions(app, w, pid, days)
    act(app, w.designer, pid, "schedule")
    ptk_ids = enrol(app, pid, w.ptk, ptk) if ptk else []
    kkr_ids = enrol(app, pid, w.kkr, kkr, unit="Puskesmas Sungai Raya") if kkr else []
    act(app, w.designer, pid, "start")
    return sessions, ptk_ids, kkr_ids


def complete(app, w, pid, monkeypatch):
    import collab.programs.services as program_services

    monkeypatch.setattr(program_services, "utcnow", lambda: AFTER)
    act(app, w.designer, pid, "complete")
    monkeypatch.undo()


@pytest.fixture
def delivery(pworld, app):
    pworld.sessions, pworld.ptk_ids, pworld.kkr_ids = to_delivery(app, pworld, pworld.p1)
    return pworld


HX = {"HX-Request": "true"}


def cell_url(w, s, p):
    return f"/programs/{w.p1}/attendance/{s}/{p}"


CELL_VERSION = re.compile(r'name="v-(\d+)" value="([^"]*)" form="att-col-(\d+)"')
SCORE_VERSION = re.compile(
    r'<form id="score-(\d+)"[^>]*><input type="hidden" name="csrf_token" value="[^"]*">'
    r'<input type="hidden" name="version" value="([^"]*)">'
)


class GridTab:
    """One browser tab on a program page: it posts what the page's forms hold — each cell's
    version (``v-<participant id>``, fields of the session's column form, which the cell's
    htmx post, "Semua hadir" and the column save all send) and each scores row's
    ``version`` — and, like htmx swapping the answer in, takes the versions of every
    fragment it gets back (a plain form's redirect reloads the page)."""

    def __init__(self, client, program_id: int):
        self.client, self.program_id = client, program_id
        self.cells: dict[tuple[int, int], str] = {}
        self.scores: dict[int, str] = {}
        self.html = self.reload()

    def reload(self) -> str:
        self.cells.clear()
        self.scores.clear()
        self.html = self.client.get(f"/programs/{self.program_id}").get_data(as_text=True)
        self.read(self.html)
        return self.html

    def read(self, html: str) -> None:
        for pid, version, sid in CELL_VERSION.findall(html):
            self.cells[int(sid), int(pid)] = version
        for pid, version in SCORE_VERSION.findall(html):
            self.scores[int(pid)] = version

    def post(self, url: str, data: dict, htmx: bool = True):
        resp = self.client.post(url, data=data, headers=HX if htmx else {})
        if resp.status_code == 302:
            self.reload()
        elif resp.status_code in (200, 409, 422):
            self.read(resp.get_data(as_text=True))
        return resp

    def column(self, s: int) -> dict[str, str]:
        """The versions the column form of session ``s`` posts."""
        return {f"v-{p}": v for (sid, p), v in self.cells.items() if sid == s}

    def cell(self, s: int, p: int, status: str, htmx: bool = True):
        url = f"/programs/{self.program_id}/attendance/{s}/{p}"
        return self.post(url, {**self.column(s), f"p-{p}": status}, htmx)

    def save_column(self, s: int, statuses: dict[int, str], htmx: bool = False):
        data = {**self.column(s), **{f"p-{p}": v for p, v in statuses.items()}}
        return self.post(f"/programs/{self.program_id}/attendance/{s}", data, htmx)

    def all_present(self, s: int, htmx: bool = True):
        url = f"/programs/{self.program_id}/attendance/{s}/all-present"
        return self.post(url, self.column(s), htmx)

    def set_scores(self, p: int, pre: str, post: str, htmx: bool = True):
        data = {"pre_score": pre, "post_score": post, "version": self.scores[p]}
        return self.post(f"/programs/{self.program_id}/scores/{p}", data, htmx)


def attendance_rows(app, program_id):
    with app.app_context():
        return {
            (a.session_id, a.participant_id): a.status
            for a in db.session.scalars(sa.select(Attendance))
        }


def events(app, program_id, action="record_attendance"):
    with app.app_context():
        return [
            e.data
            for e in db.session.scalars(
                sa.select(AuditEvent)
                .where(
                    AuditEvent.entity_type == "program",
                    AuditEvent.entity_id == program_id,
                    AuditEvent.action == action,
                )
                .order_by(AuditEvent.id)
            )
        ]


# --- the grid ----------------------------------------------------------------------------------


def test_htmx_cell_stores_the_value_and_returns_the_cell(delivery, app, client, login):
    w = delivery
    login(client, w.designer)
    s1, p1 = w.sessions[0], w.ptk_ids[0]
    tab = GridTab(client, w.p1)
    html = tab.html
    assert 'id="attendance"' in html and f'name="p-{p1}"' in html
    assert "Semua hadir" in html and 'form="att-col-' in html
    assert tab.cells[s1, p1] == "0"  # nothing recorded yet

    resp = tab.cell(s1, p1, "sakit")
    assert resp.status_code == 200
    body = resp.get_data(as_text=True)
    assert body.lstrip().startswith("<td") and "<html" not in body
    assert f'id="att-{s1}-{p1}"' in body and '<option value="sakit" selected>' in body
    assert f'name="v-{p1}" value="1" form="att-col-{s1}"' in body  # the cell's new version
    assert "attendance-changed" in resp.headers.get("HX-Trigger", "")
    assert attendance_rows(app, w.p1) == {(s1, p1): "sakit"}
    assert events(app, w.p1) == [{"session_id": s1, "participant_id": p1, "status": "sakit"}]

    # changing it updates the row; the same value again writes no audit row
    assert tab.cell(s1, p1, "hadir").status_code == 200
    assert tab.cell(s1, p1, "hadir").status_code == 200
    assert attendance_rows(app, w.p1) == {(s1, p1): "hadir"}
    assert len(events(app, w.p1)) == 2

    # a bad value: 422 with the message at the cell, nothing stored
    resp = tab.post(cell_url(w, s1, w.ptk_ids[1]), {**tab.column(s1), "p-x": "bolos"})
    assert resp.status_code == 422
    assert "Pilih status kehadiran." in resp.get_data(as_text=True)
    assert (s1, w.ptk_ids[1]) not in attendance_rows(app, w.p1)

    # without htmx the cell post redirects back to the grid
    resp = tab.cell(s1, w.ptk_ids[1], "izin", htmx=False)
    assert resp.status_code == 302 and resp.headers["Location"].endswith("#attendance")


def test_column_save_and_all_present_write_one_audit_row_each(delivery, app, client, login):
    w = delivery
    login(client, w.designer)
    s1, s2 = w.sessions
    a, b = w.ptk_ids
    c = w.kkr_ids[0]
    tab = GridTab(client, w.p1)
    resp = tab.save_column(s1, {a: "hadir", b: "izin", c: ""})  # blank: left as is
    assert resp.status_code == 302
    assert attendance_rows(app, w.p1) == {(s1, a): "hadir", (s1, b): "izin"}
    assert events(app, w.p1) == [
        {"session_id": s1, "statuses": {str(a): "hadir", str(b): "izin"}, "count": 2}
    ]
    # "Semua hadir" fills only the empty cells; Izin stays
    resp = tab.all_present(s1)
    assert resp.status_code == 200 and 'id="attendance"' in resp.get_data(as_text=True)
    rows = attendance_rows(app, w.p1)
    assert rows[(s1, a)] == "hadir" and rows[(s1, b)] == "izin" and rows[(s1, c)] == "hadir"
    assert len(events(app, w.p1)) == 2 and events(app, w.p1)[-1]["all_present"] is True
    # a column with a participant of another program or a bad value changes nothing
    assert tab.save_column(s2, {99999: "hadir"}).status_code == 404
    tab.save_column(s2, {a: "hadir", b: "x"})
    assert (s2, a) not in attendance_rows(app, w.p1)


def test_only_the_owner_designer_records(delivery, app, make_client, login, make_org, make_user):
    w = delivery
    s1, p1 = w.sessions[0], w.ptk_ids[0]
    sambas = make_org("Pemerintah Kabupaten Sambas", "pemda", region_code="61.01")
    outsider = make_user("sambas@test", "pemda_approver", sambas)
    expected = {
        w.designer2: 403,
        w.approver_bkn: 403,
        w.approver_ptk: 403,
        w.officer_ptk: 403,
        w.admin: 403,
        outsider: 404,
    }
    for user, code in expected.items():
        c = make_client()
        login(c, user)
        for url, data in (
            (cell_url(w, s1, p1), {f"p-{p1}": "hadir"}),
            (f"/programs/{w.p1}/attendance/{s1}", {f"p-{p1}": "hadir"}),
            (f"/programs/{w.p1}/attendance/{s1}/all-present", {}),
            (f"/programs/{w.p1}/scores/{p1}", {"pre_score": "50"}),
        ):
            assert c.post(url, data=data, headers=HX).status_code == code, (user, url)
    assert attendance_rows(app, w.p1) == {}
    # a participant who is not enrolled, or of another program, is not in the grid
    with app.app_context():
        p = db.session.get(Participant, w.kkr_ids[0])
        p.status = "withdrawn"
        db.session.commit()
    designer = make_client()
    login(designer, w.designer)
    resp = designer.post(cell_url(w, s1, w.kkr_ids[0]), data={"status": "hadir"}, headers=HX)
    assert resp.status_code == 404
    assert designer.post(cell_url(w, 99999, p1), data={"status": "hadir"}).status_code == 404


def test_pemda_sees_its_own_participants_read_only(delivery, app, make_client, login):
    w = delivery
    attend_all(app, w.p1)
    with app.app_context():
        names = {p.id: p.nip for p in db.session.scalars(sa.select(Participant))}
    kkr = make_client()
    login(kkr, w.approver_kkr)
    html = kkr.get(f"/programs/{w.p1}").get_data(as_text=True)
    grid = html[html.index('id="attendance"') : html.index('id="scores"')]
    assert names[w.kkr_ids[0]] in grid
    assert all(names[i] not in html for i in w.ptk_ids)
    assert "<select" not in grid and "Semua hadir" not in grid and "Hadir" in grid
    designer = make_client()
    login(designer, w.designer)
    html = designer.get(f"/programs/{w.p1}").get_data(as_text=True)
    assert all(names[i] in html for i in w.ptk_ids + w.kkr_ids)


def test_delivered_grid_is_read_only(delivery, app, client, login, monkeypatch):
    w = delivery
    attend_all(app, w.p1)
    complete(app, w, w.p1, monkeypatch)
    login(client, w.designer)
    html = client.get(f"/programs/{w.p1}").get_data(as_text=True)
    grid = html[html.index('id="attendance"') : html.index('id="scores"')]
    assert "<select" not in grid and "Hadir" in grid
    s1, p1 = w.sessions[0], w.ptk_ids[0]
    assert client.post(cell_url(w, s1, p1), data={f"p-{p1}": "izin"}).status_code == 403


# --- guards ----------------------------------------------------------------------------------


def test_start_needs_an_enrolled_participant(pworld, app, client, login):
    w = pworld
    approve_all(app, w, w.p1)
    add_sessions(app, w, w.p1, [(2027, 3, 1)])
    act(app, w.designer, w.p1, "schedule")
    enrol(app, w.p1, w.ptk, 1)
    with app.app_context():
        db.session.execute(sa.update(Participant).values(status="nominated"))
        db.session.commit()
    login(client, w.designer)
    resp = post_action(client, app, w.p1, "start", htmx=True)
    assert resp.status_code == 422
    text = resp.get_data(as_text=True)
    assert "Program belum dapat dimulai" in text and "Belum ada peserta terdaftar" in text
    with app.app_context():
        db.session.execute(sa.update(Participant).values(status="enrolled"))
        db.session.commit()
    assert post_action(client, app, w.p1, "start").status_code == 302
    with app.app_context():
        assert db.session.get(Program, w.p1).status == "in_delivery"


def test_complete_needs_attendance_for_everyone_in_every_session(
    delivery, app, client, login, monkeypatch
):
    w = delivery
    import collab.programs.services as program_services

    monkeypatch.setattr(program_services, "utcnow", lambda: AFTER)
    login(client, w.designer)
    tab = GridTab(client, w.p1)
    assert tab.all_present(w.sessions[0], htmx=False).status_code == 302
    resp = post_action(client, app, w.p1, "complete", htmx=True)
    assert resp.status_code == 422
    text = resp.get_data(as_text=True)
    assert "Program belum dapat diselesaikan" in text
    assert "Presensi sesi 2 (2 Maret 2027) belum lengkap: 3 peserta" in text
    assert "Presensi sesi 1" not in text
    with app.app_context():
        with pytest.raises(ValidationFailed) as exc:
            program_services.transition_program(
                db.session.get(User, w.designer.id),
                db.session.get(Program, w.p1),
                "complete",
                expected_version=db.session.get(Program, w.p1).version,
            )
        db.session.rollback()
    assert list(exc.value.errors) == ["attendance"]
    tab.save_column(w.sessions[1], {w.ptk_ids[0]: "hadir", w.ptk_ids[1]: "sakit"})
    text = post_action(client, app, w.p1, "complete", htmx=True).get_data(as_text=True)
    assert "belum lengkap: 1 peserta" in text
    assert tab.all_present(w.sessions[1], htmx=False).status_code == 302
    assert post_action(client, app, w.p1, "complete").status_code == 302
    with app.app_context():
        assert db.session.get(Program, w.p1).status == "delivered"


# --- completion --------------------------------------------------------------------------------


FIVE_DAYS = [(2027, 3, d) for d in range(1, 6)]


def set_rows(app, program_id, plan):
    """``plan``: {participant_id: (statuses per session, post_score)}."""
    with app.app_context():
        program = db.session.get(Program, program_id)
        for pid, (statuses, post) in plan.items():
            db.session.get(Participant, pid).post_score = post
            for s, st in zip(program.sessions, statuses, strict=True):
                db.session.add(
                    Attendance(session_id=s.id, participant_id=pid, status=st, recorded_by_id=1)
                )
        db.session.commit()


def results(app, program_id):
    with app.app_context():
        return {
            p.id: (p.passed, p.jp_earned)
            for p in db.session.scalars(
                sa.select(Participant).where(Participant.program_id == program_id)
            )
        }


def test_completion_boundaries_and_jp_only_for_passed(pworld, app, monkeypatch):
    w = pworld
    _, ids, _ = to_delivery(app, w, w.p1, days=FIVE_DAYS, ptk=6, kkr=0)
    H, I, S, T = "hadir", "izin", "sakit", "tanpa_keterangan"  # noqa: E741
    plan = {
        ids[0]: ([H, H, H, H, I], 70),  # 80% = minimum, post = pass mark → passed
        ids[1]: ([H, H, H, S, T], 100),  # 60% < 80% → failed despite the score
        ids[2]: ([H, H, H, H, H], 69),  # below the pass mark → failed
        ids[3]: ([H, H, H, H, H], None),  # no post-test yet → not passed yet
        ids[4]: ([H, H, H, I, S], 90),  # Izin and Sakit count as absent → 60% → failed
        ids[5]: ([H, H, H, H, H], 100),
    }
    set_rows(app, w.p1, plan)
    complete(app, w, w.p1, monkeypatch)
    jp = 24  # the program's total JP: its curriculum modules (8 + 16)
    assert results(app, w.p1) == {
        ids[0]: (True, jp),
        ids[1]: (False, 0),
        ids[2]: (False, 0),
        ids[3]: (None, 0),
        ids[4]: (False, 0),
        ids[5]: (True, jp),
    }
    # scores arriving later: re-running gives the new result
    with app.app_context():
        db.session.get(Participant, ids[3]).post_score = 75
        db.session.get(Participant, ids[2]).post_score = 70
        db.session.commit()
        compute_completion(db.session.get(Program, w.p1))
        db.session.commit()
    r = results(app, w.p1)
    assert r[ids[3]] == (True, jp) and r[ids[2]] == (True, jp) and r[ids[1]] == (False, 0)


def test_attendance_threshold_boundary_with_other_settings(pworld, app, monkeypatch):
    w = pworld
    with app.app_context():
        p = db.session.get(Program, w.p1)
        p.min_attendance_pct, p.pass_mark = 75, 60
        db.session.commit()
    _, ids, _ = to_delivery(app, w, w.p1, days=FIVE_DAYS[:4], ptk=2, kkr=0)
    H, T = "hadir", "tanpa_keterangan"
    set_rows(app, w.p1, {ids[0]: ([H, H, H, T], 60), ids[1]: ([H, H, T, T], 60)})
    complete(app, w, w.p1, monkeypatch)
    assert results(app, w.p1) == {ids[0]: (True, 24), ids[1]: (False, 0)}  # 75% vs 50%


# --- scores grid -------------------------------------------------------------------------------


def test_scores_grid_validates_at_the_cell_and_recomputes_when_delivered(
    delivery, app, client, login, monkeypatch
):
    w = delivery
    p1 = w.ptk_ids[0]
    login(client, w.designer)
    tab = GridTab(client, w.p1)
    for bad, message in (("abc", "Harus berupa bilangan bulat."), ("101", "Angka harus antara")):
        resp = tab.set_scores(p1, "40", bad)
        assert resp.status_code == 422
        body = resp.get_data(as_text=True)
        assert body.lstrip().startswith("<tr") and message in body
        cell = re.search(r'<td class="score-cell table-danger" data-field="(\w+)"', body)
        assert cell and cell.group(1) == "post_score"
    resp = tab.set_scores(p1, "40", "1.5", htmx=False)
    assert resp.status_code == 422 and "Harus berupa bilangan bulat." in resp.get_data(as_text=True)
    with app.app_context():
        assert db.session.get(Participant, p1).post_score is None
    resp = tab.set_scores(p1, "40", "65")
    assert resp.status_code == 200 and 'value="65"' in resp.get_data(as_text=True)
    assert events(app, w.p1, "record_scores") == [
        {"participant_id": p1, "pre_score": 40, "post_score": 65}
    ]
    attend_all(app, w.p1)
    complete(app, w, w.p1, monkeypatch)
    assert results(app, w.p1)[p1] == (False, 0)
    tab.reload()  # completing the program re-renders its page (and the results changed)
    resp = tab.set_scores(p1, "40", "85")
    assert resp.status_code == 200 and "Lulus" in resp.get_data(as_text=True)
    assert results(app, w.p1)[p1] == (True, 24)
    # a blank post-test means not recorded (yet)
    assert tab.set_scores(p1, "40", "", htmx=False).status_code == 302
    assert results(app, w.p1)[p1] == (None, 0)
    html = client.get(f"/programs/{w.p1}/scores", headers=HX).get_data(as_text=True)
    assert html.lstrip().startswith("<section") and "Menunggu nilai" in html


# --- versions: a stale or missing one is 409 with the current data, nothing saved -------------

CELL_STALE = "Presensi ini sudah diubah di tab lain atau oleh pengguna lain."
COLUMN_STALE = "Presensi sesi ini sudah diubah di tab lain atau oleh pengguna lain."
SCORES_STALE = "Nilai peserta ini sudah diubah di tab lain atau oleh pengguna lain."


def scores_of(app, pid):
    with app.app_context():
        p = db.session.get(Participant, pid)
        return p.pre_score, p.post_score


def test_one_tab_saves_again_and_again(delivery, app, client, login):
    """Every answer carries the new versions: one tab's successive saves all go through."""
    w = delivery
    s1, s2 = w.sessions
    a, b = w.ptk_ids
    c = w.kkr_ids[0]
    login(client, w.designer)
    tab = GridTab(client, w.p1)
    assert tab.cell(s1, a, "izin").status_code == 200
    assert tab.cell(s1, a, "sakit").status_code == 200
    assert tab.all_present(s1).status_code == 200  # after its own cell edits
    assert tab.cell(s1, b, "izin").status_code == 200  # with the versions of the grid it got
    assert tab.save_column(s2, {a: "hadir", b: "hadir"}, htmx=True).status_code == 200
    assert tab.save_column(s2, {a: "izin", b: "hadir", c: ""}).status_code == 302
    assert tab.all_present(s2, htmx=False).status_code == 302
    assert attendance_rows(app, w.p1) == {
        (s1, a): "sakit",
        (s1, b): "izin",
        (s1, c): "hadir",
        (s2, a): "izin",
        (s2, b): "hadir",
        (s2, c): "hadir",
    }
    assert len(events(app, w.p1)) == 7
    for pre, post in (("40", ""), ("40", "80"), ("45", "80")):  # pre-test, then post-test, ...
        assert tab.set_scores(a, pre, post).status_code == 200
    assert tab.set_scores(a, "50", "85", htmx=False).status_code == 302
    assert tab.set_scores(a, "55", "85").status_code == 200
    assert scores_of(app, a) == (55, 85)
    assert len(events(app, w.p1, "record_scores")) == 5


def test_stale_cell_is_409_with_the_current_value_and_nothing_saved(delivery, app, client, login):
    w = delivery
    s1, s2 = w.sessions
    a, b = w.ptk_ids
    login(client, w.designer)
    tab_a, tab_b = GridTab(client, w.p1), GridTab(client, w.p1)
    assert tab_a.cell(s1, a, "sakit").status_code == 200

    resp = tab_b.cell(s1, a, "izin")
    assert resp.status_code == 409
    assert resp.headers["HX-Retarget"] == f"#att-{s1}-{a}"
    assert resp.headers["HX-Reswap"] == "outerHTML"
    body = resp.get_data(as_text=True)
    assert body.lstrip().startswith("<td") and "<html" not in body
    assert '<option value="sakit" selected>' in body and CELL_STALE in body
    assert "HX-Trigger" not in resp.headers
    assert attendance_rows(app, w.p1) == {(s1, a): "sakit"}
    assert len(events(app, w.p1)) == 1

    # the cell now shows the current value and version: choosing again saves, knowingly
    assert tab_b.cells[s1, a] == "1"
    assert tab_b.cell(s1, a, "izin").status_code == 200
    # one version per cell: the stale tab's other cells were never stale
    assert tab_b.cell(s1, b, "hadir").status_code == 200
    assert tab_b.cell(s2, a, "hadir").status_code == 200
    assert attendance_rows(app, w.p1) == {(s1, a): "izin", (s1, b): "hadir", (s2, a): "hadir"}
    assert len(events(app, w.p1)) == 4

    # tab A still shows Sakit: stale now; without htmx it gets the program page, 409
    resp = tab_a.cell(s1, a, "tanpa_keterangan", htmx=False)
    assert resp.status_code == 409
    text = resp.get_data(as_text=True)
    assert "<html" in text and CELL_STALE in text and f'id="att-{s1}-{a}" data-value="izin"' in text
    assert attendance_rows(app, w.p1)[s1, a] == "izin" and len(events(app, w.p1)) == 4


def test_stale_column_save_and_all_present_are_409_with_the_current_grid(
    delivery, app, client, login
):
    w = delivery
    s1, s2 = w.sessions
    a, b = w.ptk_ids
    c = w.kkr_ids[0]
    login(client, w.designer)
    tab_a, tab_b, tab_c = (GridTab(client, w.p1) for _ in range(3))
    assert tab_a.cell(s1, b, "sakit").status_code == 200

    # B posts Hadir for a cell that was empty when it loaded the page: 409, nothing saved
    resp = tab_b.save_column(s1, {a: "hadir", b: "hadir", c: ""})
    assert resp.status_code == 409
    text = resp.get_data(as_text=True)
    assert (
        "<html" in text and COLUMN_STALE in text and f'id="att-{s1}-{b}" data-value="sakit"' in text
    )
    assert attendance_rows(app, w.p1) == {(s1, b): "sakit"}
    assert len(events(app, w.p1)) == 1
    # the same with htmx: the current grid, swapped over the old one
    resp = tab_c.save_column(s1, {a: "hadir", b: "izin"}, htmx=True)
    assert resp.status_code == 409
    assert resp.headers["HX-Retarget"] == "#attendance"
    assert resp.headers["HX-Reswap"] == "outerHTML"
    body = resp.get_data(as_text=True)
    assert body.lstrip().startswith("<section") and COLUMN_STALE in body
    assert f'id="att-{s1}-{b}" data-value="sakit"' in body
    assert attendance_rows(app, w.p1) == {(s1, b): "sakit"} and len(events(app, w.p1)) == 1
    # a cell left blank is not written, so it is no conflict: the column saves
    assert tab_b.save_column(s1, {a: "hadir", b: "", c: "izin"}).status_code == 302
    assert attendance_rows(app, w.p1) == {(s1, a): "hadir", (s1, b): "sakit", (s1, c): "izin"}

    # "Semua hadir" on a column that changed since the tab loaded it: 409, nothing saved
    tab_d = GridTab(client, w.p1)
    assert tab_a.cell(s2, a, "izin").status_code == 200
    resp = tab_d.all_present(s2)
    assert resp.status_code == 409 and resp.headers["HX-Retarget"] == "#attendance"
    body = resp.get_data(as_text=True)
    assert COLUMN_STALE in body and f'id="att-{s2}-{a}" data-value="izin"' in body
    assert {k for k in attendance_rows(app, w.p1) if k[0] == s2} == {(s2, a)}
    assert len(events(app, w.p1)) == 3
    # the grid it got back holds the current versions: pressing again fills the rest
    assert tab_d.all_present(s2).status_code == 200
    rows = attendance_rows(app, w.p1)
    assert rows[s2, a] == "izin" and rows[s2, b] == rows[s2, c] == "hadir"

    # a participant enrolled after the page was loaded is not in its column: stale
    tab_e = GridTab(client, w.p1)
    (late,) = enrol(app, w.p1, w.ptk, 1)
    assert tab_e.all_present(s1, htmx=False).status_code == 409
    assert (s1, late) not in attendance_rows(app, w.p1)


def test_stale_scores_are_409_with_the_current_scores(delivery, app, client, login):
    w = delivery
    a, b = w.ptk_ids
    login(client, w.designer)
    tab_a, tab_b, tab_c = (GridTab(client, w.p1) for _ in range(3))
    assert tab_a.set_scores(a, "40", "").status_code == 200

    resp = tab_b.set_scores(a, "55", "90")
    assert resp.status_code == 409
    assert resp.headers["HX-Retarget"] == f"#score-row-{a}"
    assert resp.headers["HX-Reswap"] == "outerHTML"
    body = resp.get_data(as_text=True)
    assert body.lstrip().startswith("<tr") and SCORES_STALE in body
    assert 'name="pre_score" form="score-' in body and 'value="40"' in body
    assert 'value="55"' not in body and 'value="90"' not in body
    assert scores_of(app, a) == (40, None)
    assert len(events(app, w.p1, "record_scores")) == 1

    # a stale entry that is also invalid: 422 at the field, and it stays stale once fixed
    assert tab_c.set_scores(a, "abc", "").status_code == 422
    assert tab_c.set_scores(a, "50", "").status_code == 409
    assert scores_of(app, a) == (40, None)

    # the row B got back holds the current version: saving again applies, knowingly
    assert tab_b.set_scores(a, "55", "90").status_code == 200
    assert scores_of(app, a) == (55, 90)
    # one version per participant: A's other row was never stale
    assert tab_a.set_scores(b, "10", "20").status_code == 200
    # A's row of ``a`` is: without htmx it gets the program page, 409
    resp = tab_a.set_scores(a, "1", "1", htmx=False)
    assert resp.status_code == 409
    text = resp.get_data(as_text=True)
    assert "<html" in text and SCORES_STALE in text
    assert scores_of(app, a) == (55, 90)
    assert len(events(app, w.p1, "record_scores")) == 3


def test_a_save_without_a_version_is_stale(delivery, app, client, login):
    w = delivery
    s1 = w.sessions[0]
    a, b = w.ptk_ids
    c = w.kkr_ids[0]
    login(client, w.designer)
    column = f"/programs/{w.p1}/attendance/{s1}"
    for url, data, message in (
        (cell_url(w, s1, a), {f"p-{a}": "hadir"}, CELL_STALE),
        (cell_url(w, s1, a), {"status": "hadir", "version": "satu"}, CELL_STALE),
        (column, {f"p-{a}": "hadir", f"v-{b}": "0"}, COLUMN_STALE),
        (f"{column}/all-present", {}, COLUMN_STALE),
        (f"{column}/all-present", {f"v-{a}": "0", f"v-{b}": "0"}, COLUMN_STALE),  # c missing
        (f"/programs/{w.p1}/scores/{a}", {"pre_score": "50", "post_score": ""}, SCORES_STALE),
        (f"/programs/{w.p1}/scores/{a}", {"pre_score": "50", "version": ""}, SCORES_STALE),
    ):
        for headers in (HX, {}):
            resp = client.post(url, data=data, headers=headers)
            assert resp.status_code == 409, (url, data, headers)
            assert message in resp.get_data(as_text=True)
    assert attendance_rows(app, w.p1) == {}
    assert events(app, w.p1) == [] and events(app, w.p1, "record_scores") == []
    assert scores_of(app, a) == (None, None)
    # with every version the page shows, the same posts go through
    tab = GridTab(client, w.p1)
    assert tab.all_present(s1).status_code == 200
    assert attendance_rows(app, w.p1) == {(s1, a): "hadir", (s1, b): "hadir", (s1, c): "hadir"}
