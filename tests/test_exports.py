"""CSV and XLSX downloads of needs, programs, participants and the JP ledger: the file as a
spreadsheet or the csv module reads it (BOM, ``;``, typed cells), the viewer's visibility and
filters, headers in the viewer's language naming the time zone, and constant query counts."""

from __future__ import annotations

import codecs
import csv
import io
import re
from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from openpyxl import load_workbook

from collab.extensions import db
from collab.models import Need, Participant, Program, User
from tests.conftest import enrol
from tests.test_board import make_program
from tests.test_jp import NIP_A, NIP_B, NIP_C, deliver
from tests.test_programs import act


def read_csv(resp) -> list[dict]:
    """The rows of a CSV download as dicts (asserting the BOM and the separator)."""
    assert resp.status_code == 200, resp.status_code
    assert resp.mimetype == "text/csv" and resp.content_type == "text/csv; charset=utf-8"
    assert resp.data.startswith(codecs.BOM_UTF8)
    text = resp.data[len(codecs.BOM_UTF8) :].decode("utf-8")
    assert text.endswith("\r\n")
    return list(csv.DictReader(io.StringIO(text, newline=""), delimiter=";"))


def read_xlsx(resp) -> tuple[list[str], list[dict], list]:
    """Headers, rows as dicts of cell values, and the cell objects of the first data row."""
    assert resp.status_code == 200, resp.status_code
    assert resp.mimetype == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    ws = load_workbook(io.BytesIO(resp.data)).worksheets[0]
    rows = list(ws.iter_rows())
    headers = [c.value for c in rows[0]]
    data = [dict(zip(headers, (c.value for c in r), strict=True)) for r in rows[1:]]
    return headers, data, list(rows[1]) if len(rows) > 1 else []


def cell(cells, headers, name):
    return cells[headers.index(name)]


@pytest.fixture
def eworld(pworld, app):
    """pworld with P1 proposed (Pontianak + Kubu Raya, budget Rp60.000.000) and P2, a
    Pontianak-only proposal of fiscal year 2028 whose title starts with ``=``."""
    w = pworld
    act(app, w.designer, w.p1, "propose")
    w.p2 = make_program(
        app, w, [w.n2.id], {w.ptk.id: 5}, title="=Khusus Pontianak", fiscal_year=2028
    )
    with app.app_context():
        need = db.session.get(Need, w.n2.id)
        need.indicator_baseline = Decimal("62.5")
        db.session.commit()
    return w


# --- needs ----------------------------------------------------------------------------------


def test_needs_csv_bom_header_rows_and_zone(eworld, app, client, login):
    login(client, eworld.designer)
    resp = client.get("/needs/export.csv")
    assert resp.is_streamed
    assert 'filename="usulan-kebutuhan-' in resp.headers["Content-Disposition"]
    rows = read_csv(resp)
    assert "Diperbarui (WIB)" in rows[0] and "Diajukan ke BKN (WIB)" in rows[0]
    # BKN sees needs the Pemda has sent (N2, N3), never N1, a Pontianak draft
    assert {r["ID"] for r in rows} == {str(eworld.n2.id), str(eworld.n3.id)}
    n2 = next(r for r in rows if r["ID"] == str(eworld.n2.id))
    assert n2["Judul"] == "RME Puskesmas Pontianak" and n2["Status"] == "Diterima"
    assert n2["Jumlah ASN"] == "46" and n2["Kondisi awal"] == "62,5" and n2["Target"] == "100"
    assert n2["Kode urusan"] == "1.02" and n2["Urusan"] == "Kesehatan"
    assert n2["Perancang BKN"] == "Rina Perancang"
    with app.app_context():
        need = db.session.get(Need, eworld.n2.id)
        wib = need.updated_at.astimezone(ZoneInfo("Asia/Pontianak"))
    assert n2["Diperbarui (WIB)"] == wib.strftime("%Y-%m-%d %H:%M")


def test_needs_exports_honour_filters_and_visibility(eworld, client, make_client, login):
    login(client, eworld.designer)
    rows = read_csv(client.get(f"/needs/export.csv?pemda={eworld.kkr.id}"))
    assert [r["ID"] for r in rows] == [str(eworld.n3.id)]
    rows = read_csv(client.get(f"/needs/export.csv?status=accepted&pemda={eworld.ptk.id}"))
    assert [r["ID"] for r in rows] == [str(eworld.n2.id)]
    assert len(read_csv(client.get("/needs/export.csv?urusan=1.02"))) == 2
    assert read_csv(client.get("/needs/export.csv?urusan=1.01")) == []
    assert read_csv(client.get("/needs/export.csv?urgency=critical")) == []
    _, data, _ = read_xlsx(client.get("/needs/export.xlsx?q=kubu"))
    assert [r["ID"] for r in data] == [eworld.n3.id]
    # a Kubu Raya user gets only Kubu Raya needs, even when asking for Pontianak's
    kkr = make_client()
    login(kkr, eworld.officer_kkr)
    assert [r["ID"] for r in read_csv(kkr.get("/needs/export.csv"))] == [str(eworld.n3.id)]
    assert read_csv(kkr.get(f"/needs/export.csv?pemda={eworld.ptk.id}")) == []
    # a Pontianak officer sees their own drafts
    ptk = make_client()
    login(ptk, eworld.officer_ptk)
    ids = {r["ID"] for r in read_csv(ptk.get("/needs/export.csv"))}
    assert ids == {str(eworld.n1.id), str(eworld.n2.id)}


def test_needs_xlsx_typed_cells(eworld, app, client, login):
    login(client, eworld.designer)
    headers, data, _ = read_xlsx(client.get(f"/needs/export.xlsx?pemda={eworld.ptk.id}"))
    assert "Diperbarui (WIB)" in headers
    row = data[0]
    assert row["ID"] == eworld.n2.id and isinstance(row["ID"], int)
    assert row["Jumlah ASN"] == 46 and isinstance(row["Jumlah ASN"], int)
    assert row["Kondisi awal"] == 62.5 and row["Target"] == 100
    assert isinstance(row["Diperbarui (WIB)"], datetime)
    with app.app_context():
        need = db.session.get(Need, eworld.n2.id)
        local = need.updated_at.astimezone(ZoneInfo("Asia/Pontianak")).replace(tzinfo=None)
    assert abs((row["Diperbarui (WIB)"] - local).total_seconds()) < 1
    assert row["Kode urusan"] == "1.02" and isinstance(row["Kode urusan"], str)


def test_headers_follow_the_viewers_language_and_zone(eworld, app, client, login):
    with app.app_context():
        db.session.get(User, eworld.designer.id).timezone = "Asia/Makassar"
        db.session.commit()
    login(client, eworld.designer)
    rows = read_csv(client.get("/needs/export.csv?lang=en"))
    assert "Updated (WITA)" in rows[0] and "Title" in rows[0]
    assert "Diperbarui (WIB)" not in rows[0]
    n2 = next(r for r in rows if r["ID"] == str(eworld.n2.id))
    assert n2["Baseline"] == "62.5"  # the English decimal mark
    with app.app_context():
        need = db.session.get(Need, eworld.n2.id)
        wita = need.updated_at.astimezone(ZoneInfo("Asia/Makassar"))
    assert n2["Updated (WITA)"] == wita.strftime("%Y-%m-%d %H:%M")
    headers, _, _ = read_xlsx(client.get("/programs/export.xlsx?lang=en"))
    assert "Updated (WITA)" in headers and "Budget (IDR)" in headers


# --- programs -------------------------------------------------------------------------------


def test_programs_csv_money_jp_dates_and_formula_guard(eworld, client, login):
    login(client, eworld.designer)
    rows = read_csv(client.get("/programs/export.csv"))
    by_id = {r["ID"]: r for r in rows}
    p1 = by_id[str(eworld.p1)]
    assert p1["Anggaran (Rp)"] == "60000000" and p1["Total JP"] == "24"
    assert p1["Rencana mulai"] == "2027-03-01" and p1["Rencana selesai"] == "2027-03-05"
    assert p1["Pemda mitra"] == "Pemerintah Kabupaten Kubu Raya, Pemerintah Kota Pontianak"
    assert p1["Status"] == "Diusulkan" and p1["Menunggu"] == "Menunggu BKN dan Pemda"
    assert "Status sejak (WIB)" in p1
    # a title a spreadsheet would run as a formula is kept as text
    assert by_id[str(eworld.p2)]["Judul"] == "'=Khusus Pontianak"


def test_programs_xlsx_typed_cells(eworld, client, login):
    login(client, eworld.designer)
    headers, data, _ = read_xlsx(client.get("/programs/export.xlsx?fiscal_year=2027"))
    assert [r["ID"] for r in data] == [eworld.p1]  # the fiscal-year filter
    ws = load_workbook(io.BytesIO(client.get("/programs/export.xlsx?fiscal_year=2027").data))
    cells = list(ws.worksheets[0].iter_rows())[1]
    budget = cell(cells, headers, "Anggaran (Rp)")
    assert budget.value == 60_000_000 and isinstance(budget.value, int)
    assert budget.number_format == "#,##0"
    start = cell(cells, headers, "Rencana mulai")
    assert isinstance(start.value, datetime | date) and start.value.date() == date(2027, 3, 1)
    assert start.is_date and start.number_format == "yyyy-mm-dd"
    assert isinstance(cell(cells, headers, "Status sejak (WIB)").value, datetime)
    assert cell(cells, headers, "Total JP").value == 24
    _, data, _ = read_xlsx(client.get("/programs/export.xlsx?fiscal_year=2028"))
    assert data[0]["Judul"] == "=Khusus Pontianak"
    ws = load_workbook(io.BytesIO(client.get("/programs/export.xlsx?fiscal_year=2028").data))
    assert list(ws.worksheets[0].iter_rows())[1][1].data_type == "s"  # text, not a formula


def test_kubu_raya_never_gets_a_pontianak_only_program(eworld, client, login):
    login(client, eworld.officer_kkr)
    rows = read_csv(client.get("/programs/export.csv"))
    assert [r["ID"] for r in rows] == [str(eworld.p1)]
    _, data, _ = read_xlsx(client.get(f"/programs/export.xlsx?pemda={eworld.ptk.id}"))
    assert [r["ID"] for r in data] == [eworld.p1]  # shared with Pontianak, so still visible
    assert "Khusus Pontianak" not in client.get("/programs/export.csv?q=khusus").get_data(
        as_text=True
    )
    assert client.get(f"/programs/{eworld.p2}/participants/export.csv").status_code == 404


def test_programs_export_urusan_and_designer_filters(eworld, client, login):
    login(client, eworld.approver_bkn)
    assert len(read_csv(client.get("/programs/export.csv?urusan=1.02"))) == 2
    assert read_csv(client.get("/programs/export.csv?urusan=1.01")) == []
    assert read_csv(client.get(f"/programs/export.csv?designer={eworld.designer2.id}")) == []
    assert len(read_csv(client.get("/programs/export.csv?status=proposed"))) == 2


# --- participants ---------------------------------------------------------------------------


def test_participants_export_each_pemda_its_own(eworld, app, client, make_client, login):
    ptk_nips = ["196608011988031001", "198503152010012002"]
    kkr_nips = ["199001012015031003"]
    enrol(app, eworld.p1, eworld.ptk, 2, nips=ptk_nips)
    enrol(app, eworld.p1, eworld.kkr, 1, nips=kkr_nips)
    url = f"/programs/{eworld.p1}/participants/export"
    login(client, eworld.designer)
    rows = read_csv(client.get(url + ".csv"))
    assert sorted(r["NIP"] for r in rows) == sorted(ptk_nips + kkr_nips)
    assert "Dikonfirmasi (WIB)" in rows[0] and rows[0]["Status"] == "Terkonfirmasi"
    headers, data, cells = read_xlsx(client.get(url + ".xlsx"))
    nip = cell(cells, headers, "NIP")
    assert isinstance(nip.value, str) and re.fullmatch(r"\d{18}", nip.value)
    assert nip.number_format == "@"
    assert isinstance(data[0]["Dikonfirmasi (WIB)"], datetime)
    kkr = make_client()
    login(kkr, eworld.officer_kkr)
    assert [r["NIP"] for r in read_csv(kkr.get(url + ".csv"))] == kkr_nips
    _, data, _ = read_xlsx(kkr.get(url + ".xlsx"))
    assert [r["NIP"] for r in data] == kkr_nips
    ptk = make_client()
    login(ptk, eworld.approver_ptk)
    assert sorted(r["NIP"] for r in read_csv(ptk.get(url + ".csv"))) == sorted(ptk_nips)
    assert ptk.get("/programs/999/participants/export.csv").status_code == 404
    assert ptk.get(f"/programs/{eworld.p1}/participants/export.pdf").status_code == 404


# --- JP ledger ------------------------------------------------------------------------------


def test_jp_ledger_export(pworld, app, client, make_client, login, monkeypatch):
    w = pworld
    deliver(app, w, w.p1, monkeypatch, ptk=(NIP_A, NIP_B), kkr=(NIP_C,), post={NIP_C: 50})
    login(client, w.designer)
    rows = read_csv(client.get("/jp/export.csv?year=all"))
    assert {r["NIP"]: (r["Tahun"], r["JP"], r["Memenuhi 20 JP"]) for r in rows} == {
        NIP_A: ("2027", "24", "Ya"),
        NIP_B: ("2027", "24", "Ya"),
        NIP_C: ("2027", "0", "Tidak"),
    }
    assert [r["NIP"] for r in read_csv(client.get("/jp/export.csv?year=all&below=1"))] == [NIP_C]
    assert [r["NIP"] for r in read_csv(client.get(f"/jp/export.csv?year=all&q={NIP_B}"))] == [NIP_B]
    headers, data, cells = read_xlsx(client.get("/jp/export.xlsx?year=2027"))
    assert cell(cells, headers, "JP").value == 24 and isinstance(data[0]["Tahun"], int)
    assert isinstance(data[0]["NIP"], str) and len(data[0]["NIP"]) == 18
    assert cell(cells, headers, "NIP").number_format == "@"
    assert read_csv(client.get("/jp/export.csv?year=2026")) == []
    kkr = make_client()
    login(kkr, w.officer_kkr)
    assert [r["NIP"] for r in read_csv(kkr.get("/jp/export.csv?year=all"))] == [NIP_C]
    assert read_csv(kkr.get(f"/jp/export.csv?year=all&pemda={w.ptk.id}")) == []
    _, data, _ = read_xlsx(kkr.get("/jp/export.xlsx?year=2027"))
    assert [r["NIP"] for r in data] == [NIP_C]


# --- links and query counts -------------------------------------------------------------------


def test_list_pages_link_to_downloads_with_their_filters(eworld, client, login):
    login(client, eworld.designer)
    html = client.get("/needs/?urgency=high&page=2").get_data(as_text=True)
    assert "Unduh CSV" in html and "Unduh XLSX" in html
    assert 'href="/needs/export.csv?urgency=high"' in html
    assert 'href="/needs/export.xlsx?urgency=high"' in html
    html = client.get(
        "/programs/?fiscal_year=2028&q=khusus",
        headers={"HX-Request": "true", "HX-Target": "programs-list"},
    ).get_data(as_text=True)
    assert 'href="/programs/export.csv?fiscal_year=2028&amp;q=khusus"' in html
    html = client.get("/jp/?below=1").get_data(as_text=True)
    assert 'href="/jp/export.xlsx?below=1"' in html
    html = client.get("/needs/?lang=en").get_data(as_text=True)
    assert "Download CSV" in html and 'href="/needs/export.csv"' in html


def test_participant_panel_links_to_downloads(eworld, app, client, login):
    enrol(app, eworld.p1, eworld.ptk, 1)
    login(client, eworld.designer)
    html = client.get(f"/programs/{eworld.p1}").get_data(as_text=True)
    assert f'href="/programs/{eworld.p1}/participants/export.csv"' in html
    assert f'href="/programs/{eworld.p1}/participants/export.xlsx"' in html


def test_export_statement_count_is_constant(world, app, make_client, login, count_queries):
    refs = [world.need("in_review", title=f"Kebutuhan {i}") for i in range(2)]

    def make(n):
        for i in range(n):
            make_program(app, world, [refs[i % 2].id], {world.ptk.id: 5}, propose=i % 2 == 0)

    browser = make_client()
    login(browser, world.designer)
    urls = ("/programs/export.csv", "/programs/export.xlsx", "/needs/export.csv")

    def counted():
        out = {}
        for url in urls:
            browser.get(url).get_data()
            with count_queries() as qc:
                resp = browser.get(url)
                resp.get_data()  # the CSV is read while it streams
            out[url] = qc.count
        return out

    make(3)
    small = counted()
    make(27)
    large = counted()
    assert small == large, (small, large)
    assert max(large.values()) <= 12, large
    with app.app_context():
        assert db.session.query(Program).count() == 30
        assert db.session.query(Participant).count() == 0


def test_exports_read_in_batches(eworld, app, client, login, monkeypatch):
    """Rows are read a batch at a time, related data loaded per batch, nothing lost."""
    from collab.programs import queries
    from collab.programs.queries import ProgramFilters, iter_programs

    for i in range(3):
        make_program(app, eworld, [eworld.n2.id], {eworld.ptk.id: 5}, title=f"Angkatan {i}")
    with app.test_request_context():
        user = db.session.get(User, eworld.designer.id)
        sizes = [len(b) for b in iter_programs(user, ProgramFilters(), batch=2)]
    assert sizes == [2, 2, 1]
    monkeypatch.setattr(queries.iter_programs, "__defaults__", (2,))
    login(client, eworld.designer)
    rows = read_csv(client.get("/programs/export.csv"))
    assert len(rows) == 5 and all(r["Total JP"] == "24" for r in rows)
    assert all(r["Menunggu"] for r in rows)  # pending sign-offs found in every batch
    assert rows[-1]["ID"] == str(eworld.p1)  # the list's order: latest change first


@pytest.mark.parametrize("char", ["\uffff", "\ufffe", "\ud800", "\x01"])
def test_xlsx_stays_readable_with_characters_xml_cannot_hold(char):
    """A text that reached the database with a character XML 1.0 forbids (an older row, an
    import) is dropped from the XLSX cell instead of making the whole workbook unreadable."""
    from collab.core.export import Column, Table, xlsx_bytes

    table = Table("t", "T", [Column("Judul"), Column("Nilai", "int")], [[f"A{char}B", 1]])
    sheet = load_workbook(io.BytesIO(xlsx_bytes(table))).active
    assert [c.value for c in list(sheet.iter_rows())[1]] == ["AB", 1]


def test_forms_drop_noncharacters_and_lone_surrogates():
    from collab.core.forms import clean_text

    assert clean_text("Judul\uffff dengan\ufffe\ud800\ufdd0 teks\U0010ffff") == "Judul dengan teks"
    assert clean_text("baris\r\nbaru\tdan 😀") == "baris\nbaru\tdan 😀"
