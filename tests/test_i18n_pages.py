"""Every page of the demo data, read in English by each role, holds no Indonesian UI text.

The check is the catalogue itself: a source string (Indonesian) whose English translation
differs must not show on an English page. That catches text rendered outside the catalogue's
reach — a label evaluated once at import time (A07), a choice list built in Indonesian, an
e-mail or PDF rendered in the wrong language.
"""

from __future__ import annotations

import io
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
import sqlalchemy as sa
from babel.messages.pofile import read_po

from collab.extensions import db as _db

ROOT = Path(__file__).resolve().parent.parent
PASSWORD = "demo-sinergi-2026"
ROLES = [
    "perancang@bkn.sinergi.test",
    "pejabat@bkn.sinergi.test",
    "dinkes@pontianak.sinergi.test",
    "bkpsdm@pontianak.sinergi.test",
    "admin@sinergi.test",
]
PLACEHOLDER = re.compile(r"%\(\w+\)[sd]")


def _indonesian_phrases() -> list[str]:
    """Literal pieces (≥ 2 words, ≥ 12 characters) of source strings whose English differs,
    except those inside reference data (official names such as SIASN's "Pelatihan Sosial
    Kultural", shown as they are in both languages)."""
    reference = " ".join(
        f.read_text(encoding="utf-8") for f in (ROOT / "collab/reference").glob("*.csv")
    )
    with open(ROOT / "collab/translations/en/LC_MESSAGES/messages.po", "rb") as fh:
        catalog = read_po(fh, locale="en")
    phrases = set()
    for msg in catalog:
        if not msg.id:
            continue
        source = msg.id[0] if isinstance(msg.id, tuple) else msg.id
        english = msg.string[0] if isinstance(msg.string, tuple) else msg.string
        if source == english:
            continue
        for piece in PLACEHOLDER.split(source):
            piece = piece.strip(" .,:;·()—–-")
            if len(piece) >= 12 and len(piece.split()) >= 2 and piece not in reference:
                phrases.add(piece)
    return sorted(phrases)


class _Text(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts, self._skip = [], 0

    def handle_starttag(self, tag, attrs):
        self._skip += tag in ("script", "style")
        self.parts += [v for k, v in attrs if k in ("title", "placeholder", "aria-label") and v]
        self.parts += [v for k, v in attrs if k in ("data-confirm", "hx-confirm") and v]

    def handle_endtag(self, tag):
        self._skip -= tag in ("script", "style")

    def handle_data(self, data):
        if not self._skip:
            self.parts.append(data)


def _visible_text(html: str) -> str:
    parser = _Text()
    parser.feed(html)
    return re.sub(r"\s+", " ", " ".join(parser.parts))


def _pdf_text(data: bytes) -> str:
    from pypdf import PdfReader

    return re.sub(
        r"\s+", " ", " ".join(p.extract_text() for p in PdfReader(io.BytesIO(data)).pages)
    )


@pytest.fixture
def demo(app):
    """The demo data, seeded in an app context of its own (requests must not share its ``g``,
    where Flask-Babel caches the locale)."""
    from collab.seed import seed_demo

    with app.app_context():
        seed_demo()
        _db.session.commit()
    return app


def _urls(app, email) -> list[str]:
    with app.app_context():
        return _urls_in_context(_db, email)


def _urls_in_context(db, email) -> list[str]:
    from collab.models import Need, Program, ProgramRevision, User

    urls = [
        "/dashboard",
        "/needs/",
        "/programs/",
        "/board",
        "/jp/",
        "/reports/",
        "/notifications",
        "/notifications/settings",
    ]
    user = db.session.scalar(sa.select(User).where(User.email == email))
    if user.role == "admin":
        return [
            "/admin/",
            "/admin/organizations/new",
            "/admin/users/new",
            f"/admin/users/{user.id}",
            f"/admin/organizations/{user.org_id}",
        ]
    urls += ["/needs/new"] if user.role == "pemda_officer" else []
    urls += ["/programs/new"] if user.role == "bkn_designer" else []
    urls += [f"/needs/{i}" for i in db.session.scalars(sa.select(Need.id))]
    for program in db.session.scalars(sa.select(Program)):
        urls.append(f"/programs/{program.id}")
        if program.status in ("delivered", "evaluated"):
            urls.append(f"/programs/{program.id}/report")
    urls += [
        f"/programs/{r.program_id}/revisions/{r.number}"
        for r in db.session.scalars(sa.select(ProgramRevision))
    ]
    return urls


@pytest.mark.parametrize("email", ROLES)
def test_every_page_reads_in_english(app, demo, email):
    phrases = _indonesian_phrases()
    assert len(phrases) > 300
    client = app.test_client()
    assert (
        client.post("/login?lang=en", data={"email": email, "password": PASSWORD}).status_code
        == 302
    )
    problems, seen = [], 0
    for url in _urls(demo, email):
        resp = client.get(url)
        if resp.status_code == 404:  # not this role's to see
            continue
        assert resp.status_code == 200, (url, resp.status_code)
        seen += 1
        html = resp.get_data(as_text=True)
        assert '<html lang="en">' in html, url
        text = _visible_text(html)
        problems += [(url, p) for p in phrases if p in text]
    assert seen >= 5
    assert not problems, problems


def test_report_pdf_reads_in_english(app, demo):
    from collab.models import Program

    with app.app_context():
        program_id = _db.session.scalar(sa.select(Program.id).where(Program.status == "evaluated"))
    client = app.test_client()
    client.post(
        "/login?lang=en", data={"email": "perancang@bkn.sinergi.test", "password": PASSWORD}
    )
    phrases = _indonesian_phrases()
    for url in (f"/programs/{program_id}/report.pdf", f"/programs/{program_id}/certificates.pdf"):
        resp = client.get(url)
        assert resp.status_code == 200 and resp.mimetype == "application/pdf", url
        text = _pdf_text(resp.data)
        found = [p for p in phrases if p in text]
        assert not found, (url, found)
