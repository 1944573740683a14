"""Acceptance cases of ../shared/acceptance/cases.md that this stage covers:
A01, A02, A03, A04, A10, A12, A13 (needs, transitions and lists; comments arrive later, so the
need timeline fragment and need transitions stand in for comment fragments and mutations)."""

from __future__ import annotations

import json
import os
import re
import time
import uuid
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
import sqlalchemy as sa

from collab.extensions import db
from collab.models import AuditEvent, Need, User
from collab.needs.services import create_need, transition_need
from tests.conftest import csrf_from, need_data

ROOT = Path(__file__).resolve().parent.parent


def login_url_next(location: str) -> str:
    parts = urlsplit(location)
    assert parts.path == "/login"
    return parse_qs(parts.query)["next"][0]


# --- A01 — expired session during an htmx request ------------------------------------------


@pytest.fixture
def csrf_on(app_config):
    app_config["WTF_CSRF_ENABLED"] = True


def test_a01_htmx_request_without_session_redirects_to_login_for_the_page(world, client):
    page = f"http://localhost/needs/{world.n1.id}"
    resp = client.get(
        f"/needs/{world.n1.id}/timeline",
        headers={"HX-Request": "true", "HX-Current-URL": page},
    )
    assert resp.status_code == 204
    assert "Location" not in resp.headers
    assert login_url_next(resp.headers["HX-Redirect"]) == f"/needs/{world.n1.id}"


def test_a01_plain_request_without_session_redirects_with_next(world, client):
    resp = client.get(f"/needs/{world.n1.id}/timeline")
    assert resp.status_code == 302
    assert login_url_next(resp.headers["Location"]) == f"/needs/{world.n1.id}/timeline"


def test_a01_htmx_post_with_stale_csrf_and_no_session(csrf_on, world, client, app):
    with app.app_context():
        before = db.session.query(AuditEvent).count()
    resp = client.post(
        f"/needs/{world.n1.id}/actions/submit",
        data={"version": 1},
        headers={
            "HX-Request": "true",
            "HX-Current-URL": f"http://localhost/needs/{world.n1.id}",
            "X-CSRFToken": "stale-token",
        },
    )
    assert resp.status_code == 204
    assert login_url_next(resp.headers["HX-Redirect"]) == f"/needs/{world.n1.id}"
    with app.app_context():
        assert db.session.query(AuditEvent).count() == before
        assert db.session.get(Need, world.n1.id).status == "draft"


# --- A02 — CSRF on htmx mutations, and long-open forms --------------------------------------


def test_a02_htmx_mutation_needs_the_token(csrf_on, world, client, login, app):
    login(client, world.officer_ptk)
    url = f"/needs/{world.n1.id}/actions/submit"
    resp = client.post(url, data={"version": 1}, headers={"HX-Request": "true"})
    assert resp.status_code == 400
    assert "<html" not in resp.get_data(as_text=True)
    with app.app_context():
        assert db.session.get(Need, world.n1.id).status == "draft"
    token = csrf_from(client.get(f"/needs/{world.n1.id}").get_data(as_text=True))
    resp = client.post(
        url, data={"version": 1}, headers={"HX-Request": "true", "X-CSRFToken": token}
    )
    assert resp.status_code == 200
    with app.app_context():
        assert db.session.get(Need, world.n1.id).status == "verifying"


def test_a02_every_page_body_carries_csrf_header(csrf_on, world, client, login):
    assert_body_headers(client.get("/login"))
    login(client, world.admin)
    for url in ["/dashboard", "/admin/", "/admin/users/new", "/admin/organizations/new"]:
        assert_body_headers(client.get(url))
    client.post(
        "/logout", data={"csrf_token": csrf_from(client.get("/dashboard").get_data(as_text=True))}
    )
    login(client, world.officer_ptk)
    for url in [
        "/dashboard",
        "/needs/",
        "/needs/new",
        f"/needs/{world.n1.id}",
        f"/needs/{world.n1.id}/edit",
        "/needs/424242",
    ]:
        assert_body_headers(client.get(url))


def assert_body_headers(resp):
    html = resp.get_data(as_text=True)
    m = re.search(r"<body[^>]*hx-headers='([^']*)'", html)
    assert m, html[:300]
    assert "X-CSRFToken" in json.loads(m.group(1))


def test_a02_form_open_for_hours_is_still_accepted(csrf_on, world, client, login, app, monkeypatch):
    from tests.test_needs_views import form

    login(client, world.officer_ptk)
    token = csrf_from(client.get("/needs/new").get_data(as_text=True))
    real = time.time
    monkeypatch.setattr(time, "time", lambda: real() + 5 * 3600)
    long_text = "Uraian panjang. " * 190  # ~3,000 characters
    data = form(world, problem_statement=long_text, nonce=uuid.uuid4().hex, csrf_token=token)
    resp = client.post("/needs/new", data=data)
    assert resp.status_code == 302
    with app.app_context():
        assert (
            db.session.scalar(
                sa.select(sa.func.count())
                .select_from(Need)
                .where(Need.problem_statement == long_text.strip())
            )
            == 1
        )


# --- A03 — validation errors in htmx forms --------------------------------------------------


def test_a03_htmx_config_and_vendored_htmx(world, client, login):
    login(client, world.officer_ptk)
    html = client.get("/dashboard").get_data(as_text=True)
    m = re.search(r"<meta name=\"htmx-config\" content='([^']*)'", html)
    config = json.loads(m.group(1))
    rules = {r["code"]: r["swap"] for r in config["responseHandling"]}
    assert rules["422"] is True and rules["413"] is True and rules["[45].."] is False
    assert "/static/vendor/htmx.min.js" in html and "unpkg" not in html and "cdn" not in html
    js = (ROOT / "static/vendor/htmx.min.js").read_text()
    assert '"2.0.11"' in js or 'version:"2.0.11"' in js


@pytest.mark.parametrize(
    ("lang", "message"), [("id", "Judul wajib diisi."), ("en", "Title is required.")]
)
def test_a03_empty_title_via_htmx_and_plain(world, client, login, app, lang, message):
    from tests.test_needs_views import form

    login(client, world.officer_ptk)
    client.get(f"/dashboard?lang={lang}")
    with app.app_context():
        before = db.session.query(Need).count()
    data = form(world, title="", asn_affected="30")
    resp = client.post("/needs/new", data=data, headers={"HX-Request": "true"})
    html = resp.get_data(as_text=True)
    assert resp.status_code == 422
    assert "<html" not in html and message in html and 'value="30"' in html
    resp = client.post("/needs/new", data=data)
    html = resp.get_data(as_text=True)
    assert resp.status_code == 422 and "<html" in html and message in html
    with app.app_context():
        assert db.session.query(Need).count() == before


def test_a03_htmx_404_and_500_are_short_fragments(world, client, login, app):
    @app.get("/_boom")
    def boom():
        raise RuntimeError("boom")

    login(client, world.officer_ptk)
    for url, status in [("/needs/987654", 404), ("/_boom", 500)]:
        resp = client.get(url, headers={"HX-Request": "true"})
        body = resp.get_data(as_text=True)
        assert resp.status_code == status
        assert "<html" not in body and len(body) < 500
        assert resp.headers["HX-Retarget"] == "#messages"
    resp = client.get("/_boom")
    assert resp.status_code == 500 and "Ani Officer" in resp.get_data(as_text=True)


# --- A04 — double submit of a transition ---------------------------------------------------


@pytest.mark.parametrize(
    ("who", "target"), [("officer_ptk", "verifying"), ("approver_ptk", "submitted")]
)
def test_a04_double_submit(world, client, login, app, who, target):
    login(client, getattr(world, who))
    url = f"/needs/{world.n1.id}/actions/submit"
    first = client.post(url, data={"version": 1}, headers={"HX-Request": "true"})
    second = client.post(url, data={"version": 1}, headers={"HX-Request": "true"})
    assert first.status_code == 200
    assert second.status_code == 409
    assert "Usulan sudah diajukan." in second.get_data(as_text=True)
    with app.app_context():
        assert db.session.get(Need, world.n1.id).status == target
        rows = db.session.scalars(
            sa.select(AuditEvent).where(
                AuditEvent.entity_id == world.n1.id, AuditEvent.action == "submit"
            )
        ).all()
        assert [(r.from_state, r.to_state) for r in rows] == [("draft", target)]


def test_a04_same_form_nonce_creates_one_need(world, client, login, app):
    from tests.test_needs_views import form

    login(client, world.officer_ptk)
    data = form(world, nonce=uuid.uuid4().hex, title="Satu kali saja")
    first = client.post("/needs/new", data=data)
    second = client.post("/needs/new", data=data)
    assert first.status_code == 302 and second.status_code == 302
    assert first.headers["Location"] == second.headers["Location"]
    with app.app_context():
        assert db.session.query(Need).filter_by(title="Satu kali saja").count() == 1


def test_a04_buttons_disable_while_in_flight(world, client, login):
    login(client, world.officer_ptk)
    detail = client.get(f"/needs/{world.n1.id}").get_data(as_text=True)
    forms = re.findall(r"<form[^>]*hx-post=[^>]*>", detail)
    assert forms and all("hx-disabled-elt" in f or "hx-sync" in f for f in forms)
    new = client.get("/needs/new").get_data(as_text=True)
    assert re.search(r'<form id="need-form"[^>]*hx-disabled-elt', new)


# --- A10 — constant query count and safe pagination -----------------------------------------


def _bulk_needs(app, world, n, title="Kebutuhan massal"):
    with app.app_context():
        approver = db.session.get(User, world.approver_ptk.id)
        for i in range(n):
            need = create_need(approver, need_data(world.dinkes_ptk.id, title=f"{title} {i:03d}"))
            db.session.flush()
            transition_need(approver, need, "submit", expected_version=need.version)
        db.session.commit()


@pytest.mark.parametrize(
    ("who", "url"),
    [
        ("designer", "/needs/"),
        ("designer", "/needs/?status=submitted&urgency=high"),
        ("designer", "/dashboard"),
        ("approver_ptk", "/dashboard"),
        ("officer_ptk", "/dashboard"),
        ("officer_ptk", "/needs/"),
    ],
)
def test_a10_constant_query_count(world, client, login, app, count_queries, who, url):
    login(client, getattr(world, who))
    _bulk_needs(app, world, 5)
    client.get(url)  # warm up caches that are per process, not per request
    with count_queries() as small:
        assert client.get(url).status_code == 200
    _bulk_needs(app, world, 45, title="Tambahan")
    with count_queries() as large:
        assert client.get(url).status_code == 200
    assert small.count == large.count <= 10, (small.count, large.count)


def test_a10_safe_pagination(world, client, login, app):
    _bulk_needs(app, world, 30)
    login(client, world.designer)
    first = client.get("/needs/").get_data(as_text=True)
    for bad in ("0", "-1", "abc"):
        resp = client.get(f"/needs/?page={bad}")
        assert resp.status_code == 200
        assert rows(resp) == rows_of(first)
    resp = client.get("/needs/?page=999")
    assert resp.status_code == 200 and "Tidak ada data" in resp.get_data(as_text=True)
    resp = client.get("/needs/?per_page=100000")
    assert resp.status_code == 200 and 0 < len(rows(resp)) <= 100
    html = client.get("/needs/?status=submitted&urgency=high&per_page=10").get_data(as_text=True)
    links = re.findall(r'href="(/needs/\?[^"]*page=2[^"]*)"', html)
    assert links
    query = parse_qs(urlsplit(links[0].replace("&amp;", "&")).query)
    assert query["status"] == ["submitted"] and query["urgency"] == ["high"]


def rows(resp):
    return rows_of(resp.get_data(as_text=True))


def rows_of(html):
    return re.findall(r'<a href="/needs/(\d+)">', html)


# --- A12 — SQLite and PostgreSQL behave the same -------------------------------------------


def test_a12_search_is_literal_and_case_insensitive(world, client, login, app):
    titles = ["Pelatihan Guru PONTIANAK", "Diskon 50% Pelatihan", "Rencana_2026"]
    with app.app_context():
        approver = db.session.get(User, world.approver_ptk.id)
        for t in titles:
            need = create_need(approver, need_data(world.dinkes_ptk.id, title=t))
            db.session.flush()
            transition_need(approver, need, "submit", expected_version=need.version)
        db.session.commit()
    login(client, world.designer)

    def found(q):
        html = client.get("/needs/", query_string={"q": q}).get_data(as_text=True)
        return {t for t in titles if t in html}

    assert found("pontianak") == {"Pelatihan Guru PONTIANAK"}
    assert found("50%") == {"Diskon 50% Pelatihan"}
    assert found("_") == {"Rencana_2026"}


def test_a12_status_outside_enum_violates_named_check(world, app):
    with app.app_context(), pytest.raises(sa.exc.IntegrityError) as exc:
        db.session.execute(
            sa.text("UPDATE need SET status = 'bogus' WHERE id = :id"), {"id": world.n1.id}
        )
        db.session.flush()
    assert "need_status" in str(exc.value)
    with app.app_context():
        db.session.rollback()


def test_a12_json_mutated_in_place_persists(world, app):
    with app.app_context():
        user = db.session.get(User, world.officer_ptk.id)
        user.preferences["email_on_comment"] = False
        db.session.commit()
    with app.app_context():
        assert db.session.get(User, world.officer_ptk.id).preferences == {"email_on_comment": False}


# --- A13 — migrations -----------------------------------------------------------------------


@pytest.fixture
def empty_database(tmp_path):
    """An empty database of the kind under test (a fresh PostgreSQL database when
    TEST_DATABASE_URL is set), dropped afterwards."""
    base = os.environ.get("TEST_DATABASE_URL")
    if not base:
        yield f"sqlite:///{tmp_path / 'migrations.db'}"
        return
    name = f"sinergi_mig_{uuid.uuid4().hex[:8]}"
    admin = sa.create_engine(base, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(sa.text(f"CREATE DATABASE {name}"))
    yield base.rsplit("/", 1)[0] + "/" + name
    with admin.connect() as conn:
        conn.execute(sa.text(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
    admin.dispose()


def test_a13_upgrade_downgrade_upgrade_and_no_drift(empty_database):
    from flask_migrate import check, downgrade, upgrade

    from collab import create_app

    app = create_app({"SQLALCHEMY_DATABASE_URI": empty_database}, config_name="testing")
    with app.app_context():
        directory = str(ROOT / "migrations")
        upgrade(directory=directory)
        downgrade(directory=directory, revision="base")
        upgrade(directory=directory)
        check(directory=directory)  # exits non-zero on drift
        tables = set(sa.inspect(db.engine).get_table_names())
        assert {"organization", "user_account", "need", "competency_gap", "audit_event"} <= tables
        db.session.remove()
        db.engine.dispose()


def test_a13_no_unnamed_constraints_and_naming_convention():
    from collab.extensions import db as database

    assert set(database.metadata.naming_convention) >= {"ix", "uq", "ck", "fk", "pk"}
    for path in (ROOT / "migrations/versions").glob("*.py"):
        text = path.read_text()
        assert "name=None" not in text, path
        for line in text.splitlines():
            if re.search(r"(Check|Unique|ForeignKey|PrimaryKey)Constraint\(", line):
                assert "name=" in line, (path.name, line)


# --- A07 — dynamic choices and translated labels --------------------------------------------


def test_a07_dynamic_choices_accept_own_reject_others(world, client, login, app):
    from tests.test_needs_views import form

    login(client, world.officer_ptk)
    resp = client.post("/needs/new", data=form(world, org_id=str(world.dinkes_ptk.id)))
    assert resp.status_code == 302
    with app.app_context():
        need = db.session.scalars(sa.select(Need).order_by(Need.id.desc())).first()
        assert need.org_id == world.dinkes_ptk.id and isinstance(need.org_id, int)
    for bad in (str(world.dinkes_kkr.id), str(world.disdik_ptk.id), "abc"):
        resp = client.post("/needs/new", data=form(world, org_id=bad))
        assert resp.status_code == 422, bad
        assert "Pilihan tidak valid." in resp.get_data(as_text=True)


def test_a07_status_labels_switch_language_per_request(world, client, login):
    ref = world.need("submitted")
    login(client, world.officer_ptk)
    for lang, label in (("id", "Diajukan"), ("en", "Submitted"), ("id", "Diajukan")):
        html = client.get(f"/needs/{ref.id}?lang={lang}").get_data(as_text=True)
        assert label in html


# --- A11 — no DetachedInstanceError in error pages and notifications -------------------------
# (the notification part: tests/test_notifications.py::test_a11_approval_notification_...)


def test_a11_bad_csrf_token_renders_400_page_with_layout(csrf_on, world, client, login):
    login(client, world.officer_ptk)
    resp = client.post(
        f"/needs/{world.n1.id}/actions/submit", data={"version": 1, "csrf_token": "bad"}
    )
    html = resp.get_data(as_text=True)
    assert resp.status_code == 400
    assert "Ani Officer" in html and "Dinas Kesehatan Kota Pontianak" in html
    assert 'data-testid="notif-count"' in html  # the navigation rendered in full


def test_a11_integrity_error_rolls_back_and_keeps_layout(world, client, login, app, monkeypatch):
    from collab.attachments import services as attachment_services
    from collab.models import Comment

    def broken(actor, parent, body, visibility="shared", **kw):
        db.session.add(
            Comment(
                entity_type="elsewhere",
                entity_id=parent.id,
                author_id=actor.id,
                side="bkn",
                visibility="shared",
                body=body,
            )
        )
        db.session.flush()  # violates the named CHECK constraint

    monkeypatch.setattr(attachment_services, "add_comment", broken)
    login(client, world.officer_ptk)
    resp = client.post(
        f"/needs/{world.n1.id}/comments", data={"body": "Tidak tersimpan", "visibility": "shared"}
    )
    html = resp.get_data(as_text=True)
    assert resp.status_code in (409, 422)
    assert "Ani Officer" in html and "Dinas Kesehatan Kota Pontianak" in html
    with app.app_context():
        assert (
            db.session.scalar(
                sa.select(sa.func.count(Comment.id)).where(Comment.body == "Tidak tersimpan")
            )
            == 0
        )
    assert client.get(f"/needs/{world.n1.id}").status_code == 200  # the session recovered
