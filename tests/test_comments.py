"""Comments on needs and programs: visibility per side, Markdown made safe (A14), edit within
15 minutes with the old text kept, deletion leaves a marker, CSRF and expired sessions (A01/A02
with a real comment fragment)."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
import sqlalchemy as sa

from collab.extensions import db
from collab.models import AuditEvent, Comment
from tests.conftest import csrf_from


def post(client, url, body, visibility="shared", htmx=True):
    headers = {"HX-Request": "true"} if htmx else {}
    return client.post(url, data={"body": body, "visibility": visibility}, headers=headers)


def test_shared_and_internal_comments_on_a_need(world, client, login, make_client):
    ref = world.need("submitted")
    url = f"/needs/{ref.id}/comments"
    login(client, world.officer_ptk)
    resp = post(client, url, "Data **baseline** terlampir.")
    html = resp.get_data(as_text=True)
    assert resp.status_code == 200 and "<html" not in html and 'id="comments-panel"' in html
    assert "<strong>baseline</strong>" in html and "Catatan terkirim." in html
    post(client, url, "Catatan internal Dinkes", "internal")
    designer = make_client()
    login(designer, world.designer)
    page = designer.get(f"/needs/{ref.id}").get_data(as_text=True)
    assert "Data <strong>baseline</strong> terlampir." in page
    assert "Catatan internal Dinkes" not in page  # internal to the Pemda side
    post(designer, url, "Catatan internal BKN", "internal")
    approver = make_client()
    login(approver, world.approver_ptk)
    page = approver.get(f"/needs/{ref.id}").get_data(as_text=True)
    assert "Catatan internal Dinkes" in page and "Catatan internal BKN" not in page
    other = make_client()
    login(other, world.officer_kkr)
    assert post(other, url, "mengintip").status_code == 404


def test_comment_validation_keeps_text(world, client, login, app):
    url = f"/needs/{world.n1.id}/comments"
    login(client, world.officer_ptk)
    resp = post(client, url, "   ")
    assert resp.status_code == 422 and "Catatan wajib diisi." in resp.get_data(as_text=True)
    long = "x" * 20001
    resp = post(client, url, long)
    html = resp.get_data(as_text=True)
    assert resp.status_code == 422 and "paling panjang 20.000 karakter" in html and long in html
    resp = post(client, url, "ok", visibility="semua")
    assert resp.status_code == 422
    with app.app_context():
        assert db.session.query(Comment).count() == 0


def test_a14_user_text_is_never_executable(world, client, login):
    url = f"/needs/{world.n1.id}/comments"
    login(client, world.officer_ptk)
    for body in (
        "<script>alert(1)</script>",
        "[klik](javascript:alert(1))",
        "<img src=x onerror=alert(1)>",
        '<div hx-post="/logout" hx-trigger="load">x</div>',
        "anggaran x<y dan a>b",
    ):
        post(client, url, body)
    html = client.get(f"/needs/{world.n1.id}").get_data(as_text=True)
    panel = html[html.index('id="comments-panel"') :]
    assert "<script>alert" not in panel and "&lt;script&gt;" in panel
    assert 'href="javascript:' not in panel
    assert "<img" not in panel
    assert not re.search(r"<div[^>]*hx-post", panel)
    assert "anggaran x&lt;y dan a&gt;b" in panel
    assert panel.count('class="comment-body" hx-disable') == 5


def test_edit_within_15_minutes_keeps_old_text_in_audit(world, client, login, app, make_client):
    url = f"/needs/{world.n1.id}/comments"
    login(client, world.officer_ptk)
    post(client, url, "Versi pertama")
    with app.app_context():
        comment = db.session.scalar(sa.select(Comment).where(Comment.transition.is_(None)))
        cid, version = comment.id, comment.version
    form = client.get(f"/comments/{cid}/edit", headers={"HX-Request": "true"}).get_data(
        as_text=True
    )
    assert "Versi pertama" in form and f'id="edit-body-{cid}"' in form
    resp = client.post(
        f"/comments/{cid}/edit",
        data={"body": "Versi kedua", "version": version, "visibility": "shared"},
        headers={"HX-Request": "true"},
    )
    assert resp.status_code == 200 and "Versi kedua" in resp.get_data(as_text=True)
    with app.app_context():
        ev = db.session.scalar(sa.select(AuditEvent).where(AuditEvent.action == "edit_comment"))
        assert ev.data["before"] == "Versi pertama"
        c = db.session.get(Comment, cid)
        c.created_at = c.created_at - timedelta(minutes=16)
        db.session.commit()
    resp = client.post(f"/comments/{cid}/edit", data={"body": "Terlambat", "version": version + 1})
    assert resp.status_code == 403
    other = make_client()
    login(other, world.approver_ptk)
    assert other.post(f"/comments/{cid}/delete").status_code == 403


def test_delete_leaves_a_marker(world, client, login, app):
    url = f"/needs/{world.n1.id}/comments"
    login(client, world.officer_ptk)
    post(client, url, "Akan dihapus")
    with app.app_context():
        cid = db.session.scalar(sa.select(Comment.id).where(Comment.transition.is_(None)))
    resp = client.post(f"/comments/{cid}/delete", headers={"HX-Request": "true"})
    html = resp.get_data(as_text=True)
    assert resp.status_code == 200 and "Catatan dihapus." in html and "Akan dihapus" not in html
    with app.app_context():
        c = db.session.get(Comment, cid)
        assert c.deleted_at is not None and c.body == ""


def test_comments_on_a_program(pworld, client, login, app, make_client):
    from tests.test_programs import act

    act(app, pworld.designer, pworld.p1, "propose")
    login(client, pworld.approver_kkr)
    resp = post(client, f"/programs/{pworld.p1}/comments", "Mohon jadwal setelah Idulfitri.")
    assert resp.status_code == 200
    designer = make_client()
    login(designer, pworld.designer)
    assert "Mohon jadwal setelah Idulfitri." in designer.get(f"/programs/{pworld.p1}").get_data(
        as_text=True
    )


@pytest.fixture
def csrf_on(app_config):
    app_config["WTF_CSRF_ENABLED"] = True


def test_a01_comment_fragment_and_post_without_session(csrf_on, world, client, app):
    page = f"http://localhost/needs/{world.n1.id}"
    resp = client.get(
        f"/needs/{world.n1.id}/comments", headers={"HX-Request": "true", "HX-Current-URL": page}
    )
    assert resp.status_code == 204 and "Location" not in resp.headers
    assert resp.headers["HX-Redirect"] == f"/login?next=/needs/{world.n1.id}"
    resp = client.post(
        f"/needs/{world.n1.id}/comments",
        data={"body": "x"},
        headers={"HX-Request": "true", "HX-Current-URL": page, "X-CSRFToken": "stale"},
    )
    assert resp.status_code == 204 and "HX-Redirect" in resp.headers
    with app.app_context():
        assert db.session.query(Comment).count() == 0


def test_a02_delete_comment_needs_csrf_token(csrf_on, world, client, login, app):
    login(client, world.designer)
    ref = world.need("submitted")
    page = client.get(f"/needs/{ref.id}").get_data(as_text=True)
    token = csrf_from(page)
    client.post(
        f"/needs/{ref.id}/comments",
        data={"body": "Milik perancang", "visibility": "shared"},
        headers={"HX-Request": "true", "X-CSRFToken": token},
    )
    with app.app_context():
        cid = db.session.scalar(sa.select(Comment.id).where(Comment.transition.is_(None)))
    resp = client.post(f"/comments/{cid}/delete", headers={"HX-Request": "true"})
    assert resp.status_code == 400
    with app.app_context():
        assert db.session.get(Comment, cid).deleted_at is None
    resp = client.post(
        f"/comments/{cid}/delete", headers={"HX-Request": "true", "X-CSRFToken": token}
    )
    assert resp.status_code == 200
    with app.app_context():
        assert db.session.get(Comment, cid).deleted_at is not None
