"""Sign-in and sessions: rate limits per account and per address, failed sign-ins audited,
a password change ends the other sessions (A05), session cookie flags."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from collab.extensions import db
from collab.models import AuditEvent
from tests.conftest import PASSWORD


def attempt(client, email, password, ip="10.0.0.1"):
    return client.post(
        "/login",
        data={"email": email, "password": password},
        environ_base={"REMOTE_ADDR": ip},
    )


@pytest.fixture
def app_config():
    return {"WTF_CSRF_ENABLED": False, "RATELIMIT_ENABLED": True}


def test_failed_sign_ins_per_account_are_limited_with_retry_after(world, client, app):
    email = world.officer_ptk.label
    for _ in range(5):
        assert attempt(client, email, "salah-salah-salah").status_code == 422
    resp = attempt(client, email, PASSWORD)  # even the right password waits now
    assert resp.status_code == 429
    assert int(resp.headers["Retry-After"]) > 0
    html = resp.get_data(as_text=True)
    assert "Terlalu banyak percobaan" in html and "Sinergi" in html  # the app's own page
    # the limit is the account's: another address is refused too, another account is not
    assert attempt(client, email, PASSWORD, ip="10.9.9.9").status_code == 429
    assert attempt(app.test_client(), world.designer.label, PASSWORD).status_code == 302


def test_successful_sign_ins_do_not_use_up_the_account_limit(world, app):
    for i in range(7):
        client = app.test_client()
        assert attempt(client, world.designer.label, PASSWORD, ip=f"10.0.1.{i}").status_code == 302


def test_attempts_per_address_are_limited(world, client, app):
    app.config["LOGIN_LIMIT_PER_IP"] = "3 per minute"
    for i in range(3):
        assert attempt(client, f"orang{i}@contoh.test", "salah-salah-salah").status_code == 422
    resp = attempt(client, "orang9@contoh.test", "salah-salah-salah")
    assert resp.status_code == 429 and "Retry-After" in resp.headers
    assert attempt(client, "orang9@contoh.test", "x", ip="10.0.0.2").status_code == 422


def test_refused_and_successful_sign_ins_and_sign_outs_are_audited(world, client, app):
    attempt(client, world.officer_ptk.label, "salah-salah-salah")
    attempt(client, "tidak-ada@contoh.test", "salah-salah-salah")
    attempt(client, world.officer_ptk.label, PASSWORD)
    client.post("/logout")
    with app.app_context():
        rows = db.session.execute(
            sa.select(AuditEvent.action, AuditEvent.entity_id, AuditEvent.data)
            .where(AuditEvent.entity_type == "user")
            .order_by(AuditEvent.id)
        ).all()
    actions = [(a, e) for a, e, _d in rows if a in ("login_failed", "login", "logout")]
    uid = world.officer_ptk.id
    assert actions == [("login_failed", uid), ("login_failed", 0), ("login", uid), ("logout", uid)]
    failed = [d for a, _e, d in rows if a == "login_failed"]
    assert failed[1] == {"email": "tidak-ada@contoh.test", "ip": "10.0.0.1"}
    assert all("password" not in str(d).lower() or "salah" not in str(d) for d in failed)


def test_a05_password_change_keeps_this_session_and_ends_the_others(world, app, login):
    a, b = app.test_client(), app.test_client()
    login(a, world.officer_ptk)
    login(b, world.officer_ptk, remember=True)
    new = "kata-sandi-baru-2027"
    resp = a.post(
        "/account/password",
        data={"current_password": PASSWORD, "new_password": new, "confirm_password": new},
    )
    assert resp.status_code == 302
    page = a.get("/account").get_data(as_text=True)
    assert "Kata sandi diganti" in page  # A stays signed in
    assert a.get("/dashboard").status_code == 200
    resp = b.get("/dashboard")
    assert resp.status_code == 302 and "/login" in resp.headers["Location"]  # B is out
    assert attempt(app.test_client(), world.officer_ptk.label, PASSWORD).status_code == 422
    assert attempt(app.test_client(), world.officer_ptk.label, new).status_code == 302
    with app.app_context():
        assert (
            db.session.scalar(
                sa.select(sa.func.count()).where(AuditEvent.action == "change_password")
            )
            == 1
        )


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        (
            {"current_password": "salah", "new_password": "x" * 12, "confirm_password": "x" * 12},
            "current_password",
            "Kata sandi saat ini salah.",
        ),
        (
            {"current_password": PASSWORD, "new_password": "pendek", "confirm_password": "pendek"},
            "new_password",
            "Kata sandi minimal 12 karakter.",
        ),
        (
            {"current_password": PASSWORD, "new_password": PASSWORD, "confirm_password": PASSWORD},
            "new_password",
            "Kata sandi baru harus berbeda dari yang lama.",
        ),
        (
            {"current_password": PASSWORD, "new_password": "x" * 12, "confirm_password": "y" * 12},
            "confirm_password",
            "Ulangi kata sandi baru yang sama.",
        ),
    ],
)
def test_password_change_refusals_at_the_field(world, client, login, data, field, message):
    login(client, world.officer_ptk)
    resp = client.post("/account/password", data=data)
    assert resp.status_code == 422
    html = resp.get_data(as_text=True)
    assert f'id="{field}-err"' in html and message in html
    assert client.get("/dashboard").status_code == 200  # still signed in, nothing changed


def test_a05_session_cookie_flags(world, client, login, app, monkeypatch, tmp_path):
    before = client.get("/login")
    login(client, world.officer_ptk)
    cookie = client.get_cookie("session")
    assert cookie.http_only and cookie.same_site == "Lax"
    del before
    from collab import create_app

    monkeypatch.setenv("SECRET_KEY", "x" * 40)
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path}/p.db")
    prod = create_app(config_name="production")
    assert prod.config["SESSION_COOKIE_SECURE"] and prod.config["REMEMBER_COOKIE_SECURE"]
    assert (
        prod.config["SESSION_COOKIE_HTTPONLY"] and prod.config["SESSION_COOKIE_SAMESITE"] == "Lax"
    )
