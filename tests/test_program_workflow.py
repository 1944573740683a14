"""The program state machine (DESIGN.md §3): every state × action × kind of user, against an
expectation written from DESIGN.md independently of ``PROGRAM_TRANSITIONS``. Who a user is
for a program comes from the real ``parties_for``; the table lookup is the real ``find``."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from collab.errors import InvalidTransition, NotAllowed
from collab.programs.services import parties_for
from collab.workflow.base import find
from collab.workflow.programs import PROGRAM_TRANSITIONS

STATES = [
    "draft",
    "proposed",
    "changes_requested",
    "approved",
    "rejected",
    "scheduled",
    "in_delivery",
    "delivered",
    "evaluated",
    "cancelled",
]
ACTIONS = [
    "propose",
    "approve",
    "request_changes",
    "reject",
    "schedule",
    "start",
    "complete",
    "close",
    "cancel",
]
PTK, KKR, SAMBAS = 10, 20, 30
USERS = {
    "owner": SimpleNamespace(id=1, role="bkn_designer", active=True, pemda_id=None),
    "designer2": SimpleNamespace(id=2, role="bkn_designer", active=True, pemda_id=None),
    "approver_bkn": SimpleNamespace(id=3, role="bkn_approver", active=True, pemda_id=None),
    "approver_ptk": SimpleNamespace(id=4, role="pemda_approver", active=True, pemda_id=PTK),
    "approver_kkr": SimpleNamespace(id=5, role="pemda_approver", active=True, pemda_id=KKR),
    "approver_sambas": SimpleNamespace(id=6, role="pemda_approver", active=True, pemda_id=SAMBAS),
    "officer_ptk": SimpleNamespace(id=7, role="pemda_officer", active=True, pemda_id=PTK),
    "admin": SimpleNamespace(id=8, role="admin", active=True, pemda_id=None),
    "inactive_owner": SimpleNamespace(id=1, role="bkn_designer", active=False, pemda_id=None),
}
SIGNERS = {"approver_bkn", "approver_ptk", "approver_kkr"}

# action → {user: from-states}, and the target; straight from DESIGN.md §3
EXPECTED = {
    "propose": ({"owner": {"draft", "changes_requested"}}, "proposed"),
    "approve": ({u: {"proposed"} for u in SIGNERS}, "proposed"),
    "request_changes": ({u: {"proposed"} for u in SIGNERS}, "changes_requested"),
    "reject": ({"approver_bkn": {"proposed"}}, "rejected"),
    "schedule": ({"owner": {"approved"}}, "scheduled"),
    "start": ({"owner": {"scheduled"}}, "in_delivery"),
    "complete": ({"owner": {"in_delivery"}}, "delivered"),
    "close": ({"owner": {"delivered"}}, "evaluated"),
    "cancel": (
        {
            "owner": {"draft"},
            "approver_bkn": {"draft", "proposed", "changes_requested", "approved", "scheduled"},
        },
        "cancelled",
    ),
}


def expected(state, action, user):
    who, target = EXPECTED[action]
    if user not in who:
        return "403"
    return f"ok:{target}" if state in who[user] else "409"


PROGRAM = SimpleNamespace(owner_id=1, partner_ids=[PTK, KKR])


@pytest.mark.parametrize("state", STATES)
@pytest.mark.parametrize("action", ACTIONS)
def test_program_table(state, action):
    wrong = {}
    for name, user in USERS.items():
        try:
            t = find(PROGRAM_TRANSITIONS, action, state, parties_for(user, PROGRAM))
            got = f"ok:{t.target}"
        except NotAllowed:
            got = "403"
        except InvalidTransition:
            got = "409"
        want = expected(state, action, name)
        if got != want:
            wrong[name] = (got, want)
    assert not wrong, wrong
