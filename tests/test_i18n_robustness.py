"""Languages under stress (from a break-it review): odd ``?lang=`` and Accept-Language values,
the switcher on a page answering a POST, files downloaded in one language and imported in the
other, e-mails after a profile change, caches told that pages vary by language."""

from __future__ import annotations

import codecs
import io
import re
from datetime import UTC, datetime

import pytest
import sqlalchemy as sa
from werkzeug.datastructures import FileStorage, MultiDict
from werkzeug.test import encode_multipart

from collab.extensions import db
from collab.models import Need, Participant, User
from tests.test_attendance import delivery  # noqa: F401 - fixture
from tests.test_dates_zones import _session, _sessions

HX = {"HX-Request": "true"}


def _field_error(html: str, field: str) -> str:
    m = re.search(rf'<div class="field-error" id="{field}-err">([^<]*)</div>', html)
    return m.group(1) if m else ""


def _upload(client, url, name, data, htmx=True):
    values = MultiDict({"file": FileStorage(io.BytesIO(data), filename=name)})
    boundary, body = encode_multipart(values)
    return client.post(
        url,
        data=body,
        headers=HX if htmx else {},
        content_type=f"multipart/form-data; boundary={boundary}",
    )


def test_score_template_downloaded_in_english_imports_after_switching_to_indonesian(
    delivery,  # noqa: F811
    app,
    client,
    login,  # noqa: F811
):
    """The designer downloads the CSV template with the UI in English, fills the scores and
    imports it after switching to Indonesian (or a colleague working in Indonesian does): the
    template's own header row must be accepted."""
    w = delivery
    login(client, w.designer)
    tpl = client.get(f"/programs/{w.p1}/scores/template.csv?lang=en")
    assert tpl.status_code == 200
    text = tpl.data.decode("utf-8-sig")
    lines = [line.split(";") for line in text.strip().split("\r\n")]
    assert lines[0][1] == "Name"  # the English template
    filled = [lines[0]] + [
        row[:2] + ["50", "80"] + ["H"] * (len(lines[0]) - 4) for row in lines[1:]
    ]
    body = codecs.BOM_UTF8 + "\r\n".join(";".join(r) for r in filled).encode("utf-8")
    resp = _upload(client, f"/programs/{w.p1}/scores/import?lang=id", "nilai.csv", body)
    assert resp.status_code in (200, 302), re.findall(r"Baris[^<]*", resp.get_data(as_text=True))[
        :3
    ]
    with app.app_context():
        got = {
            p.post_score
            for p in db.session.scalars(
                sa.select(Participant).where(Participant.program_id == w.p1)
            )
        }
    assert got == {80}


def test_score_file_written_in_english_words_imports_in_indonesian(
    delivery,  # noqa: F811
    app,
    client,
    login,  # noqa: F811
):
    """Attendance typed with the English words the English template's help names ('Present')
    is refused once the importer works in Indonesian."""
    w = delivery
    login(client, w.designer)
    tpl = client.get(f"/programs/{w.p1}/scores/template.csv?lang=id").data.decode("utf-8-sig")
    lines = [line.split(";") for line in tpl.strip().split("\r\n")]
    filled = [lines[0]] + [
        row[:2] + ["", ""] + ["Present"] * (len(lines[0]) - 4) for row in lines[1:]
    ]
    body = codecs.BOM_UTF8 + "\r\n".join(";".join(r) for r in filled).encode("utf-8")
    assert _upload(
        client, f"/programs/{w.p1}/scores/import?lang=en", "a.csv", body
    ).status_code in (200, 302)
    resp = _upload(client, f"/programs/{w.p1}/scores/import?lang=id", "a.csv", body)
    assert resp.status_code in (200, 302), re.findall(r"Baris[^<]*", resp.get_data(as_text=True))[
        :2
    ]


@pytest.mark.parametrize(
    "query",
    [
        "lang=EN",
        "lang=en-US",
        "lang=xx",
        "lang=",
        "lang=en&lang=id",
        "lang=" + "e" * 5000,
        "lang=%00",
        "lang=en%0d%0aX-Evil:1",
    ],
)
def test_odd_lang_values_never_500_and_never_switch_to_garbage(client, world, login, query):
    login(client, world.officer_ptk)
    resp = client.get(f"/dashboard?{query}")
    assert resp.status_code == 200, query
    html = resp.get_data(as_text=True)
    m = re.search(r'<html lang="([^"]+)">', html)
    assert m and m.group(1) in ("id", "en"), query
    # the next page is still a valid language
    nxt = client.get("/needs/").get_data(as_text=True)
    assert re.search(r'<html lang="(id|en)">', nxt)


@pytest.mark.parametrize(
    "header",
    [
        "en;q=abc",
        "en;q=",
        ";;;,,,",
        "*",
        "en-US,en;q=0.9,id;q=0.8",
        ",".join(f"x{i};q=0.{i % 9}" for i in range(3000)),
        "en;q=1e400",
        "id;q=-1,en;q=0.5",
        "\u00e9\u00e9",
    ],
)
def test_malformed_accept_language_never_500(client, header):
    resp = client.get(
        "/login", headers={"Accept-Language": header.encode("utf-8").decode("latin-1")}
    )
    assert resp.status_code == 200
    assert re.search(r'<html lang="(id|en)">', resp.get_data(as_text=True))


def test_accept_language_region_variant_picks_english(client):
    """A browser set to British or US English asks for en-GB / en-US only."""
    for header in ("en-GB", "en-US", "en-AU,en-GB;q=0.9"):
        html = client.get("/login", headers={"Accept-Language": header}).get_data(as_text=True)
        assert '<html lang="en">' in html, header


def test_anonymous_page_chosen_by_accept_language_varies_on_it(client):
    """/login is rendered in the browser's language and is cacheable (no Cache-Control): a
    shared cache must be told the body depends on Accept-Language, or it serves the English
    page to the next Indonesian visitor."""
    resp = client.get("/login", headers={"Accept-Language": "en"})
    assert '<html lang="en">' in resp.get_data(as_text=True)
    cacheable = "no-store" not in (resp.headers.get("Cache-Control") or "") and "private" not in (
        resp.headers.get("Cache-Control") or ""
    )
    if cacheable:
        assert "accept-language" in {v.lower() for v in resp.vary}, dict(resp.headers)


def test_session_across_midnight_is_stored_and_shown_with_both_days(pworld, client, login, app):
    login(client, pworld.designer)
    pid = pworld.p1
    resp = client.post(
        f"/programs/{pid}/sessions",
        data=_session(starts_at="2027-03-01T22:00", ends_at="2027-03-02T02:00", jp="4"),
    )
    assert resp.status_code == 302, _field_error(resp.get_data(as_text=True), "starts_at")
    assert _sessions(app, pid) == [
        (datetime(2027, 3, 1, 15, 0, tzinfo=UTC), datetime(2027, 3, 1, 19, 0, tzinfo=UTC))
    ]
    html = client.get(f"/programs/{pid}?lang=id").get_data(as_text=True)
    assert "1 Maret 2027 22.00 WIB – 2 Maret 2027 02.00 WIB" in html
    html = client.get(f"/programs/{pid}?lang=en").get_data(as_text=True)
    assert "1 March 2027 22:00 WIB – 2 March 2027 02:00 WIB" in html


@pytest.mark.parametrize("app_config", [{"WTF_CSRF_ENABLED": True}])
def test_account_with_csrf_on_saves_and_a_bad_token_is_refused(app_config, world, app, login):
    from tests.conftest import csrf_from

    client = app.test_client()
    login(client, world.officer_ptk)
    page = client.get("/account").get_data(as_text=True)
    token = csrf_from(page)
    resp = client.post("/account", data={"locale": "en", "timezone": "", "csrf_token": "x"})
    assert resp.status_code in (400, 422)
    with app.app_context():
        assert db.session.get(User, world.officer_ptk.id).locale == "id"
    resp = client.post("/account", data={"locale": "en", "timezone": "", "csrf_token": token})
    assert resp.status_code == 302
    with app.app_context():
        assert db.session.get(User, world.officer_ptk.id).locale == "en"


def test_sla_email_after_profile_change_is_in_the_new_language_and_zone(world, client, login, app):
    """The designer switches the profile to English and WIT; the next SLA warning e-mail (run
    from cron: no request) says the due time in WIT, in English. 23.59.59 WIB on 19 Aug 2026
    (Pontianak Pemda) is 01.59 WIT on 20 Aug."""
    from collab.models import EmailOutbox
    from collab.notifications.reminders import run_reminders
    from tests.test_sla import submit_at, wib

    login(client, world.designer)
    assert (
        client.post("/account", data={"locale": "en", "timezone": "Asia/Jayapura"}).status_code
        == 302
    )
    submit_at(app, world, wib(2026, 8, 14, 10, 0))
    with app.app_context():
        db.session.execute(sa.delete(EmailOutbox))
        db.session.commit()
        run_reminders(wib(2026, 8, 18, 8, 0))
        mails = {
            m.to_address: (m.subject, m.body_text, m.language)
            for m in db.session.scalars(sa.select(EmailOutbox))
        }
    subject, body, lang = mails["designer@bkn.test"]
    assert lang == "en"
    assert "20 August 2026 01:59 WIT" in subject + body, subject + "\n" + body
    subject2, body2, lang2 = mails["designer2@bkn.test"]
    assert lang2 == "id" and "19 Agustus 2026 23.59 WIB" in subject2 + body2, subject2


def _lang_link(html: str, lang: str) -> str:
    m = re.search(rf'<a class="link-light" href="([^"]*)">{lang.upper()}</a>', html)
    assert m, "no language link"
    return m.group(1).replace("&amp;", "&")


@pytest.mark.parametrize(
    ("path", "data"),
    [
        ("/programs/{p1}/sessions", _session(ends_at="2027-03-01T07:00")),
        ("/programs/{p1}/actions/propose", {"version": "999", "revision": "1"}),
    ],
)
def test_language_link_on_a_422_page_of_a_post_only_route_works(
    pworld, client, login, app, path, data
):
    """A 422 page (no htmx) rendered for POST /programs/<id>/sessions: its EN link points at
    the same path with ?lang=en. Following it must show a page (or redirect to one), not 405."""
    login(client, pworld.designer)
    resp = client.post(path.format(p1=pworld.p1), data=data)
    assert resp.status_code in (409, 422), resp.status_code
    link = _lang_link(resp.get_data(as_text=True), "en")
    follow = client.get(link)
    assert follow.status_code in (200, 302, 303), (link, follow.status_code)


def test_action_by_english_user_mails_indonesian_recipients_in_indonesian_and_page_stays_english(
    world, client, login, app
):
    """Rina (session ?lang=en) takes up a need over HTTP; the Pemda officer and approver (profile
    id) get Indonesian e-mails, and Rina's own flash and page stay English."""
    from collab.models import EmailOutbox

    need = world.need("submitted")
    login(client, world.designer)
    client.get("/dashboard?lang=en")
    with app.app_context():
        db.session.execute(sa.delete(EmailOutbox))
        db.session.commit()
        version = db.session.get(Need, need.id).version
    resp = client.post(f"/needs/{need.id}/actions/take", data={"version": version})
    assert resp.status_code in (302, 303), resp.status_code
    page = client.get(resp.headers["Location"]).get_data(as_text=True)
    assert '<html lang="en">' in page
    assert "Yth." not in page
    with app.app_context():
        mails = list(db.session.scalars(sa.select(EmailOutbox)))
    assert mails, "no e-mail queued"
    for m in mails:
        assert m.language == "id" and m.body_text.startswith("Yth."), (m.to_address, m.subject)
        assert "took up" not in m.subject, m.subject
