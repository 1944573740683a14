"""Regressions from the break-it review: hostile input never yields a 500, logout really
ends sessions, gap-only edits are protected against lost updates, internal history stays
internal."""

from __future__ import annotations

import re

import pytest

from collab.extensions import db
from collab.models import Need
from tests.test_needs_views import form


def test_logout_ends_session_and_remember_cookie_even_when_replayed(
    world, client, login, make_client
):
    login(client, world.officer_ptk, remember=True)
    session_cookie = client.get_cookie("session").value
    remember = client.get_cookie("remember_token").value
    client.post("/logout")
    assert client.get("/dashboard").status_code == 302
    replay = make_client()
    replay.set_cookie("session", session_cookie)
    replay.set_cookie("remember_token", remember)
    assert replay.get("/dashboard").status_code == 302


def test_edit_of_gaps_only_bumps_version(world, client, login, app, make_client):
    login(client, world.officer_ptk)
    page = client.get(f"/needs/{world.n1.id}/edit").get_data(as_text=True)
    version = re.search(r'name="version" type="hidden" value="(\d+)"', page).group(1)
    base = form(world, version=version, title=world_title(app, world))
    resp = client.post(f"/needs/{world.n1.id}/edit", data=dict(base, **{"gaps-0-name": "Baru"}))
    assert resp.status_code == 302
    other = make_client()
    login(other, world.approver_ptk)
    resp = other.post(f"/needs/{world.n1.id}/edit", data=dict(base, title="Judul lain"))
    assert resp.status_code == 409
    with app.app_context():
        need = db.session.get(Need, world.n1.id)
        assert need.gaps[0].name == "Baru" and need.title != "Judul lain"


def world_title(app, world):
    with app.app_context():
        return db.session.get(Need, world.n1.id).title


@pytest.mark.parametrize(
    "url",
    [
        "/login?_scheme=x",
        "/login?_anchor=x&_external=1&_method=POST",
        "/needs/?pemda=99999999999999999999&fiscal_year=-99999999999999999999",
        "/needs/?page=99999999999999999999&per_page=-5",
        "/needs/99999999999999999999",
        "/needs/1?need_id=2",
        "/admin/users/99999999999999999999",
        "/programs/99999999999999999999",
        "/needs/?q=a%00b",
    ],
)
def test_hostile_urls_never_500(world, client, login, url):
    login(client, world.admin)
    resp = client.get(url)
    assert resp.status_code in (200, 302, 403, 404), (url, resp.status_code)


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("indicator_baseline", "sNaN", "Harus berupa angka."),
        ("indicator_baseline", "Infinity", "Harus berupa angka."),
        ("indicator_baseline", "9" * 41, "Harus berupa angka."),
        ("indicator_baseline", "99999999999999", "Angka terlalu besar."),
        ("asn_affected", "sNaN", "Harus berupa bilangan bulat."),
        ("fiscal_year", "9" * 400, "Harus berupa bilangan bulat."),
        ("fiscal_year", "1999", "Tahun anggaran tidak valid."),
        ("needed_by", "0001-01-01", "Tanggal tidak valid."),
        ("title", "x" * 201, "Maksimal 200 karakter."),
    ],
)
def test_bad_numbers_and_dates_are_field_errors(world, client, login, app, field, value, message):
    login(client, world.officer_ptk)
    resp = client.post("/needs/new", data=form(world, **{field: value}))
    assert resp.status_code == 422
    assert message in resp.get_data(as_text=True)


def test_control_characters_are_dropped_not_stored(world, client, login, app):
    login(client, world.officer_ptk)
    resp = client.post(
        "/needs/new", data=form(world, title="Judul\x00 dengan\x07 kontrol", nonce="n" * 80)
    )
    assert resp.status_code == 302
    with app.app_context():
        assert db.session.query(Need).filter_by(title="Judul dengan kontrol").count() == 1


def test_unicode_digit_row_index_is_ignored(world, client, login):
    login(client, world.officer_ptk)
    resp = client.post("/needs/new", data=form(world, **{"gaps-²-name": "x"}))
    assert resp.status_code == 302


def test_gap_errors_land_on_their_row_with_other_errors(world, client, login):
    login(client, world.officer_ptk)
    data = form(world, title="")
    data.update(
        {
            "gaps-0-name": "",
            "gaps-1-code": "",
            "gaps-1-kind": "teknis",
            "gaps-2-kind": "teknis",
            "gaps-2-name": "Triase",
            "gaps-2-current_level": "4",
            "gaps-2-target_level": "2",
        }
    )
    html = client.post("/needs/new", data=data).get_data(as_text=True)
    assert "Judul wajib diisi." in html  # field errors and gap errors in one round
    row2 = html[html.index('name="gaps-2-target_level"') :]
    assert row2.index("Level target harus lebih tinggi") < row2.index('name="gaps-3-kind"')


def test_invalid_email_on_admin_form_is_422(world, client, login):
    login(client, world.admin)
    resp = client.post(
        "/admin/users/new",
        data={
            "email": "bukan-email",
            "name": "X",
            "role": "admin",
            "org_id": world.bkn.id,
            "locale": "id",
            "password": "kata-sandi-panjang",
        },
    )
    assert resp.status_code == 422
    assert "Alamat email tidak valid." in resp.get_data(as_text=True)


def test_bkn_does_not_see_pemda_internal_history(world, client, login):
    ref = world.need("verifying")
    login(client, world.approver_ptk)
    client.post(
        f"/needs/{ref.id}/actions/return", data={"version": 2, "comment": "Catatan internal BKPSDM"}
    )
    client.post(f"/needs/{ref.id}/actions/submit", data={"version": 3})
    client.post("/logout")
    login(client, world.designer)
    html = client.get(f"/needs/{ref.id}").get_data(as_text=True)
    assert "Catatan internal BKPSDM" not in html
    assert "Diajukan" in html


def test_withdraw_is_not_bkn_first_response(world, app, client, login):
    ref = world.need("submitted")
    login(client, world.officer_ptk)
    client.post(f"/needs/{ref.id}/actions/withdraw", data={"version": 3, "comment": "Batal"})
    with app.app_context():
        need = db.session.get(Need, ref.id)
        assert need.status == "withdrawn" and need.first_response_at is None


def test_unknown_action_is_404(world, client, login):
    login(client, world.officer_ptk)
    for action in ("bogus", "release", "fulfil"):
        resp = client.post(f"/needs/{world.n1.id}/actions/{action}", data={"version": 1})
        assert resp.status_code == 404, action
    resp = client.post(f"/needs/{world.n1.id}/actions/accept", data={"version": 1})
    assert resp.status_code in (403, 409)


def test_login_after_post_returns_to_the_page(world, client):
    resp = client.post(
        f"/needs/{world.n1.id}/actions/withdraw",
        headers={"Referer": f"http://localhost/needs/{world.n1.id}"},
    )
    assert resp.status_code == 302
    assert f"next=/needs/{world.n1.id}" in resp.headers["Location"].replace("%2F", "/")
    assert "actions" not in resp.headers["Location"]


def test_users_of_a_deactivated_organisation_cannot_log_in(world, app, client):
    from collab.models import Organization

    with app.app_context():
        db.session.get(Organization, world.dinkes_kkr.id).active = False
        db.session.commit()
    resp = client.post(
        "/login", data={"email": "officer@kkr.test", "password": "kata-sandi-uji-2026"}
    )
    assert resp.status_code == 422
