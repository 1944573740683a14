"""``/reports`` (*Laporan*) on a small dataset built by hand, every figure computed below.

Needs (all sent to BKN; times in WIB, Asia/Pontianak; filed and verified on the same morning,
so their draft and verification stays are 0 working days):

====  =========  =====  ========  ====  ========================  =====================  ====
need  Pemda      urus.  urgency   FY    verified (→ Diajukan)      taken (→ Ditelaah)     wd
====  =========  =====  ========  ====  ========================  =====================  ====
A     Pontianak  1.02   critical  2026  Fri 14 Aug 2026 10:00      Tue 18 Aug 10:00       1
B     Pontianak  1.02   high      2026  Mon 10 Aug 2026 09:00      Mon 10 Aug 15:00       0
C     Pontianak  5.03   high      2027  Mon 24 Aug 2026 09:00      Mon 31 Aug 09:00       4
E     Kubu Raya  1.02   medium    2026  Tue  1 Sep 2026 09:00      Thu  3 Sep 09:00       2
D     Pontianak  1.01   low       2026  (a draft: never counted)
====  =========  =====  ========  ====  ========================  =====================  ====

A: Sat 15, Sun 16 and Mon 17 August (Independence Day) are not working days, so 4 calendar
days are 1 working day (Tue 18). C: Tue 25 August 2026 is Maulid Nabi, so 7 calendar days are 4
working days (26, 27, 28, 31). Median time *Diajukan*: Pontianak [0, 1, 4] → 1 (calendar days
would give 4, weekdays alone 2); BKN [0, 1, 2, 4] → 1,5; BKN in 2026 [0, 1, 2] → 1.

Programs: P1 serves A and E (FY 2026, 24 JP): delivered and evaluated; Pontianak sends two ASN
(one passes), Kubu Raya one (passes) → 24 JP and 1 ASN each in 2026. P2 serves B: a draft
(BKN's own work: Pontianak does not see it). L4: A 35 → 100, measured 40 (1 Nov) then 61 (1 Dec,
the latest) → 40 %; E 35 → 100, measured 100 → 100 %.

Funnel: BKN 4 filed, 3 with a program (A, B, E), 1 delivered, 1 evaluated; Pontianak 3, 2, 1, 1;
Kubu Raya 1, 1, 1, 1.
"""

from __future__ import annotations

import re
from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from collab.extensions import db
from collab.models import IndicatorMeasurement, Need, Participant, Program, User
from collab.needs.services import create_need, transition_need
from collab.programs.services import create_program
from collab.seed import _audit_time
from tests.conftest import attend_all, evaluate_all, need_data
from tests.test_attendance import complete, to_delivery
from tests.test_programs import act, program_data

WIB = ZoneInfo("Asia/Pontianak")


def wib(y, m, d, hh, mm=0) -> datetime:
    return datetime(y, m, d, hh, mm, tzinfo=WIB)


def file_need(app, officer, approver, designer, verified, taken, **fields) -> int:
    """A need filed and verified at ``verified`` and taken by BKN at ``taken`` (None: not
    sent), with its audit events at those times."""
    with app.app_context():
        user = db.session.get(User, officer.id)
        steps = [("create", user, verified.replace(hour=8, minute=0))]
        if taken is not None:
            steps += [
                ("submit", user, verified.replace(hour=8, minute=30)),
                ("verify", db.session.get(User, approver.id), verified),
                ("take", db.session.get(User, designer.id), taken),
            ]
        need = None
        for action, actor, at in steps:
            with _audit_time(at):
                if action == "create":
                    need = create_need(actor, need_data(user.org_id, **fields))
                else:
                    transition_need(actor, need, action, expected_version=need.version, now=at)
        db.session.commit()
        return need.id


@pytest.fixture
def data(world, app, monkeypatch):
    w = world
    ptk = (w.officer_ptk, w.approver_ptk, w.designer)
    kkr = (w.officer_kkr, w.approver_kkr, w.designer)
    w.a = file_need(
        app, *ptk, wib(2026, 8, 14, 10), wib(2026, 8, 18, 10),
        title="Usulan A", urgency="critical", fiscal_year=2026,
    )  # fmt: skip
    w.b = file_need(
        app, *ptk, wib(2026, 8, 10, 9), wib(2026, 8, 10, 15),
        title="Usulan B", urgency="high", fiscal_year=2026,
    )  # fmt: skip
    w.c = file_need(
        app, *ptk, wib(2026, 8, 24, 9), wib(2026, 8, 31, 9),
        title="Usulan C", urgency="high", urusan_code="5.03", fiscal_year=2027,
    )  # fmt: skip
    w.e = file_need(
        app, *kkr, wib(2026, 9, 1, 9), wib(2026, 9, 3, 9),
        title="Usulan E", urgency="medium", fiscal_year=2026,
    )  # fmt: skip
    w.d = file_need(
        app, *ptk, wib(2026, 9, 1, 9), None,
        title="Usulan D", urgency="low", urusan_code="1.01", fiscal_year=2026,
    )  # fmt: skip
    with app.app_context():
        designer = db.session.get(User, w.designer.id)
        p1 = create_program(
            designer,
            program_data(
                [w.a, w.e],
                {w.ptk.id: 5, w.kkr.id: 5},
                title="Program P1",
                fiscal_year=2026,
                planned_start=date(2026, 10, 5),
                planned_end=date(2026, 10, 9),
            ),
        )
        p2 = create_program(
            designer, program_data([w.b], {w.ptk.id: 5}, title="Program P2", fiscal_year=2026)
        )
        db.session.commit()
        w.p1, w.p2 = p1.id, p2.id
    _sessions, ptk_ids, kkr_ids = to_delivery(
        app, w, w.p1, days=((2026, 10, 5), (2026, 10, 6)), ptk=2, kkr=1
    )
    with app.app_context():
        for pid, (pre, post) in zip(ptk_ids + kkr_ids, ((50, 80), (50, 60), (40, 90)), strict=True):
            p = db.session.get(Participant, pid)
            p.pre_score, p.post_score = pre, post
        db.session.commit()
    attend_all(app, w.p1)
    complete(app, w, w.p1, monkeypatch)
    evaluate_all(app, w.p1)
    with app.app_context():
        for value, day in (("40", date(2026, 11, 1)), ("61", date(2026, 12, 1))):
            db.session.add(
                IndicatorMeasurement(
                    need_id=w.a,
                    program_id=w.p1,
                    value=Decimal(value),
                    measured_on=day,
                    recorded_by_id=w.approver_ptk.id,
                )
            )
        db.session.commit()
    act(app, w.designer, w.p1, "close")
    with app.app_context():
        assert db.session.get(Program, w.p1).status == "evaluated"
        assert db.session.get(Need, w.a).status == "fulfilled"
        assert db.session.get(Need, w.b).status == "accepted"
    return w


# --- reading the page ---------------------------------------------------------------------------


def page(client, url="/reports/"):
    resp = client.get(url)
    assert resp.status_code == 200, resp.status_code
    return resp.get_data(as_text=True)


def table(html: str, table_id: str) -> str:
    m = re.search(rf'<table[^>]*id="{table_id}".*?</table>', html, re.S)
    assert m, table_id
    return m.group(0)


def cell(html: str, row_attr: str, cell_attr: str) -> str:
    """The text of the cell ``data-<cell_attr>`` in the row ``data-<row_attr>``."""
    row = re.search(rf"<tr {row_attr}[^>]*>(.*?)</tr>", html, re.S)
    assert row, row_attr
    m = re.search(rf"<td[^>]*data-{cell_attr}[^>]*>(.*?)</td>", row.group(1), re.S)
    assert m, (row_attr, cell_attr)
    return re.sub(r"<[^>]+>|\s+", "", m.group(1))


def urusan(html, code):
    t = table(html, "table-urusan")
    keys = ("critical", "high", "medium", "low")
    return [cell(t, f'data-urusan="{code}"', f'urgency="{k}"') for k in keys] + [
        cell(t, f'data-urusan="{code}"', "total")
    ]


def funnel(html):
    t = table(html, "table-funnel")
    steps = ("filed", "with_program", "delivered", "evaluated")
    return [cell(t, f'data-step="{s}"', "value") for s in steps]


def cycle(html, kind, state):
    t = table(html, f"table-cycle-{kind}")
    return cell(t, f'data-state="{state}"', "median"), cell(t, f'data-state="{state}"', "count")


def jp_rows(html):
    if 'id="table-jp"' not in html:
        return {}
    t = table(html, "table-jp")
    rows = re.findall(r'<tr data-pemda="(\d+)" data-year="(\d+)">(.*?)</tr>', t, re.S)
    out = {}
    for pemda, year, body in rows:
        row = f'<tr data-pemda="{pemda}" data-year="{year}">{body}</tr>'
        key = f'data-pemda="{pemda}" data-year="{year}"'
        out[(int(pemda), int(year))] = (cell(row, key, "jp"), cell(row, key, "asn"))
    return out


def indicator(html, need_id):
    t = table(html, "table-indicators")
    keys = ("baseline", "target", "achieved", "progress")
    return [cell(t, f'data-need="{need_id}"', k) for k in keys]


# --- figures ------------------------------------------------------------------------------------


def test_bkn_sees_every_figure(data, client, login):
    w = data
    login(client, w.designer)
    html = page(client)
    assert urusan(html, "1.02") == ["1", "1", "1", "0", "3"]
    assert urusan(html, "5.03") == ["0", "1", "0", "0", "1"]
    assert 'data-urusan="1.01"' not in html  # D is a draft, never sent
    assert funnel(html) == ["4", "3", "1", "1"]
    assert "75%" in table(html, "table-funnel")  # 3 of 4 needs got a program
    # median working days in "Diajukan": [0, 1, 2, 4] → 1,5
    assert cycle(html, "need", "submitted") == ("1,5", "4")
    assert 'data-state="draft"' not in table(html, "table-cycle-need")  # Pemda-internal
    # programs moved on the same day: P1 spent 0 working days in each state it left
    assert cycle(html, "program", "approved") == ("0", "1")
    assert cycle(html, "program", "delivered") == ("0", "1")
    assert jp_rows(html) == {(w.ptk.id, 2026): ("24", "1"), (w.kkr.id, 2026): ("24", "1")}
    assert indicator(html, w.a) == ["35", "100", "61", "40%"]
    assert indicator(html, w.e) == ["35", "100", "100", "100%"]
    # six server-side SVG charts with a title and a description, each table captioned
    assert html.count('<svg xmlns="http://www.w3.org/2000/svg" class="chart" role="img"') == 6
    assert html.count("<title id=") == 6 and html.count("<desc id=") == 6
    assert html.count("<caption>") == 6
    assert "<script" not in html.split('id="insights-body"')[1]


def test_median_cycle_time_skips_weekend_and_holidays(data, client, login):
    w = data
    login(client, w.officer_ptk)
    html = page(client)
    # Pontianak's needs A (1, over a weekend and 17 August), B (0) and C (4, over Maulid Nabi)
    assert cycle(html, "need", "submitted") == ("1", "3")
    # the Pemda sees its own draft and verification stays too
    assert cycle(html, "need", "draft") == ("0", "3")
    assert cycle(html, "need", "verifying") == ("0", "3")


def test_pontianak_sees_only_its_own(data, client, login):
    w = data
    login(client, w.approver_ptk)
    html = page(client)
    assert urusan(html, "1.02") == ["1", "1", "0", "0", "2"]
    assert funnel(html) == ["3", "2", "1", "1"]
    assert jp_rows(html) == {(w.ptk.id, 2026): ("24", "1")}
    assert f'data-need="{w.e}"' not in html
    assert "Usulan E" not in html and "Pemerintah Kabupaten Kubu Raya" not in html


def test_kubu_raya_never_sees_pontianak_numbers(data, client, login):
    w = data
    login(client, w.officer_kkr)
    html = page(client)
    assert urusan(html, "1.02") == ["0", "0", "1", "0", "1"]
    assert 'data-urusan="5.03"' not in html
    assert funnel(html) == ["1", "1", "1", "1"]
    assert cycle(html, "need", "submitted") == ("2", "1")
    # P1 is shared, but only Kubu Raya's participants count
    assert jp_rows(html) == {(w.kkr.id, 2026): ("24", "1")}
    assert f'data-need="{w.a}"' not in html and f'data-need="{w.e}"' in html
    assert "Pemerintah Kota Pontianak" not in html
    assert "Usulan A" not in html
    # the Pemda filter offers only their own Pemda; asking for Pontianak's gives nothing
    options = html.split('id="f-pemda"')[1].split("</select>")[0]
    assert f'value="{w.kkr.id}"' in options and f'value="{w.ptk.id}"' not in options
    html = page(client, f"/reports/?pemda={w.ptk.id}")
    # no Pontianak need; only P1, the program both share (visible to Kubu Raya anyway)
    assert funnel(html) == ["0", "0", "1", "1"]
    assert 'id="table-jp"' not in html and 'id="table-urusan"' not in html


def test_filters_by_fiscal_year_and_pemda(data, client, login):
    w = data
    login(client, w.approver_bkn)
    html = page(client, "/reports/?fiscal_year=2026")
    assert urusan(html, "1.02") == ["1", "1", "1", "0", "3"]
    assert 'data-urusan="5.03"' not in html
    assert funnel(html) == ["3", "3", "1", "1"]
    assert cycle(html, "need", "submitted") == ("1", "3")  # [0, 1, 2]
    assert '<option value="2026" selected>' in html
    html = page(client, "/reports/?fiscal_year=2027")
    assert urusan(html, "5.03") == ["0", "1", "0", "0", "1"]
    assert funnel(html) == ["1", "0", "0", "0"]
    assert jp_rows(html) == {}
    assert 'id="table-indicators"' not in html and "Tidak ada data" in html
    html = page(client, f"/reports/?pemda={w.kkr.id}")
    assert funnel(html) == ["1", "1", "1", "1"]
    assert jp_rows(html) == {(w.kkr.id, 2026): ("24", "1")}
    assert f'data-need="{w.a}"' not in html
    # nonsense in the URL is ignored, never a 500
    html = page(client, "/reports/?fiscal_year=abc&pemda=99999999999999999999")
    assert funnel(html) == ["4", "3", "1", "1"]


def test_htmx_filter_returns_the_body(data, client, login):
    login(client, data.designer)
    resp = client.get(
        "/reports/?fiscal_year=2027",
        headers={"HX-Request": "true", "HX-Target": "insights-body"},
    )
    html = resp.get_data(as_text=True)
    assert resp.status_code == 200
    assert html.lstrip().startswith('<div id="insights-body">') and "<html" not in html
    assert funnel(html) == ["1", "0", "0", "0"]
    full = page(client)
    form = full.split('id="insights-filters"')[1].split(">")[0]
    assert 'hx-push-url="true"' in form and 'hx-target="#insights-body"' in form
    assert 'method="get"' in full.split('id="insights-filters"')[0].rsplit("<form", 1)[1]


def test_both_languages_and_the_navigation(data, client, login):
    w = data
    login(client, w.officer_ptk)
    html = page(client, "/reports/?lang=en")
    assert '<html lang="en">' in html
    assert "From need to evaluation" in html and "Median working days" in html
    assert cycle(html, "need", "submitted") == ("1", "3")
    assert indicator(html, w.a)[3] == "40%"
    html = page(client, "/reports/?lang=id")
    assert "Dari usulan hingga evaluasi" in html
    assert 'href="/reports/"' in page(client, "/dashboard")


def test_admin_sees_what_bkn_sees_without_a_menu_link(data, client, login):
    login(client, data.admin)
    html = page(client)
    assert funnel(html) == ["4", "3", "1", "1"]
    assert 'href="/reports/"' not in page(client, "/admin/")


def test_sign_in_required(client):
    resp = client.get("/reports/")
    assert resp.status_code == 302 and "/login" in resp.headers["Location"]


# --- statements ---------------------------------------------------------------------------------


def test_constant_statements_whatever_the_data_size(data, app, client, login, count_queries):
    w = data
    login(client, w.designer)
    page(client)  # warm up

    def count() -> int:
        with count_queries() as qc:
            page(client)
        return qc.count

    small = count()
    for i in range(6):
        w.need("in_review", title=f"Usulan tambahan {i}", urgency=("low", "high")[i % 2])
        w.need("in_review", actor=w.officer_kkr, title=f"Usulan KKR {i}", urusan_code="2.24")
    with app.app_context():
        designer = db.session.get(User, w.designer.id)
        for i in range(3):
            create_program(
                designer, program_data([w.c], {w.ptk.id: 5}, title=f"Program tambahan {i}")
            )
        db.session.commit()
    big = count()
    assert small == big, (small, big)
    assert big <= 12, big
