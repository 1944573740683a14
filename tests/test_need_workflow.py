"""The need state machine (DESIGN.md §3): every state × action × kind of user.

The expectation below is written from DESIGN.md independently of
``collab.workflow.needs.NEED_TRANSITIONS``, so a wrong row in the table fails here.
"""

from __future__ import annotations

import pytest

from collab.errors import InvalidTransition, NotAllowed, ValidationFailed
from collab.extensions import db
from collab.models import AuditEvent, Need, User
from collab.needs.services import transition_need

STATES = ["draft", "verifying", "submitted", "in_review", "info_requested", "declined", "withdrawn"]
ACTIONS = ["submit", "verify", "return", "take", "request_info", "respond", "decline", "withdraw"]
USERS = [
    "officer_ptk",  # pemda_officer of the need's OPD
    "officer_disdik",  # pemda_officer of another OPD of the same Pemda
    "approver_ptk",  # pemda_approver of the need's Pemda
    "officer_kkr",  # pemda_officer of another Pemda
    "approver_kkr",  # pemda_approver of another Pemda
    "designer",  # bkn_designer (the assigned one once taken)
    "designer2",  # another bkn_designer
    "approver_bkn",
    "admin",
]
OPEN = {"draft", "verifying", "submitted", "in_review", "info_requested"}

# (action, user) → (from-states, to-state), straight from DESIGN.md §3
EXPECTED = {
    ("submit", "officer_ptk"): ({"draft"}, "verifying"),
    ("submit", "approver_ptk"): ({"draft"}, "submitted"),
    ("verify", "approver_ptk"): ({"verifying"}, "submitted"),
    ("return", "approver_ptk"): ({"verifying"}, "draft"),
    ("take", "designer"): ({"submitted"}, "in_review"),
    ("take", "designer2"): ({"submitted"}, "in_review"),
    ("request_info", "designer"): ({"in_review"}, "info_requested"),
    ("respond", "officer_ptk"): ({"info_requested"}, "in_review"),
    ("respond", "approver_ptk"): ({"info_requested"}, "in_review"),
    ("decline", "designer"): ({"submitted", "in_review"}, "declined"),
    ("decline", "designer2"): ({"submitted", "in_review"}, "declined"),
    ("withdraw", "officer_ptk"): (OPEN, "withdrawn"),
    ("withdraw", "approver_ptk"): (OPEN, "withdrawn"),
}


def expected(state, action, user):
    """ "ok:<to>", "409" or "403" for one combination."""
    rule = EXPECTED.get((action, user))
    if rule is None:
        return "403"
    sources, target = rule
    if state in sources:
        return f"ok:{target}"
    if action == "request_info" and state not in ("in_review", "info_requested"):
        # only the *assigned* designer may ask; no one has taken a need in these states
        return "403"
    return "409"


@pytest.mark.parametrize("state", STATES)
def test_every_action_and_user_in_state(world, app, state):
    outcomes = {}
    for action in ACTIONS:
        for user_name in USERS:
            ref = world.need(state)
            with app.app_context():
                need = db.session.get(Need, ref.id)
                actor = db.session.get(User, getattr(world, user_name).id)
                before = db.session.query(AuditEvent).count()
                try:
                    transition_need(
                        actor, need, action, expected_version=need.version, comment="alasan"
                    )
                    db.session.commit()
                    got = f"ok:{db.session.get(Need, ref.id).status}"
                    assert db.session.query(AuditEvent).count() == before + 1
                except NotAllowed:
                    db.session.rollback()
                    got = "403"
                except InvalidTransition:
                    db.session.rollback()
                    got = "409"
                if not got.startswith("ok"):
                    assert db.session.get(Need, ref.id).status == state
                    assert db.session.query(AuditEvent).count() == before
            outcomes[(action, user_name)] = got
    wrong = {k: (v, expected(state, *k)) for k, v in outcomes.items() if v != expected(state, *k)}
    assert not wrong, wrong


@pytest.mark.parametrize(
    ("state", "action", "user"),
    [
        ("verifying", "return", "approver_ptk"),
        ("in_review", "request_info", "designer"),
        ("info_requested", "respond", "officer_ptk"),
        ("submitted", "decline", "designer"),
        ("draft", "withdraw", "officer_ptk"),
    ],
)
def test_required_comment(world, app, state, action, user):
    ref = world.need(state)
    with app.app_context():
        need = db.session.get(Need, ref.id)
        actor = db.session.get(User, getattr(world, user).id)
        with pytest.raises(ValidationFailed) as exc:
            transition_need(actor, need, action, expected_version=need.version, comment="  ")
        assert "comment" in exc.value.errors
        db.session.rollback()
        assert db.session.get(Need, ref.id).status == state


def test_take_assigns_designer_and_stops_first_response_clock(world, app):
    ref = world.need("submitted")
    with app.app_context():
        need = db.session.get(Need, ref.id)
        assert need.sla_due_at is not None and need.first_response_at is None
        actor = db.session.get(User, world.designer2.id)
        transition_need(actor, need, "take", expected_version=need.version)
        db.session.commit()
        need = db.session.get(Need, ref.id)
        assert need.assigned_designer_id == world.designer2.id
        assert need.first_response_at is not None
        # only the assigned designer may now ask for information
        other = db.session.get(User, world.designer.id)
        with pytest.raises(NotAllowed):
            transition_need(other, need, "request_info", expected_version=need.version, comment="?")


def test_stale_version_is_refused(world, app):
    with app.app_context():
        need = db.session.get(Need, world.n1.id)
        actor = db.session.get(User, world.officer_ptk.id)
        from collab.errors import StaleObject

        with pytest.raises(StaleObject):
            transition_need(actor, need, "submit", expected_version=need.version - 1)
