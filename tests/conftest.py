"""Test fixtures: an app on a fresh database (SQLite file, or PostgreSQL when
``TEST_DATABASE_URL`` is set), factory fixtures, and the acceptance-case world of
../shared/acceptance/README.md (organisations, six users, need N1)."""

from __future__ import annotations

import os
import re
from decimal import Decimal

import pytest
import sqlalchemy as sa

from collab import create_app
from collab.extensions import db as _db

PASSWORD = "kata-sandi-uji-2026"


def pytest_sessionstart(session):
    """Compile the message catalogues so tests never run against stale translations."""
    from pathlib import Path

    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    root = Path(__file__).resolve().parent.parent / "collab" / "translations"
    for po_path in root.glob("*/LC_MESSAGES/messages.po"):
        with open(po_path, "rb") as fh:
            catalog = read_po(fh)
        with open(po_path.with_suffix(".mo"), "wb") as fh:
            write_mo(fh, catalog)


def database_url(tmp_path) -> str:
    """PostgreSQL when TEST_DATABASE_URL is set, else a fresh SQLite file."""
    return os.environ.get("TEST_DATABASE_URL") or f"sqlite:///{tmp_path / 'test.db'}"


@pytest.fixture
def app_config():
    """Per-test config overrides (a test may change this dict before using ``app``)."""
    return {"WTF_CSRF_ENABLED": False}


@pytest.fixture
def app(tmp_path, app_config):
    """The application with an empty schema; dropped and disposed afterwards."""
    cfg = {
        "TESTING": True,
        "SQLALCHEMY_DATABASE_URI": database_url(tmp_path),
        "SECRET_KEY": "test-secret",
        "SERVER_NAME": None,
        "UPLOAD_FOLDER": str(tmp_path / "uploads"),
    }
    cfg.update(app_config)
    app = create_app(cfg, config_name="testing")
    with app.app_context():
        _db.drop_all()
        _db.create_all()
    yield app
    with app.app_context():
        _db.session.remove()
        _db.drop_all()
        _db.engine.dispose()


@pytest.fixture
def db(app):
    """The SQLAlchemy handle inside a pushed app context (for setup and assertions)."""
    with app.app_context():
        yield _db


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def make_client(app):
    """A new independent browser (cookie jar)."""
    return app.test_client


@pytest.fixture
def make_org(app):
    """Factory: ``make_org(name, kind, parent=None, region_code=None, timezone=...)``."""
    from collab.admin.services import create_organization

    def factory(name, kind="opd", parent=None, region_code=None, timezone="Asia/Pontianak"):
        with app.app_context():
            parent_obj = _db.session.get(type(parent), parent.id) if parent else None
            org = create_organization(
                None,
                name=name,
                kind=kind,
                parent=parent_obj,
                region_code=region_code,
                timezone=timezone,
            )
            _db.session.commit()
            _db.session.refresh(org)
            _db.session.expunge(org)
            return org

    return factory


@pytest.fixture
def make_user(app):
    """Factory: ``make_user(email, role, org, name=None, password=PASSWORD)``."""
    from collab.admin.services import create_user
    from collab.models import Organization

    def factory(email, role, org, name=None, password=PASSWORD, locale="id"):
        with app.app_context():
            user = create_user(
                None,
                email=email,
                name=name or email.split("@")[0].title(),
                role=role,
                org=_db.session.get(Organization, org.id),
                password=password,
                locale=locale,
            )
            _db.session.commit()
            uid = user.id
        return _Ref(uid, email)

    return factory


class _Ref:
    """A lightweight handle to a row (id, plus a label) safe to use across app contexts."""

    def __init__(self, id, label=None):
        self.id = id
        self.label = label

    def __repr__(self):
        return f"<Ref {self.id} {self.label}>"


def need_data(org_id, **over):
    """Valid :class:`NeedData` for a health need (N1 by default)."""
    from collab.needs.services import GapData, NeedData

    values = dict(
        org_id=org_id,
        title="Petugas puskesmas belum mampu mengoperasikan rekam medis elektronik",
        urusan_code="1.02",
        spm_service_no=None,
        affected_service="Pelayanan rawat jalan puskesmas",
        problem_statement="Sebagian besar petugas rekam medis masih mencatat di kertas.",
        indicator_name="% puskesmas mengirim data kunjungan secara elektronik",
        indicator_unit="%",
        indicator_baseline=Decimal("35"),
        indicator_target=Decimal("100"),
        target_jabatan="Perekam Medis",
        asn_affected=46,
        urgency="high",
        urgency_justification="Tenggat integrasi SATUSEHAT akhir tahun.",
        needed_by=None,
        fiscal_year=2027,
        gaps=[GapData("teknis", "Rekam medis elektronik", None, 1, 3)],
    )
    values.update(over)
    return NeedData(**values)


@pytest.fixture
def make_need(app):
    """Factory: ``make_need(actor_ref, status="draft", **fields)`` — created through the
    service and moved through real transitions to reach ``status``."""
    from collab.models import Need, User
    from collab.needs.services import create_need, transition_need

    def factory(actor, status="draft", designer=None, approver=None, **fields):
        with app.app_context():
            user = _db.session.get(User, actor.id)
            org_id = fields.pop("org_id", user.org_id)
            need = create_need(user, need_data(org_id, **fields))
            _db.session.commit()
            path = {
                "draft": [],
                "verifying": [("submit", actor)],
                "submitted": [("submit", actor), ("verify", approver)],
                "in_review": [("submit", actor), ("verify", approver), ("take", designer)],
                "info_requested": [
                    ("submit", actor),
                    ("verify", approver),
                    ("take", designer),
                    ("request_info", designer),
                ],
                "declined": [("submit", actor), ("verify", approver), ("decline", designer)],
                "withdrawn": [("withdraw", actor)],
            }[status]
            for action, who in path:
                need = _db.session.get(Need, need.id)
                transition_need(
                    _db.session.get(User, who.id),
                    need,
                    action,
                    expected_version=need.version,
                    comment="catatan uji",
                )
                _db.session.commit()
            return _Ref(need.id, status)

    return factory


class World:
    """The acceptance fixtures: orgs, users and N1 (see ../shared/acceptance/README.md)."""


@pytest.fixture
def world(app, make_org, make_user, make_need):
    """BKN Pusat, Kanreg V, Kota Pontianak + Dinkes, Kubu Raya + Dinkes; officer_ptk,
    approver_ptk, officer_kkr, approver_kkr, designer, designer2, approver_bkn, admin; N1."""
    w = World()
    w.bkn = make_org("BKN Pusat", "bkn", timezone="Asia/Jakarta")
    w.kanreg = make_org("Kantor Regional V BKN", "bkn", parent=w.bkn, timezone="Asia/Jakarta")
    w.ptk = make_org("Pemerintah Kota Pontianak", "pemda", region_code="61.71")
    w.dinkes_ptk = make_org("Dinas Kesehatan Kota Pontianak", "opd", parent=w.ptk)
    w.disdik_ptk = make_org("Dinas Pendidikan dan Kebudayaan Kota Pontianak", "opd", parent=w.ptk)
    w.kkr = make_org("Pemerintah Kabupaten Kubu Raya", "pemda", region_code="61.12")
    w.dinkes_kkr = make_org("Dinas Kesehatan Kabupaten Kubu Raya", "opd", parent=w.kkr)
    w.officer_ptk = make_user("officer@ptk.test", "pemda_officer", w.dinkes_ptk, "Ani Officer")
    w.officer_disdik = make_user("disdik@ptk.test", "pemda_officer", w.disdik_ptk, "Dedi Disdik")
    w.approver_ptk = make_user("approver@ptk.test", "pemda_approver", w.ptk, "Budi BKPSDM")
    w.officer_kkr = make_user("officer@kkr.test", "pemda_officer", w.dinkes_kkr, "Citra KKR")
    w.approver_kkr = make_user("approver@kkr.test", "pemda_approver", w.kkr, "Eko BKPSDM KKR")
    w.designer = make_user("designer@bkn.test", "bkn_designer", w.kanreg, "Rina Perancang")
    w.designer2 = make_user("designer2@bkn.test", "bkn_designer", w.kanreg, "Sari Perancang")
    w.approver_bkn = make_user("approver@bkn.test", "bkn_approver", w.kanreg, "Hendra Pejabat")
    w.admin = make_user("admin@bkn.test", "admin", w.bkn, "Admin")
    w.n1 = make_need(w.officer_ptk)

    def need(status="draft", actor=None, **fields):
        return make_need(
            actor or w.officer_ptk,
            status,
            designer=w.designer,
            approver=w.approver_ptk
            if (actor is None or actor is w.officer_ptk or actor is w.officer_disdik)
            else w.approver_kkr,
            **fields,
        )

    w.need = need
    return w


@pytest.fixture
def login(app):
    """``login(client, user_ref_or_email, password=PASSWORD, remember=False)`` via the real
    endpoint; asserts the redirect."""

    def do(client, user, password=PASSWORD, remember=False):
        email = user.label if isinstance(user, _Ref) else user
        data = {"email": email, "password": password}
        if remember:
            data["remember"] = "y"
        if app.config.get("WTF_CSRF_ENABLED", True):
            page = client.get("/login").get_data(as_text=True)
            data["csrf_token"] = csrf_from(page)
        resp = client.post("/login", data=data)
        assert resp.status_code == 302, resp.get_data(as_text=True)[:500]
        return resp

    return do


def csrf_from(html: str) -> str:
    """The CSRF token of a rendered page (from ``<body hx-headers>``)."""
    m = re.search(r'"X-CSRFToken": "([^"]+)"', html)
    assert m, "no CSRF token in page"
    return m.group(1)


class QueryCounter:
    """Counts SQL statements executed on an engine while active."""

    def __init__(self, engine):
        self.engine = engine
        self.count = 0

    def _inc(self, *args, **kwargs):
        self.count += 1

    def __enter__(self):
        sa.event.listen(self.engine, "before_cursor_execute", self._inc)
        return self

    def __exit__(self, *exc):
        sa.event.remove(self.engine, "before_cursor_execute", self._inc)


@pytest.fixture
def count_queries(app):
    """``with count_queries() as qc: ...; qc.count``."""

    def make():
        with app.app_context():
            engine = _db.engine
        return QueryCounter(engine)

    return make


@pytest.fixture
def pworld(world, app):
    """World plus a submitted Pontianak need (N2), a Kubu Raya need (N3) and P1 serving both."""
    from collab.models import User
    from collab.programs.services import create_program
    from tests.test_programs import program_data

    n2 = world.need("in_review", title="RME Puskesmas Pontianak")
    n3 = world.need("submitted", actor=world.officer_kkr, title="RME Puskesmas Kubu Raya")
    with app.app_context():
        designer = _db.session.get(User, world.designer.id)
        p = create_program(
            designer, program_data([n2.id, n3.id], {world.ptk.id: 20, world.kkr.id: 10})
        )
        _db.session.commit()
        world.p1 = p.id
    world.n2, world.n3 = n2, n3
    return world


def make_nip(i: int, sex: int = 1) -> str:
    """A valid 18-digit NIP (birth date, TMT CPNS 22 years later, sex, sequence ≠ 000)."""
    year, month, day = 1966 + i % 30, 1 + i % 12, 1 + i % 28
    return f"{year}{month:02d}{day:02d}{year + 22}{month:02d}{sex}{i % 999 + 1:03d}"


def enrol(app, program_id, pemda_ref, n=1, *, nips=None, unit="Puskesmas Kampung Bali", **over):
    """Add ``n`` enrolled participants of ``pemda_ref`` to a program (directly, as the
    nomination UI would end up); returns their ids. ``nips`` overrides the generated NIPs."""
    from collab.models import Participant, Program, utcnow

    with app.app_context():
        program = _db.session.get(Program, program_id)
        start = _db.session.scalar(
            sa.select(sa.func.count(Participant.id)).where(Participant.program_id == program_id)
        )
        ids = []
        for k in range(n):
            i = start + k
            p = Participant(
                program_id=program_id,
                pemda_id=pemda_ref.id,
                nip=nips[k] if nips else make_nip(i + 1000 * pemda_ref.id, sex=1 + i % 2),
                name=over.get("name", f"Peserta {i + 1:02d}"),
                jabatan=over.get("jabatan", "Perekam Medis"),
                unit=unit,
                golongan="III/a",
                status="enrolled",
                nominated_by_id=program.owner_id,
                enrolled_by_id=program.owner_id,
                enrolled_at=utcnow(),
            )
            _db.session.add(p)
            _db.session.flush()
            ids.append(p.id)
        _db.session.commit()
        return ids


def attend_all(app, program_id, status="hadir"):
    """Record ``status`` for every enrolled participant at every session of a program (rows
    written directly, like a designer who filled the whole grid)."""
    from collab.models import Attendance, Participant, Program

    with app.app_context():
        program = _db.session.get(Program, program_id)
        done = {
            (a.session_id, a.participant_id)
            for a in _db.session.scalars(
                sa.select(Attendance).where(
                    Attendance.session_id.in_([s.id for s in program.sessions])
                )
            )
        }
        for p in _db.session.scalars(
            sa.select(Participant).where(
                Participant.program_id == program_id, Participant.status == "enrolled"
            )
        ):
            for s in program.sessions:
                if (s.id, p.id) not in done:
                    _db.session.add(
                        Attendance(
                            session_id=s.id,
                            participant_id=p.id,
                            status=status,
                            recorded_by_id=program.owner_id,
                        )
                    )
        _db.session.commit()


def evaluate_all(app, program_id, post_score=80, pre_score=50):
    """Record what closing a program needs (rows written directly): a post-test score (and a
    pre-test score) for every enrolled participant who lacks one, an L1 response entered by
    the designer for every participant, and an L4 measurement for every linked need (its
    target, measured on the program's planned end)."""
    from collab.models import (
        IndicatorMeasurement,
        Participant,
        Program,
        ReactionResponse,
        utcnow,
    )

    with app.app_context():
        program = _db.session.get(Program, program_id)
        answered = set(
            _db.session.scalars(
                sa.select(ReactionResponse.participant_id)
                .join(Participant, Participant.id == ReactionResponse.participant_id)
                .where(Participant.program_id == program_id)
            )
        )
        for p in _db.session.scalars(
            sa.select(Participant).where(
                Participant.program_id == program_id, Participant.status == "enrolled"
            )
        ):
            if p.pre_score is None:
                p.pre_score = pre_score
            if p.post_score is None:
                p.post_score = post_score
            if p.id not in answered:
                _db.session.add(
                    ReactionResponse(
                        participant_id=p.id,
                        material=4,
                        facilitator=4,
                        organisation=4,
                        usefulness=4,
                        source="designer",
                        entered_by_id=program.owner_id,
                    )
                )
        for need in program.needs:
            _db.session.add(
                IndicatorMeasurement(
                    need_id=need.id,
                    program_id=program_id,
                    value=need.indicator_target if need.indicator_target is not None else 1,
                    measured_on=program.planned_end or utcnow().date(),
                    recorded_by_id=program.owner_id,
                )
            )
        _db.session.commit()
