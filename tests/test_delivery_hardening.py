"""Hostile input and edge cases for delivery and evaluation (found by a break-it review):
malformed or oversized spreadsheets, control characters, other Pemda's indicator values, odd
reaction tokens, nothing passed, the new-year boundary, edits after a program moved on."""

from __future__ import annotations

import io
import zipfile
from datetime import date

import pytest
import sqlalchemy as sa
from openpyxl import Workbook

from collab.extensions import db
from collab.models import IndicatorMeasurement, Participant, Program
from tests.test_attendance import GridTab, to_delivery
from tests.test_evaluation import delivered as ev_delivered  # noqa: F401
from tests.test_participants import approved, upload, xlsx_bytes  # noqa: F401

HX = {"HX-Request": "true"}
H = ("NIP", "Nama", "Jabatan", "Unit Kerja", "Golongan")
HEAD = "NIP;Nama;Jabatan;Unit Kerja\r\n"


def _rezip(data: bytes, replace: dict[str, bytes]) -> bytes:
    zin = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zout:
        for item in zin.infolist():
            zout.writestr(item.filename, replace.get(item.filename, zin.read(item.filename)))
    return out.getvalue()


def _nips(app, pid):
    with app.app_context():
        return [
            p.nip
            for p in db.session.scalars(sa.select(Participant).where(Participant.program_id == pid))
        ]


# --- imports ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "part",
    ["xl/worksheets/sheet1.xml", "xl/workbook.xml", "xl/styles.xml", "[Content_Types].xml"],
)
def test_xlsx_with_malformed_inner_xml_is_not_a_500(approved, app, client, login, part):  # noqa: F811
    login(client, approved.officer_ptk)
    good = xlsx_bytes([("196608011988031001", "A", "B", "C", "III/a")])
    bad = _rezip(good, {part: b"<worksheet><sheetData><row><c"})
    resp = upload(client, approved.p1, "peserta.xlsx", bad)
    assert resp.status_code == 422, resp.status_code


def test_xlsx_rows_after_blank_gap_are_not_silently_dropped(approved, app, client, login):  # noqa: F811
    """All rows or none: a row past MAX_ROWS+50 (after blank rows) must not vanish."""
    login(client, approved.officer_ptk)
    wb = Workbook()
    ws = wb.active
    ws.append(list(H))
    ws.append(["196608011988031001", "Ani", "Perekam Medis", "Puskesmas", "III/a"])
    for col, v in enumerate(["197001012000011002", "Budi", "Perawat", "Puskesmas", "III/a"], 1):
        ws.cell(row=2100, column=col, value=v)
    buf = io.BytesIO()
    wb.save(buf)
    resp = upload(client, approved.p1, "peserta.xlsx", buf.getvalue())
    nips = _nips(app, approved.p1)
    # either both are nominated or the file is refused
    assert resp.status_code == 422 or len(nips) == 2, (resp.status_code, nips)


@pytest.mark.parametrize(
    "data",
    [
        (HEAD + "196608011988031001;Siti Aminah;Perawat;Puskesmas\r\n").encode("utf-16"),
        (HEAD + "196608011988031001;José Müller;Perawat;Puskesmas\r\n").encode("latin-1"),
        b"\xff\xfe\x00\x00",
        b"NIP;Nama;Jabatan;Unit Kerja\r\n" + b"x" * 200000 + b";a;b;c\r\n",
    ],
)
def test_csv_odd_encodings_are_422(approved, app, client, login, data):  # noqa: F811
    login(client, approved.officer_ptk)
    resp = upload(client, approved.p1, "peserta.csv", data)
    assert resp.status_code == 422


def test_csv_nul_in_name_is_not_stored(approved, app, client, login):  # noqa: F811
    """Forms strip NUL (core/forms.clean_text: PostgreSQL refuses NUL); so does the import."""
    login(client, approved.officer_ptk)
    data = (HEAD + "196608011988031001;Siti\x00Aminah;Perawat\x01;Puskesmas\r\n").encode()
    resp = upload(client, approved.p1, "peserta.csv", data)
    with app.app_context():
        names = [(p.name, p.jabatan) for p in db.session.scalars(sa.select(Participant))]
    assert resp.status_code in (200, 422)
    assert all("\x00" not in n and "\x01" not in j for n, j in names), names


# --- evaluation panel: another Pemda's L4 ----------------------------------------------------


def test_evaluation_panel_does_not_show_other_pemdas_l4_values(ev_delivered, app, login):  # noqa: F811
    w = ev_delivered
    with app.app_context():
        program = db.session.get(Program, w.p1)
        n2 = next(n for n in program.needs if n.pemda_id == w.ptk.id)
        db.session.add(
            IndicatorMeasurement(
                need_id=n2.id,
                program_id=w.p1,
                value=77.77,
                measured_on=date(2027, 3, 5),
                recorded_by_id=w.officer_ptk.id,
            )
        )
        db.session.commit()
    c = app.test_client()
    login(c, w.approver_kkr)
    panel = c.get(f"/programs/{w.p1}/evaluation", headers=HX).get_data(as_text=True)
    page = c.get(f"/programs/{w.p1}").get_data(as_text=True)
    report = c.get(f"/programs/{w.p1}/report").get_data(as_text=True)
    assert "77,77" not in report  # the report filters L4 by Pemda ...
    assert "77,77" not in panel and "77,77" not in page  # ... the evaluation panel does not


# --- things expected to hold -------------------------------------------------------------------


def test_scores_bad_values_are_422(pworld, app, login):
    w = pworld
    sessions, ptk, kkr = to_delivery(app, w, w.p1)
    c = app.test_client()
    login(c, w.designer)
    tab = GridTab(c, w.p1)
    for pre, post in [
        ("1e5", "50"),
        ("50.5", "60"),
        ("99999999999999999999999", "1"),
        ("-1", "1"),
        ("NaN", "1"),
    ]:
        r = tab.set_scores(ptk[0], pre, post)
        assert r.status_code == 422, (pre, r.status_code)


def test_attendance_for_session_of_other_program_is_404(pworld, app, login):
    w = pworld
    sessions, ptk, kkr = to_delivery(app, w, w.p1)
    c = app.test_client()
    login(c, w.designer)
    r = c.post(
        f"/programs/{w.p1}/attendance/{sessions[0] + 999}/{ptk[0]}",
        data={"status": "hadir", "version": "0"},
    )
    assert r.status_code == 404
    assert GridTab(c, w.p1).cell(sessions[0], ptk[0], "bogus").status_code == 422


@pytest.mark.parametrize(
    "token",
    ["a", "x" * 43, "x" * 101, "%00", "..%2F..", "%F0%9F%98%80" * 5, "%ED%A0%80", "'%20OR%201=1--"],
)
def test_odd_tokens(app, client, token):
    r = client.get(f"/r/{token}")
    assert r.status_code == 404, r.status_code
    r = client.post(f"/r/{token}", data={"material": "5"})
    assert r.status_code == 404


def test_report_and_exports_with_nobody_passed_or_enrolled(ev_delivered, app, login):  # noqa: F811
    w = ev_delivered
    c = app.test_client()
    login(c, w.designer)
    with app.app_context():
        for p in db.session.scalars(sa.select(Participant).where(Participant.program_id == w.p1)):
            p.passed, p.jp_earned = False, 0
        db.session.commit()
    assert c.get(f"/programs/{w.p1}/certificates.pdf").status_code == 409
    r = c.get(f"/programs/{w.p1}/siasn.csv")
    assert r.status_code == 200 and r.data.count(b"\r\n") == 1
    with app.app_context():
        for p in db.session.scalars(sa.select(Participant).where(Participant.program_id == w.p1)):
            p.status = "withdrawn"
        program = db.session.get(Program, w.p1)
        for s in list(program.sessions):
            db.session.delete(s)
        db.session.commit()
    for url in ("report", "report.pdf", "siasn.csv", "jp_check"):
        if url == "jp_check":
            assert c.get("/jp/").status_code == 200
            continue
        r = c.get(f"/programs/{w.p1}/{url}")
        assert r.status_code == 200, (url, r.status_code)
    assert c.get(f"/programs/{w.p1}", headers={}).status_code == 200


def test_ledger_and_certificate_year_at_new_year_boundary(pworld, app, login, monkeypatch):
    """A session 1 Jan 2028 00:00–02:00 WIB ends 31 Dec 2027 19:00 UTC: both say 2028."""
    from tests.conftest import attend_all, enrol
    from tests.test_attendance import add_sessions, approve_all, complete
    from tests.test_programs import act

    w = pworld
    approve_all(app, w, w.p1)
    with app.app_context():
        prog = db.session.get(Program, w.p1)
        prog.planned_end = date(2028, 1, 2)
        db.session.commit()
    add_sessions(app, w, w.p1, ((2028, 1, 1),), hour=0, hours=2)
    act(app, w.designer, w.p1, "schedule")
    (pid,) = enrol(app, w.p1, w.ptk, 1)
    act(app, w.designer, w.p1, "start")
    attend_all(app, w.p1)
    with app.app_context():
        p = db.session.get(Participant, pid)
        p.pre_score, p.post_score = 50, 90
        db.session.commit()
    complete(app, w, w.p1, monkeypatch)
    c = app.test_client()
    login(c, w.designer)
    html = c.get("/jp/?year=2028").get_data(as_text=True)
    with app.app_context():
        nip = db.session.get(Participant, pid).nip
    assert nip[:8] in html.replace(" ", "")
    csv_ = c.get(f"/programs/{w.p1}/siasn.csv").get_data(as_text=True)
    assert "SINERGI/2028/000001" in csv_ and "2028-01-01" in csv_


def test_no_scores_after_evaluated_no_attendance_after_delivered(ev_delivered, app, login):  # noqa: F811
    from tests.conftest import evaluate_all
    from tests.test_programs import act

    w = ev_delivered
    c = app.test_client()
    login(c, w.designer)
    r = c.post(
        f"/programs/{w.p1}/attendance/{w.sessions[0]}/{w.ptk_ids[0]}", data={"status": "sakit"}
    )
    assert r.status_code == 403
    evaluate_all(app, w.p1)
    act(app, w.designer, w.p1, "close")
    r = c.post(
        f"/programs/{w.p1}/scores/{w.ptk_ids[0]}", data={"pre_score": "1", "post_score": "1"}
    )
    assert r.status_code == 403
    o = app.test_client()
    login(o, w.officer_ptk)
    r = o.post(
        f"/programs/{w.p1}/participants",
        data={"nip": "197001012000011002", "name": "X", "jabatan": "Y", "unit": "Z", "kind": ""},
        headers=HX,
    )
    assert r.status_code in (403, 409, 422)


def test_xlsx_that_unpacks_too_large_is_refused_before_parsing(
    approved,  # noqa: F811
    app,
    client,
    login,
    monkeypatch,
):
    from collab.participants import imports

    monkeypatch.setattr(imports, "MAX_UNPACKED_BYTES", 2000)  # a real file is about 5 kB unpacked
    login(client, approved.officer_ptk)
    resp = upload(client, approved.p1, "peserta.xlsx", xlsx_bytes([("196608011988031001", "A")]))
    assert resp.status_code == 422
    assert "Isi berkas XLSX terlalu besar" in resp.get_data(as_text=True)
    assert _nips(app, approved.p1) == []


def test_wide_rows_are_read_only_to_the_column_limit(approved, app, client, login):  # noqa: F811
    row = ["196608011988031001", "Siti Aminah", "Perawat", "Puskesmas", "III/a"] + ["x"] * 500
    login(client, approved.officer_ptk)
    resp = upload(client, approved.p1, "peserta.xlsx", xlsx_bytes([row]))
    assert resp.status_code == 200 and _nips(app, approved.p1) == ["196608011988031001"]
