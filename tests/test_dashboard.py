"""Each role's dashboard lists what waits on it now."""

from __future__ import annotations

from datetime import timedelta

from collab.extensions import db
from collab.models import Need, utcnow


def waiting(client):
    html = client.get("/dashboard").get_data(as_text=True)
    start = html.index("Menunggu Anda")
    return html[start:]


def test_each_role_sees_its_own_queue(world, client, login, make_client):
    verifying = world.need("verifying", title="Menunggu verifikasi BKPSDM")
    submitted = world.need("submitted", title="Menunggu diambil BKN")
    asked = world.need("info_requested", title="Menunggu jawaban Pemda")
    kkr = world.need("verifying", actor=world.officer_kkr, title="Usulan Kubu Raya")
    assert verifying and submitted and asked and kkr

    login(client, world.officer_ptk)
    queue = waiting(client)
    assert "Menunggu jawaban Pemda" in queue and "Petugas puskesmas" in queue  # N1 is a draft
    assert "Menunggu diambil BKN" not in queue and "Usulan Kubu Raya" not in queue

    approver = make_client()
    login(approver, world.approver_ptk)
    queue = waiting(approver)
    assert "Menunggu verifikasi BKPSDM" in queue and "Menunggu jawaban Pemda" in queue
    assert "Usulan Kubu Raya" not in queue and "Menunggu diambil BKN" not in queue

    designer = make_client()
    login(designer, world.designer)
    queue = waiting(designer)
    assert "Menunggu diambil BKN" in queue
    assert "Menunggu verifikasi BKPSDM" not in queue and "Petugas puskesmas" not in queue

    other = make_client()
    login(other, world.designer2)
    assert "Menunggu diambil BKN" in waiting(other)


def test_overdue_need_stands_out_for_both_sides(world, client, login, app, make_client):
    ref = world.need("submitted", title="Sudah lewat tenggat")
    with app.app_context():
        need = db.session.get(Need, ref.id)
        need.sla_due_at = utcnow() - timedelta(days=1)
        db.session.commit()
    login(client, world.approver_bkn)
    html = client.get("/dashboard").get_data(as_text=True)
    assert 'data-testid="overdue">1<' in html and "Sudah lewat tenggat" in html
    pemda = make_client()
    login(pemda, world.approver_ptk)
    html = pemda.get("/dashboard").get_data(as_text=True)
    assert 'data-testid="overdue">1<' in html
    html = pemda.get(f"/needs/{ref.id}").get_data(as_text=True)
    assert "Lewat tenggat respons" in html
