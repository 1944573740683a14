"""Behind a reverse proxy (``TRUSTED_PROXIES``): the client address used by the per-address
sign-in limit and the audit log is the one the proxy forwards; without the setting the
``X-Forwarded-*`` headers are ignored, so a client cannot choose its own address."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from collab import create_app
from collab.extensions import db
from collab.models import AuditEvent

PROXY = "127.0.0.1"


def attempt(client, email, forwarded_for):
    """A refused sign-in arriving through the proxy for the client ``forwarded_for``."""
    return client.post(
        "/login",
        data={"email": email, "password": "salah-salah-salah"},
        headers={"X-Forwarded-For": forwarded_for, "X-Forwarded-Proto": "https"},
        environ_base={"REMOTE_ADDR": PROXY},
    )


def failed_ips(app):
    """Client addresses of the refused sign-ins in the audit log, oldest first."""
    with app.app_context():
        rows = db.session.scalars(
            sa.select(AuditEvent.data)
            .where(AuditEvent.action == "login_failed")
            .order_by(AuditEvent.id)
        ).all()
    return [d["ip"] for d in rows]


@pytest.fixture
def app_config():
    return {
        "WTF_CSRF_ENABLED": False,
        "RATELIMIT_ENABLED": True,
        "LOGIN_LIMIT_PER_IP": "2 per minute",
        "TRUSTED_PROXIES": 1,
    }


def test_behind_one_proxy_the_forwarded_address_is_the_client(client, app):
    assert attempt(client, "a@contoh.test", "203.0.113.7").status_code == 422
    assert attempt(client, "b@contoh.test", "203.0.113.7").status_code == 422
    # the third attempt from that client is limited; another client behind the same proxy
    # still has its own allowance
    assert attempt(client, "c@contoh.test", "203.0.113.7").status_code == 429
    assert attempt(client, "c@contoh.test", "198.51.100.2").status_code == 422
    # a client-supplied X-Forwarded-For is prepended: only the proxy's last entry counts
    assert attempt(client, "d@contoh.test", "10.6.6.6, 198.51.100.2").status_code == 422
    assert failed_ips(app) == ["203.0.113.7", "203.0.113.7", "198.51.100.2", "198.51.100.2"]


def test_the_forwarded_scheme_makes_external_links_https(app):
    @app.get("/_scheme")
    def _scheme():
        from flask import request, url_for

        return f"{request.scheme} {url_for('auth.login', _external=True)}"

    resp = app.test_client().get(
        "/_scheme",
        headers={"X-Forwarded-Proto": "https", "X-Forwarded-For": "203.0.113.7"},
        environ_base={"REMOTE_ADDR": PROXY},
    )
    assert resp.get_data(as_text=True) == "https https://localhost/login"


def test_without_trusted_proxies_forwarded_headers_are_ignored(tmp_path, monkeypatch):
    from tests.conftest import database_url

    monkeypatch.delenv("TRUSTED_PROXIES", raising=False)
    app = create_app(
        {
            "SQLALCHEMY_DATABASE_URI": database_url(tmp_path),
            "SECRET_KEY": "test-secret",
            "WTF_CSRF_ENABLED": False,
            "RATELIMIT_ENABLED": True,
            "LOGIN_LIMIT_PER_IP": "2 per minute",
        },
        config_name="testing",
    )
    assert app.config["TRUSTED_PROXIES"] == 0
    with app.app_context():
        db.drop_all()
        db.create_all()
    try:
        client = app.test_client()
        # every "client" is the proxy's address: they share one allowance
        assert attempt(client, "a@contoh.test", "203.0.113.7").status_code == 422
        assert attempt(client, "b@contoh.test", "198.51.100.2").status_code == 422
        assert attempt(client, "c@contoh.test", "192.0.2.9").status_code == 429
        assert failed_ips(app) == [PROXY, PROXY]
    finally:
        with app.app_context():
            db.session.remove()
            db.drop_all()
            db.engine.dispose()


def test_trusted_proxies_is_read_from_the_environment(tmp_path, monkeypatch):
    monkeypatch.setenv("TRUSTED_PROXIES", "2")
    monkeypatch.setenv("RATELIMIT_KEY_PREFIX", "sinergi-staging")
    app = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path}/x.db"})
    assert app.config["TRUSTED_PROXIES"] == 2
    assert app.config["RATELIMIT_KEY_PREFIX"] == "sinergi-staging"
    assert type(app.wsgi_app).__name__ == "ProxyFix"
    assert (app.wsgi_app.x_for, app.wsgi_app.x_proto) == (2, 2)
