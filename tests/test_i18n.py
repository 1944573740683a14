"""The message catalogues: complete, and switching language per request."""

from __future__ import annotations

import ast
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parent.parent


PLACEHOLDER = re.compile(r"%\(\w+\)[sd]")


def _catalogue(locale):
    with open(ROOT / f"collab/translations/{locale}/LC_MESSAGES/messages.po", "rb") as fh:
        return read_po(fh, locale=locale)


@pytest.mark.parametrize("locale", ["id", "en"])
def test_catalogue_is_complete_and_placeholders_match(locale):
    """No entry untranslated or fuzzy in either language, every plural form filled, and each
    translation uses exactly the placeholders of its source."""
    from collab.core.catalogue import is_translated

    catalog = _catalogue(locale)
    assert not catalog.fuzzy, "the catalogue header is fuzzy: Plural-Forms would be ignored"
    problems = []
    for msg in catalog:
        if not msg.id:
            continue
        if not is_translated(msg):
            problems.append(("untranslated", msg.id))
            continue
        sources = msg.id if isinstance(msg.id, tuple) else (msg.id,)
        targets = msg.string if isinstance(msg.string, tuple) else (msg.string,)
        wanted = set(PLACEHOLDER.findall(sources[-1]))
        for text in targets:
            if set(PLACEHOLDER.findall(text)) != wanted:
                problems.append(("placeholders", msg.id, text))
    assert not problems, problems
    assert len(catalog) > 500


def test_catalogue_holds_every_message_in_code_and_templates():
    """A string added to code or a template without `make messages` fails here; so does an
    entry left in a catalogue after its string was removed."""
    from collab.core.catalogue import extract

    wanted = {m.id for m in extract(ROOT) if m.id}
    for locale in ("id", "en"):
        known = {m.id for m in _catalogue(locale) if m.id}
        assert not wanted - known, (locale, sorted(map(str, wanted - known)))
        assert not known - wanted, (locale, "obsolete", sorted(map(str, known - wanted)))


# Words that read the same in Indonesian and English: names and the field's abbreviations.
SAME_IN_BOTH = {
    "Sinergi",
    "JP",
    "CSV",
    "XLSX",
    "PDF",
    "PPPK",
    "NIP",
    "ASN",
    "BKN",
    "ID",
    "EN",
    "SIASN",
    "OPD",
    "BKPSDM",
    "SPM",
    "RTL",
    "Pemda",
}
TEXT_ATTRIBUTES = {"title", "placeholder", "aria-label", "alt", "label"}


class _TextCollector(HTMLParser):
    """Text nodes and human-facing attribute values of an HTML fragment (scripts skipped)."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.found, self._skip = [], 0

    def handle_starttag(self, tag, attrs):
        self._skip += tag in ("script", "style")
        self.found += [f"{k}={v}" for k, v in attrs if k in TEXT_ATTRIBUTES and v]

    def handle_endtag(self, tag):
        self._skip -= tag in ("script", "style")

    def handle_data(self, data):
        if not self._skip:
            self.found.append(data)


def test_templates_have_no_text_outside_the_catalogue():
    """Every word a template shows (text and title/placeholder/aria-label/alt attributes)
    comes from an expression — ``{{ _('…') }}`` or data — not from literal markup."""
    from jinja2 import Environment

    env = Environment(extensions=["jinja2.ext.i18n"])
    problems = []
    for path in sorted((ROOT / "templates").rglob("*.html")):
        source = path.read_text(encoding="utf-8")
        # Keep the literal markup; every {{ }} / {% %} becomes a letter-free stand-in.
        markup = "".join(v if kind == "data" else " 0 " for _l, kind, v in env.lex(source))
        collector = _TextCollector()
        collector.feed(markup)
        for text in collector.found:
            value = (
                text.split("=", 1)[1]
                if "=" in text and text.split("=", 1)[0] in (TEXT_ATTRIBUTES)
                else text
            )
            words = set(re.findall(r"[A-Za-z]{2,}", value)) - SAME_IN_BOTH
            if words:
                problems.append((str(path.relative_to(ROOT)), text.strip()[:60]))
    assert not problems, problems


USER_FACING_CALLS = {"flash", "ValidationError", "StopValidation", "ValidationFailed"}
UNWRAPPED_OK = {"_", "_l", "gettext", "lazy_gettext", "ngettext", "lazy_ngettext"}


def _literal_text(node):
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    if isinstance(node, ast.JoinedStr):
        return "".join(v.value for v in node.values if isinstance(v, ast.Constant))
    return None


def test_python_user_messages_go_through_the_catalogue():
    """Flash messages, validation errors and form labels/descriptions/messages in
    ``collab/`` are never plain string literals (they would not switch language)."""
    problems = []
    for path in sorted((ROOT / "collab").rglob("*.py")):
        if "migrations" in path.parts:
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Call):
                continue
            func = node.func
            name = getattr(func, "id", None) or getattr(func, "attr", "")
            if name in UNWRAPPED_OK:
                continue
            checked = [
                kw.value for kw in node.keywords if kw.arg in ("label", "description", "message")
            ]
            if name in USER_FACING_CALLS or name.endswith("Field"):
                checked += node.args[:1]
            for arg in checked:
                text = _literal_text(arg)
                if text and re.search(r"[A-Za-z]{3,}", text):
                    problems.append(f"{path.relative_to(ROOT)}:{node.lineno} {name}: {text!r}")
    assert not problems, problems


def test_english_plural_forms(app):
    """English says "1 participant" and "2 participants"; Indonesian "1 peserta", "2 peserta"."""
    from flask_babel import force_locale, ngettext

    with app.test_request_context():
        with force_locale("en"):
            assert ngettext("%(num)s peserta", "%(num)s peserta", 1) == "1 participant"
            assert ngettext("%(num)s peserta", "%(num)s peserta", 2) == "2 participants"
        with force_locale("id"):
            assert ngettext("%(num)s peserta", "%(num)s peserta", 1) == "1 peserta"
            assert ngettext("%(num)s peserta", "%(num)s peserta", 2) == "2 peserta"


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


def test_day_counts_read_naturally_in_both_languages(app):
    from collab.core.i18n import format_days

    for lang, expected in (
        ("id", ["hari ini", "1 hari", "3 hari"]),
        ("en", ["today", "1 day", "3 days"]),
    ):
        with app.test_request_context(f"/?lang={lang}"):
            assert [format_days(n) for n in (0, 1, 3)] == expected
