"""The joint status board (/board): columns by state, what each card says, visibility,
filters kept in the URL, overdue sign-offs, the column cap and a constant query count."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import pytest

from collab.extensions import db
from collab.models import Program, User, utcnow
from collab.programs.services import SessionData, add_session, create_program
from tests.test_programs import act, program_data


def make_program(app, world, need_ids, quotas, propose=True, **over):
    """A program of ``world.designer`` serving ``need_ids``; proposed unless told not to."""
    with app.app_context():
        designer = db.session.get(User, world.designer.id)
        p = create_program(designer, program_data(need_ids, quotas, **over))
        db.session.commit()
        pid = p.id
    if propose:
        act(app, world.designer, pid, "propose")
    return pid


@pytest.fixture
def bworld(pworld, app):
    """pworld with P1 proposed (Pontianak + Kubu Raya) and P2, a Pontianak-only program
    approved by both sides, with a session on 2–3 March 2027 (WIB)."""
    w = pworld
    act(app, w.designer, w.p1, "propose")
    w.p2 = make_program(
        app,
        w,
        [w.n2.id],
        {w.ptk.id: 5},
        title="Khusus Pontianak: Coaching SIMPUS",
        fiscal_year=2028,
    )
    act(app, w.approver_ptk, w.p2, "approve")
    act(app, w.approver_bkn, w.p2, "approve")
    with app.app_context():
        program = db.session.get(Program, w.p2)
        add_session(
            db.session.get(User, w.designer.id),
            program,
            SessionData(datetime(2027, 3, 2, 8), datetime(2027, 3, 3, 16), "Aula", "Praktik", 8),
        )
        db.session.commit()
    return w


def column(html: str, status: str) -> str:
    """The HTML of one board column."""
    pattern = rf'<section class="board-column[^"]*"[^>]*data-status="{status}">(.*?)</section>'
    m = re.search(pattern, html, re.S)
    assert m, f"no column {status}"
    return m.group(1)


def test_board_shows_programs_in_columns_with_partners_jp_dates_and_turn(bworld, client, login):
    login(client, bworld.designer)
    resp = client.get("/board")
    assert resp.status_code == 200
    html = resp.get_data(as_text=True)
    assert "Papan status program" in html
    for status in ("draft", "proposed", "approved", "scheduled", "evaluated", "cancelled"):
        column(html, status)
    proposed = column(html, "proposed")
    assert "Pelatihan Rekam Medis Elektronik" in proposed
    assert "Pemerintah Kabupaten Kubu Raya, Pemerintah Kota Pontianak" in proposed
    assert "24 JP" in proposed
    assert "Rencana: 1 Maret 2027 – 5 Maret 2027" in proposed
    assert "Menunggu BKN dan Pemda" in proposed and "sisa" in proposed  # the sign-off clock
    assert "Menunggu persetujuan: BKN, Pemerintah Kota Pontianak" in proposed
    assert "Sejak " in proposed and "Rina Perancang" in proposed
    approved = column(html, "approved")
    assert "Khusus Pontianak" in approved
    assert "Sesi: 2 Maret 2027 – 3 Maret 2027" in approved  # session dates win over the plan
    assert "Menunggu BKN · hari ini" in approved
    assert "Tidak ada program" in column(html, "draft")
    assert 'href="/board"' in html and "Papan status" in html  # navigation


def test_kubu_raya_never_sees_a_pontianak_only_program(bworld, client, make_client, login):
    login(client, bworld.officer_kkr)
    html = client.get("/board").get_data(as_text=True)
    assert "Pelatihan Rekam Medis Elektronik" in html  # shared with Kubu Raya
    assert "Khusus Pontianak" not in html
    assert 'data-status="draft"' not in html  # a Pemda never sees drafts
    assert "1 program" in html
    html = client.get(f"/board?pemda={bworld.ptk.id}").get_data(as_text=True)
    assert "Khusus Pontianak" not in html
    other = make_client()
    login(other, bworld.approver_ptk)
    html = other.get("/board").get_data(as_text=True)
    assert "Khusus Pontianak" in html and "2 program" in html


def test_draft_is_bkn_only(pworld, client, make_client, login):
    login(client, pworld.officer_ptk)
    assert "Pelatihan Rekam Medis" not in client.get("/board").get_data(as_text=True)
    bkn = make_client()
    login(bkn, pworld.approver_bkn)
    assert "Pelatihan Rekam Medis" in column(bkn.get("/board").get_data(as_text=True), "draft")


def test_admin_has_no_board_and_anonymous_must_sign_in(world, client, login):
    assert client.get("/board").status_code == 302
    login(client, world.admin)
    assert client.get("/board").status_code == 403
    assert 'href="/board"' not in client.get("/admin/").get_data(as_text=True)


def test_filters_are_kept_in_the_url_and_applied(bworld, app, client, login):
    login(client, bworld.designer)
    page = client.get("/board").get_data(as_text=True)
    assert 'hx-push-url="true"' in page and 'method="get"' in page
    # fiscal year
    html = client.get("/board?fiscal_year=2028").get_data(as_text=True)
    assert "Khusus Pontianak" in html and "Pelatihan Rekam Medis" not in html
    assert 'name="fiscal_year" min="2020" max="2100" value="2028"' in html
    # Pemda: Kubu Raya is partner of P1 only
    html = client.get(f"/board?pemda={bworld.kkr.id}").get_data(as_text=True)
    assert "Pelatihan Rekam Medis" in html and "Khusus Pontianak" not in html
    assert f'<option value="{bworld.kkr.id}" selected>' in html
    # urusan: every need is health (1.02); nothing serves education (1.01)
    assert "Khusus Pontianak" in client.get("/board?urusan=1.02").get_data(as_text=True)
    html = client.get("/board?urusan=1.01").get_data(as_text=True)
    assert "0 program" in html and "Khusus Pontianak" not in html
    assert '<option value="1.01" selected>' in html
    # designer
    html = client.get(f"/board?designer={bworld.designer2.id}").get_data(as_text=True)
    assert "0 program" in html
    html = client.get(f"/board?designer={bworld.designer.id}").get_data(as_text=True)
    assert "2 program" in html
    # bad values are ignored, never a 500
    assert client.get("/board?pemda=x&fiscal_year=abc&urusan=zz").status_code == 200


def test_htmx_gets_only_the_columns(bworld, client, login):
    login(client, bworld.designer)
    resp = client.get(
        "/board?fiscal_year=2028",
        headers={"HX-Request": "true", "HX-Target": "board-columns"},
    )
    html = resp.get_data(as_text=True)
    assert resp.status_code == 200
    assert html.lstrip().startswith('<div id="board-columns">') and "<html" not in html
    assert "Khusus Pontianak" in html and "Pelatihan Rekam Medis" not in html
    assert "HX-Request" in resp.headers.get("Vary", "")


def test_overdue_sign_off_is_red_and_in_words(bworld, app, client, login):
    with app.app_context():
        db.session.get(Program, bworld.p1).signoff_due_at = utcnow() - timedelta(days=10)
        db.session.commit()
    login(client, bworld.approver_kkr)
    proposed = column(client.get("/board").get_data(as_text=True), "proposed")
    assert 'data-overdue="1"' in proposed and "border-danger" in proposed
    assert "Terlambat" in proposed and "text-bg-danger" in proposed
    approved = column(client.get("/board").get_data(as_text=True), "approved")
    assert "Terlambat" not in approved


def test_a_full_column_links_to_the_filtered_program_list(bworld, app, client, login, monkeypatch):
    from collab.board import queries

    for i in range(2):
        make_program(app, bworld, [bworld.n2.id], {bworld.ptk.id: 5}, title=f"Angkatan {i}")
    monkeypatch.setattr(queries, "CARD_LIMIT", 2)
    monkeypatch.setattr(queries.get_board, "__defaults__", (2,))
    login(client, bworld.designer)
    html = client.get("/board?fiscal_year=2027&urusan=1.02").get_data(as_text=True)
    proposed = column(html, "proposed")
    assert proposed.count("board-card") == 2
    assert "1 program lagi" in proposed and "lihat semua di daftar program" in proposed
    link = re.search(r'href="(/programs/\?[^"]+)"', proposed).group(1).replace("&amp;", "&")
    assert "status=proposed" in link and "fiscal_year=2027" in link and "urusan=1.02" in link
    listed = client.get(link).get_data(as_text=True)
    assert "3 program" in listed and "Khusus Pontianak" not in listed


def test_board_reads_in_english(bworld, client, login):
    login(client, bworld.designer)
    html = client.get("/board?lang=en").get_data(as_text=True)
    assert "Program status board" in html and "Status board" in html
    assert "Papan status" not in html and "Rencana:" not in html


def test_a10_board_constant_query_count(world, app, make_client, login, count_queries):
    """The same number of statements with 3 and with 30 programs, in every state seen."""
    refs = [world.need("in_review", title=f"Kebutuhan {i}") for i in range(2)]
    kkr = world.need("in_review", actor=world.officer_kkr, title="Kebutuhan KKR")

    def make(n):
        ids = []
        for i in range(n):
            need = refs[i % 2]
            quotas = {world.ptk.id: 5}
            needs = [need.id]
            if i % 3 == 0:
                needs.append(kkr.id)
                quotas[world.kkr.id] = 5
            ids.append(make_program(app, world, needs, quotas, propose=i % 3 != 2))
        for pid in ids[::4]:
            with app.app_context():
                program = db.session.get(Program, pid)
                if program.status == "proposed":
                    continue
                add_session(
                    db.session.get(User, world.designer.id),
                    program,
                    SessionData(datetime(2027, 3, 1, 8), datetime(2027, 3, 1, 16), "A", "B", 8),
                )
                db.session.commit()

    clients = {}
    for who in ("designer", "approver_ptk"):
        clients[who] = make_client()
        login(clients[who], getattr(world, who))

    def counted(who):
        browser = clients[who]
        browser.get("/board")
        with count_queries() as qc:
            assert browser.get(f"/board?urusan=1.02&pemda={world.ptk.id}").status_code == 200
        return qc.count

    make(3)
    small = {who: counted(who) for who in clients}
    make(27)
    large = {who: counted(who) for who in clients}
    assert small == large, (small, large)
    assert max(large.values()) <= 12, large


def test_each_column_keeps_its_own_first_cards_in_its_order(bworld, app, client, login):
    """Open columns: longest waiting first; closed columns: latest change first (ties by id,
    newest first, as in the program list). The cap counts per column, totals stay whole."""
    from collab.board.queries import get_board
    from collab.programs.queries import ProgramFilters

    base = datetime(2026, 6, 1, 3, 0, tzinfo=UTC)
    placed = {"draft": [], "cancelled": []}
    for i in range(4):
        for status in placed:
            pid = make_program(
                app,
                bworld,
                [bworld.n2.id],
                {bworld.ptk.id: 5},
                propose=False,
                title=f"{status} {i}",
            )
            with app.app_context():
                p = db.session.get(Program, pid)
                p.status = status
                # two programs share a change time: the tie is broken by id
                p.status_changed_at = base + timedelta(days=min(i, 2))
                db.session.commit()
            placed[status].append(pid)
    with app.app_context():
        designer = db.session.get(User, bworld.designer.id)
        board = get_board(designer, ProgramFilters(), limit=3)
        # the same cards whether the columns walk the index (every program) or one window
        # pass ranks a narrowed set (here: the designer's own programs, which are all of them)
        narrowed = get_board(designer, ProgramFilters(designer=designer.id), limit=3)
        assert [([c.program.id for c in col.cards], col.total) for col in narrowed.columns] == [
            ([c.program.id for c in col.cards], col.total) for col in board.columns
        ]
        cols = {c.status: c for c in board.columns}
        drafts = [c.program.id for c in cols["draft"].cards]
        cancelled = [c.program.id for c in cols["cancelled"].cards]
        # the pworld draft P1 is proposed by bworld; the four new drafts are the column
        assert drafts == placed["draft"][:3] and cols["draft"].total == 4
        assert cols["draft"].hidden == 1
        d = placed["cancelled"]
        assert cancelled == [d[3], d[2], d[1]] and cols["cancelled"].total == 4
        assert [c.program.id for c in cols["proposed"].cards] == [bworld.p1]
        assert cols["proposed"].total == 1 and board.total == 10
        # a card reads only what it shows: nothing else is loaded behind its back
        card = cols["draft"].cards[0]
        assert card.owner == "Rina Perancang" and card.days >= 0
        with pytest.raises(Exception, match="raiseload|not available"):
            _ = card.program.objectives
