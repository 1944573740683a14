"""The program state machine (DESIGN.md §3, "Program") as one table.

``guards`` name checks in :data:`collab.programs.services.GUARDS`; each returns the reasons a
transition cannot happen yet. The delivery issue adds its guards (enrolled participants,
attendance for every session, L1/L2/L4 recorded) by naming them in the rows below — the shape
of the table does not change.

``approve`` leaves a program ``proposed`` until every required party (the BKN approver and
the pemda_approver of every partner Pemda) has approved the same revision; the service then
moves it to ``approved`` (effect ``"complete_sign_off"``).
"""

from __future__ import annotations

from collab.workflow.base import Party as P
from collab.workflow.base import row

DRAFT, PROPOSED, CHANGES_REQUESTED, APPROVED, REJECTED = (
    "draft",
    "proposed",
    "changes_requested",
    "approved",
    "rejected",
)
SCHEDULED, IN_DELIVERY, DELIVERED, EVALUATED, CANCELLED = (
    "scheduled",
    "in_delivery",
    "delivered",
    "evaluated",
    "cancelled",
)

# fmt: off
PROGRAM_TRANSITIONS = (
    # action            from                           to                 who                                   text       effects / guards
    row("propose",         (DRAFT, CHANGES_REQUESTED),   PROPOSED,          {P.OWNER_DESIGNER},                    None,      ("freeze_revision", "guard:proposal_complete")),
    row("approve",         PROPOSED,                     PROPOSED,          {P.BKN_APPROVER, P.PARTNER_APPROVER},  None,      ("sign_off", "complete_sign_off")),
    row("request_changes", PROPOSED,                     CHANGES_REQUESTED, {P.BKN_APPROVER, P.PARTNER_APPROVER},  "comment", ("sign_off",)),
    row("reject",          PROPOSED,                     REJECTED,          {P.BKN_APPROVER},                      "reason",  ("sign_off", "release_needs")),
    row("schedule",        APPROVED,                     SCHEDULED,         {P.OWNER_DESIGNER},                    None,      ("guard:has_session",)),
    row("start",           SCHEDULED,                    IN_DELIVERY,       {P.OWNER_DESIGNER},                    None,      ("guard:has_session", "guard:has_enrolled_participants")),
    row("complete",        IN_DELIVERY,                  DELIVERED,         {P.OWNER_DESIGNER},                    None,      ("guard:sessions_over", "guard:attendance_complete", "compute_completion")),
    row("close",           DELIVERED,                    EVALUATED,         {P.OWNER_DESIGNER},                    None,      ("guard:evaluation_recorded", "fulfil_needs")),
    row("cancel",          DRAFT,                        CANCELLED,         {P.OWNER_DESIGNER, P.BKN_APPROVER},    "reason",  ("release_needs",)),
    row("cancel",          (PROPOSED, CHANGES_REQUESTED, APPROVED, SCHEDULED), CANCELLED, {P.BKN_APPROVER},        "reason",  ("release_needs",)),
)
# fmt: on

EDITABLE_STATES = frozenset({DRAFT, CHANGES_REQUESTED})
"""States in which the owner designer may edit the proposal's content."""

ATTENDANCE_STATES = frozenset({IN_DELIVERY, DELIVERED, EVALUATED})
"""States in which the attendance grid is shown (recorded only while in delivery)."""

ATTENDANCE_EDITABLE_STATES = frozenset({IN_DELIVERY})
"""States in which the owner designer records attendance."""

SCORE_EDITABLE_STATES = frozenset({IN_DELIVERY, DELIVERED})
"""States in which the owner designer records pre/post-test scores (L2); in ``delivered``
each change re-computes completion (passed, JP)."""

SESSION_EDITABLE_STATES = frozenset({DRAFT, CHANGES_REQUESTED, APPROVED, SCHEDULED})
"""States in which sessions may be added or removed."""

ACTIVE_STATES = frozenset(
    {DRAFT, PROPOSED, CHANGES_REQUESTED, APPROVED, SCHEDULED, IN_DELIVERY, DELIVERED, EVALUATED}
)
"""States in which a program still serves its needs (not cancelled or rejected)."""

TURN = {
    DRAFT: "bkn",
    PROPOSED: "signoff",  # whoever has not signed yet (see services.program_turn)
    CHANGES_REQUESTED: "bkn",
    APPROVED: "bkn",
    SCHEDULED: "bkn",
    IN_DELIVERY: "bkn",
    DELIVERED: "bkn",
}
"""Whose turn in each open state; closed states are absent."""
