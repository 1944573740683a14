"""Needs pages as users see them: filing, editing, listing, visibility, transitions."""

from __future__ import annotations

import re

from collab.extensions import db
from collab.models import AuditEvent, Need

VALID = {
    "org_id": None,  # filled per test
    "title": "Perawat belum mampu melakukan skrining PTM",
    "urusan_code": "1.02",
    "spm_service_no": "8",
    "affected_service": "Posbindu",
    "problem_statement": "Skrining hipertensi tertinggal.",
    "indicator_name": "% penderita hipertensi mendapat pelayanan sesuai standar",
    "indicator_unit": "%",
    "indicator_baseline": "48",
    "indicator_target": "100",
    "target_jabatan": "Perawat",
    "asn_affected": "30",
    "urgency": "high",
    "urgency_justification": "Capaian SPM rendah.",
    "needed_by": "2027-03-18",
    "fiscal_year": "2027",
    "gaps-0-kind": "teknis",
    "gaps-0-name": "Skrining PTM",
    "gaps-0-code": "",
    "gaps-0-current_level": "2",
    "gaps-0-target_level": "3",
    "gaps-1-kind": "manajerial",
    "gaps-1-name": "",
    "gaps-1-code": "M.03",
    "gaps-1-current_level": "1",
    "gaps-1-target_level": "2",
}


def form(world, **over):
    data = dict(VALID, org_id=str(world.dinkes_ptk.id))
    data.update(over)
    return data


def need_count(app):
    with app.app_context():
        return db.session.query(Need).count()


def test_officer_files_a_need(world, client, login, app):
    login(client, world.officer_ptk)
    resp = client.post("/needs/new", data=form(world, nonce="n-1"))
    assert resp.status_code == 302
    need_id = int(resp.headers["Location"].rstrip("/").split("/")[-1])
    page = client.get(f"/needs/{need_id}").get_data(as_text=True)
    assert "Perawat belum mampu melakukan skrining PTM" in page
    assert "tersimpan sebagai draf" in page
    assert "18 Maret 2027" in page
    assert "Komunikasi" in page  # the managerial competency's name
    with app.app_context():
        need = db.session.get(Need, need_id)
        assert need.status == "draft" and need.pemda_id == world.ptk.id
        assert [(g.kind, g.current_level, g.target_level) for g in need.gaps] == [
            ("teknis", 2, 3),
            ("manajerial", 1, 2),
        ]
        assert need.spm_service_no == 8


def test_bad_input_keeps_values_and_shows_field_errors(world, client, login, app):
    login(client, world.officer_ptk)
    before = need_count(app)
    resp = client.post(
        "/needs/new",
        data=form(
            world,
            title="",
            asn_affected="0",
            **{"gaps-0-target_level": "1", "indicator_baseline": "abc"},
        ),
    )
    assert resp.status_code == 422
    html = resp.get_data(as_text=True)
    assert "Judul wajib diisi." in html
    assert "Jumlah ASN minimal 1." in html
    assert "Harus berupa angka." in html
    assert 'value="Posbindu"' in html  # typed values kept
    assert need_count(app) == before


def test_gap_rules_checked_by_service(world, client, login, app):
    login(client, world.officer_ptk)
    resp = client.post("/needs/new", data=form(world, **{"gaps-0-target_level": "1"}))
    assert resp.status_code == 422
    assert "Level target harus lebih tinggi dari level saat ini." in resp.get_data(as_text=True)
    resp = client.post(
        "/needs/new",
        data=form(world, **{"gaps-0-name": "", "gaps-1-code": "", "gaps-1-kind": "teknis"}),
    )
    assert resp.status_code == 422
    assert "Isi sekurang-kurangnya satu kesenjangan kompetensi." in resp.get_data(as_text=True)


def test_spm_only_for_health(world, client, login):
    login(client, world.officer_ptk)
    resp = client.post("/needs/new", data=form(world, urusan_code="1.01"))
    assert resp.status_code == 422
    assert "hanya untuk urusan Kesehatan" in resp.get_data(as_text=True)


def test_bkn_user_cannot_file(world, client, login):
    login(client, world.designer)
    assert client.get("/needs/new").status_code == 403
    assert client.post("/needs/new", data=form(world)).status_code == 403


def test_edit_draft_then_not_after_submit(world, client, login, app):
    login(client, world.officer_ptk)
    page = client.get(f"/needs/{world.n1.id}/edit").get_data(as_text=True)
    assert 'value="Rekam medis elektronik"' in page
    version = re.search(r'name="version" type="hidden" value="(\d+)"', page).group(1)
    data = form(world, title="Judul baru", version=version)
    resp = client.post(f"/needs/{world.n1.id}/edit", data=data)
    assert resp.status_code == 302
    # the same (now stale) form again: 409, nothing overwritten silently, typed text kept
    resp = client.post(f"/needs/{world.n1.id}/edit", data=dict(data, title="Judul basi"))
    assert resp.status_code == 409
    assert 'value="Judul basi"' in resp.get_data(as_text=True)
    with app.app_context():
        assert db.session.get(Need, world.n1.id).title == "Judul baru"
    client.post(f"/needs/{world.n1.id}/actions/submit", data={"version": int(version) + 1})
    resp = client.get(f"/needs/{world.n1.id}/edit")
    assert resp.status_code == 409
    assert "tidak dapat diubah lagi karena berstatus Verifikasi Pemda" in resp.get_data(
        as_text=True
    )


def test_other_pemda_gets_404_everywhere(world, client, login):
    login(client, world.officer_kkr)
    nid = world.n1.id
    assert client.get(f"/needs/{nid}").status_code == 404
    assert client.get(f"/needs/{nid}/edit").status_code == 404
    assert client.get(f"/needs/{nid}/timeline").status_code == 404
    assert client.post(f"/needs/{nid}/actions/withdraw", data={"version": 1}).status_code == 404
    listing = client.get("/needs/").get_data(as_text=True)
    assert "rekam medis elektronik" not in listing
    assert client.get("/needs/999999").status_code == 404


def test_list_filters_and_visibility(world, client, login):
    world.need("submitted", title="Guru belum menerapkan asesmen diagnostik", urgency="medium")
    world.need("submitted", actor=world.officer_kkr, title="Data gizi balita terlambat")
    login(client, world.designer)
    html = client.get("/needs/").get_data(as_text=True)
    assert "Data gizi balita terlambat" in html and "asesmen diagnostik" in html
    html = client.get("/needs/?status=submitted&urgency=medium").get_data(as_text=True)
    assert "asesmen diagnostik" in html and "Data gizi balita" not in html
    html = client.get(f"/needs/?pemda={world.kkr.id}").get_data(as_text=True)
    assert "Data gizi balita" in html and "asesmen diagnostik" not in html
    html = client.get("/needs/?status=bogus&urgency=&pemda=abc&urusan=9.99").get_data(as_text=True)
    assert "Data gizi balita" in html  # unknown values ignored, never a 500
    resp = client.get(
        "/needs/?status=submitted", headers={"HX-Request": "true", "HX-Target": "needs-list"}
    )
    body = resp.get_data(as_text=True)
    assert resp.status_code == 200 and "<html" not in body and 'id="needs-list"' in body
    assert "HX-Request" in resp.headers.get("Vary", "")
    # each row links to the detail page
    assert re.search(r'href="/needs/\d+"', body)
    # a Pemda user sees only their own Pemda
    client.post("/logout")
    login(client, world.approver_ptk)
    html = client.get("/needs/").get_data(as_text=True)
    assert "Data gizi balita" not in html and "asesmen diagnostik" in html


def test_transition_through_htmx_and_plain_form(world, client, login, app, make_client):
    login(client, world.officer_ptk)
    resp = client.post(
        f"/needs/{world.n1.id}/actions/submit",
        data={"version": 1},
        headers={"HX-Request": "true"},
    )
    html = resp.get_data(as_text=True)
    assert resp.status_code == 200 and "<html" not in html
    assert 'id="need-main"' in html and "Verifikasi Pemda" in html
    assert "need-changed" in resp.headers["HX-Trigger"]
    bk = make_client()
    login(bk, world.approver_ptk)
    page = bk.get(f"/needs/{world.n1.id}").get_data(as_text=True)
    assert 'data-action="verify"' in page and 'data-action="return"' in page
    resp = bk.post(f"/needs/{world.n1.id}/actions/verify", data={"version": 2})
    assert resp.status_code == 302
    page = bk.get(f"/needs/{world.n1.id}").get_data(as_text=True)
    assert "Diajukan" in page and "Menunggu BKN" in page
    assert "Batas respons pertama BKN" in page and "WIB" in page
    # the officer may no longer act, and the page offers nothing but withdraw
    page = client.get(f"/needs/{world.n1.id}").get_data(as_text=True)
    assert 'data-action="submit"' not in page and 'data-action="withdraw"' in page


def test_transition_missing_comment_is_422_and_keeps_nothing(world, client, login, app):
    ref = world.need("verifying")
    login(client, world.approver_ptk)
    resp = client.post(
        f"/needs/{ref.id}/actions/return",
        data={"version": 2, "comment": ""},
        headers={"HX-Request": "true"},
    )
    assert resp.status_code == 422
    html = resp.get_data(as_text=True)
    assert "Catatan wajib diisi." in html and "<html" not in html
    with app.app_context():
        assert db.session.get(Need, ref.id).status == "verifying"
    # with a comment, the need returns to draft and the comment is on the timeline
    resp = client.post(
        f"/needs/{ref.id}/actions/return",
        data={"version": 2, "comment": "Lengkapi data baseline indikator."},
    )
    assert resp.status_code == 302
    page = client.get(f"/needs/{ref.id}").get_data(as_text=True)
    assert "Lengkapi data baseline indikator." in page and "Draf" in page


def test_wrong_role_403_and_wrong_state_409(world, client, login):
    ref = world.need("in_review")
    login(client, world.designer2)
    resp = client.post(f"/needs/{ref.id}/actions/submit", data={"version": 4})
    assert resp.status_code == 403
    resp = client.post(
        f"/needs/{ref.id}/actions/take", data={"version": 4}, headers={"HX-Request": "true"}
    )
    assert resp.status_code == 409
    body = resp.get_data(as_text=True)
    assert "<html" not in body and "Usulan sudah ditangani." in body
    # the panel comes back as the need is now (newcomer: a refused click left it stale)
    assert resp.headers["HX-Retarget"] == "#need-main"
    assert 'id="need-main"' in body and "Ditelaah BKN" in body
    assert "/actions/take" not in body
    resp = client.post(f"/needs/{ref.id}/actions/explode", data={"version": 4})
    assert resp.status_code == 404
    # BKN does not see a Pemda's draft at all
    assert client.get(f"/needs/{world.n1.id}").status_code == 404


def test_timeline_and_whose_turn(world, client, login):
    ref = world.need("info_requested")
    login(client, world.officer_ptk)
    html = client.get(f"/needs/{ref.id}").get_data(as_text=True)
    assert "Menunggu Pemda" in html
    assert "Rina Perancang" in html  # who asked
    assert "Perlu Informasi" in html and "catatan uji" in html
    resp = client.post(
        f"/needs/{ref.id}/actions/respond",
        data={"version": 5, "comment": "Data terlampir: 12 puskesmas."},
    )
    assert resp.status_code == 302
    html = client.get(f"/needs/{ref.id}/timeline").get_data(as_text=True)
    assert "Data terlampir: 12 puskesmas." in html and "Ani Officer" in html


def test_audit_rows_have_actor_and_states(world, app):
    ref = world.need("in_review")
    with app.app_context():
        rows = (
            db.session.query(AuditEvent)
            .filter_by(entity_type="need", entity_id=ref.id)
            .order_by(AuditEvent.id)
            .all()
        )
        assert [(r.action, r.from_state, r.to_state) for r in rows] == [
            ("create", None, "draft"),
            ("submit", "draft", "verifying"),
            ("verify", "verifying", "submitted"),
            ("take", "submitted", "in_review"),
        ]
        assert rows[-1].actor_id == world.designer.id
