"""The JP ledger at /jp: JP per NIP per calendar year (the year the program ended, in its
zone), the 20 JP flag, filters, Pemda isolation, a constant number of SQL statements."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime

import sqlalchemy as sa

from collab.extensions import db
from collab.models import Participant, Program, User
from collab.programs.services import create_program
from tests.conftest import attend_all, enrol
from tests.test_attendance import add_sessions, approve_all, complete
from tests.test_programs import act, program_data

NIP_A = "196608011988031001"
NIP_B = "198503152010012002"
NIP_C = "199001012015031003"


def new_program(app, w, **over):
    with app.app_context():
        designer = db.session.get(User, w.designer.id)
        p = create_program(
            designer,
            program_data([w.n2.id, w.n3.id], {w.ptk.id: 20, w.kkr.id: 10}, **over),
        )
        db.session.commit()
        return p.id


def deliver(app, w, pid, monkeypatch, ptk=(), kkr=(), days=((2027, 3, 1),), post=80, **kw):
    """Take ``pid`` to delivered with the given NIPs enrolled, all present, post-test
    ``post`` (per NIP when a dict)."""
    approve_all(app, w, pid)
    add_sessions(app, w, pid, days, **kw)
    act(app, w.designer, pid, "schedule")
    ids = []
    if ptk:
        ids += enrol(app, pid, w.ptk, len(ptk), nips=list(ptk), unit="Puskesmas Kampung Bali")
    if kkr:
        ids += enrol(app, pid, w.kkr, len(kkr), nips=list(kkr), unit="Dinas Kesehatan KKR")
    act(app, w.designer, pid, "start")
    attend_all(app, pid)
    with app.app_context():
        for p in db.session.scalars(sa.select(Participant).where(Participant.program_id == pid)):
            p.post_score = post.get(p.nip, 80) if isinstance(post, dict) else post
        db.session.commit()
    complete(app, w, pid, monkeypatch)
    return ids


def ledger_rows(html):
    return {
        (nip, int(year)): int(jp)
        for nip, year, jp in re.findall(r'data-nip="(\d+)" data-year="(\d+)" data-jp="(\d+)"', html)
    }


def test_ledger_sums_per_nip_per_year_and_flags_below_target(
    pworld, app, client, login, monkeypatch
):
    w = pworld
    # P1 (24 JP) in March 2027: A and B pass, C fails the post-test
    deliver(app, w, w.p1, monkeypatch, ptk=(NIP_A, NIP_B), kkr=(NIP_C,), post={NIP_C: 50})
    # P2 (4 JP) in May 2027: A passes again
    p2 = new_program(
        app,
        w,
        title="Klinik SATUSEHAT",
        planned_start=datetime(2027, 5, 3).date(),
        planned_end=datetime(2027, 5, 3).date(),
        modules=[program_data([], {}).modules[0].__class__("Klinik", 4)],
    )
    deliver(app, w, p2, monkeypatch, ptk=(NIP_A,), days=((2027, 5, 3),))
    # P3 in Jayapura time: its only session ends 1 January 2028 08.00 WIT, which is still
    # 31 December 2027 in UTC; it counts in 2028
    p3 = new_program(
        app,
        w,
        title="Awal tahun",
        timezone="Asia/Jayapura",
        planned_start=datetime(2028, 1, 1).date(),
        planned_end=datetime(2028, 1, 1).date(),
    )
    deliver(app, w, p3, monkeypatch, ptk=(NIP_B,), days=((2028, 1, 1),), hour=6)
    with app.app_context():
        s = db.session.get(Program, p3).sessions[0]
        assert s.ends_at.year == 2027 and s.ends_at.astimezone(UTC).month == 12

    login(client, w.approver_bkn)
    html = client.get("/jp/?year=all").get_data(as_text=True)
    assert ledger_rows(html) == {
        (NIP_A, 2027): 28,
        (NIP_B, 2027): 24,
        (NIP_C, 2027): 0,
        (NIP_B, 2028): 24,
    }
    assert "19660801 198803 1 001" in html
    flagged = re.findall(
        r'data-nip="(\d+)" data-year="(\d+)"[^>]*>(?:(?!</tr>).)*jp-below', html, re.S
    )
    assert flagged == [(NIP_C, "2027")]
    assert "belum memenuhi 20 JP" in html

    # filters: year, Pemda, unit, NIP, only below target
    assert set(ledger_rows(client.get("/jp/?year=2028").get_data(as_text=True))) == {(NIP_B, 2028)}
    rows = ledger_rows(client.get(f"/jp/?year=all&pemda={w.kkr.id}").get_data(as_text=True))
    assert set(rows) == {(NIP_C, 2027)}
    rows = ledger_rows(client.get("/jp/?unit=kampung+bali&year=2027").get_data(as_text=True))
    assert set(rows) == {(NIP_A, 2027), (NIP_B, 2027)}
    rows = ledger_rows(client.get("/jp/?year=all&q=19660801+1988").get_data(as_text=True))
    assert set(rows) == {(NIP_A, 2027)}
    rows = ledger_rows(client.get("/jp/?year=all&below=1").get_data(as_text=True))
    assert set(rows) == {(NIP_C, 2027)}
    for bad in ("/jp/?year=abc", "/jp/?pemda=x&page=-3", "/jp/?per_page=100000"):
        assert client.get(bad).status_code == 200

    # the target is a setting
    app.config["JP_YEARLY_TARGET"] = 25
    rows = ledger_rows(client.get("/jp/?year=all&below=1").get_data(as_text=True))
    assert set(rows) == {(NIP_C, 2027), (NIP_B, 2027), (NIP_B, 2028)}


def test_pemda_sees_only_its_own_asn(pworld, app, make_client, login, monkeypatch):
    w = pworld
    deliver(app, w, w.p1, monkeypatch, ptk=(NIP_A, NIP_B), kkr=(NIP_C,))
    for user, expected in (
        (w.approver_ptk, {NIP_A, NIP_B}),
        (w.officer_ptk, {NIP_A, NIP_B}),
        (w.approver_kkr, {NIP_C}),
        (w.designer, {NIP_A, NIP_B, NIP_C}),
    ):
        c = make_client()
        login(c, user)
        html = c.get("/jp/?year=all").get_data(as_text=True)
        assert {nip for nip, _ in ledger_rows(html)} == expected, user
        # asking for another Pemda does not widen the view
        other = w.kkr.id if user in (w.approver_ptk, w.officer_ptk) else w.ptk.id
        html = c.get(f"/jp/?year=all&pemda={other}").get_data(as_text=True)
        rows = {nip for nip, _ in ledger_rows(html)}
        assert rows <= expected and (user is w.designer or not rows)
        assert 'href="/jp/"' in c.get("/dashboard").get_data(as_text=True)


def this_year(monkeypatch, year):
    """Freeze the ledger's default year (the current year in the viewer's zone); undone by
    the next ``deliver`` (its ``complete`` undoes every monkeypatch)."""
    import collab.jp.views

    monkeypatch.setattr(collab.jp.views, "local_today", lambda: date(year, 6, 1))


def test_ledger_defaults_to_the_current_year(pworld, app, client, login, monkeypatch):
    w = pworld
    deliver(app, w, w.p1, monkeypatch, ptk=(NIP_A,), kkr=(NIP_C,))
    p3 = new_program(
        app,
        w,
        title="Awal tahun",
        planned_start=date(2028, 1, 4),
        planned_end=date(2028, 1, 4),
    )
    deliver(app, w, p3, monkeypatch, ptk=(NIP_A, NIP_B), days=((2028, 1, 4),))
    login(client, w.approver_bkn)

    this_year(monkeypatch, 2028)
    html = client.get("/jp/").get_data(as_text=True)
    assert set(ledger_rows(html)) == {(NIP_A, 2028), (NIP_B, 2028)}
    assert re.search(r'<option value="2028" selected>', html)
    # every year with data, the current one, and "all years"
    assert re.findall(r'<option value="(\d{4}|all)"', html) == ["all", "2028", "2027"]
    # the downloads from the default page carry the same rows
    assert 'href="/jp/export.csv"' in html
    csv_ = client.get("/jp/export.csv").get_data(as_text=True)
    assert NIP_A in csv_ and NIP_B in csv_ and NIP_C not in csv_
    # a bad year falls back to the current one; "all" lists every year
    assert set(ledger_rows(client.get("/jp/?year=x").get_data(as_text=True))) == {
        (NIP_A, 2028),
        (NIP_B, 2028),
    }
    html = client.get("/jp/?year=all").get_data(as_text=True)
    assert list(ledger_rows(html)) == [(NIP_A, 2028), (NIP_B, 2028), (NIP_A, 2027), (NIP_C, 2027)]
    assert re.search(r'<option value="all" selected>', html)

    # a year without data yet (January) is still offered, and shows no rows
    this_year(monkeypatch, 2029)
    html = client.get("/jp/").get_data(as_text=True)
    assert ledger_rows(html) == {} and "Tidak ada data" in html
    assert re.findall(r'<option value="(\d{4}|all)"', html) == ["all", "2029", "2028", "2027"]

    # a Pemda user is offered only the years of their own ASN
    c = app.test_client()
    login(c, w.officer_kkr)
    this_year(monkeypatch, 2027)
    html = c.get("/jp/").get_data(as_text=True)
    assert set(ledger_rows(html)) == {(NIP_C, 2027)}
    assert re.findall(r'<option value="(\d{4}|all)"', html) == ["all", "2027"]


def test_jp_year_is_set_when_the_program_completes(pworld, app, monkeypatch):
    """``participant.jp_year``: the year of the last session's end in the program's zone, set
    on enrolled participants when the program is delivered, never before, never on others;
    the same as the SQL rule (program_end_year) the reports and the migration use."""
    from collab.jp.queries import program_end_year
    from collab.participants.services import withdraw

    w = pworld
    p3 = new_program(
        app,
        w,
        title="Awal tahun",
        timezone="Asia/Jayapura",
        planned_start=date(2027, 12, 31),
        planned_end=date(2028, 1, 1),
    )
    approve_all(app, w, p3)
    # the last session ends 1 January 2028 08.00 WIT (31 December 2027 in UTC)
    add_sessions(app, w, p3, ((2027, 12, 31), (2028, 1, 1)), hour=6)
    act(app, w.designer, p3, "schedule")
    ids = enrol(app, p3, w.ptk, 3, nips=[NIP_A, NIP_B, NIP_C])
    with app.app_context():
        officer = db.session.get(User, w.officer_ptk.id)
        program = db.session.get(Program, p3)
        withdraw(officer, program, db.session.get(Participant, ids[2]), expected_version=None)
        db.session.commit()
    act(app, w.designer, p3, "start")
    attend_all(app, p3)

    def years():
        with app.app_context():
            return [db.session.get(Participant, i).jp_year for i in ids]

    assert years() == [None, None, None]  # in delivery: not counted yet
    with app.app_context():
        for p in db.session.scalars(sa.select(Participant).where(Participant.program_id == p3)):
            p.post_score = 90
        db.session.commit()
    complete(app, w, p3, monkeypatch)
    assert years() == [2028, 2028, None]  # the withdrawn one never counts
    assert year_totals(app) == {2028: 2}
    with app.app_context():
        ends, year = program_end_year()
        stmt = (
            sa.select(year)
            .select_from(ends.join(Program, Program.id == ends.c.program_id))
            .where(Program.id == p3)
        )
        assert db.session.scalar(stmt) == 2028
        # re-computing (a score corrected after completion) keeps the year
        from collab.attendance.services import compute_completion

        compute_completion(db.session.get(Program, p3))
        db.session.commit()
    assert years() == [2028, 2028, None]
    assert year_totals(app) == {2028: 2}

    # another 2028 program with one ASN already counted: three distinct NIP that year
    p4 = new_program(
        app, w, title="Gelombang 2", planned_start=date(2028, 2, 1), planned_end=date(2028, 2, 1)
    )
    deliver(app, w, p4, monkeypatch, ptk=(NIP_A, "197001012000031099"), days=((2028, 2, 1),))
    assert year_totals(app) == {2028: 3}
    with app.app_context():
        from collab.jp.years import rebuild_year_totals

        rebuild_year_totals()
        db.session.commit()
    assert year_totals(app) == {2028: 3}


def year_totals(app):
    from collab.models import JpYearTotal

    with app.app_context():
        return dict(db.session.execute(sa.select(JpYearTotal.year, JpYearTotal.asn)).all())


def test_ledger_reads_the_jp_year_indexes(app):
    """The ledger's year filter, count and page order are served by participant indexes."""
    from collab.models import Participant as P

    indexes = {tuple(c.name for c in ix.columns) for ix in P.__table__.indexes}
    assert ("jp_year", "nip") in indexes
    assert ("pemda_id", "jp_year", "nip") in indexes


def test_ledger_statement_count_is_constant(pworld, app, client, login, count_queries, monkeypatch):
    w = pworld
    deliver(app, w, w.p1, monkeypatch, ptk=[f"1970010120000310{i:02d}" for i in range(1, 6)])
    login(client, w.approver_bkn)
    this_year(monkeypatch, 2027)
    urls = ("/jp/", "/jp/?year=all", "/jp/?below=1", "/jp/?year=all&below=1&q=1970")
    for url in urls:
        client.get(url)
    small = {}
    for url in urls:
        with count_queries() as qc:
            html = client.get(url).get_data(as_text=True)
        small[url] = qc.count
        assert len(ledger_rows(html)) == (0 if "below" in url else 5), url
    p2 = new_program(app, w, title="Gelombang 2")
    deliver(app, w, p2, monkeypatch, ptk=[f"1970010120000310{i:02d}" for i in range(10, 40)])
    p3 = new_program(
        app, w, title="Gelombang 3", planned_start=date(2028, 3, 1), planned_end=date(2028, 3, 1)
    )
    deliver(
        app,
        w,
        p3,
        monkeypatch,
        ptk=[f"1970010120000310{i:02d}" for i in range(1, 20)],
        days=((2028, 3, 1),),
        post=50,
    )
    this_year(monkeypatch, 2027)  # complete() undid the monkeypatches
    for url in urls:
        with count_queries() as large:
            html = client.get(url).get_data(as_text=True)
        assert small[url] == large.count <= 10, (url, small[url], large.count)
    assert len(ledger_rows(client.get("/jp/").get_data(as_text=True))) == 25  # first page of 35
    html = client.get("/jp/?page=2").get_data(as_text=True)
    assert len(ledger_rows(html)) == 10
    assert "35 baris" in client.get("/jp/").get_data(as_text=True)
    assert "19 baris" in client.get("/jp/?year=2028&below=1").get_data(as_text=True)
    assert "54 baris" in client.get("/jp/?year=all").get_data(as_text=True)
    # the stored totals and the filtered counts agree
    assert year_totals(app) == {2027: 35, 2028: 19}
    assert "35 baris" in client.get("/jp/?q=1970").get_data(as_text=True)
    assert "54 baris" in client.get(f"/jp/?year=all&pemda={w.ptk.id}").get_data(as_text=True)
    html = client.get("/jp/?year=all&page=3").get_data(as_text=True)
    assert len(ledger_rows(html)) == 4 and {y for _, y in ledger_rows(html)} == {2027}
