"""Programs: design from needs, propose (revisions), joint sign-off, delivery states."""

from __future__ import annotations

import re
import threading
from datetime import UTC, date, datetime

import pytest
import sqlalchemy as sa

from collab.errors import InvalidTransition, NotAllowed, StaleObject, ValidationFailed
from collab.extensions import db
from collab.models import AuditEvent, Need, Program, SignOff, User
from collab.programs.services import (
    BudgetData,
    CompetencyData,
    ModuleData,
    ProgramData,
    SessionData,
    add_session,
    create_program,
    transition_program,
    update_program,
)
from tests.conftest import attend_all, enrol, evaluate_all


def program_data(need_ids, quotas, **over):
    values = dict(
        title="Pelatihan Rekam Medis Elektronik bagi Petugas Puskesmas",
        objectives="Petugas mampu mengoperasikan rekam medis elektronik terhubung SATUSEHAT.",
        development_type_id=3,
        method="bauran",
        fiscal_year=2027,
        need_ids=need_ids,
        planned_start=date(2027, 3, 1),
        planned_end=date(2027, 3, 5),
        venue="BKPSDM Kota Pontianak",
        timezone="Asia/Pontianak",
        min_attendance_pct=80,
        pass_mark=70,
        competencies=[CompetencyData("teknis", "Rekam medis elektronik", None, 3)],
        modules=[ModuleData("Konsep RME", 8), ModuleData("Praktik SIMPUS", 16)],
        quotas=quotas,
        budget=[BudgetData("apbn", 45_000_000, "Narasumber"), BudgetData("apbd", 15_000_000)],
    )
    values.update(over)
    return ProgramData(**values)


def act(app, user_ref, program_id, action, comment=None, revision=None):
    with app.app_context():
        program = db.session.get(Program, program_id)
        user = db.session.get(User, user_ref.id)
        t = transition_program(
            user,
            program,
            action,
            expected_version=program.version,
            expected_revision=program.current_revision if revision is None else revision,
            comment=comment,
        )
        db.session.commit()
        return t


def status(app, program_id):
    with app.app_context():
        return db.session.get(Program, program_id).status


def test_creating_a_program_accepts_its_needs(pworld, app):
    with app.app_context():
        for ref in (pworld.n2, pworld.n3):
            need = db.session.get(Need, ref.id)
            assert need.status == "accepted"
            assert need.assigned_designer_id is not None
        p = db.session.get(Program, pworld.p1)
        assert p.total_jp == 24 and p.total_budget == 60_000_000
        assert p.partner_ids == sorted([pworld.ptk.id, pworld.kkr.id])


def test_only_designers_create_and_needs_must_be_received(world, app):
    with app.app_context():
        officer = db.session.get(User, world.officer_ptk.id)
        with pytest.raises(NotAllowed):
            create_program(officer, program_data([world.n1.id], {}))
        designer = db.session.get(User, world.designer.id)
        with pytest.raises(ValidationFailed) as exc:
            create_program(designer, program_data([world.n1.id], {}))  # N1 is a draft
        assert "need_ids" in exc.value.errors


def test_joint_sign_off_needs_every_party_on_the_same_revision(pworld, app):
    act(app, pworld.designer, pworld.p1, "propose")
    assert status(app, pworld.p1) == "proposed"
    act(app, pworld.approver_bkn, pworld.p1, "approve")
    act(app, pworld.approver_ptk, pworld.p1, "approve")
    assert status(app, pworld.p1) == "proposed"  # Kubu Raya has not signed
    act(app, pworld.approver_kkr, pworld.p1, "approve")
    assert status(app, pworld.p1) == "approved"


def test_request_changes_voids_approvals_for_next_revision(pworld, app):
    act(app, pworld.designer, pworld.p1, "propose")
    act(app, pworld.approver_bkn, pworld.p1, "approve")
    with pytest.raises(ValidationFailed):
        act(app, pworld.approver_ptk, pworld.p1, "request_changes", comment="")
    act(app, pworld.approver_ptk, pworld.p1, "request_changes", comment="Tambah modul praktik.")
    assert status(app, pworld.p1) == "changes_requested"
    with app.app_context():
        p = db.session.get(Program, pworld.p1)
        designer = db.session.get(User, pworld.designer.id)
        data = program_data(
            [pworld.n2.id, pworld.n3.id],
            {pworld.ptk.id: 20, pworld.kkr.id: 10},
            modules=[ModuleData("Konsep RME", 8), ModuleData("Praktik SIMPUS", 24)],
        )
        update_program(designer, p, data, expected_version=p.version)
        db.session.commit()
    act(app, pworld.designer, pworld.p1, "propose")
    with app.app_context():
        assert db.session.get(Program, pworld.p1).current_revision == 2
    # the BKN approval of revision 1 does not count for revision 2
    act(app, pworld.approver_ptk, pworld.p1, "approve")
    act(app, pworld.approver_kkr, pworld.p1, "approve")
    assert status(app, pworld.p1) == "proposed"
    # a decision on the old revision is refused
    with pytest.raises(StaleObject):
        act(app, pworld.approver_bkn, pworld.p1, "approve", revision=1)
    act(app, pworld.approver_bkn, pworld.p1, "approve")
    assert status(app, pworld.p1) == "approved"


def test_a_party_decides_once_per_revision(pworld, app):
    act(app, pworld.designer, pworld.p1, "propose")
    act(app, pworld.approver_ptk, pworld.p1, "approve")
    with pytest.raises(InvalidTransition):
        act(app, pworld.approver_ptk, pworld.p1, "approve")


def test_only_partner_approvers_and_bkn_approver_sign(pworld, app, make_org, make_user):
    act(app, pworld.designer, pworld.p1, "propose")
    other_pemda = make_org("Pemerintah Kabupaten Sambas", "pemda", region_code="61.01")
    stranger = make_user("bkpsdm@sambas.test", "pemda_approver", other_pemda)
    for who in (stranger, pworld.designer, pworld.officer_ptk):
        with pytest.raises(NotAllowed):
            act(app, who, pworld.p1, "approve")
    with pytest.raises(NotAllowed):
        act(app, pworld.approver_ptk, pworld.p1, "reject", comment="tidak")  # BKN only


def test_proposal_guard_lists_reasons(pworld, app):
    with app.app_context():
        p = db.session.get(Program, pworld.p1)
        designer = db.session.get(User, pworld.designer.id)
        too_many = program_data([pworld.n2.id, pworld.n3.id], {pworld.ptk.id: 999})
        with pytest.raises(ValidationFailed) as exc:
            update_program(designer, p, too_many, expected_version=p.version)
        assert "melebihi" in " ".join(exc.value.errors["quotas"])
        db.session.rollback()
        p = db.session.get(Program, pworld.p1)
        data = program_data(
            [pworld.n2.id, pworld.n3.id],
            {pworld.ptk.id: 10},
            modules=[],
            planned_start=None,
            venue=None,
        )
        update_program(designer, p, data, expected_version=p.version)
        db.session.commit()
    with pytest.raises(ValidationFailed) as exc:
        act(app, pworld.designer, pworld.p1, "propose")
    errors = exc.value.errors
    assert {"modules", "planned_start", "venue", "quotas"} <= set(errors)
    assert "Kubu Raya" in " ".join(errors["quotas"])
    assert status(app, pworld.p1) == "draft"


def test_reject_and_cancel_release_needs(pworld, app):
    act(app, pworld.designer, pworld.p1, "propose")
    act(app, pworld.approver_bkn, pworld.p1, "reject", comment="Dirujuk ke LAN.")
    assert status(app, pworld.p1) == "rejected"
    with app.app_context():
        assert db.session.get(Need, pworld.n2.id).status == "in_review"
        assert db.session.get(Need, pworld.n3.id).status == "in_review"
        rows = db.session.scalars(sa.select(AuditEvent).where(AuditEvent.action == "release")).all()
        assert len(rows) == 2


def test_need_stays_accepted_while_another_program_serves_it(pworld, app):
    with app.app_context():
        designer = db.session.get(User, pworld.designer2.id)
        p2 = create_program(designer, program_data([pworld.n2.id], {pworld.ptk.id: 5}))
        db.session.commit()
        p2_id = p2.id
    act(app, pworld.designer2, p2_id, "cancel", comment="Digabung ke program lain.")
    with app.app_context():
        assert db.session.get(Need, pworld.n2.id).status == "accepted"
    act(app, pworld.approver_bkn, pworld.p1, "cancel", comment="Anggaran dialihkan.")
    with app.app_context():
        assert db.session.get(Need, pworld.n2.id).status == "in_review"


def test_delivery_path_and_who_may_cancel(pworld, app, monkeypatch):
    act(app, pworld.designer, pworld.p1, "propose")
    for who in (pworld.approver_bkn, pworld.approver_ptk, pworld.approver_kkr):
        act(app, who, pworld.p1, "approve")
    with pytest.raises(ValidationFailed) as exc:
        act(app, pworld.designer, pworld.p1, "schedule")
    assert "sessions" in exc.value.errors
    with app.app_context():
        p = db.session.get(Program, pworld.p1)
        designer = db.session.get(User, pworld.designer.id)
        s = add_session(
            designer,
            p,
            SessionData(
                datetime(2027, 3, 1, 8, 0), datetime(2027, 3, 1, 16, 0), "Aula", "Konsep", 8
            ),
        )
        db.session.commit()
        assert s.starts_at.hour == 1  # 08.00 WIB is 01.00 UTC
    with pytest.raises(InvalidTransition):
        act(app, pworld.designer, pworld.p1, "cancel", comment="x")  # designer only while draft
    act(app, pworld.designer, pworld.p1, "schedule")
    enrol(app, pworld.p1, pworld.ptk, 2)
    act(app, pworld.designer, pworld.p1, "start")
    with pytest.raises(ValidationFailed) as exc:
        act(app, pworld.designer, pworld.p1, "complete")  # the session lies in the future
    assert "sessions" in exc.value.errors
    import collab.programs.services as program_services

    monkeypatch.setattr(program_services, "utcnow", lambda: datetime(2027, 3, 2, tzinfo=UTC))
    attend_all(app, pworld.p1)
    act(app, pworld.designer, pworld.p1, "complete")
    assert status(app, pworld.p1) == "delivered"
    evaluate_all(app, pworld.p1)
    act(app, pworld.designer, pworld.p1, "close")
    with app.app_context():
        assert db.session.get(Need, pworld.n2.id).status == "fulfilled"


def test_concurrent_approvals_make_one_transition(pworld, app):
    """The last two approvers click at the same moment: both decisions are kept, exactly one
    of them moves the program to approved."""
    act(app, pworld.designer, pworld.p1, "propose")
    act(app, pworld.approver_bkn, pworld.p1, "approve")
    barrier = threading.Barrier(2)
    errors = []

    def approve(ref):
        try:
            with app.app_context():
                program = db.session.get(Program, pworld.p1)
                user = db.session.get(User, ref.id)
                rev = program.current_revision
                barrier.wait()
                transition_program(user, program, "approve", expected_revision=rev)
                db.session.commit()
                db.session.remove()
        except Exception as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    threads = [
        threading.Thread(target=approve, args=(r,))
        for r in (pworld.approver_ptk, pworld.approver_kkr)
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    assert not errors, errors
    with app.app_context():
        assert db.session.get(Program, pworld.p1).status == "approved"
        rows = db.session.scalars(
            sa.select(AuditEvent).where(
                AuditEvent.entity_type == "program", AuditEvent.action == "approve"
            )
        ).all()
        assert len(rows) == 3
        assert sum(1 for r in rows if r.to_state == "approved") == 1
        assert db.session.query(SignOff).count() == 3


# --- pages ------------------------------------------------------------------------------------


def test_program_pages_for_each_side(pworld, client, login, make_client, app):
    login(client, pworld.designer)
    html = client.get("/programs/").get_data(as_text=True)
    assert "Pelatihan Rekam Medis Elektronik" in html and "Kubu Raya" in html
    html = client.get(f"/programs/{pworld.p1}").get_data(as_text=True)
    assert 'data-action="propose"' in html and "24 JP" in html
    assert "Rp60.000.000" in html
    resp = client.post(f"/programs/{pworld.p1}/actions/propose", data={"version": 2, "revision": 0})
    assert resp.status_code in (302, 409)
    kkr = make_client()
    login(kkr, pworld.officer_kkr)
    assert kkr.get(f"/programs/{pworld.p1}").status_code == 404  # BKN's draft, not yet proposed
    act(app, pworld.designer, pworld.p1, "propose")
    assert kkr.get(f"/programs/{pworld.p1}").status_code == 200
    html = kkr.get(f"/needs/{pworld.n3.id}").get_data(as_text=True)
    assert "Pelatihan Rekam Medis Elektronik" in html  # the need links to its program
    html = kkr.get(f"/programs/{pworld.p1}").get_data(as_text=True)
    assert "RME Puskesmas Pontianak" in html  # the other partner's need is listed …
    assert "Ani Officer" not in html  # … but not its history (Ani filed it)
    stranger = make_client()
    # a Pontianak-only program is invisible to Kubu Raya
    with_ptk_only(pworld, client)
    login(stranger, pworld.officer_kkr)
    assert stranger.get(f"/programs/{pworld.ptk_only}").status_code == 404
    assert "Hanya Pontianak" not in stranger.get("/programs/").get_data(as_text=True)


def with_ptk_only(pworld, client):
    n = pworld.need("in_review", title="Hanya kebutuhan Pontianak")
    from tests.conftest import _Ref  # noqa: F401

    resp = client.get(f"/programs/new?need={n.id}")
    html = resp.get_data(as_text=True)
    assert re.search(rf'value="{n.id}"[^>]*checked', html) or re.search(
        rf'checked[^>]*value="{n.id}"', html
    )
    data = {
        "need_ids": str(n.id),
        "title": "Hanya Pontianak",
        "objectives": "Tujuan",
        "development_type_id": "8",
        "method": "luring",
        "fiscal_year": "2027",
        "timezone": "Asia/Pontianak",
        "min_attendance_pct": "80",
        "pass_mark": "70",
        "modules-0-title": "Modul 1",
        "modules-0-jp": "8",
        "quotas-0-org_id": str(pworld.ptk.id),
        "quotas-0-quota": "5",
        "budget-0-source": "apbd",
        "budget-0-amount": "1.250.000",
    }
    resp = client.post("/programs/new", data=data)
    assert resp.status_code == 302, resp.get_data(as_text=True)[-2000:]
    pworld.ptk_only = int(resp.headers["Location"].rstrip("/").split("/")[-1])
