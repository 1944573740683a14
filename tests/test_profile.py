"""The profile page: each user chooses their language and time zone."""

from __future__ import annotations

import sqlalchemy as sa

from collab.extensions import db
from collab.models import AuditEvent, User


def _user(app, ref):
    with app.app_context():
        user = db.session.get(User, ref.id)
        return user.locale, user.timezone


def test_profile_saves_language_and_zone_and_the_next_page_follows(world, client, login, app):
    login(client, world.officer_ptk)
    page = client.get("/account").get_data(as_text=True)
    assert "Profil saya" in page and "Ikuti organisasi: WIB (Asia/Pontianak)" in page
    assert 'href="/account"' in client.get("/dashboard").get_data(as_text=True)  # in the nav

    resp = client.post("/account", data={"locale": "en", "timezone": "Asia/Jayapura"})
    assert resp.status_code == 302
    assert _user(app, world.officer_ptk) == ("en", "Asia/Jayapura")
    page = client.get(resp.headers["Location"]).get_data(as_text=True)
    assert '<html lang="en">' in page and "Profile saved." in page and "My profile" in page
    assert " WIT" in page  # "The time now: … WIT"
    with app.app_context():
        ev = db.session.scalar(sa.select(AuditEvent).where(AuditEvent.action == "update_profile"))
        assert ev.actor_id == world.officer_ptk.id
        assert ev.data == {
            "before": {"locale": "id", "timezone": None},
            "after": {"locale": "en", "timezone": "Asia/Jayapura"},
        }


def test_lang_parameter_overrides_the_profile_until_the_profile_is_saved(world, client, login, app):
    login(client, world.officer_ptk)
    client.post("/account", data={"locale": "en", "timezone": ""})
    assert '<html lang="en">' in client.get("/dashboard").get_data(as_text=True)
    assert '<html lang="id">' in client.get("/dashboard?lang=id").get_data(as_text=True)
    assert '<html lang="id">' in client.get("/needs/").get_data(as_text=True)  # remembered
    client.post("/account", data={"locale": "en", "timezone": ""})
    page = client.get("/needs/").get_data(as_text=True)
    assert '<html lang="en">' in page and "Nothing changed." in page


def test_profile_language_applies_at_the_next_sign_in(world, client, login, app):
    login(client, world.designer)
    client.post("/account", data={"locale": "en", "timezone": ""})
    client.post("/logout")
    other = app.test_client()
    login(other, world.designer)
    assert '<html lang="en">' in other.get("/dashboard").get_data(as_text=True)


def test_profile_refuses_values_outside_the_choices(world, client, login, app):
    login(client, world.officer_ptk)
    for data, field in (
        ({"locale": "fr", "timezone": ""}, "locale"),
        ({"locale": "en", "timezone": "Europe/Paris"}, "timezone"),
        ({"timezone": "Asia/Makassar"}, "locale"),
    ):
        resp = client.post("/account", data=data)
        assert resp.status_code == 422, data
        page = resp.get_data(as_text=True)
        assert f'id="{field}-err"' in page
        assert 'aria-invalid="true"' in page
    assert _user(app, world.officer_ptk) == ("id", None)


def test_profile_needs_a_signed_in_user(client):
    resp = client.get("/account")
    assert resp.status_code == 302 and "/login" in resp.headers["Location"]
