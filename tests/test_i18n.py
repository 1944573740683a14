"""The message catalogues: complete, and switching language per request."""

from __future__ import annotations

import re
from pathlib import Path

from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parent.parent


def test_english_catalogue_is_complete_and_placeholders_match():
    with open(ROOT / "collab/translations/en/LC_MESSAGES/messages.po", "rb") as fh:
        catalog = read_po(fh)
    problems = []
    for msg in catalog:
        if not msg.id:
            continue
        if not msg.string or msg.fuzzy:
            problems.append(("untranslated", msg.id))
        elif set(re.findall(r"%\(\w+\)s", msg.id)) != set(re.findall(r"%\(\w+\)s", msg.string)):
            problems.append(("placeholders", msg.id))
    assert not problems, problems


def test_catalogue_holds_every_message_in_code_and_templates():
    """A string added to code or a template without updating the catalogue fails here."""
    from babel.messages.extract import extract_from_dir

    with open(ROOT / "collab/translations/en/LC_MESSAGES/messages.po", "rb") as fh:
        known = {m.id for m in read_po(fh) if m.id}
    method_map = [("collab/**.py", "python"), ("templates/**.html", "jinja2")]
    keywords = {"_": None, "gettext": None, "_l": None, "lazy_gettext": None}
    missing = set()
    for _fn, _ln, message, _c, _ctx in extract_from_dir(
        str(ROOT), method_map=method_map, keywords=keywords
    ):
        if isinstance(message, tuple):
            message = message[0]
        if message and message not in known:
            missing.add(message)
    assert not missing, sorted(missing)


def test_status_labels_switch_language_per_request(world, client, login):
    ref = world.need("submitted")
    login(client, world.officer_ptk)
    assert "Diajukan" in client.get(f"/needs/{ref.id}?lang=id").get_data(as_text=True)
    assert "Submitted" in client.get(f"/needs/{ref.id}?lang=en").get_data(as_text=True)
    assert "Diajukan" in client.get(f"/needs/{ref.id}?lang=id").get_data(as_text=True)


def test_anonymous_pages_follow_accept_language(client):
    html = client.get("/login", headers={"Accept-Language": "en-US,en;q=0.8"}).get_data(
        as_text=True
    )
    assert "Sign in" in html
    html = client.get("/login", headers={"Accept-Language": "id"}).get_data(as_text=True)
    assert "Masuk ke Sinergi" in html
