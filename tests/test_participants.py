"""Participants: NIP / NI PPPK rules, nomination within quota, import all or none, templates,
withdrawal and enrolment, who sees whom."""

from __future__ import annotations

import codecs
import io
from datetime import date, datetime

import pytest
import sqlalchemy as sa
from openpyxl import Workbook, load_workbook
from werkzeug.datastructures import FileStorage, MultiDict
from werkzeug.test import encode_multipart

from collab.extensions import db
from collab.models import AsnKind, AuditEvent, Participant, Program, ProgramQuota, User
from collab.participants.nip import NipError, format_nip, validate_nip
from collab.programs.services import SessionData, add_session
from tests.test_programs import act

HX = {"HX-Request": "true"}
VALID = "196608011988031001"
PPPK = "199001012021211001"
SPREADSHEET = "terbaca sebagai angka oleh aplikasi lembar kerja"


# --- NIP rules ------------------------------------------------------------------------------


def test_valid_nip_and_display(app):
    with app.app_context():
        info = validate_nip(VALID)
        assert info.kind == AsnKind.PNS
        assert info.birth_date == date(1966, 8, 1)
        assert info.appointed == (1988, 3)
        assert info.sex == 1 and info.sequence == "001"
        assert info.display == "19660801 198803 1 001"
        assert validate_nip("19660801 198803 1 001").nip == VALID  # spaces are ignored
        assert format_nip(VALID) == "19660801 198803 1 001"


def test_valid_pppk_is_detected(app):
    with app.app_context():
        info = validate_nip(PPPK, today=date(2026, 1, 1))
        assert info.kind == AsnKind.PPPK and info.contract == 1
        assert info.appointed == (2021, None)
        assert info.display == "19900101 202121 1 001"


@pytest.mark.parametrize(
    "raw, kind, fragment",
    [
        ("19660801198803100", None, "harus 18 digit"),
        ("1966080119880310011", None, "harus 18 digit"),
        ("19660801198803100A", None, "hanya boleh berisi angka"),
        ("", None, "wajib diisi"),
        ("196602301988031001", None, "Digit 1–8 (tanggal lahir"),  # 30 February
        ("196613011988031001", None, "bukan tanggal yang valid"),  # month 13
        ("196608011988131001", None, "bulan TMT CPNS) harus 01–12, bukan 13"),
        ("196608011988001001", None, "bulan TMT CPNS) harus 01–12, bukan 00"),
        ("196608011966071001", None, "harus setelah tanggal lahir"),
        ("196608011988033001", None, "Digit 15 (jenis kelamin)"),
        ("196608011988030001", None, "Digit 15 (jenis kelamin)"),
        ("196608011988031000", None, "tidak boleh 000"),
        ("196608011988531001", None, "bukan pola NI PPPK"),
        ("199001011989211001", None, "tahun pengangkatan PPPK"),
        ("199001012021201001", None, "nomor kontrak) harus 1–9"),
        ("196608011988031001", "pppk", "Digit 13 NI PPPK harus 2"),
        ("199001012021213001", None, "Digit 15 (jenis kelamin)"),
        ("199001012021211000", None, "tidak boleh 000"),
    ],
)
def test_each_nip_rule_has_its_own_message(app, raw, kind, fragment):
    with app.app_context(), pytest.raises(NipError) as exc:
        validate_nip(raw, kind, today=date(2026, 1, 1))
    assert fragment in exc.value.message


@pytest.mark.parametrize(
    "raw",
    [
        "1.97E+17",
        "1,96608E+17",
        "1.96608011988031E+17",
        "196608011988031001.0",
        "196.608.011.988.031.001",
        "196,608,011,988,031,001",
        1.96608011988031e17,
        196608011988031001,
    ],
)
def test_spreadsheet_damage_is_explained(app, raw):
    with app.app_context(), pytest.raises(NipError) as exc:
        validate_nip(raw)
    assert SPREADSHEET in exc.value.message
    assert "Teks" in exc.value.message


# --- fixtures -------------------------------------------------------------------------------


@pytest.fixture
def approved(pworld, app):
    """P1 (Pontianak 20, Kubu Raya 10) approved by everyone."""
    act(app, pworld.designer, pworld.p1, "propose")
    for who in (pworld.approver_bkn, pworld.approver_ptk, pworld.approver_kkr):
        act(app, who, pworld.p1, "approve")
    with app.app_context():
        assert db.session.get(Program, pworld.p1).status == "approved"
    return pworld


def set_quota(app, program_id, org_id, quota):
    with app.app_context():
        row = db.session.scalar(
            sa.select(ProgramQuota).where(
                ProgramQuota.program_id == program_id, ProgramQuota.org_id == org_id
            )
        )
        row.quota = quota
        db.session.commit()


def start_delivery(app, w):
    with app.app_context():
        program = db.session.get(Program, w.p1)
        add_session(
            db.session.get(User, w.designer.id),
            program,
            SessionData(datetime(2027, 3, 1, 8), datetime(2027, 3, 1, 12), "Aula", "RME", 4),
        )
        db.session.commit()
    act(app, w.designer, w.p1, "schedule")
    act(app, w.designer, w.p1, "start")


def person(nip=VALID, **over):
    data = {
        "nip": nip,
        "name": "Siti Aminah",
        "jabatan": "Perekam Medis",
        "unit": "Puskesmas Kampung Bali",
        "golongan": "III/b",
        "kind": "",
    }
    data.update(over)
    return data


def participants(app, program_id=None):
    with app.app_context():
        stmt = sa.select(Participant).order_by(Participant.id)
        if program_id:
            stmt = stmt.where(Participant.program_id == program_id)
        return [
            (p.nip, p.name, p.status, p.pemda_id, p.golongan, p.kind)
            for p in db.session.scalars(stmt)
        ]


def nominate(client, program_id, htmx=True, **data):
    return client.post(
        f"/programs/{program_id}/participants", data=person(**data), headers=HX if htmx else {}
    )


def xlsx_bytes(rows, header=("NIP", "Nama", "Jabatan", "Unit Kerja", "Golongan")) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.append(list(header))
    for row in rows:
        ws.append(list(row))
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def upload(client, program_id, name, data, htmx=True):
    values = MultiDict({"file": FileStorage(io.BytesIO(data), filename=name)})
    boundary, body = encode_multipart(values)
    return client.post(
        f"/programs/{program_id}/participants/import",
        data=body,
        headers=HX if htmx else {},
        content_type=f"multipart/form-data; boundary={boundary}",
    )


# --- nominating -----------------------------------------------------------------------------


def test_officer_nominates_and_sees_formatted_nip(approved, app, client, login):
    login(client, approved.officer_ptk)
    resp = nominate(client, approved.p1, nip="19660801 198803 1 001")
    html = resp.get_data(as_text=True)
    assert resp.status_code == 200
    assert "19660801 198803 1 001" in html and "Siti Aminah" in html and "Diusulkan" in html
    assert participants(app) == [
        (VALID, "Siti Aminah", "nominated", approved.ptk.id, "III/b", "pns")
    ]
    page = client.get(f"/programs/{approved.p1}").get_data(as_text=True)
    assert "mengusulkan peserta" in page  # the program timeline


def test_plain_form_nomination_redirects_to_the_panel(approved, app, client, login):
    login(client, approved.approver_ptk)
    resp = nominate(client, approved.p1, htmx=False, nip=PPPK, golongan="ix")
    assert resp.status_code == 302
    assert resp.headers["Location"].endswith(f"/programs/{approved.p1}#participants-panel")
    assert participants(app)[0][4:] == ("IX", "pppk")


@pytest.mark.parametrize("htmx", [True, False])
def test_invalid_nip_is_422_at_the_field_and_keeps_values(approved, app, client, login, htmx):
    login(client, approved.officer_ptk)
    resp = nominate(client, approved.p1, htmx=htmx, nip="196608011988131001", name="Rudi Hartono")
    html = resp.get_data(as_text=True)
    assert resp.status_code == 422
    assert 'id="nip-err"' in html and "harus 01–12, bukan 13" in html
    assert 'value="Rudi Hartono"' in html and 'value="196608011988131001"' in html
    assert participants(app) == []


def test_golongan_must_fit_the_kind(approved, app, client, login):
    login(client, approved.officer_ptk)
    resp = nominate(client, approved.p1, golongan="XIII")
    assert resp.status_code == 422
    assert "Golongan PNS adalah I/a sampai IV/e" in resp.get_data(as_text=True)


def test_one_nip_once_per_program(approved, app, client, login, make_client):
    login(client, approved.officer_ptk)
    assert nominate(client, approved.p1).status_code == 200
    resp = nominate(client, approved.p1, name="Orang Lain")
    assert resp.status_code == 422
    html = resp.get_data(as_text=True)
    assert 'id="nip-err"' in html and "sudah terdaftar pada program ini" in html
    other = make_client()
    login(other, approved.officer_kkr)
    resp = nominate(other, approved.p1)
    assert resp.status_code == 422
    assert "sudah diusulkan Pemda lain" in resp.get_data(as_text=True)
    assert len(participants(app)) == 1


def test_quota_of_the_pemda_is_respected(approved, app, client, login):
    set_quota(app, approved.p1, approved.ptk.id, 1)
    login(client, approved.officer_ptk)
    assert nominate(client, approved.p1).status_code == 200
    resp = nominate(client, approved.p1, nip="196608011988032002")
    assert resp.status_code == 422
    assert "Kuota Pemda Anda pada program ini sudah penuh" in resp.get_data(as_text=True)
    assert len(participants(app)) == 1


def test_nomination_needs_an_approved_program(pworld, app, client, login):
    act(app, pworld.designer, pworld.p1, "propose")
    login(client, pworld.officer_ptk)
    resp = nominate(client, pworld.p1)
    assert resp.status_code == 409
    assert "Diusulkan" in resp.get_data(as_text=True)
    assert participants(app) == []


def test_bkn_cannot_nominate_and_other_pemda_gets_404(approved, app, client, login, make_client):
    login(client, approved.designer)
    assert nominate(client, approved.p1).status_code == 403
    # a program serving only Pontianak is invisible to Kubu Raya
    with app.app_context():
        from collab.programs.services import create_program
        from tests.test_programs import program_data

        n4 = approved.need("in_review", title="Kebutuhan kedua Pontianak")
        p2 = create_program(
            db.session.get(User, approved.designer.id),
            program_data([n4.id], {approved.ptk.id: 5}),
        )
        db.session.commit()
        p2_id = p2.id
    act(app, approved.designer, p2_id, "propose")
    kkr = make_client()
    login(kkr, approved.officer_kkr)
    assert kkr.get(f"/programs/{p2_id}").status_code == 404
    assert nominate(kkr, p2_id).status_code == 404
    assert kkr.get(f"/programs/{p2_id}/participants/template.xlsx").status_code == 404
    assert participants(app) == []


def test_who_may_nominate_is_checked_before_the_form(approved, app, client, login):
    """Issue 9 (permission matrix): a BKN user or an admin posting an empty or invalid
    nomination or import is refused (403), not shown form errors (422)."""
    for user in (approved.designer, approved.approver_bkn, approved.admin):
        login(client, user)
        url = f"/programs/{approved.p1}/participants"
        assert client.post(url, data={}, headers=HX).status_code == 403
        assert client.post(url, data={"nip": "1"}, headers=HX).status_code == 403
        assert client.post(f"{url}/import", data={}, headers=HX).status_code == 403
        client.post("/logout")
    login(client, approved.officer_ptk)
    assert client.post(f"/programs/{approved.p1}/participants", data={}).status_code == 422
    assert participants(app) == []


def test_pemda_sees_only_its_own_participants_bkn_sees_all(
    approved, app, client, login, make_client
):
    ptk, kkr, bkn = make_client(), make_client(), make_client()
    login(ptk, approved.officer_ptk)
    login(kkr, approved.officer_kkr)
    login(bkn, approved.approver_bkn)
    nominate(ptk, approved.p1, name="Peserta Pontianak")
    nominate(kkr, approved.p1, nip="197001011995032001", name="Peserta Kubu Raya")
    ptk_page = ptk.get(f"/programs/{approved.p1}").get_data(as_text=True)
    assert "Peserta Pontianak" in ptk_page and "Peserta Kubu Raya" not in ptk_page
    kkr_page = kkr.get(f"/programs/{approved.p1}").get_data(as_text=True)
    assert "Peserta Kubu Raya" in kkr_page and "Peserta Pontianak" not in kkr_page
    bkn_page = bkn.get(f"/programs/{approved.p1}").get_data(as_text=True)
    assert "Peserta Pontianak" in bkn_page and "Peserta Kubu Raya" in bkn_page
    # Kubu Raya cannot withdraw Pontianak's participant: it does not exist for them
    with app.app_context():
        pid = db.session.scalar(sa.select(Participant.id).where(Participant.nip == VALID))
    assert kkr.post(f"/programs/{approved.p1}/participants/{pid}/withdraw").status_code == 404


# --- withdraw and enrol ---------------------------------------------------------------------


def _pid(app, nip=VALID):
    with app.app_context():
        p = db.session.scalar(sa.select(Participant).where(Participant.nip == nip))
        return p.id, p.version


def test_withdraw_before_delivery_and_nominate_again(approved, app, client, login):
    login(client, approved.officer_ptk)
    nominate(client, approved.p1)
    pid, version = _pid(app)
    resp = client.post(
        f"/programs/{approved.p1}/participants/{pid}/withdraw",
        data={"version": version},
        headers=HX,
    )
    assert resp.status_code == 200 and "Ditarik" in resp.get_data(as_text=True)
    assert participants(app)[0][2] == "withdrawn"
    assert nominate(client, approved.p1, name="Siti A.").status_code == 200
    assert participants(app) == [(VALID, "Siti A.", "nominated", approved.ptk.id, "III/b", "pns")]
    with app.app_context():
        actions = db.session.scalars(
            sa.select(AuditEvent.action).where(AuditEvent.entity_type == "program")
        ).all()
    assert actions.count("nominate") == 2 and "withdraw_participant" in actions


def test_withdraw_is_refused_once_delivery_started(approved, app, client, login, make_client):
    login(client, approved.officer_ptk)
    nominate(client, approved.p1)
    designer = make_client()
    login(designer, approved.designer)
    pid, version = _pid(app)
    enrolled = designer.post(
        f"/programs/{approved.p1}/participants/{pid}/enrol", data={"version": version}
    )
    assert enrolled.status_code in (200, 302)
    start_delivery(app, approved)  # needs an enrolled participant
    pid, version = _pid(app)
    resp = client.post(
        f"/programs/{approved.p1}/participants/{pid}/withdraw", data={"version": version}
    )
    assert resp.status_code == 409
    assert participants(app)[0][2] == "enrolled"


def test_only_the_owner_designer_enrols(approved, app, client, login, make_client):
    ptk, kkr = make_client(), make_client()
    login(ptk, approved.officer_ptk)
    login(kkr, approved.officer_kkr)
    nominate(ptk, approved.p1)
    nominate(ptk, approved.p1, nip="196608011988032002", name="Dua")
    nominate(kkr, approved.p1, nip="197001011995032001", name="Tiga")
    pid, version = _pid(app)
    url = f"/programs/{approved.p1}/participants"
    assert ptk.post(f"{url}/{pid}/enrol", data={"version": version}).status_code == 403
    other = make_client()
    login(other, approved.designer2)
    assert other.post(f"{url}/enrol").status_code == 403
    assert {p[2] for p in participants(app)} == {"nominated"}

    login(client, approved.designer)
    page = client.get(f"/programs/{approved.p1}").get_data(as_text=True)
    assert "Konfirmasi semua" in page
    resp = client.post(f"{url}/{pid}/enrol", data={"version": version}, headers=HX)
    assert resp.status_code == 200 and "Terkonfirmasi" in resp.get_data(as_text=True)
    assert [p[2] for p in participants(app)] == ["enrolled", "nominated", "nominated"]
    with app.app_context():
        stale = db.session.get(Program, approved.p1).version - 1
    assert client.post(f"{url}/enrol", data={"version": stale}).status_code == 409
    with app.app_context():
        current = db.session.get(Program, approved.p1).version
    resp = client.post(f"{url}/enrol", data={"version": current}, headers=HX)
    assert resp.status_code == 200 and "2 peserta dikonfirmasi" in resp.get_data(as_text=True)
    assert {p[2] for p in participants(app)} == {"enrolled"}
    timeline = client.get(f"/programs/{approved.p1}").get_data(as_text=True)
    assert "mengonfirmasi peserta" in timeline


# --- import ---------------------------------------------------------------------------------


def test_import_xlsx_all_rows(approved, app, client, login):
    login(client, approved.officer_ptk)
    data = xlsx_bytes(
        [
            ("196608011988031001", "Satu", "Perekam Medis", "Puskesmas A", "III/a"),
            ("19700101 199503 2 001", "Dua", "Perawat", "Puskesmas B", None),
            (PPPK, "Tiga", "Bidan", "Puskesmas C", "IX"),
        ]
    )
    resp = upload(client, approved.p1, "peserta.xlsx", data)
    assert resp.status_code == 200, resp.get_data(as_text=True)
    assert "3 peserta diimpor" in resp.get_data(as_text=True)
    assert [(p[1], p[2], p[5]) for p in participants(app)] == [
        ("Satu", "nominated", "pns"),
        ("Dua", "nominated", "pns"),
        ("Tiga", "nominated", "pppk"),
    ]


def test_import_is_all_or_none_with_row_and_column(approved, app, client, login):
    login(client, approved.officer_ptk)
    nominate(client, approved.p1, nip="197001011995032001", name="Sudah Ada")
    data = xlsx_bytes(
        [
            ("196608011988031001", "Satu", "Perekam Medis", "Puskesmas A", "III/a"),
            ("196608011988131001", "Dua", "Perawat", "Puskesmas B", None),
            ("196608011988031001", "Tiga", "Bidan", "Puskesmas C", None),
            (196608011988031001, "Empat", "Bidan", "", None),
            ("197001011995032001", "Lima", "Bidan", "Puskesmas D", None),
            (None, None, None, None, None),
            ("196608011988032002", "Enam", "Bidan", "Puskesmas E", "Z"),
        ]
    )
    resp = upload(client, approved.p1, "peserta.xlsx", data)
    html = resp.get_data(as_text=True)
    assert resp.status_code == 422
    assert "tidak ada peserta yang disimpan" in html
    assert "Baris 3, kolom NIP: Digit 13–14 (bulan TMT CPNS) harus 01–12, bukan 13." in html
    assert "Baris 4, kolom NIP: NIP yang sama sudah ada di baris 2." in html
    assert "Baris 5, kolom NIP: NIP terbaca sebagai angka" in html
    assert "Baris 5, kolom Unit Kerja: Unit Kerja wajib diisi." in html
    assert "Baris 6, kolom NIP: NIP ini sudah terdaftar pada program ini" in html
    assert "Baris 8, kolom Golongan:" in html
    assert "Baris 7" not in html  # a blank row is skipped
    assert [p[1] for p in participants(app)] == ["Sudah Ada"]


def test_import_checks_the_quota_for_the_whole_file(approved, app, client, login):
    set_quota(app, approved.p1, approved.ptk.id, 2)
    login(client, approved.officer_ptk)
    data = xlsx_bytes(
        [
            ("196608011988031001", "Satu", "A", "B", None),
            ("196608011988031002", "Dua", "A", "B", None),
            ("196608011988031003", "Tiga", "A", "B", None),
        ]
    )
    resp = upload(client, approved.p1, "peserta.xlsx", data, htmx=False)
    assert resp.status_code == 422
    assert "Sisa kuota Pemda Anda 2 peserta; yang diusulkan 3." in resp.get_data(as_text=True)
    assert participants(app) == []


@pytest.mark.parametrize("bom, sep", [(True, ";"), (False, ","), (True, ",")])
def test_import_csv_utf8_with_either_separator(approved, app, client, login, bom, sep):
    login(client, approved.officer_ptk)
    lines = [
        sep.join(["NIP", "Nama", "Jabatan", "Unit Kerja", "Golongan"]),
        sep.join([VALID, "Siti Äminah", "Perekam Medis", "Puskesmas", "III/b"]),
        sep.join(["1,96608E+17", "Rusak", "Perawat", "Puskesmas", ""])
        if sep == ";"
        else sep.join(["196608011988032002", "Dua", "Perawat", "Puskesmas", ""]),
    ]
    data = ("\r\n".join(lines) + "\r\n").encode("utf-8")
    if bom:
        data = codecs.BOM_UTF8 + data
    resp = upload(client, approved.p1, "peserta.csv", data)
    html = resp.get_data(as_text=True)
    if sep == ";":
        assert resp.status_code == 422
        assert "Baris 3, kolom NIP: NIP terbaca sebagai angka" in html
        assert participants(app) == []
    else:
        assert resp.status_code == 200, html
        assert [p[1] for p in participants(app)] == ["Siti Äminah", "Dua"]


def test_import_refuses_missing_columns_other_types_and_big_files(approved, app, client, login):
    login(client, approved.officer_ptk)
    resp = upload(client, approved.p1, "peserta.xlsx", xlsx_bytes([], header=("NIP", "Nama")))
    assert resp.status_code == 422
    assert "Kolom wajib tidak ditemukan" in resp.get_data(as_text=True)
    assert "Jabatan, Unit Kerja" in resp.get_data(as_text=True)
    resp = upload(client, approved.p1, "peserta.pdf", b"%PDF-1.4 bukan lembar kerja")
    assert resp.status_code == 422 and "XLSX atau CSV" in resp.get_data(as_text=True)
    big = b"NIP;Nama;Jabatan;Unit Kerja\r\n" + b"x" * (2 * 1024 * 1024)
    resp = upload(client, approved.p1, "peserta.csv", big)
    assert resp.status_code == 413 and "maks. 2 MB" in resp.get_data(as_text=True)
    assert participants(app) == []


def test_templates_download(approved, app, client, login):
    login(client, approved.officer_ptk)
    resp = client.get(f"/programs/{approved.p1}/participants/template.xlsx")
    assert resp.status_code == 200
    assert "attachment" in resp.headers["Content-Disposition"]
    wb = load_workbook(io.BytesIO(resp.get_data()))
    ws = wb.worksheets[0]
    assert [c.value for c in ws[1]] == ["NIP", "Nama", "Jabatan", "Unit Kerja", "Golongan"]
    assert ws["A1"].number_format == "@" and ws["A2"].number_format == "@"
    assert ws.max_row >= 1 and ws["A2"].value is None  # no example row to import by mistake
    resp = client.get(f"/programs/{approved.p1}/participants/template.csv")
    body = resp.get_data()
    assert body.startswith(codecs.BOM_UTF8)
    assert body.decode("utf-8-sig").strip() == "NIP;Nama;Jabatan;Unit Kerja;Golongan"


def test_filled_template_imports(approved, app, client, login):
    login(client, approved.officer_ptk)
    wb = load_workbook(
        io.BytesIO(client.get(f"/programs/{approved.p1}/participants/template.xlsx").get_data())
    )
    ws = wb.worksheets[0]
    ws.append([VALID, "Siti", "Perekam Medis", "Puskesmas", "III/b"])
    out = io.BytesIO()
    wb.save(out)
    resp = upload(client, approved.p1, "templat-peserta.xlsx", out.getvalue())
    assert resp.status_code == 200
    assert participants(app)[0][:2] == (VALID, "Siti")


def test_a_wrong_nip_is_named_even_when_other_fields_are_missing(approved, client, login):
    """A Pemda user typing only a short NIP learns both what is missing and what is wrong with
    the NIP in one go, not the NIP rule on the second try."""
    login(client, approved.approver_ptk)
    resp = client.post(f"/programs/{approved.p1}/participants", data={"nip": "1234"})
    assert resp.status_code == 422
    html = resp.get_data(as_text=True)
    assert "NIP harus 18 digit angka; yang diisi 4 digit." in html
    assert "Nama wajib diisi." in html


@pytest.mark.parametrize("action", ["enrol", "withdraw", "enrol_all"])
def test_participant_actions_without_the_loaded_version_are_stale(
    approved, app, client, login, action
):
    """A confirm or withdraw posted without the version the page was loaded at is a 409, not
    applied over whatever changed since."""
    login(client, approved.approver_ptk)
    resp = client.post(f"/programs/{approved.p1}/participants", data=person())
    assert resp.status_code in (200, 302), resp.get_data(as_text=True)[:300]
    with app.app_context():
        pid = db.session.scalar(sa.select(sa.func.max(Participant.id)))
    who = approved.approver_ptk if action == "withdraw" else approved.designer
    other = app.test_client()
    login(other, who)
    url = {
        "enrol": f"/programs/{approved.p1}/participants/{pid}/enrol",
        "withdraw": f"/programs/{approved.p1}/participants/{pid}/withdraw",
        "enrol_all": f"/programs/{approved.p1}/participants/enrol",
    }[action]
    assert other.post(url, data={}).status_code == 409
    with app.app_context():
        assert db.session.get(Participant, pid).status == "nominated"
