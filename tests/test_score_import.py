"""Import of L2 scores and attendance from XLSX/CSV (issue 6): all rows or none with every
problem by row and column, the pre-filled template, who may import and when."""

from __future__ import annotations

import codecs
import io

import pytest
import sqlalchemy as sa
from openpyxl import Workbook, load_workbook
from werkzeug.datastructures import FileStorage, MultiDict
from werkzeug.test import encode_multipart

from collab.extensions import db
from collab.models import Attendance, Participant
from tests.conftest import attend_all
from tests.test_attendance import (
    HX,
    GridTab,
    add_sessions,
    approve_all,
    complete,
    delivery,  # noqa: F401 - fixture
    events,
    results,
)
from tests.test_programs import act

S1, S2 = "Sesi 1 (1 Maret 2027 08.00 WIB)", "Sesi 2 (2 Maret 2027 08.00 WIB)"
HEAD = ["NIP", "Nama", "Pre-test", "Post-test", S1, S2]
UNKNOWN_NIP = "197001012000011002"


def xlsx(rows, head=HEAD) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.append(head)
    for row in rows:
        ws.append(list(row))
    for row in ws.iter_rows(min_col=1, max_col=1):
        row[0].number_format = "@"
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def upload(client, program_id, name, data, htmx=True):
    values = MultiDict({"file": FileStorage(io.BytesIO(data), filename=name)})
    boundary, body = encode_multipart(values)
    return client.post(
        f"/programs/{program_id}/scores/import",
        data=body,
        headers=HX if htmx else {},
        content_type=f"multipart/form-data; boundary={boundary}",
    )


def people(app, w):
    """[(id, nip)] of the enrolled participants in enrolment order (Pontianak first)."""
    with app.app_context():
        return [(pid, db.session.get(Participant, pid).nip) for pid in w.ptk_ids + w.kkr_ids]


def scores(app, program_id):
    with app.app_context():
        return {
            p.id: (p.pre_score, p.post_score)
            for p in db.session.scalars(
                sa.select(Participant).where(Participant.program_id == program_id)
            )
        }


def attendance(app):
    with app.app_context():
        return {
            (a.session_id, a.participant_id): str(a.status)
            for a in db.session.scalars(sa.select(Attendance))
        }


def test_good_xlsx_updates_scores_and_attendance(delivery, app, client, login):  # noqa: F811
    w = delivery
    (p1, n1), (p2, n2), (p3, n3) = people(app, w)
    s1, s2 = w.sessions
    with app.app_context():
        db.session.get(Participant, p3).pre_score = 30
        db.session.commit()
    login(client, w.designer)
    data = xlsx(
        [
            (n1, "Peserta 01", 40, 85, "H", "hadir"),
            (n2, "Peserta 02", "55", 70.0, "Izin", "tk"),
            (),  # empty rows are skipped
            (n3, "Peserta 03", None, 90, "S", None),  # empty cells leave values unchanged
        ]
    )
    resp = upload(client, w.p1, "nilai.xlsx", data)
    body = resp.get_data(as_text=True)
    assert resp.status_code == 200, body
    assert "3 peserta diperbarui." in body
    assert 'id="scores"' in body and 'hx-swap-oob="outerHTML"' in body  # both grids refreshed
    assert scores(app, w.p1) == {p1: (40, 85), p2: (55, 70), p3: (30, 90)}
    assert attendance(app) == {
        (s1, p1): "hadir",
        (s2, p1): "hadir",
        (s1, p2): "izin",
        (s2, p2): "tanpa_keterangan",
        (s1, p3): "sakit",
    }
    assert events(app, w.p1, "import_scores") == [
        {"rows": 3, "participants": 3, "scores": 5, "attendance": 5}
    ]


def test_an_import_makes_the_grids_other_tabs_loaded_stale(delivery, app, client, login):  # noqa: F811
    """The import itself is not versioned (a bulk upload), but what it writes is: a tab
    loaded before it gets 409 for those cells and rows; the importing tab's grids come back
    with the new versions and go on saving."""
    w = delivery
    (p1, n1), (p2, _n2), _p3 = people(app, w)
    s1, s2 = w.sessions
    login(client, w.designer)
    other = GridTab(client, w.p1)
    importer = GridTab(client, w.p1)
    resp = upload(client, w.p1, "nilai.xlsx", xlsx([(n1, "Peserta 01", 40, 85, "H", None)]))
    assert resp.status_code == 200
    importer.read(resp.get_data(as_text=True))
    assert other.cell(s1, p1, "izin").status_code == 409
    assert other.set_scores(p1, "10", "20").status_code == 409
    assert attendance(app) == {(s1, p1): "hadir"} and scores(app, w.p1)[p1] == (40, 85)
    # cells and rows the file left alone are not stale
    assert other.cell(s2, p1, "izin").status_code == 200
    assert other.set_scores(p2, "10", "20").status_code == 200
    assert importer.cell(s1, p1, "sakit").status_code == 200
    assert importer.set_scores(p1, "45", "85").status_code == 200
    assert attendance(app)[s1, p1] == "sakit" and scores(app, w.p1)[p1] == (45, 85)


def test_csv_with_full_words_and_plain_form(delivery, app, client, login):  # noqa: F811
    w = delivery
    (p1, n1), (p2, n2), _p3 = people(app, w)
    s1, s2 = w.sessions
    login(client, w.designer)
    text = ";".join(HEAD) + "\r\n" + f"{n1};A;10;20;Tanpa Keterangan;SAKIT\r\n" + f"{n2};B;;;;\r\n"
    resp = upload(client, w.p1, "nilai.csv", codecs.BOM_UTF8 + text.encode(), htmx=False)
    assert resp.status_code == 302 and resp.headers["Location"].endswith("#scores")
    assert scores(app, w.p1)[p1] == (10, 20) and scores(app, w.p1)[p2] == (None, None)
    assert attendance(app) == {(s1, p1): "tanpa_keterangan", (s2, p1): "sakit"}
    assert "1 peserta diperbarui." in client.get(f"/programs/{w.p1}").get_data(as_text=True)


def test_bad_file_lists_every_problem_and_saves_nothing(delivery, app, client, login):  # noqa: F811
    w = delivery
    (p1, n1), (p2, n2), _p3 = people(app, w)
    login(client, w.designer)
    data = xlsx(
        [
            (n1, "Peserta 01", 40, 80, "H", "H", "x"),
            (),
            (n1, "Peserta 01 lagi", 50, 60, "H", "H"),
            (n2, "Peserta 02", 50, 101, "Hadir", "Bolos"),
            (UNKNOWN_NIP, "Orang Lain", 50, 60, "H", "H"),
            (1.96608011988031e17, "Angka", 50, 60, "H", "H"),
            ("19660801198803100", "Salah", "tujuh", None, None, None),
        ],
        head=[*HEAD, "Nilai Akhir"],
    )
    resp = upload(client, w.p1, "nilai.xlsx", data)
    body = resp.get_data(as_text=True)
    assert resp.status_code == 422
    for message in (
        "Berkas tidak diimpor; tidak ada nilai atau presensi yang disimpan.",
        "Baris 1, kolom G: Judul kolom “Nilai Akhir” tidak dikenal. Gunakan templat.",
        "Baris 4, kolom NIP: NIP yang sama sudah ada di baris 2.",
        "Baris 5, kolom Post-test: Nilai harus bilangan bulat 0–100, bukan “101”.",
        f"Baris 5, kolom {S2}: Presensi “Bolos” tidak dikenal; isi H (Hadir), I (Izin), "
        "S (Sakit) atau TK (Tanpa Keterangan).",
        f"Baris 6, kolom NIP: NIP {UNKNOWN_NIP} bukan peserta terdaftar program ini; nilai dan "
        "presensi peserta yang tidak dikenal tidak dapat disimpan.",
        "Baris 7, kolom NIP: NIP terbaca sebagai angka oleh aplikasi lembar kerja",
        "Baris 8, kolom NIP: NIP 19660801198803100 bukan peserta terdaftar",
        "Baris 8, kolom Pre-test: Nilai harus bilangan bulat 0–100, bukan “tujuh”.",
    ):
        assert message in body, message
    assert "Baris 3" not in body  # the empty row is skipped
    assert scores(app, w.p1)[p1] == (None, None) and attendance(app) == {}
    assert events(app, w.p1, "import_scores") == []


def test_missing_columns_and_unreadable_files(delivery, app, client, login):  # noqa: F811
    w = delivery
    (_p1, n1), *_ = people(app, w)
    login(client, w.designer)
    resp = upload(client, w.p1, "nilai.xlsx", xlsx([(n1, "A", 40)], head=HEAD[:3]))
    body = resp.get_data(as_text=True)
    assert resp.status_code == 422
    assert f"Kolom wajib tidak ditemukan di baris judul: Post-test, {S1}, {S2}." in body
    resp = upload(client, w.p1, "nilai.xlsx", xlsx([("A",)], head=["Nama"]))
    assert resp.status_code == 422 and "Kolom wajib tidak ditemukan di baris judul: NIP" in (
        resp.get_data(as_text=True)
    )
    resp = upload(client, w.p1, "nilai.xlsx", xlsx([("A",)], head=["Nama"]), htmx=False)
    assert resp.status_code == 422 and "<!doctype html>" in resp.get_data(as_text=True)
    assert "Kolom wajib tidak ditemukan" in resp.get_data(as_text=True)
    assert upload(client, w.p1, "nilai.txt", b"NIP\r\n").status_code == 422
    assert upload(client, w.p1, "nilai.xlsx", b"PK\x03\x04 rusak").status_code == 422
    assert upload(client, w.p1, "nilai.csv", b"").status_code == 422


def test_template_lists_enrolled_participants(delivery, app, client, login):  # noqa: F811
    w = delivery
    (_p1, n1), (_p2, n2), (_p3, n3) = people(app, w)
    login(client, w.designer)
    resp = client.get(f"/programs/{w.p1}/scores/template.xlsx")
    assert resp.status_code == 200 and "attachment" in resp.headers["Content-Disposition"]
    ws = load_workbook(io.BytesIO(resp.get_data())).worksheets[0]
    rows = [list(r) for r in ws.iter_rows(values_only=True)]
    assert rows[0] == HEAD
    assert sorted((r[0], r[1]) for r in rows[1:]) == sorted(
        [(n1, "Peserta 01"), (n2, "Peserta 02"), (n3, "Peserta 03")]
    )
    assert all(r[2:] == [None] * 4 for r in rows[1:])
    assert ws["A1"].number_format == "@" and ws["A2"].number_format == "@"
    filled = load_workbook(io.BytesIO(resp.get_data()))
    filled.worksheets[0]["C2"] = 75
    filled.worksheets[0]["E2"] = "H"
    out = io.BytesIO()
    filled.save(out)
    assert upload(client, w.p1, "nilai.xlsx", out.getvalue()).status_code == 200
    resp = client.get(f"/programs/{w.p1}/scores/template.csv")
    body = resp.get_data()
    assert body.startswith(codecs.BOM_UTF8)
    lines = body.decode("utf-8-sig").splitlines()
    assert lines[0] == ";".join(HEAD) and len(lines) == 4 and lines[1].split(";")[0] in (n1, n2)
    html = client.get(f"/programs/{w.p1}").get_data(as_text=True)
    assert 'id="score-import-form"' in html and "Impor nilai & presensi" in html


def test_only_the_owner_designer(delivery, app, client, make_client, login, make_org, make_user):  # noqa: F811
    w = delivery
    (p1, n1), *_ = people(app, w)
    data = xlsx([(n1, "A", 40, 80, "H", "H")])
    other = make_org("Pemerintah Kabupaten Mempawah", "pemda", region_code="61.04")
    outsider = make_user("officer@mpw.test", "pemda_approver", other)
    for who, status in (
        (w.designer2, 403),
        (w.approver_bkn, 403),
        (w.officer_ptk, 403),
        (w.approver_kkr, 403),
        (outsider, 404),
    ):
        c = make_client()
        login(c, who)
        assert upload(c, w.p1, "nilai.xlsx", data).status_code == status, who
        assert c.get(f"/programs/{w.p1}/scores/template.xlsx").status_code == status, who
        html = c.get(f"/programs/{w.p1}").get_data(as_text=True)
        assert "score-import-form" not in html
    assert scores(app, w.p1)[p1] == (None, None)


def test_states_outside_delivery_are_409(pworld, app, client, login):
    w = pworld
    login(client, w.designer)
    data = xlsx([])
    assert upload(client, w.p1, "nilai.xlsx", data).status_code == 409  # draft
    approve_all(app, w, w.p1)
    add_sessions(app, w, w.p1, [(2027, 3, 1)])
    act(app, w.designer, w.p1, "schedule")
    assert upload(client, w.p1, "nilai.xlsx", data).status_code == 409
    assert client.get(f"/programs/{w.p1}/scores/template.csv").status_code == 409


def test_delivered_recomputes_completion_and_keeps_attendance(
    delivery,  # noqa: F811
    app,
    client,
    login,
    monkeypatch,
):
    w = delivery
    (p1, n1), (p2, n2), _p3 = people(app, w)
    attend_all(app, w.p1)
    complete(app, w, w.p1, monkeypatch)
    login(client, w.designer)
    assert results(app, w.p1)[p1] == (None, 0)  # no post-test yet
    resp = upload(client, w.p1, "nilai.xlsx", xlsx([(n1, "A", 40, 90, "H", "Hadir")]))
    assert resp.status_code == 200
    passed, jp = results(app, w.p1)[p1]
    assert passed is True and jp > 0
    resp = upload(client, w.p1, "nilai.xlsx", xlsx([(n2, "B", 40, 90, "I", None)]))
    assert resp.status_code == 422
    assert (
        f"Baris 2, kolom {S1}: Presensi tidak dapat diubah lagi setelah program selesai."
        in resp.get_data(as_text=True)
    )
    assert scores(app, w.p1)[p2] == (None, None)
    assert set(attendance(app).values()) == {"hadir"}


@pytest.mark.parametrize("value", ["100", 0, "0"])
def test_score_bounds_accepted(delivery, app, client, login, value):  # noqa: F811
    w = delivery
    (p1, n1), *_ = people(app, w)
    login(client, w.designer)
    assert upload(client, w.p1, "n.xlsx", xlsx([(n1, "A", value, None)])).status_code == 200
    assert scores(app, w.p1)[p1] == (int(value), None)
