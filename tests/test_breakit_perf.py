# ruff: noqa: F811
"""Break-it probes of the 100k-row performance changes: visibility, counts, odd parameters."""

from __future__ import annotations

import re

import sqlalchemy as sa

from collab.extensions import db
from collab.models import JpYearTotal, Need, Participant, User
from collab.models.need import urgency_rank
from tests.test_board import bworld, column, make_program  # noqa: F401
from tests.test_jp import NIP_A, NIP_B, NIP_C, deliver, ledger_rows
from tests.test_programs import act

# --- board ------------------------------------------------------------------------------------


def test_board_odd_params_never_500(bworld, make_client, login):
    for user in (bworld.designer, bworld.approver_bkn, bworld.officer_kkr, bworld.approver_ptk):
        c = make_client()
        login(c, user)
        for q in (
            "pemda=x",
            "pemda=-1",
            "pemda=99999999999",
            "designer=abc",
            "fiscal_year=99999",
            "urusan=zz",
            "q=%25_",
            "q=" + "a" * 5000,
            "province=99",
            "status=bogus",
            f"pemda={bworld.kkr.id}&designer={bworld.designer.id}",
        ):
            assert c.get("/board?" + q).status_code == 200, (user, q)


def test_board_kkr_pemda_never_sees_ptk_only_program_on_any_path(bworld, make_client, login):
    c = make_client()
    login(c, bworld.officer_kkr)
    for q in (
        "",
        f"pemda={bworld.ptk.id}",
        "urusan=1.02",
        f"designer={bworld.designer.id}",
        "q=Khusus",
        "fiscal_year=2028",
    ):
        html = c.get("/board?" + q).get_data(as_text=True)
        assert "Khusus Pontianak" not in html, q


def test_board_column_limit_and_totals_same_on_both_paths(bworld, app, make_client, login):
    w = bworld
    for i in range(3):
        make_program(app, w, [w.n3.id], {w.kkr.id: 5}, title=f"KKR extra {i}")
    c = make_client()
    login(c, w.designer)
    import collab.board.queries as bq

    for q in ("", f"pemda={w.kkr.id}", "q=KKR+extra"):
        html = c.get("/board?" + q).get_data(as_text=True)
        col = column(html, "proposed")
        names = re.findall(r"KKR extra \d", col)
        assert len(names) == 3, (q, names)
    old = bq.get_board.__defaults__
    try:
        bq.get_board.__defaults__ = (2,)  # the view uses get_board's default limit
        # bworld: P1 proposed too (serves Kubu Raya), so 4 proposals serve Kubu Raya
        for q, total in (("", 4), (f"pemda={w.kkr.id}", 4), ("q=KKR+extra", 3)):
            col = column(c.get("/board?" + q).get_data(as_text=True), "proposed")
            assert len(re.findall(r"<article ", col)) == 2, q
            assert re.search(r'title="Jumlah program">(\d+)<', col).group(1) == str(total), q
    finally:
        bq.get_board.__defaults__ = old


# --- needs list search -------------------------------------------------------------------------


def test_needs_search_capped_keeps_visibility_and_paging(
    world, app, make_client, login, monkeypatch
):
    import collab.needs.queries as nq

    w = world
    for i in range(4):
        w.need("submitted", title=f"Cari PTK {i} 50%_x")
        w.need("submitted", actor=w.officer_kkr, title=f"Cari KKR {i} 50%_x")
    w.need("submitted", title="Cari PTK 50 persen")  # '%' must be literal
    monkeypatch.setattr(nq, "SEARCH_COUNT_LIMIT", 2)
    c = make_client()
    login(c, w.approver_kkr)
    seen = set()
    for page in range(1, 8):
        html = c.get(f"/needs/?q=50%25_x&per_page=1&page={page}").get_data(as_text=True)
        assert "Cari PTK" not in html
        seen |= set(re.findall(r"Cari KKR \d", html))
    assert seen == {f"Cari KKR {i}" for i in range(4)}
    bkn = make_client()
    login(bkn, w.designer)
    html = bkn.get("/needs/?q=50%25").get_data(as_text=True)
    assert "Cari PTK 50 persen" not in html
    html = bkn.get("/needs/?q=50%25_x&per_page=100").get_data(as_text=True)
    assert len(set(re.findall(r"Cari (?:PTK|KKR) \d", html))) == 8
    for q in (
        "page=0",
        "page=-1",
        "page=99999999999",
        "page=100000&q=Cari",
        "q=" + "x" * 5000,
        "q=%00",
        "q=zzzzzz",
        "q=Cari&page=0",
        "q=Cari&page=-5",
        "q=Cari&page=abc",
    ):
        assert bkn.get("/needs/?" + q).status_code == 200, q
        assert c.get("/needs/?" + q).status_code == 200, q


# --- need timeline -------------------------------------------------------------------------------


def test_bkn_never_sees_pemda_internal_timeline(world, app, make_client, login, monkeypatch):
    import collab.needs.queries as nq
    from collab.needs.services import transition_need

    w = world
    ref = w.need("verifying")
    with app.app_context():
        need = db.session.get(Need, ref.id)
        transition_need(
            db.session.get(User, w.approver_ptk.id),
            need,
            "return",
            expected_version=need.version,
            comment="RAHASIA-INTERNAL",
        )
        db.session.commit()
    for action, who in (("submit", w.officer_ptk), ("verify", w.approver_ptk)):
        with app.app_context():
            need = db.session.get(Need, ref.id)
            transition_need(
                db.session.get(User, who.id),
                need,
                action,
                expected_version=need.version,
                comment="catatan",
            )
            db.session.commit()
    monkeypatch.setattr(nq, "TIMELINE_LIMIT", 1)
    for user in (w.designer, w.approver_bkn, w.admin):
        c = make_client()
        login(c, user)
        for url in (
            f"/needs/{ref.id}",
            f"/needs/{ref.id}?timeline=all",
            f"/needs/{ref.id}/timeline",
            f"/needs/{ref.id}/timeline?timeline=all",
            f"/needs/{ref.id}?timeline=x",
        ):
            r = c.get(url)
            assert r.status_code in (200, 404), (user, url)
            assert "RAHASIA-INTERNAL" not in r.get_data(as_text=True), (user, url)
    c = make_client()
    login(c, w.approver_kkr)
    for url in (f"/needs/{ref.id}?timeline=all", f"/needs/{ref.id}/timeline?timeline=all"):
        assert c.get(url).status_code == 404
    c = make_client()
    login(c, w.officer_ptk)
    assert "RAHASIA-INTERNAL" in c.get(f"/needs/{ref.id}?timeline=all").get_data(as_text=True)


# --- urgency rank -------------------------------------------------------------------------------


def test_urgency_rank_follows_urgency_on_edit(world, app):
    from collab.needs.services import update_need
    from tests.conftest import need_data

    w = world
    with app.app_context():
        need = db.session.get(Need, w.n1.id)
        update_need(
            db.session.get(User, w.officer_ptk.id),
            need,
            need_data(need.org_id, urgency="low"),
            expected_version=need.version,
        )
        db.session.commit()
        assert db.session.get(Need, w.n1.id).urgency_rank == 3
        # a Core insert without the rank (the seed/bench path)
        row = {
            c.name: getattr(need, c.name)
            for c in Need.__table__.columns
            if c.name not in ("id", "urgency_rank", "form_nonce")
        }
        row["urgency"] = "critical"
        db.session.execute(sa.insert(Need).values(**row))
        db.session.commit()
        bad = db.session.execute(sa.select(Need.urgency, Need.urgency_rank)).all()
        assert all(urgency_rank(u) == r for u, r in bad), bad


# --- JP ledger ----------------------------------------------------------------------------------


def test_jp_ledger_odd_params_counts_and_pemda_filter(pworld, app, make_client, login, monkeypatch):
    w = pworld
    deliver(app, w, w.p1, monkeypatch, ptk=(NIP_A, NIP_B), kkr=(NIP_C,), post={NIP_C: 50})
    with app.app_context():
        assert db.session.get(JpYearTotal, 2027).asn == 3
        nulls = db.session.scalar(sa.select(sa.func.count()).where(Participant.jp_year.is_(None)))
        assert nulls == 0
    for user in (w.approver_bkn, w.approver_ptk, w.officer_kkr, w.designer):
        c = make_client()
        login(c, user)
        for q in (
            "year=abc",
            "year=99999",
            "year=-1",
            "year=all",
            "year=",
            "pemda=x",
            "page=0",
            "page=-1",
            "page=99999999999",
            "below=1&year=all",
            "q=%25_",
            "unit=%25",
            "q=" + "1" * 5000,
            "year=all&per_page=0",
        ):
            assert c.get("/jp/?" + q).status_code == 200, (user, q)
    c = make_client()
    login(c, w.approver_kkr)
    html = c.get(f"/jp/?year=2027&pemda={w.ptk.id}").get_data(as_text=True)
    assert ledger_rows(html) == {}
    bkn = make_client()
    login(bkn, w.approver_bkn)
    html = bkn.get("/jp/?year=2027").get_data(as_text=True)
    assert ledger_rows(html) == {(NIP_A, 2027): 24, (NIP_B, 2027): 24, (NIP_C, 2027): 0}


# --- dashboard ----------------------------------------------------------------------------------


def test_dashboard_waiting_headline_counts_every_proposal_to_sign(
    pworld, app, make_client, login, monkeypatch
):
    import collab.dashboard.queries as dq

    w = pworld
    act(app, w.designer, w.p1, "propose")
    make_program(app, w, [w.n2.id], {w.ptk.id: 5}, title="Kedua")
    make_program(app, w, [w.n2.id], {w.ptk.id: 5}, title="Ketiga")
    monkeypatch.setattr(dq, "WAITING_LIMIT", 2)
    c = make_client()
    login(c, w.approver_bkn)
    html = c.get("/dashboard").get_data(as_text=True)
    m = re.search(r'data-testid="waiting-total">([^<]+)<', html)
    assert m and m.group(1).strip() == "3", m and m.group(1)
    assert "Menampilkan 2 dari 3." in html


def _section(html: str, section_id: str) -> str:
    start = html.index(f'id="{section_id}"')
    return html[start : html.index("</section>", start)]


def test_dashboard_joint_and_unserved_panels_say_when_they_are_cut(
    pworld, app, make_client, login, monkeypatch
):
    """Newcomer finding: "Program bersama yang berjalan" and "Usulan yang belum memiliki
    program" stopped at the panel limit without saying so."""
    import collab.dashboard.queries as dq

    w = pworld
    act(app, w.designer, w.p1, "propose")
    make_program(app, w, [w.n2.id], {w.ptk.id: 5}, title="Kedua")
    make_program(app, w, [w.n2.id], {w.ptk.id: 5}, title="Ketiga")
    for i in range(3):
        w.need("submitted", title=f"Belum dilayani {i}")
    monkeypatch.setattr(dq, "WAITING_LIMIT", 2)
    c = make_client()
    login(c, w.designer)
    resp = c.get("/dashboard")
    assert resp.status_code == 200
    html = resp.get_data(as_text=True)
    joint = _section(html, "joint-programs")
    assert joint.count('href="/programs/') == 2
    assert "Menampilkan 2 dari 3." in joint
    assert "Menampilkan 2 usulan paling mendesak." in html

    monkeypatch.setattr(dq, "WAITING_LIMIT", 10)
    html = c.get("/dashboard").get_data(as_text=True)
    assert "Menampilkan" not in _section(html, "joint-programs")
    assert "paling mendesak" not in html
