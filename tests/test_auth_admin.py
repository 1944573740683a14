"""Accounts: login, logout, remember-me, deactivation; the admin area; the health check."""

from __future__ import annotations

import sqlalchemy as sa

from collab.extensions import db
from collab.models import AuditEvent, Organization, User
from tests.conftest import PASSWORD


def test_login_page_and_bad_password(world, client):
    assert "Masuk ke Sinergi" in client.get("/login").get_data(as_text=True)
    resp = client.post("/login", data={"email": "officer@ptk.test", "password": "salah"})
    assert resp.status_code == 422
    html = resp.get_data(as_text=True)
    assert "Email atau kata sandi salah" in html and 'value="officer@ptk.test"' in html
    resp = client.post("/login", data={"email": "", "password": ""})
    assert resp.status_code == 422 and "Email wajib diisi." in resp.get_data(as_text=True)


def test_login_redirects_to_next_only_on_this_site(world, client):
    resp = client.post(
        "/login?next=/needs/", data={"email": "officer@ptk.test", "password": PASSWORD}
    )
    assert resp.headers["Location"] == "/needs/"
    client.post("/logout")
    resp = client.post(
        "/login?next=https://evil.example/x",
        data={"email": "officer@ptk.test", "password": PASSWORD},
    )
    assert resp.headers["Location"] == "/dashboard"


def test_login_is_audited_and_email_case_insensitive(world, client, app):
    resp = client.post("/login", data={"email": "Officer@PTK.test", "password": PASSWORD})
    assert resp.status_code == 302
    with app.app_context():
        assert (
            db.session.scalar(
                sa.select(sa.func.count())
                .select_from(AuditEvent)
                .where(AuditEvent.action == "login", AuditEvent.actor_id == world.officer_ptk.id)
            )
            == 1
        )


def test_logout_is_post_only_and_ends_session(world, client, login):
    login(client, world.officer_ptk)
    assert client.get("/logout").status_code == 405
    resp = client.post("/logout")
    assert resp.status_code == 302
    resp = client.get("/dashboard")
    assert resp.status_code == 302 and "/login" in resp.headers["Location"]


def test_pages_of_signed_in_users_are_not_cached(world, client, login):
    login(client, world.officer_ptk)
    assert client.get("/dashboard").headers["Cache-Control"] == "no-store"


def test_remember_me_survives_a_lost_session_cookie(world, client, login, make_client):
    login(client, world.officer_ptk, remember=True)
    remember = client.get_cookie("remember_token")
    assert remember is not None
    other = make_client()
    other.set_cookie("remember_token", remember.value)
    assert other.get("/dashboard").status_code == 200


def test_deactivated_user_cannot_log_in_and_sessions_end(world, client, login, app, make_client):
    login(client, world.officer_ptk)
    assert client.get("/dashboard").status_code == 200
    admin = make_client()
    login(admin, world.admin)
    with app.app_context():
        user = db.session.get(User, world.officer_ptk.id)
        data = {
            "email": user.email,
            "name": user.name,
            "nip": "",
            "role": user.role,
            "org_id": user.org_id,
            "locale": "id",
            "password": "",
        }  # "active" unchecked
    resp = admin.post(f"/admin/users/{world.officer_ptk.id}", data=data)
    assert resp.status_code == 302
    assert client.get("/dashboard").status_code == 302  # the open session ended
    resp = client.post("/login", data={"email": "officer@ptk.test", "password": PASSWORD})
    assert resp.status_code == 422


def test_admin_area_is_admin_only(world, client, login):
    login(client, world.designer)
    for url in ["/admin/", "/admin/users/new", "/admin/organizations/new"]:
        assert client.get(url).status_code == 403
    client.post("/logout")
    assert client.get("/admin/").status_code == 302


def test_admin_creates_organisation_and_user(world, client, login, app, make_client):
    login(client, world.admin)
    resp = client.post(
        "/admin/organizations/new",
        data={
            "name": "Dinas Kependudukan dan Pencatatan Sipil Kota Pontianak",
            "kind": "opd",
            "parent_id": world.ptk.id,
            "region_code": "61.71",
            "timezone": "Asia/Pontianak",
        },
    )
    assert resp.status_code == 302
    with app.app_context():
        org = db.session.scalar(
            sa.select(Organization).where(Organization.name.like("Dinas Kependudukan%"))
        )
        assert org.pemda_id == world.ptk.id
        org_id = org.id
    html = client.get("/admin/").get_data(as_text=True)
    assert "Dinas Kependudukan dan Pencatatan Sipil Kota Pontianak" in html
    resp = client.post(
        "/admin/users/new",
        data={
            "email": "dukcapil@ptk.test",
            "name": "Operator Dukcapil",
            "nip": "",
            "role": "pemda_officer",
            "org_id": org_id,
            "locale": "id",
            "password": "pendek",
            "active": "y",
        },
    )
    assert resp.status_code == 422
    html = resp.get_data(as_text=True)
    assert "minimal 12 karakter" in html and 'value="dukcapil@ptk.test"' in html
    resp = client.post(
        "/admin/users/new",
        data={
            "email": "dukcapil@ptk.test",
            "name": "Operator Dukcapil",
            "nip": "",
            "role": "pemda_officer",
            "org_id": org_id,
            "locale": "id",
            "password": "kata-sandi-dukcapil",
            "active": "y",
        },
    )
    assert resp.status_code == 302
    newbie = make_client()
    resp = newbie.post(
        "/login", data={"email": "dukcapil@ptk.test", "password": "kata-sandi-dukcapil"}
    )
    assert resp.status_code == 302


def test_admin_refuses_impossible_tree_and_roles(world, client, login):
    login(client, world.admin)
    resp = client.post(
        "/admin/organizations/new",
        data={"name": "OPD yatim", "kind": "opd", "parent_id": "", "timezone": "Asia/Pontianak"},
    )
    assert resp.status_code == 422
    assert "OPD harus berada di bawah Pemda" in resp.get_data(as_text=True)
    resp = client.post(
        "/admin/users/new",
        data={
            "email": "x@bkn.test",
            "name": "X",
            "role": "pemda_approver",
            "org_id": world.kanreg.id,
            "locale": "id",
            "password": "kata-sandi-panjang",
        },
    )
    assert resp.status_code == 422
    assert "Peran Pemda hanya untuk akun di Pemda atau OPD." in resp.get_data(as_text=True)
    resp = client.post("/admin/users/new", data={"org_id": "abc", "role": "admin"})
    assert resp.status_code == 422


def test_healthz_reports_database_down(app, client, monkeypatch):
    from collab.extensions import db as database

    def broken(*args, **kwargs):
        raise sa.exc.OperationalError("SELECT 1", {}, Exception("down"))

    with app.app_context():
        monkeypatch.setattr(database.session, "execute", broken)
        resp = client.get("/healthz")
    assert resp.status_code == 503
    assert resp.get_json()["database"] != "ok"


def test_production_config_needs_secret_key(monkeypatch, tmp_path):
    import pytest

    from collab import create_app
    from collab.config import ConfigError

    monkeypatch.delenv("SECRET_KEY", raising=False)
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'p.db'}")
    with pytest.raises(ConfigError):
        create_app(config_name="production")
    monkeypatch.setenv("SECRET_KEY", "x" * 40)
    app = create_app(config_name="production")
    assert app.config["SESSION_COOKIE_SECURE"] is True
    assert app.config["SECRET_KEY"] == "x" * 40
    with app.app_context():
        from collab.extensions import db as database

        database.engine.dispose()
